"""Export what-if: sell X kWh extra at the day's highest export prices; what does it earn?

Method (perfect information of one local day, the home's actual load/PV and prices):
1. Baseline: plan the day with the planner and execute it in `ReplayEnv`.
2. Allocate X kWh to the slots with the highest export price, best first, each slot at most the
   headroom the baseline plan leaves: min(export limit − planned net export, discharge limit −
   planned discharge + planned charge + planned curtailment).
3. What-if: plan the day again with those amounts added as a commitment the home must supply
   in those slots (an extra demand, so the planner re-optimises the whole day around it), then
   execute that plan against the real home: the battery's extra discharge and the PV not used
   become grid export.
Realised export = the increase of net grid export (export − import) in the chosen slots.
Net money effect = baseline cost − what-if cost (positive = the export pays), costs as in
`settle.py` (import − export revenue + wear), over the whole day; the end-of-day SoC of both is
reported too, since energy left in the battery has value the day's money does not show.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import numpy as np

from ..plan import Plan
from ..scenario import Scenario
from .env import ReplayEnv
from .forecasts import perfect_forecaster
from .home import Home
from .mpc import Planner, action_from_slot, default_planner, scenario_from_observation
from .series import HomeSeries
from .settle import SlotResult


@dataclass(frozen=True)
class WhatIfSlot:
    """One chosen slot: its start, export price, allocated and realised extra export (kWh)."""

    start: datetime
    export_price: float
    allocated_kwh: float
    realised_kwh: float


@dataclass(frozen=True)
class WhatIfResult:
    """The what-if against the baseline plan of the same day."""

    day: date
    requested_kwh: float
    allocated_kwh: float
    realised_kwh: float
    baseline_cost: float
    what_if_cost: float
    baseline_end_soc_kwh: float
    what_if_end_soc_kwh: float
    slots: tuple[WhatIfSlot, ...]

    @property
    def net_effect(self) -> float:
        """Money gained by the export (baseline cost − what-if cost)."""
        return self.baseline_cost - self.what_if_cost


def allocate_export(scenario: Scenario, home: Home, baseline: Plan, kwh: float) -> np.ndarray:
    """Spread `kwh` over the highest export-price slots, each up to the headroom the baseline leaves."""
    h = scenario.slot_hours
    prices = np.asarray(scenario.series.export_price)
    out = np.zeros(len(prices))
    left = kwh
    for t in np.argsort(-prices, kind="stable"):
        if left <= 1e-12:
            break
        s = baseline.slots[t]
        grid_room = home.grid.max_export_kw * h - (s.export_kwh - s.import_kwh)
        supply_room = home.battery.max_discharge_kw * h - s.discharge_kwh + s.charge_kwh + s.curtail_kwh
        out[t] = max(0.0, min(grid_room, supply_room, left))
        left -= out[t]
    return out


def _execute(env: ReplayEnv, plan: Plan, first: int, end: int, soc: float) -> list[SlotResult]:
    env.reset_range(first, end, soc)
    results = []
    for slot in plan.slots:
        _obs, _r, done, _t, info = env.step(action_from_slot(slot, "follow"))
        results.append(info["result"])
        if done:
            break
    return results


def _net_export(results: list[SlotResult]) -> np.ndarray:
    return np.array([r.export_kwh - r.import_kwh for r in results])


def export_what_if(
    series: HomeSeries,
    home: Home,
    day: date,
    kwh: float,
    *,
    soc_kwh: float | None = None,
    planner: Planner | None = None,
) -> WhatIfResult:
    """Run the export what-if for one local day of `series` (see the module docstring)."""
    planner = planner or default_planner()
    env = ReplayEnv(
        series, home, perfect_forecaster(series), horizon_slots=4 * 24 * 60 // series.slot_minutes
    )
    obs, info = env.reset(day=day, options={"soc_kwh": soc_kwh})
    first, end = env.first, env.end
    soc = env.soc
    obs["horizon"] = end - first
    base_scenario = scenario_from_observation(home, obs, info["time"], series.slot_minutes)
    base_plan = planner(base_scenario)
    extra = allocate_export(base_scenario, home, base_plan, kwh)
    loads = tuple(v + e for v, e in zip(base_scenario.series.load_kwh, extra, strict=True))
    what_if_scenario = replace(base_scenario, series=replace(base_scenario.series, load_kwh=loads))
    base = _execute(env, base_plan, first, end, soc)
    what_if = _execute(env, planner(what_if_scenario), first, end, soc)
    gained = _net_export(what_if) - _net_export(base)
    chosen = np.flatnonzero(extra > 0)
    return WhatIfResult(
        day=day,
        requested_kwh=kwh,
        allocated_kwh=float(extra.sum()),
        realised_kwh=float(gained[chosen].sum()),
        baseline_cost=sum(r.cost for r in base),
        what_if_cost=sum(r.cost for r in what_if),
        baseline_end_soc_kwh=base[-1].soc_end_kwh,
        what_if_end_soc_kwh=what_if[-1].soc_end_kwh,
        slots=tuple(
            WhatIfSlot(
                base_scenario.slot_start(int(t)),
                base_scenario.series.export_price[t],
                float(extra[t]),
                float(gained[t]),
            )
            for t in chosen
        ),
    )


def what_if_to_dict(result: WhatIfResult) -> dict[str, Any]:
    """JSON-ready form of a what-if result."""
    return {
        "day": result.day.isoformat(),
        "requested_kwh": round(result.requested_kwh, 6),
        "allocated_kwh": round(result.allocated_kwh, 6),
        "realised_export_kwh": round(result.realised_kwh, 6),
        "baseline_cost": round(result.baseline_cost, 6),
        "what_if_cost": round(result.what_if_cost, 6),
        "net_effect": round(result.net_effect, 6),
        "baseline_end_soc_kwh": round(result.baseline_end_soc_kwh, 6),
        "what_if_end_soc_kwh": round(result.what_if_end_soc_kwh, 6),
        "slots": [
            {
                "start": s.start.isoformat(),
                "export_price": round(s.export_price, 6),
                "allocated_kwh": round(s.allocated_kwh, 6),
                "realised_kwh": round(s.realised_kwh, 6),
            }
            for s in result.slots
        ],
    }
