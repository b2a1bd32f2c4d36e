"""The water heater's recent history, from observed energy, as the planner needs it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from .store.observations import SlotObservation

# A slot counts as "heating" when the heater used at least this share of a full slot's energy.
ON_SHARE = 0.25


def heater_was_on(water_kwh: float | None, power_kw: float, slot_minutes: int) -> bool:
    """True when a slot's observed water-heater energy means the heater ran in it."""
    if water_kwh is None or power_kw <= 0:
        return False
    return water_kwh >= ON_SHARE * power_kw * slot_minutes / 60.0


def last_on_end(observations: Iterable[SlotObservation], power_kw: float) -> datetime | None:
    """End of the latest observed slot in which the heater ran (None if it never did)."""
    ends = [
        obs.slot_start + timedelta(minutes=obs.slot_minutes)
        for obs in observations
        if heater_was_on(obs.water_heater_kwh, power_kw, obs.slot_minutes)
    ]
    return max(ends, default=None)


def off_slots_before(last_on: datetime | None, horizon_start: datetime, slot_minutes: int) -> int | None:
    """Whole slots the heater has been off right before the horizon (None when unknown)."""
    if last_on is None:
        return None
    gap = horizon_start - last_on
    return max(0, int(gap // timedelta(minutes=slot_minutes)))
