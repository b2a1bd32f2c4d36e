"""Solve a built model with HiGHS through Pyomo, and time the hand-off and HiGHS separately.

Three hand-offs are supported (SolverOptions.interface): "stdform" (the default: Pyomo's standard-form
compiler -> highspy, with the heater MIP start and fixing), "appsi_highs" (pyomo.contrib.appsi) and
"highs" (pyomo.contrib.solver).
`solve_seconds` covers the hand-off to HiGHS and HiGHS itself; `highs_seconds` is HiGHS's own run.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
import time
from typing import Any

from ..plan import STATUS_INFEASIBLE, STATUS_OPTIMAL, STATUS_TIME_LIMIT
from .build import KeplerModel
from .options import SolverOptions


@dataclass(frozen=True)
class SolveOutcome:
    """What the solver said: status, objective/bound, gap and timings; values are loaded on success."""

    status: str
    objective: float | None
    bound: float | None
    mip_gap: float | None
    solve_seconds: float
    highs_seconds: float
    termination: str


# With the heater DP's start HiGHS's own primal heuristics (sub-MIPs) cost seconds and rarely
# improve it; switching them off cut full days from ~6 s to ~2 s, and so did not restarting after
# root reduced-cost fixing (benchmarks/kepler-formulations.md).
WITH_START = {
    "mip_allow_restart": False,
    "mip_heuristic_effort": 0.0,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
}


def solve_model(km: KeplerModel, options: SolverOptions | None = None, warm: bool = False) -> SolveOutcome:
    """Solve `km` (loading the solution into its variables); `warm` uses current values as MIP start."""
    options = options or SolverOptions()
    started = time.perf_counter()
    if options.interface == "stdform":
        status, obj, bound, term, highs_s = _solve_stdform(km, options, warm)
    elif options.interface == "highs":
        status, obj, bound, term, highs_s = _solve_contrib(km, options)
    else:
        status, obj, bound, term, highs_s = _solve_appsi(km, options, warm)
    gap = None
    if obj is not None and bound is not None and math.isfinite(bound):
        gap = abs(obj - bound)
    return SolveOutcome(status, obj, bound, gap, time.perf_counter() - started, highs_s, term)


def _highs_options(options: SolverOptions) -> dict[str, Any]:
    raw: dict[str, Any] = {"mip_abs_gap": options.mip_abs_gap, "mip_rel_gap": options.mip_rel_gap}
    if options.threads is not None:
        raw["threads"] = options.threads
    raw.update(options.highs_options)
    return raw


def _solve_stdform(km: KeplerModel, options: SolverOptions, warm: bool) -> tuple[Any, ...]:
    import highspy

    from .fixing import apply_fixing
    from .handoff import compile_model, load_values

    compiled = compile_model(km.model)
    compiled.lp.offset_ = compiled.offset
    start = _mip_start(km, compiled, options, warm) if compiled.lp.integrality_ else None
    if start is not None and start.fixing is not None:
        apply_fixing(compiled.lp, start.fixing, start.heat_cols)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(options.time_limit_s))
    raw = _highs_options(options)
    if start is not None:
        # with a good MIP start HiGHS's own primal heuristics mostly cost time (see benchmarks)
        for key, value in WITH_START.items():
            raw.setdefault(key, value)
    for key, value in raw.items():
        h.setOptionValue(key, value)
    h.passModel(compiled.lp)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start.x
        solution.value_valid = True
        h.setSolution(solution)
    if h.run() == highspy.HighsStatus.kError and options.threads is not None:
        # HiGHS's thread pool is global: a different thread count than the one it started with fails
        highspy.Highs.resetGlobalScheduler(True)
        h.run()
    highs_s = float(h.getRunTime())
    model_status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2
    ms = highspy.HighsModelStatus
    if model_status == ms.kOptimal and has_solution:
        status = STATUS_OPTIMAL
    elif has_solution and model_status in (ms.kTimeLimit, ms.kIterationLimit, ms.kInterrupt):
        status = STATUS_TIME_LIMIT
    else:
        status = STATUS_INFEASIBLE
    obj = bound = None
    if status != STATUS_INFEASIBLE:
        load_values(compiled, list(h.getSolution().col_value))
        obj = float(info.objective_function_value)
        bound = float(info.mip_dual_bound) if compiled.lp.integrality_ else obj
    return status, obj, bound, h.modelStatusToString(model_status), highs_s


def _mip_start(km: KeplerModel, compiled: Any, options: SolverOptions, warm: bool) -> Any:
    """A complete MIP start from the heater heuristics (mip_start.py), if enabled."""
    from .mip_start import heater_start

    if not (options.heuristic_start or warm):
        return None
    return heater_start(km, compiled, options.threads, warm, fix=options.heater_fixing)


def _solve_appsi(km: KeplerModel, options: SolverOptions, warm: bool) -> tuple[Any, ...]:
    from pyomo.contrib.appsi.base import TerminationCondition as TC
    from pyomo.contrib.appsi.solvers.highs import Highs

    opt = Highs()
    opt.config.time_limit = options.time_limit_s
    opt.config.mip_gap = options.mip_rel_gap
    opt.config.load_solution = False
    opt.config.warmstart = warm
    opt.highs_options = _highs_options(options)
    result = opt.solve(km.model)
    highs_s = float(opt._solver_model.getRunTime())
    term = result.termination_condition
    obj, bound = result.best_feasible_objective, result.best_objective_bound
    has_solution = obj is not None and math.isfinite(obj)
    if term == TC.optimal and has_solution:
        status = STATUS_OPTIMAL
    elif has_solution and term in (TC.maxTimeLimit, TC.maxIterations, TC.interrupted):
        status = STATUS_TIME_LIMIT
    else:
        status = STATUS_INFEASIBLE
    if status != STATUS_INFEASIBLE:
        result.solution_loader.load_vars()
    else:
        obj = None
    return status, obj, bound, str(term.name), highs_s


def _solve_contrib(km: KeplerModel, options: SolverOptions) -> tuple[Any, ...]:
    from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition as TC
    from pyomo.contrib.solver.solvers.highs import Highs

    opt = Highs()
    result = opt.solve(
        km.model,
        time_limit=options.time_limit_s,
        rel_gap=options.mip_rel_gap,
        abs_gap=options.mip_abs_gap,
        threads=options.threads,
        solver_options=dict(options.highs_options),
        load_solutions=False,
        raise_exception_on_nonoptimal_result=False,
    )
    highs_s = float(opt._solver_model.getRunTime())
    term = result.termination_condition
    has_solution = result.solution_status in (SolutionStatus.optimal, SolutionStatus.feasible)
    if term == TC.convergenceCriteriaSatisfied and has_solution:
        status = STATUS_OPTIMAL
    elif has_solution:
        status = STATUS_TIME_LIMIT
    else:
        status = STATUS_INFEASIBLE
    obj = result.incumbent_objective if has_solution else None
    if has_solution:
        result.solution_loader.load_vars()
    return status, obj, result.objective_bound, str(term.name), highs_s
