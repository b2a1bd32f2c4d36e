"""Exact fixing of heater slots by a Lagrangian bound: LP duals price energy, the heater DP does the rest.

Dualise the rows that link the heater to the rest of the model (the energy balance, and the
granularity cuts when present) with the LP relaxation's duals y. The bound then splits in two:
`sum(y * rhs)` + the battery/grid LP with reduced costs (heater fixed at 0, linking rows free) + the
heater DP with slot costs = reduced cost of heat[t]. Any y gives a valid lower bound on every plan.
heater_bounds.py gives that bound for every slot with the heater forced on (or off) at once. A slot
whose forced-on bound is at least the objective of a known plan (the MIP start) cannot be heated by
any better plan, so heat[t] is fixed to 0 (and to 1 for a forced-off bound). Nothing better than the
start is cut off, so the solver's optimum and its proven gap stay exact.

Measured on the full family (benchmarks/kepler-formulations.md, section 7): 97-192 of the 192
heater slots are fixed, and HiGHS's time falls from 0.9-4.7 s to 0.02-2.7 s.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import highspy
import numpy as np
import scipy.sparse as sp

from .data import HeaterData, KeplerData
from .handoff import CompiledModel
from .heater_bounds import slot_bounds

# A fixing must hold by more than this (relative to the plan's objective) to absorb LP round-off.
MARGIN = 1e-6
# The slot cost that keeps a fixed-off slot out of every DP schedule.
PRICED_OUT = 1e9


@dataclass(frozen=True)
class Fixing:
    """Heater slots proven off (`off`) or on (`on`) in every plan better than `incumbent`."""

    off: np.ndarray
    on: np.ndarray
    bound: float
    incumbent: float


def lagrangian_fixing(
    compiled: CompiledModel,
    d: KeplerData,
    heat_cols: list[int],
    heater_cols: np.ndarray,
    row_duals: np.ndarray,
    incumbent: float,
    previous: Fixing | None = None,
) -> Fixing | None:
    """Heater slots that no plan cheaper than `incumbent` can use (or leave unused); None if unusable.

    `previous` (an earlier fixing, for the same or a worse incumbent) restricts the heater DP.
    """
    lp = compiled.lp
    n = lp.num_col_
    A = sp.csc_matrix(
        (np.asarray(lp.a_matrix_.value_), np.asarray(lp.a_matrix_.index_), np.asarray(lp.a_matrix_.start_)),
        shape=(lp.num_row_, n),
    )
    is_heater = np.zeros(n, dtype=bool)
    is_heater[heater_cols] = True
    linking, heater_rows = _row_kinds(A, is_heater)
    others = np.setdiff1d(heater_cols, heat_cols)
    if A[linking][:, others].nnz:
        return None  # only heat[t] may link the heater to the rest (true for every Kepler model)
    y = np.zeros(lp.num_row_)
    y[linking] = row_duals[linking]
    reduced = np.asarray(lp.col_cost_) - A.T @ y
    constant = float(y @ _active_rhs(lp, y)) + compiled.offset
    rest = _rest_of_model(lp, reduced, np.union1d(linking, heater_rows), heater_cols)
    if rest is None:
        return None
    heater, slot_cost = restricted_heater(d, reduced[heat_cols], previous)
    bounds = slot_bounds(heater, slot_cost, d.big_penalty)
    base = constant + rest
    limit = incumbent + MARGIN * (1.0 + abs(incumbent))
    return Fixing(
        off=np.flatnonzero(base + bounds.on >= limit),
        on=np.flatnonzero(base + bounds.off >= limit),
        bound=base + bounds.best,
        incumbent=incumbent,
    )


def restricted_heater(
    d: KeplerData, slot_cost: np.ndarray, fixing: Fixing | None
) -> tuple[HeaterData, np.ndarray]:
    """The heater rules and slot costs with a fixing applied (fixed-on slots forced, fixed-off priced out)."""
    assert d.heater is not None
    if fixing is None:
        return d.heater, np.asarray(slot_cost, dtype=float)
    cost = np.array(slot_cost, dtype=float)
    cost[fixing.off] = PRICED_OUT
    heater = replace(d.heater, forced=d.heater.forced | frozenset(int(t) for t in fixing.on))
    return heater, cost


def apply_fixing(lp: highspy.HighsLp, fixing: Fixing, heat_cols: list[int]) -> None:
    """Narrow the heat columns' bounds in `lp` (a HighsLp about to be passed to HiGHS)."""
    lower = np.asarray(lp.col_lower_, dtype=float).copy()
    upper = np.asarray(lp.col_upper_, dtype=float).copy()
    cols = np.asarray(heat_cols)
    upper[cols[fixing.off]] = 0.0
    lower[cols[fixing.on]] = 1.0
    lp.col_lower_ = lower
    lp.col_upper_ = upper


def _row_kinds(A: sp.csc_matrix, is_heater: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows with heater and other columns, rows with heater columns only)."""
    pattern = (A != 0).astype(np.int32).tocsr()
    heater = pattern @ is_heater.astype(np.int32)
    other = pattern @ (~is_heater).astype(np.int32)
    return np.flatnonzero((heater > 0) & (other > 0)), np.flatnonzero((heater > 0) & (other == 0))


def _active_rhs(lp: highspy.HighsLp, y: np.ndarray) -> np.ndarray:
    """The right-hand side each dual refers to: the lower bound for y > 0, the upper for y < 0."""
    lower, upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    rhs = np.where(y > 0, lower, upper)
    return np.where(np.isfinite(rhs) & (y != 0), rhs, 0.0)


def _rest_of_model(
    lp: highspy.HighsLp, cost: np.ndarray, free_rows: np.ndarray, heater_cols: np.ndarray
) -> float | None:
    """min cost*x over the battery/grid part (heater at 0, `free_rows` dropped), as an LP."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    n = lp.num_col_
    everything = np.arange(n, dtype=np.int32)
    h.changeColsIntegrality(n, everything, np.zeros(n, dtype=np.uint8))
    h.changeColsCost(n, everything, cost)
    inf = np.full(len(free_rows), highspy.kHighsInf)
    h.changeRowsBounds(len(free_rows), free_rows.astype(np.int32), -inf, inf)
    zeros = np.zeros(len(heater_cols))
    h.changeColsBounds(len(heater_cols), heater_cols.astype(np.int32), zeros, zeros)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return float(h.getInfo().objective_function_value) - float(lp.offset_)
