"""Classify each local day of a series and cut the usable days into contiguous segments."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import numpy as np

from ..quality import EXCLUDE, DayQuality, classify_day
from .series import HomeSeries


def _window(values: np.ndarray, first: int, end: int) -> np.ndarray:
    out = np.full(end - first, np.nan)
    lo, hi = max(first, 0), min(end, len(values))
    if hi > lo:
        out[lo - first : hi - first] = values[lo:hi]
    return out


def classify_series_days(series: HomeSeries, timezone: str, days: list[date]) -> list[DayQuality]:
    """Day quality of each local day (slots outside the grid count as missing)."""
    out = []
    for day in days:
        first, end = series.day_bounds(day, timezone)
        out.append(
            classify_day(
                day,
                _window(series.load_kwh, first, end),
                _window(series.pv_kwh, first, end),
                slot_minutes=series.slot_minutes,
                first_slot=series.time(first).astimezone(ZoneInfo(timezone)),
            )
        )
        if out[-1].usable and np.isnan(_window(series.spot, first, end)).any():
            out[-1] = DayQuality(day, EXCLUDE, ("missing prices",))
    return out


def usable_segments(series: HomeSeries, timezone: str, quality: list[DayQuality]) -> list[tuple[int, int]]:
    """Slot ranges [first, end) of runs of consecutive usable days."""
    segments: list[tuple[int, int]] = []
    for q in quality:
        if not q.usable:
            continue
        first, end = series.day_bounds(q.day, timezone)
        if segments and segments[-1][1] == first:
            segments[-1] = (segments[-1][0], end)
        else:
            segments.append((first, end))
    return segments
