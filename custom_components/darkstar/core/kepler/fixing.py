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
from .handoff import CompiledModel, constraint_matrix, relaxed_highs
from .heater_bounds import slot_bounds

# A fixing must hold by more than this (relative to the plan's objective) to absorb LP round-off.
MARGIN = 1e-6
# The slot cost that keeps a fixed-off slot out of every DP schedule.
PRICED_OUT = 1e9


@dataclass(frozen=True)
class Fixing:
    """Heater slots proven off (`off`) or on (`on`) in every plan better than the incumbent."""

    off: np.ndarray
    on: np.ndarray
    bound: float


class LagrangianFixer:
    """The model's split into heater and rest, built once; `fix` prices it with a set of duals.

    Only heat[t] may link the heater to the rest (true for every Kepler model); otherwise
    `usable` is False and nothing is fixed.
    """

    def __init__(self, compiled: CompiledModel, d: KeplerData, heat_cols: list[int], heater_cols: np.ndarray):
        lp = compiled.lp
        self.d, self.heat_cols = d, heat_cols
        self.offset = compiled.offset
        self.A = constraint_matrix(lp)
        is_heater = np.zeros(lp.num_col_, dtype=bool)
        is_heater[heater_cols] = True
        self.linking, heater_rows = _row_kinds(self.A, is_heater)
        others = np.setdiff1d(heater_cols, heat_cols)
        self.usable = not self.A[self.linking][:, others].nnz
        self.cost = np.asarray(lp.col_cost_, dtype=float)
        self.row_lower, self.row_upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
        self.lp_offset = float(lp.offset_)
        # the battery/grid part: heater columns at 0, rows that touch the heater dropped
        self.rest = relaxed_highs(lp)
        free = np.union1d(self.linking, heater_rows).astype(np.int32)
        inf = np.full(len(free), highspy.kHighsInf)
        self.rest.changeRowsBounds(len(free), free, -inf, inf)
        zeros = np.zeros(len(heater_cols))
        self.rest.changeColsBounds(len(heater_cols), heater_cols.astype(np.int32), zeros, zeros)

    def fix(self, row_duals: np.ndarray, incumbent: float, previous: Fixing | None = None) -> Fixing | None:
        """Heater slots that no plan cheaper than `incumbent` can use (or leave unused); None if unusable.

        `previous` (an earlier fixing, for the same or a worse incumbent) restricts the heater DP.
        """
        if not self.usable:
            return None
        y = np.zeros(len(self.row_lower))
        y[self.linking] = row_duals[self.linking]
        reduced = self.cost - self.A.T @ y
        rest = self._rest_of_model(reduced)
        if rest is None:
            return None
        base = float(y @ self._active_rhs(y)) + self.offset + rest
        heater, slot_cost = restricted_heater(self.d, reduced[self.heat_cols], previous)
        bounds = slot_bounds(heater, slot_cost, self.d.big_penalty)
        limit = incumbent + MARGIN * (1.0 + abs(incumbent))
        return Fixing(
            off=np.flatnonzero(base + bounds.on >= limit),
            on=np.flatnonzero(base + bounds.off >= limit),
            bound=base + bounds.best,
        )

    def _active_rhs(self, y: np.ndarray) -> np.ndarray:
        """The right-hand side each dual refers to: the lower bound for y > 0, the upper for y < 0."""
        rhs = np.where(y > 0, self.row_lower, self.row_upper)
        return np.where(np.isfinite(rhs) & (y != 0), rhs, 0.0)

    def _rest_of_model(self, cost: np.ndarray) -> float | None:
        """min cost*x over the battery/grid part, as an LP (warm-started from the last call)."""
        n = len(cost)
        self.rest.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        self.rest.run()
        if self.rest.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return float(self.rest.getInfo().objective_function_value) - self.lp_offset


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
