"""`plan(scenario)`: pre-check, build, solve, re-solve with direction binaries if needed, extract.

Never raises for a valid Scenario: provable or solver-proven infeasibility is the status
`infeasible` with a reason. No plan charges and discharges (or imports and exports) in one slot:
the model is first solved without direction binaries; if the answer uses both directions in some
slot, it is re-solved with them (exact, because the first model is a relaxation of the second).
"""

from __future__ import annotations

import time

from ..plan import STATUS_INFEASIBLE, STATUS_TIME_LIMIT, Plan
from ..scenario import Scenario
from .build import KeplerModel, build_model
from .data import KeplerData, kepler_data
from .diagnose import explain_infeasible, needs_battery_support, precheck_infeasible, soc_in_range
from .extract import both_directions, plan_from_model
from .options import SolverOptions
from .solve import SolveOutcome, solve_model
from .warm import apply_warm_start


def plan(scenario: Scenario, options: SolverOptions | None = None, warm_start: Plan | None = None) -> Plan:
    """Plan battery, grid, curtailment and water heater for `scenario` (see the package docs)."""
    try:
        return _plan(scenario, options or SolverOptions(), warm_start)
    except Exception as err:  # a solver/library failure must not crash the caller
        return Plan(
            status=STATUS_INFEASIBLE, objective=None, solve_seconds=0.0, reason=f"planner error: {err!r}"
        )


def _plan(scenario: Scenario, options: SolverOptions, warm_start: Plan | None) -> Plan:
    started = time.perf_counter()
    d = kepler_data(scenario)
    reason = precheck_infeasible(d)
    if reason is not None:
        return Plan(
            status=STATUS_INFEASIBLE,
            objective=None,
            solve_seconds=0.0,
            reason=reason,
            build_seconds=time.perf_counter() - started,
        )
    soft_soc = needs_battery_support(d) or not soc_in_range(d)
    binaries = options.direction_binaries == "always"
    km, outcome = _build_and_solve(scenario, d, options, soft_soc, binaries, warm_start)
    build_s, solve_s = km.build_seconds, outcome.solve_seconds
    if outcome.status == STATUS_INFEASIBLE and not soft_soc:
        km, outcome = _build_and_solve(scenario, d, options, True, binaries, None)
        build_s, solve_s = build_s + km.build_seconds, solve_s + outcome.solve_seconds
    if outcome.status != STATUS_INFEASIBLE and options.direction_binaries == "auto" and both_directions(km):
        km, outcome = _build_and_solve(scenario, d, options, km.soft_soc, True, warm_start)
        build_s, solve_s = build_s + km.build_seconds, solve_s + outcome.solve_seconds
    if outcome.status == STATUS_INFEASIBLE:
        proven = "nfeasible" in outcome.termination
        why = explain_infeasible(d) if proven else "the solver stopped without a plan"
        return Plan(
            status=STATUS_INFEASIBLE,
            objective=None,
            solve_seconds=solve_s,
            build_seconds=build_s,
            reason=f"{why} (solver: {outcome.termination})",
        )
    km.build_seconds = build_s
    result = plan_from_model(scenario, km, outcome.status, solve_s, outcome.mip_gap)
    if outcome.status == STATUS_TIME_LIMIT:
        note = f"time limit of {options.time_limit_s:g} s reached; best plan, gap {outcome.mip_gap}"
        result = _with_reason(result, note)
    return result


def _build_and_solve(
    scenario: Scenario,
    d: KeplerData,
    options: SolverOptions,
    soft_soc: bool,
    binaries: bool,
    warm_start: Plan | None,
) -> tuple[KeplerModel, SolveOutcome]:
    km = build_model(
        scenario,
        direction_binaries=binaries,
        soft_soc=soft_soc,
        heater_formulation=options.heater_formulation,
        data=d,
        cuts=options.granularity_cuts,
    )
    warm = False
    if warm_start is not None and options.use_warm_start and warm_start.slots:
        starts = [scenario.slot_start(t) for t in range(d.n)]
        warm = apply_warm_start(km, starts, warm_start)
    return km, solve_model(km, options, warm=warm)


def _with_reason(result: Plan, note: str) -> Plan:
    from dataclasses import replace

    reason = f"{note}; {result.reason}" if result.reason else note
    return replace(result, reason=reason)
