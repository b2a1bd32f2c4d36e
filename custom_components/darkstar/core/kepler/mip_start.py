"""MIP start for the heater: exact heater DP priced by energy values, completed by the LP.

Candidates (the cheapest complete one wins):
1. the previous plan's heater schedule (warm start), if given;
2. the DP with slot prices = import price (export value where PV covers load + heater);
3. the DP with slot prices = duals of the energy balance in the LP relaxation;
4. two rounds of: duals of the best candidate's LP (heater fixed) -> DP -> new candidate;
5. in each fixing round (fixing.py): the DP on the restricted LP relaxation's duals, plain and with
   ties broken towards the relaxation's own heating (LP rounding; found the optimum of full-07-28).
Each candidate costs one DP (5-30 ms) and one warm LP re-solve on a single HiGHS instance.
With the best candidate's objective and the LP relaxation's duals, fixing.py then fixes the heater
slots that no better plan can use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np

from .build import KeplerModel
from .fixing import Fixing, LagrangianFixer, restricted_heater
from .handoff import CompiledModel, column_index, relaxed_highs
from .heater_dp import best_schedule

ROUNDS = 2
# Tie-break towards the LP relaxation's heating, as a share of the mean slot cost (rounding the LP).
LEAN = 0.1
FIX_ROUNDS = 2  # re-solve the restricted LP for new duals and fix again, while it fixes more
HEATER_VARIABLES = ("heat", "start", "gap", "water_short")


@dataclass(frozen=True)
class HeaterStart:
    """A complete MIP start (`x`, objective `objective`) and the heater slots it lets us fix."""

    x: np.ndarray
    objective: float
    fixing: Fixing | None
    heat_cols: list[int]


class _LpCompleter:
    """One HiGHS LP (integrality dropped) whose heater columns are fixed per candidate schedule."""

    def __init__(
        self, compiled: CompiledModel, heat_cols: list[int], balance_rows: list[int], threads: int | None
    ) -> None:
        self.lp = relaxed_highs(compiled.lp, threads)
        self.cols = np.array(heat_cols, dtype=np.int32)
        self.lower = np.array(compiled.lp.col_lower_, dtype=float)[self.cols]
        self.upper = np.array(compiled.lp.col_upper_, dtype=float)[self.cols]
        self.rows = balance_rows

    def restrict(self, fixing: Fixing) -> None:
        """Keep the fixed heater slots fixed in later relaxed solves."""
        self.upper[fixing.off] = 0.0
        self.lower[fixing.on] = 1.0

    def run(self, heat: list[int] | None) -> tuple[float, np.ndarray, list[float], np.ndarray] | None:
        """Solve with the heater fixed to `heat` (None: relaxed); (objective, x, balance duals, row duals)."""
        if heat is None:
            lo, hi = self.lower, self.upper
        else:
            lo = hi = np.array(heat, dtype=float)
        self.lp.changeColsBounds(len(self.cols), self.cols, lo, hi)
        self.lp.run()
        if self.lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        sol = self.lp.getSolution()
        row_duals = np.array(sol.row_dual)
        duals = [-row_duals[r] for r in self.rows]
        return float(self.lp.getInfo().objective_function_value), np.array(sol.col_value), duals, row_duals


def heater_start(
    km: KeplerModel, compiled: CompiledModel, threads: int | None, warm: bool, fix: bool = True
) -> HeaterStart | None:
    """The best complete MIP start found and, with `fix`, the heater fixing; None without a heater."""
    d, m = km.data, km.model
    if d.heater is None or not hasattr(m, "heat"):
        return None
    heat_cols = column_index(compiled, [m.heat[t] for t in range(d.n)])
    rows = {id(con): i for i, (con, _) in enumerate(compiled.rows)}
    balance = [rows.get(id(m.balance[t])) for t in range(d.n)]
    if any(c is None for c in heat_cols) or any(r is None for r in balance):
        return None
    search = _Candidates(km, _LpCompleter(compiled, heat_cols, balance, threads))
    if warm:
        search.attempt([1 if (m.heat[t].value or 0) > 0.5 else 0 for t in range(d.n)])
    search.attempt(search.dp(slot_prices(km)))
    relaxed = search.lp.run(None)
    if relaxed is not None:
        search.attempt(search.dp(relaxed[2]))
    for _ in range(ROUNDS):
        best = search.best()
        if best is None:
            break
        search.attempt(search.dp(best[2]))
    if search.best() is None:
        return None
    fixing = _fix(search, compiled, heat_cols, relaxed) if fix and relaxed is not None else None
    best = search.best()
    return HeaterStart(x=best[1], objective=best[0], fixing=fixing, heat_cols=heat_cols)


class _Candidates:
    """Heater schedules tried so far, each completed by the LP; the heater DP proposes new ones."""

    def __init__(self, km: KeplerModel, lp: _LpCompleter) -> None:
        self.d = km.data
        self.lp = lp
        self.tried: dict[tuple[int, ...], Any] = {}

    def attempt(self, heat: list[int]) -> None:
        key = tuple(heat)
        if key not in self.tried:
            self.tried[key] = self.lp.run(heat)

    def dp(
        self, prices: list[float], fixing: Fixing | None = None, lean: np.ndarray | None = None
    ) -> list[int]:
        """The DP's schedule for these energy prices; `lean` (0..1 per slot) breaks ties towards it."""
        h = self.d.heater
        assert h is not None
        cost = np.multiply(h.block_kwh, prices)
        if lean is not None:
            cost = cost - LEAN * np.mean(np.abs(cost)) * lean
        heater, cost = restricted_heater(self.d, cost, fixing)
        return best_schedule(heater, list(cost), self.d.big_penalty)[1]

    def best(self) -> Any:
        done = [v for v in self.tried.values() if v is not None]
        return min(done, key=lambda v: v[0]) if done else None


def _fix(search: _Candidates, compiled: CompiledModel, heat_cols: list[int], relaxed: Any) -> Fixing | None:
    """Lagrangian fixing, then rounds of: restricted LP -> new duals -> new candidates -> fix again."""
    heater = np.array(
        [i for i, v in enumerate(compiled.columns) if v.parent_component().local_name in HEATER_VARIABLES]
    )
    fixer = LagrangianFixer(compiled, search.d, heat_cols, heater)
    fixing = fixer.fix(relaxed[3], search.best()[0])
    for _ in range(FIX_ROUNDS):
        if fixing is None:
            break
        search.lp.restrict(fixing)
        relaxed = search.lp.run(None)
        if relaxed is None:
            break
        search.attempt(search.dp(relaxed[2], fixing))
        search.attempt(search.dp(relaxed[2], fixing, lean=relaxed[1][heat_cols]))
        tighter = fixer.fix(relaxed[3], search.best()[0], fixing)
        if tighter is None or _count(tighter) <= _count(fixing):
            break
        fixing = tighter
    return fixing


def _count(fixing: Fixing) -> int:
    return len(fixing.off) + len(fixing.on)


def slot_prices(km: KeplerModel) -> list[float]:
    """Energy value per slot: import price, or the export value where PV covers load + heater."""
    d = km.data
    block = d.heater.block_kwh if d.heater else 0.0
    return [d.export_value[t] if d.pv[t] >= d.load[t] + block else d.import_price[t] for t in range(d.n)]
