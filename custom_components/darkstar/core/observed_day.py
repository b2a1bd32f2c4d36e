"""Turn one local day's slot observations into the per-slot arrays the day-quality check reads."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .quality import DayQuality, classify_day
from .store.observations import SlotObservation

NAN = float("nan")


def day_slots(day: date, timezone: str, slot_minutes: int = 15) -> list[datetime]:
    """The slot starts of a local calendar day, in UTC (92, 96 or 100 quarters around DST)."""
    tz = ZoneInfo(timezone)
    start = datetime.combine(day, time(0), tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tz)
    step = timedelta(minutes=slot_minutes)
    slots, moment = [], start.astimezone(ZoneInfo("UTC"))
    while moment < end:
        slots.append(moment)
        moment += step
    return slots


def classify_observed_day(
    day: date, observations: Iterable[SlotObservation], timezone: str, slot_minutes: int = 15
) -> DayQuality:
    """Classify a local day from what was observed; slots never observed count as missing."""
    by_start = {obs.slot_start: obs for obs in observations}
    slots = day_slots(day, timezone, slot_minutes)
    rows = [by_start.get(slot) for slot in slots]

    def column(name: str) -> list[float]:
        values = [None if row is None else getattr(row, name) for row in rows]
        return [NAN if v is None else float(v) for v in values]

    soc = column("soc_start_percent")
    return classify_day(
        day,
        column("load_kwh"),
        column("pv_kwh"),
        soc if any(v == v for v in soc) else None,
        slot_minutes=slot_minutes,
        first_slot=slots[0],
    )
