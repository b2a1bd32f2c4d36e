"""Receding-horizon replay of a home's history under several strategies.

For each run of usable days (days classified `exclude` are skipped and split the period), every
strategy starts from the home's initial SoC and is simulated slot by slot in `ReplayEnv`
against the actual load, PV and prices (so replay and environment settle identically):
- `no_battery`: battery idle, heater by the cheapest-block rule;
- `self_consumption`: the inverter's rule, same heater rule;
- `mpc`: plan every `replan_every` slots up to 48 h ahead, bounded by published prices (13:00
  local for tomorrow) and the end of the run, from the chosen forecasts; executed slot by slot
  by the `executor` ("modes" by default, see `mpc.action_from_slot`);
- `perfect_foresight`: the planner on actual load/PV with all prices of the run, in windows of
  `pf_window_days` + `pf_overlap_days` days executed `pf_window_days` at a time (one MILP per
  window; one MILP overall when the run is shorter than a window). It optimises battery and
  heater jointly with hindsight; the window cut makes it a near-exact lower bound.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..quality import DayQuality
from .baselines import NoBatteryPolicy, SelfConsumptionPolicy
from .env import ReplayEnv
from .forecasts import Forecaster, make_forecaster, perfect_forecaster
from .home import Home
from .mpc import MpcPolicy, PlanHook, Planner
from .segments import classify_series_days, usable_segments
from .series import HomeSeries
from .settle import SlotResult

STRATEGIES = ("no_battery", "self_consumption", "mpc", "perfect_foresight")
Progress = Callable[[float, float, str], None]
# Rough relative cost of one simulated slot per strategy, so the progress bar's ETA is sensible.
PROGRESS_WEIGHT = {"no_battery": 0.01, "self_consumption": 0.01, "mpc": 1.0, "perfect_foresight": 0.03}


@dataclass(frozen=True)
class ReplaySettings:
    """How to replay: forecast mode, replanning cadence, horizons and the day range."""

    forecast: str = "perfect"
    replan_every: int = 4
    horizon_hours: float = 48.0
    pf_window_days: int = 7
    pf_overlap_days: int = 1
    executor: str = "modes"
    first_day: date | None = None
    last_day: date | None = None


@dataclass
class Trace:
    """What one strategy did: settled slots and controller statistics."""

    slots: list[int] = field(default_factory=list)
    results: list[SlotResult] = field(default_factory=list)
    water_blocked: int = 0
    shortfall_kwh: float = 0.0
    solve_seconds: list[float] = field(default_factory=list)
    solve_times: list[datetime] = field(default_factory=list)
    fallbacks: int = 0

    @property
    def cost(self) -> float:
        """Total money cost of the trace."""
        return sum(r.cost for r in self.results)


@dataclass
class ReplayResult:
    """Everything the report needs."""

    settings: ReplaySettings
    home: Home
    series: HomeSeries
    quality: list[DayQuality]
    segments: list[tuple[int, int]]
    traces: dict[str, Trace]


def run_policy(
    env: ReplayEnv, policy: Any, first: int, end: int, trace: Trace, tick: Callable[[], None]
) -> None:
    """Run `policy` over slots [first, end) of `env`, appending to `trace`."""
    policy.reset()
    obs, info = env.reset_range(first, end)
    done = False
    while not done:
        obs, _reward, done, _trunc, info = env.step(policy.act(obs, info))
        trace.slots.append(info["settled_slot"])
        trace.results.append(info["result"])
        trace.water_blocked += int(info["water_blocked"])
        trace.shortfall_kwh += info["penalties"]["water_shortfall_kwh"]
        tick()


def selected_days(series: HomeSeries, home: Home, settings: ReplaySettings) -> list[date]:
    """Local days of the series within the settings' day range."""
    days = series.local_days(home.timezone)
    return [d for d in days if (settings.first_day or d) <= d <= (settings.last_day or d)]


def make_policies(
    home: Home,
    settings: ReplaySettings,
    slot_minutes: int,
    planner: Planner | None,
    on_plan: PlanHook | None,
    warm_start: bool = False,
) -> dict[str, Any]:
    """One controller per strategy."""
    spd = 24 * 60 // slot_minutes
    return {
        "no_battery": NoBatteryPolicy(home, slot_minutes),
        "self_consumption": SelfConsumptionPolicy(home, slot_minutes),
        "mpc": MpcPolicy(
            home,
            planner,
            replan_every=settings.replan_every,
            slot_minutes=slot_minutes,
            on_plan=on_plan,
            warm_start=warm_start,
            executor=settings.executor,
        ),
        "perfect_foresight": MpcPolicy(
            home, planner, replan_every=settings.pf_window_days * spd, slot_minutes=slot_minutes
        ),
    }


def make_envs(
    series: HomeSeries, home: Home, settings: ReplaySettings, forecaster: Forecaster
) -> dict[str, ReplayEnv]:
    """The environment each strategy runs in (perfect foresight sees all prices and actuals)."""
    spd = 24 * 60 // series.slot_minutes
    horizon = round(settings.horizon_hours * 60 / series.slot_minutes)
    live = ReplayEnv(series, home, forecaster, horizon_slots=horizon)
    oracle = ReplayEnv(
        series,
        home,
        perfect_forecaster(series),
        horizon_slots=(settings.pf_window_days + settings.pf_overlap_days) * spd,
        price_visibility="all",
    )
    return {"no_battery": live, "self_consumption": live, "mpc": live, "perfect_foresight": oracle}


def replay(
    series: HomeSeries,
    home: Home,
    settings: ReplaySettings,
    *,
    planner: Planner | None = None,
    forecaster: Forecaster | None = None,
    on_plan: PlanHook | None = None,
    progress: Progress | None = None,
    strategies: tuple[str, ...] = STRATEGIES,
    warm_start: bool = False,
) -> ReplayResult:
    """Replay the selected days under every strategy; `on_plan` sees each MPC plan."""
    days = selected_days(series, home, settings)
    quality = classify_series_days(series, home.timezone, days)
    segments = usable_segments(series, home.timezone, quality)
    forecaster = forecaster or make_forecaster(settings.forecast, series)
    envs = make_envs(series, home, settings, forecaster)
    policies = make_policies(home, settings, series.slot_minutes, planner, on_plan, warm_start)
    traces = {name: Trace() for name in strategies}
    slots = sum(end - first for first, end in segments)
    weight = {name: PROGRESS_WEIGHT.get(name, 1.0) for name in strategies}
    if "mpc" in weight:
        weight["mpc"] *= 4 / settings.replan_every
    total = slots * sum(weight.values())
    done = 0.0
    for name in strategies:
        trace = traces[name]

        def tick(label: str = name) -> None:
            """Advance the progress bar by one slot of this strategy."""
            nonlocal done
            done += weight[label]
            if progress is not None:
                progress(done, total, label)

        for first, end in segments:
            run_policy(envs[name], policies[name], first, end, trace, tick)
        policy = policies[name]
        if isinstance(policy, MpcPolicy):
            trace.solve_seconds = list(policy.solve_seconds)
            trace.solve_times = list(policy.solve_times)
            trace.fallbacks = policy.fallbacks
    return ReplayResult(settings, home, series, quality, segments, traces)
