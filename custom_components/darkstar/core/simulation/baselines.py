"""Baseline controllers: no battery, and the inverter's self-consumption rule.

Both run the water heater by the common "cheapest hours" rule: at local midnight, pick the
cheapest contiguous block of the day (by published import price) long enough for the daily
minimum, starting no earlier than the spacing rule allows after yesterday's last block.
So the baselines differ from each other only in the battery. (Perfect foresight is `MpcPolicy`
with an 8-day horizon, all prices and actual load/PV, replanned weekly: see engine.py.)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .home import Home
from .settle import Action


class CheapestBlockHeater:
    """Heats one contiguous block per local day, in the cheapest slots allowed."""

    def __init__(self, home: Home, slot_minutes: int) -> None:
        """Size the block from the heater's power and daily minimum."""
        self.heater = home.water_heater
        hours = slot_minutes / 60
        self.block = (
            math.ceil(self.heater.min_kwh_per_day / (self.heater.power_kw * hours) - 1e-9)
            if self.heater
            else 0
        )
        self.spacing = self.heater.spacing_slots(slot_minutes) if self.heater else 0
        self._start: int | None = None
        self._slot = 0

    def reset(self) -> None:
        """Forget today's choice."""
        self._start = None
        self._slot = 0

    def _choose(self, obs: dict[str, Any]) -> int | None:
        left = int(obs["slots_left_today"])
        if obs["water_needed_today_kwh"] <= 0 or left < self.block:
            return None
        prices = np.asarray(obs["import_price"][:left], dtype=float)
        sums = np.convolve(prices, np.ones(self.block), mode="valid")
        allowed = np.ones(len(sums), dtype=bool)
        if obs["water_on"]:  # a block is running: continue it now, or wait out the spacing
            allowed[1 : self.spacing] = False
        else:
            allowed[: int(obs["water_lockout_slots"])] = False
        if not allowed.any():
            return None
        return int(np.argmin(np.where(allowed, sums, np.inf)))

    def water_on(self, obs: dict[str, Any]) -> bool:
        """Whether to heat in the current slot."""
        if self.heater is None or self.block == 0:
            return False
        if obs["slot_of_day"] == 0 or (self._start is None and self._slot == 0):
            self._slot = 0
            self._start = self._choose(obs)
        on = self._start is not None and self._start <= self._slot < self._start + self.block
        self._slot += 1
        return on


class NoBatteryPolicy:
    """The home without a battery (the battery is left idle, no wear)."""

    def __init__(self, home: Home, slot_minutes: int) -> None:
        """Set up the heater rule."""
        self.heater = CheapestBlockHeater(home, slot_minutes)

    def reset(self) -> None:
        """Start a new run."""
        self.heater.reset()

    def act(self, obs: dict[str, Any], info: dict[str, Any]) -> Action:
        """Idle battery, heater by the cheapest-block rule."""
        del info
        return Action(battery_kwh=0.0, water_on=self.heater.water_on(obs))


class SelfConsumptionPolicy(NoBatteryPolicy):
    """Charge from PV surplus, discharge to cover load (the inverter's default rule)."""

    def act(self, obs: dict[str, Any], info: dict[str, Any]) -> Action:
        """Self-consumption battery, heater by the cheapest-block rule."""
        del info
        return Action(self_consumption=True, water_on=self.heater.water_on(obs))
