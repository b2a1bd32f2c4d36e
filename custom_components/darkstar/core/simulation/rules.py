"""Check the water heater's hard rules on what was executed: daily minimum and spacing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .calendar import SlotCalendar
from .home import Home


def heater_violations(
    home: Home, calendar: SlotCalendar, slots: Sequence[int], water_kwh: Sequence[float], slot_minutes: int
) -> list[tuple[int, str]]:
    """Violations (slot index, message) in an executed trace (ascending slots; runs = segments)."""
    heater = home.water_heater
    if heater is None or not len(slots):
        return []
    out: list[tuple[int, str]] = []
    idx = np.asarray(slots)
    water = np.asarray(water_kwh, dtype=float)
    present = set(idx.tolist())
    for k in np.unique(calendar.day_of_slot[idx]):
        day_slots = np.flatnonzero(calendar.day_of_slot[idx] == k)
        first, end = calendar.day_range(calendar.days[k])
        if len(day_slots) < end - first:
            continue  # partial day at the edge of a run
        heated = float(water[day_slots].sum())
        if heated < heater.min_kwh_per_day - 1e-6:
            out.append((first, f"{calendar.days[k]}: heated {heated:.2f} kWh < {heater.min_kwh_per_day:g}"))
    spacing = heater.spacing_slots(slot_minutes)
    last_on: int | None = None
    prev_on = False
    for pos, t in enumerate(idx.tolist()):
        if t - 1 not in present:
            last_on, prev_on = None, False
        on = water[pos] > 0
        if on and not prev_on and last_on is not None and t - last_on <= spacing:
            out.append(
                (t, f"slot {t}: block started {t - last_on - 1} slots after the last one (< {spacing})")
            )
        if on:
            last_on = t
        prev_on = on
    return out
