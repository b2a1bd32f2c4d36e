"""Time parsing and resampling of (start, end, value) intervals onto the planner's UTC slot grid.

Two kinds of quantity are resampled differently:
- intensive (prices, currency/kWh): a slot takes the time-weighted value of the intervals covering it,
  so an hourly price repeats over its four quarters and 15-minute prices stay as they are;
- extensive (energies, kWh): each interval's energy is spread over the slots it overlaps in proportion
  to the overlap, so an hourly 1 kWh becomes 0.25 kWh per quarter.
A slot that is not fully covered by input intervals is a gap (None); nothing is invented.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import pairwise
import math
from typing import Any, Literal, NamedTuple

Kind = Literal["intensive", "extensive"]
INTENSIVE: Kind = "intensive"
EXTENSIVE: Kind = "extensive"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_COVER_TOLERANCE_S = 1e-6


class InputError(ValueError):
    """A source delivered data that cannot be used; `source` names it (e.g. "tibber prices[3]")."""

    def __init__(self, source: str, message: str) -> None:
        """Build the error for one source."""
        super().__init__(f"{source}: {message}")
        self.source = source


class Interval(NamedTuple):
    """A value over [start, end), both tz-aware UTC datetimes."""

    start: datetime
    end: datetime
    value: float


def parse_time(value: Any, source: str = "time", *, default_tz: tzinfo | None = None) -> datetime:
    """Parse a datetime, ISO 8601 string (offset or Z) or UNIX timestamp into an aware UTC datetime."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as err:
            raise InputError(source, f"not an ISO 8601 time: {value!r}") from err
    elif isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return datetime.fromtimestamp(value, UTC)
    else:
        raise InputError(source, f"expected a time, got {value!r}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        if default_tz is None:
            raise InputError(source, f"time without UTC offset: {value!r}")
        parsed = parsed.replace(tzinfo=default_tz)
    return parsed.astimezone(UTC)


def parse_number(value: Any, source: str) -> float:
    """Parse a finite number (int, float or numeric string); bool, NaN and inf are rejected."""
    if isinstance(value, bool):
        raise InputError(source, f"expected a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError) as err:
        raise InputError(source, f"expected a number, got {value!r}") from err
    if not math.isfinite(number):
        raise InputError(source, f"expected a finite number, got {value!r}")
    return number


def floor_to_slot(moment: datetime, slot_minutes: int = 15) -> datetime:
    """The UTC start of the slot containing `moment` (slots are aligned to the UNIX epoch)."""
    step = slot_minutes * 60
    seconds = (moment.astimezone(UTC) - _EPOCH).total_seconds()
    return _EPOCH + timedelta(seconds=math.floor(seconds / step) * step)


def slot_starts(start: datetime, n_slots: int, slot_minutes: int = 15) -> list[datetime]:
    """The UTC starts of `n_slots` consecutive slots from `start`."""
    step = timedelta(minutes=slot_minutes)
    first = start.astimezone(UTC)
    return [first + i * step for i in range(n_slots)]


def merge_intervals(*groups: Iterable[Interval], source: str = "intervals") -> list[Interval]:
    """Concatenate interval lists, sort by start, drop exact duplicates; conflicting overlaps raise."""
    ordered = sorted({iv for group in groups for iv in group}, key=lambda iv: (iv.start, iv.end))
    for previous, current in pairwise(ordered):
        if current.start < previous.end:
            raise InputError(
                source,
                f"overlapping intervals {previous.start.isoformat()}..{previous.end.isoformat()} "
                f"and {current.start.isoformat()}..{current.end.isoformat()}",
            )
    return ordered


def resample(
    intervals: Sequence[Interval], start: datetime, n_slots: int, kind: Kind, slot_minutes: int = 15
) -> list[float | None]:
    """Values for `n_slots` slots from `start` (a slot boundary); uncovered slots are None."""
    slot_s = slot_minutes * 60.0
    origin = start.astimezone(UTC)
    covered = [0.0] * n_slots
    total = [0.0] * n_slots
    for iv in intervals:
        length = (iv.end - iv.start).total_seconds()
        if length <= 0:
            continue
        first = max(0, math.floor((iv.start - origin).total_seconds() / slot_s))
        last = min(n_slots - 1, math.ceil((iv.end - origin).total_seconds() / slot_s) - 1)
        for i in range(first, last + 1):
            slot_start = origin + timedelta(seconds=i * slot_s)
            overlap = _overlap_seconds(iv, slot_start, slot_start + timedelta(seconds=slot_s))
            if overlap <= 0:
                continue
            covered[i] += overlap
            total[i] += iv.value * (overlap / (slot_s if kind == INTENSIVE else length))
    return [t if c >= slot_s - _COVER_TOLERANCE_S else None for c, t in zip(covered, total, strict=True)]


def infer_step(starts: Sequence[datetime], default: timedelta) -> timedelta:
    """The most common positive spacing of sorted starts (ties: the smaller), or `default` if unknown."""
    counts = Counter(b - a for a, b in pairwise(starts) if b > a)
    return min(counts, key=lambda gap: (-counts[gap], gap)) if counts else default


def ends_from_starts(starts: Sequence[datetime], default_step: timedelta) -> list[datetime]:
    """Interval ends for sorted starts: the next start, but never more than one inferred step later."""
    step = infer_step(starts, default_step)
    ends = [min(nxt, cur + step) for cur, nxt in pairwise(starts)]
    if starts:
        ends.append(starts[-1] + step)
    return ends


def _overlap_seconds(iv: Interval, slot_start: datetime, slot_end: datetime) -> float:
    return (min(iv.end, slot_end) - max(iv.start, slot_start)).total_seconds()
