"""Load forecast from recorder statistics: the average daily profile of the last days.

Input rows are what HA's `statistics_during_period(..., "hour", ...)` returns for an energy sensor:
dicts with "start" (UNIX float or datetime) and "change" (kWh in that hour), or cumulative "sum" /
"state" (then the change is the difference to the previous hour's row). Negative changes are counter
resets and are dropped. The profile is keyed by LOCAL time of day (minutes after local midnight), so
on DST days the repeated/skipped hour simply adds/lacks samples; a time of day without samples falls
back to the overall mean.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .timeline import InputError, Interval, parse_number, parse_time, slot_starts

HOUR = timedelta(hours=1)
PROFILE_DAYS = 7


@dataclass(frozen=True)
class LoadProfile:
    """Average kWh per slot by local time of day (minutes after midnight), with an overall mean."""

    slot_minutes: int
    timezone: str
    by_minute: Mapping[int, float] = field(default_factory=dict)
    mean: float | None = None

    def value_at(self, moment: datetime) -> float | None:
        """Expected kWh in the slot starting at `moment` (None only if the profile is empty)."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        return self.by_minute.get(local.hour * 60 + local.minute, self.mean)

    def forecast(self, start: datetime, n_slots: int) -> list[Interval]:
        """The profile laid over `n_slots` slots from `start`; raises InputError if it is empty."""
        if self.mean is None:
            raise InputError("load", "no usable statistics to build a load profile from")
        step = timedelta(minutes=self.slot_minutes)
        return [
            Interval(s, s + step, self.value_at(s) or 0.0)
            for s in slot_starts(start, n_slots, self.slot_minutes)
        ]


def hourly_energy(rows: Sequence[Mapping[str, Any]], source: str = "load statistics") -> list[Interval]:
    """Hourly kWh intervals from statistics rows ("change", else differences of "sum"/"state")."""
    parsed = sorted(
        ((_row_start(row, f"{source}[{i}]"), row, i) for i, row in enumerate(rows)),
        key=lambda item: (item[0], item[2]),
    )
    out: list[Interval] = []
    previous: tuple[datetime, float | None] | None = None
    for start, row, i in parsed:
        where = f"{source}[{i}]"
        kwh: float | None = None
        counter = _counter(row, where)
        if row.get("change") is not None:
            kwh = parse_number(row["change"], f"{where}.change")
        elif (
            counter is not None
            and previous is not None
            and previous[1] is not None
            and start - previous[0] == HOUR
        ):
            kwh = counter - previous[1]
        previous = (start, counter)
        if kwh is not None and kwh >= 0:
            out.append(Interval(start, start + HOUR, kwh))
    return out


def build_profile(
    hourly: Sequence[Interval],
    timezone: str,
    *,
    now: datetime | None = None,
    days: int = PROFILE_DAYS,
    slot_minutes: int = 15,
) -> LoadProfile:
    """Average kWh per slot by local time of day over the last `days` days before `now` (all if None)."""
    tz = ZoneInfo(timezone)
    since = None if now is None else now - timedelta(days=days)
    samples: dict[int, list[float]] = defaultdict(list)
    step = timedelta(minutes=slot_minutes)
    for iv in hourly:
        if (since is not None and iv.start < since) or (now is not None and iv.end > now):
            continue
        parts = max(1, round((iv.end - iv.start) / step))
        for k in range(parts):
            local = (iv.start + k * step).astimezone(tz)
            samples[local.hour * 60 + local.minute].append(iv.value / parts)
    by_minute = {minute: sum(v) / len(v) for minute, v in sorted(samples.items())}
    all_values = [x for v in samples.values() for x in v]
    mean = sum(all_values) / len(all_values) if all_values else None
    return LoadProfile(slot_minutes, timezone, by_minute, mean)


def _row_start(row: Any, where: str) -> datetime:
    if not isinstance(row, Mapping):
        raise InputError(where, f"expected a statistics row, got {row!r}")
    if "start" not in row:
        raise InputError(where, "'start' is missing")
    return parse_time(row["start"], f"{where}.start")


def _counter(row: Mapping[str, Any], where: str) -> float | None:
    for key in ("sum", "state"):
        if row.get(key) is not None:
            return parse_number(row[key], f"{where}.{key}")
    return None
