"""Solver options for Kepler (the defaults are the issue's: gap 0.002 abs or 1e-4 rel, 10 s)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SolverOptions:
    """How to solve: gaps, time limit, threads, Pyomo interface and the no-simultaneity strategy.

    - `mip_abs_gap` / `mip_rel_gap`: HiGHS stops at whichever is reached first, i.e. the looser.
    - `time_limit_s`: after this the best plan found is returned with status `time_limit`.
    - `interface`: "stdform" (Pyomo standard-form compiler -> highspy, see handoff.py; fastest),
      "appsi_highs" (pyomo.contrib.appsi) or "highs" (pyomo.contrib.solver).
    - `direction_binaries`: "auto" solves without charge/discharge (and import/export) direction
      binaries and re-solves with them only if the first answer uses both directions in a slot;
      "always" adds them up front; "never" skips them (the plan may then show both).
    - `heater_formulation`: "tight" (default) or "direct" (the slow baseline, for benchmarks).
    - `heuristic_start`: give HiGHS a MIP start from the heater DP (heater_dp.py) completed by the LP.
    - `heater_fixing`: with a MIP start, fix the heater slots that no better plan can use (fixing.py).
    - `granularity_cuts`: add the per-slot heater/PV MIR cuts of cuts.py.
    - `highs_options`: raw HiGHS options passed through unchanged (e.g. {"presolve": "off"}).
    """

    mip_abs_gap: float = 0.002
    mip_rel_gap: float = 1e-4
    time_limit_s: float = 10.0
    threads: int | None = 1
    interface: str = "stdform"
    direction_binaries: str = "auto"
    use_warm_start: bool = True
    heuristic_start: bool = True
    heater_fixing: bool = True
    granularity_cuts: bool = True
    heater_formulation: str = "tight"
    highs_options: dict[str, Any] = field(default_factory=dict)
