"""Local-day bookkeeping for a slot grid: day bounds and when day-ahead prices are published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from .series import HomeSeries, local_midnight


@dataclass(frozen=True, eq=False)
class SlotCalendar:
    """Per-slot local day bounds and the end of the prices published by each slot."""

    day_first: np.ndarray
    day_end: np.ndarray
    published_end: np.ndarray
    days: tuple[date, ...]
    day_of_slot: np.ndarray

    def day_range(self, day: date) -> tuple[int, int]:
        """Slot range [first, end) of a local day on the grid (clipped to the grid)."""
        k = self.days.index(day)
        slots = np.flatnonzero(self.day_of_slot == k)
        return int(slots[0]), int(slots[-1]) + 1


def build_calendar(series: HomeSeries, timezone: str, published_hour: int = 13) -> SlotCalendar:
    """Compute local-day bounds and price publication horizons for every slot of the grid."""
    tz = ZoneInfo(timezone)
    n = series.n_slots
    day_first = np.zeros(n, dtype=int)
    day_end = np.zeros(n, dtype=int)
    published = np.zeros(n, dtype=int)
    day_of_slot = np.zeros(n, dtype=int)
    days = series.local_days(timezone)
    for k, day in enumerate(days):
        first = series.index_of(local_midnight(day, tz))
        end = series.index_of(local_midnight(day + timedelta(days=1), tz))
        after = series.index_of(local_midnight(day + timedelta(days=2), tz))
        publish = series.index_of(local_midnight(day, tz).replace(hour=published_hour))
        lo, hi = max(first, 0), min(end, n)
        day_first[lo:hi] = first
        day_end[lo:hi] = end
        day_of_slot[lo:hi] = k
        idx = np.arange(lo, hi)
        published[lo:hi] = np.where(idx >= publish, after, end)
    return SlotCalendar(day_first, day_end, published, tuple(days), day_of_slot)
