"""Load a home's history (UTC 15-minute rows: spot price, load, PV) onto a regular slot grid.

Missing rows become NaN with `present` False, so days with gaps can be classified and skipped.
Prices are converted to currency per kWh (a `spot_<cur>_mwh` column is divided by 1000).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The start of local calendar day `day` in `tz`."""
    return datetime(day.year, day.month, day.day, tzinfo=tz)


class SeriesError(ValueError):
    """The series file cannot be used; the message names the problem in one line."""


@dataclass(frozen=True, eq=False)
class HomeSeries:
    """Regular slot grid of actuals; NaN marks a missing row."""

    start: datetime
    slot_minutes: int
    spot: np.ndarray
    load_kwh: np.ndarray
    pv_kwh: np.ndarray

    @property
    def n_slots(self) -> int:
        """Number of slots on the grid."""
        return len(self.spot)

    @property
    def present(self) -> np.ndarray:
        """True where the slot has all three values."""
        return ~(np.isnan(self.spot) | np.isnan(self.load_kwh) | np.isnan(self.pv_kwh))

    def time(self, index: int) -> datetime:
        """UTC start of slot `index`."""
        return self.start + timedelta(minutes=self.slot_minutes * index)

    def index_of(self, when: datetime) -> int:
        """Slot index containing instant `when` (may be outside the grid)."""
        seconds = (when.astimezone(UTC) - self.start).total_seconds()
        return int(seconds // (self.slot_minutes * 60))

    def day_bounds(self, day: date, timezone: str) -> tuple[int, int]:
        """Slot index range [first, end) of one local calendar day (may reach outside the grid)."""
        tz = ZoneInfo(timezone)
        first, end = local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)
        return self.index_of(first), self.index_of(end)

    def is_complete_day(self, day: date, timezone: str) -> bool:
        """True when all slots of the local day are on the grid with all values present."""
        first, end = self.day_bounds(day, timezone)
        return first >= 0 and end <= self.n_slots and bool(self.present[first:end].all())

    def local_days(self, timezone: str) -> list[date]:
        """Local calendar days touched by the grid, in order."""
        tz = ZoneInfo(timezone)
        first = self.start.astimezone(tz).date()
        last = self.time(self.n_slots - 1).astimezone(tz).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _price_column(header: list[str]) -> tuple[str, float]:
    for name in header:
        if name.startswith("spot_") and name.endswith("_mwh"):
            return name, 1000.0
    for name in header:
        if name.startswith("spot_") and name.endswith("_kwh"):
            return name, 1.0
    raise SeriesError("series: no spot price column (expected spot_<currency>_mwh or spot_<currency>_kwh)")


def _parse_time(raw: str, line: int) -> datetime:
    try:
        when = datetime.fromisoformat(raw)
    except ValueError as err:
        raise SeriesError(f"series line {line}: bad utc time {raw!r}") from err
    if when.tzinfo is None:
        raise SeriesError(f"series line {line}: utc time {raw!r} has no UTC offset")
    return when.astimezone(UTC)


def _parse_float(raw: str, column: str, line: int) -> float:
    try:
        return float(raw) if raw.strip() else float("nan")
    except ValueError as err:
        raise SeriesError(f"series line {line}: {column} is not a number ({raw!r})") from err


def read_rows(path: str | Path) -> tuple[list[datetime], dict[str, list[float]], float]:
    """Read the CSV rows: times, value columns (spot, load_kwh, pv_kwh) and the price divisor."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise SeriesError(f"series: cannot read {path} ({err.strerror})") from err
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header:
        raise SeriesError(f"series: {path} is empty")
    header = [h.strip() for h in header]
    price, divisor = _price_column(header)
    for needed in ("utc", "load_kwh", "pv_kwh"):
        if needed not in header:
            raise SeriesError(f"series: missing column {needed!r}")
    cols = {
        "spot": header.index(price),
        "load_kwh": header.index("load_kwh"),
        "pv_kwh": header.index("pv_kwh"),
    }
    utc_col = header.index("utc")
    times: list[datetime] = []
    values: dict[str, list[float]] = {k: [] for k in cols}
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) < len(header):
            raise SeriesError(f"series line {line}: expected {len(header)} columns, got {len(row)}")
        times.append(_parse_time(row[utc_col], line))
        for key, col in cols.items():
            values[key].append(_parse_float(row[col], key, line))
    if not times:
        raise SeriesError(f"series: {path} has no rows")
    return times, values, divisor


def series_from_rows(
    times: list[datetime], values: dict[str, list[float]], *, slot_minutes: int = 15, divisor: float = 1.0
) -> HomeSeries:
    """Put rows on a regular grid from the first to the last time; missing slots become NaN."""
    start = min(times)
    step = slot_minutes * 60
    n = int((max(times) - start).total_seconds() // step) + 1
    arrays = {k: np.full(n, np.nan) for k in ("spot", "load_kwh", "pv_kwh")}
    for i, when in enumerate(times):
        offset = (when - start).total_seconds()
        if offset % step:
            raise SeriesError(f"series: time {when.isoformat()} is not on the {slot_minutes}-minute grid")
        for key, arr in arrays.items():
            arr[int(offset // step)] = values[key][i]
    arrays["spot"] = arrays["spot"] / divisor
    return HomeSeries(start=start, slot_minutes=slot_minutes, **arrays)


def load_series_csv(path: str | Path, *, slot_minutes: int = 15) -> HomeSeries:
    """Load a series CSV (columns utc, spot_<cur>_mwh, load_kwh, pv_kwh) onto a regular grid."""
    times, values, divisor = read_rows(path)
    return series_from_rows(times, values, slot_minutes=slot_minutes, divisor=divisor)
