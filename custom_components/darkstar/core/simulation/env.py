"""Gym-style environment over a home's history (Gymnasium API shape, no gym dependency).

    env = ReplayEnv(series, home, forecaster)
    obs, info = env.reset(day=date(2025, 7, 20), seed=0)
    obs, reward, terminated, truncated, info = env.step({"battery_kw": -2.0, "water_on": False})

- `reset(day, seed)` starts at local midnight of `day` (or of a complete day drawn with `seed`
  when `day` is None) with the home's initial SoC; `options={"days": n}` runs n days,
  `options={"soc_kwh": x}` sets the initial SoC.
- `step(action)`: `action` is the battery power in kW (signed, + = charge), or a dict with
  `battery_kw` and optionally `water_on`, `curtail_kwh`, `self_consumption`, or an `Action`.
- reward = −(money cost of the slot) from `settle.settle_slot` (the same code as the replay).
- `info["penalties"]`: `water_spacing_blocked` (1 when a heater start was refused because the
  heater had not been off for min_spacing_hours — the executor enforces the hard rule),
  `water_shortfall_kwh` (at the end of a local day, heat missing to the daily minimum),
  `battery_clipped_kwh` (requested battery energy that physics refused),
  `import_over_limit_kwh`.
- `info["time"]` is the start of the slot the next action applies to; `info["result"]` the
  settled `SlotResult` of the step. Observation fields: see `observation.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
import random
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from .calendar import build_calendar
from .forecasts import Forecaster, make_request, perfect_forecaster
from .home import Home
from .observation import padded, time_features
from .series import HomeSeries
from .settle import Action, SlotActuals, SlotResult, settle_slot


@dataclass
class HeaterState:
    """Water-heater history the rules need: today's energy, the running block, the last on-slot."""

    heated_today_kwh: float = 0.0
    on: bool = False
    block_slots: int = 0
    last_on: int | None = None


def to_action(action: Any, hours: float) -> Action:
    """Normalise a step's action (Action, kW number or dict) to an `Action`."""
    if isinstance(action, Action):
        return action
    if isinstance(action, dict):
        return Action(
            battery_kwh=float(action.get("battery_kw", 0.0)) * hours,
            water_on=bool(action.get("water_on", False)),
            curtail_kwh=float(action.get("curtail_kwh", 0.0)),
            self_consumption=bool(action.get("self_consumption", False)),
        )
    return Action(battery_kwh=float(action) * hours)


class ReplayEnv:
    """Simulates the home slot by slot against the actual load, PV and prices."""

    def __init__(
        self,
        series: HomeSeries,
        home: Home,
        forecaster: Forecaster | None = None,
        *,
        horizon_slots: int = 192,
        price_visibility: str = "published",
    ) -> None:
        """Prepare prices and the calendar; `price_visibility` is "published" or "all"."""
        self.series = series
        self.home = home
        self.forecaster = forecaster or perfect_forecaster(series)
        self.horizon_slots = horizon_slots
        self.price_visibility = price_visibility
        self.hours = series.slot_minutes / 60
        self.import_price = home.tariff.import_price(series.spot)
        self.export_price = home.tariff.export_price(series.spot)
        self.calendar = build_calendar(series, home.timezone, home.prices_published_hour)
        self.tz = ZoneInfo(home.timezone)
        wh = home.water_heater
        self.spacing_slots = wh.spacing_slots(series.slot_minutes) if wh else 0
        self.t = 0
        self.first = 0
        self.end = 0
        self.soc = 0.0
        self.heater = HeaterState()

    # -- Gymnasium-shaped API --------------------------------------------------------------

    def reset(
        self, day: date | str | None = None, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Start at local midnight of `day` (or a seeded random day); returns (obs, info)."""
        options = options or {}
        days = self.calendar.days
        if day is None:
            day = random.Random(seed).choice(self.complete_days() or list(days))
        elif isinstance(day, str):
            day = date.fromisoformat(day)
        first, _ = self.calendar.day_range(day)
        last = days[min(days.index(day) + int(options.get("days", 1)) - 1, len(days) - 1)]
        _, end = self.calendar.day_range(last)
        return self.reset_range(first, end, options.get("soc_kwh"))

    def reset_range(
        self, first: int, end: int, soc_kwh: float | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Start a run over slots [first, end) of the grid; returns (obs, info)."""
        if not 0 <= first < end <= self.series.n_slots:
            raise ValueError(f"slot range {first}:{end} is outside the series (0:{self.series.n_slots})")
        self.t, self.first, self.end = first, first, end
        self.soc = self.home.initial_soc_kwh if soc_kwh is None else float(soc_kwh)
        self.heater = HeaterState()
        return self.observe(), {"time": self.now_time}

    def step(self, action: Any) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        """Settle one slot with `action`; returns (obs, reward, terminated, truncated, info)."""
        if self.t >= self.end:
            raise RuntimeError("step() called after the episode ended; call reset()")
        act = to_action(action, self.hours)
        blocked = act.water_on and self._start_blocked()
        if blocked:
            act = replace(act, water_on=False)
        result = settle_slot(self.home, self.soc, self._actuals(self.t), act, self.hours)
        settled_time = self.now_time
        shortfall = self._advance_heater(result)
        self.soc = result.soc_end_kwh
        self.t += 1
        info = {
            "time": self.now_time,
            "settled_time": settled_time,
            "settled_slot": self.t - 1,
            "result": result,
            "water_blocked": blocked,
            "penalties": {
                "water_spacing_blocked": float(blocked),
                "water_shortfall_kwh": shortfall,
                "battery_clipped_kwh": result.battery_clipped_kwh,
                "import_over_limit_kwh": result.import_over_limit_kwh,
            },
        }
        terminated = self.t >= self.end
        return self.observe(), -result.cost, terminated, False, info

    def complete_days(self) -> list[date]:
        """Local days whose slots are all on the grid with all values present."""
        return [day for day in self.calendar.days if self.series.is_complete_day(day, self.home.timezone)]

    # -- state -----------------------------------------------------------------------------

    @property
    def now_time(self) -> datetime:
        """Start (local time) of the slot the next action applies to."""
        return self.series.time(self.t).astimezone(self.tz)

    def _actuals(self, t: int) -> SlotActuals:
        return SlotActuals(
            load_kwh=float(self.series.load_kwh[t]),
            pv_kwh=float(self.series.pv_kwh[t]),
            import_price=float(self.import_price[t]),
            export_price=float(self.export_price[t]),
        )

    def lockout_slots(self) -> int:
        """Slots until a new heater block may start (0 = now)."""
        h = self.heater
        if h.on or h.last_on is None:
            return 0
        return max(0, h.last_on + self.spacing_slots + 1 - self.t)

    def _start_blocked(self) -> bool:
        return self.lockout_slots() > 0

    def _advance_heater(self, result: SlotResult) -> float:
        h = self.heater
        on = result.water_kwh > 0
        h.heated_today_kwh += result.water_kwh
        h.block_slots = h.block_slots + 1 if on else 0
        h.on = on
        if on:
            h.last_on = self.t
        shortfall = 0.0
        if self.t + 1 == self.calendar.day_end[self.t]:
            wh = self.home.water_heater
            if wh is not None and self.calendar.day_first[self.t] >= self.first:
                shortfall = max(0.0, wh.min_kwh_per_day - h.heated_today_kwh - 1e-9)
            h.heated_today_kwh = 0.0
        return shortfall

    def horizon_end(self) -> int:
        """End (exclusive) of the slots the controller may plan now."""
        limit = (
            self.end
            if self.price_visibility == "all"
            else min(self.end, int(self.calendar.published_end[self.t]))
        )
        return min(limit, self.t + self.horizon_slots)

    def observe(self) -> dict[str, Any]:
        """The observation at the current slot (fields documented in observation.py)."""
        t, size = self.t, self.horizon_slots
        if t >= self.end:
            return {"horizon": 0}
        horizon = self.horizon_end() - t
        load, pv = self.forecaster(make_request(self.series, t, horizon))
        cap = self.home.battery.capacity_kwh
        wh = self.home.water_heater
        heated = self.heater.heated_today_kwh
        obs: dict[str, Any] = {
            "soc_kwh": self.soc,
            "soc_fraction": self.soc / cap if cap > 0 else 0.0,
            "import_price": padded(self.import_price[t : t + horizon], size),
            "export_price": padded(self.export_price[t : t + horizon], size),
            "load_forecast": padded(np.asarray(load, dtype=float), size),
            "pv_forecast": padded(np.asarray(pv, dtype=float), size),
            "horizon": horizon,
            "slot_of_day": t - int(self.calendar.day_first[t]),
            "slots_left_today": int(self.calendar.day_end[t]) - t,
            "heated_today_kwh": heated,
            "water_needed_today_kwh": max(0.0, wh.min_kwh_per_day - heated) if wh else 0.0,
            "water_on": float(self.heater.on),
            "water_block_slots": self.heater.block_slots,
            "water_lockout_slots": self.lockout_slots(),
        }
        obs.update(time_features(self.now_time))
        return obs
