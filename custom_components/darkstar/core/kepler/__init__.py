"""Kepler: Darkstar's planning MILP (Pyomo + HiGHS) for battery, grid, PV curtailment and water heater.

API:
    plan(scenario, options=None, warm_start=None) -> Plan   # never raises for a valid Scenario
    build_model(scenario, ...) -> KeplerModel                # timed build, reusable
    solve_model(km, options, warm=False) -> SolveOutcome     # timed solve, loads values into km
    SolverOptions                                            # gaps, time limit, threads, interface

The modelling conventions (units, penalties, heater day accounting, history) are documented in
`data.py`; each rule of the scenario format lives in one module: battery.py, grid.py, water.py,
objective.py.
"""

from .build import KeplerModel, build_model
from .data import KeplerData, kepler_data
from .options import SolverOptions
from .planner import plan
from .solve import SolveOutcome, solve_model

__all__ = [
    "KeplerData",
    "KeplerModel",
    "SolveOutcome",
    "SolverOptions",
    "build_model",
    "kepler_data",
    "plan",
    "solve_model",
]
