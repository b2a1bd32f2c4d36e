"""Row conversion for observations and daily data quality (SQLite rows <-> dataclasses)."""

from __future__ import annotations

from datetime import UTC, date, datetime
import json
from typing import Any

from ..quality import QUALITY_CLASSES, DayQuality
from .observations import OBSERVATION_VALUES, SlotObservation

OBSERVATION_COLUMNS = ("slot_start", "slot_minutes", *OBSERVATION_VALUES, "flags", "recorded_at")


def slot_text(when: datetime) -> str:
    """Fixed-width UTC text of a slot start (seconds precision), the observations' primary key."""
    if when.tzinfo is None:
        raise ValueError("slot_start must be timezone-aware")
    return when.astimezone(UTC).isoformat(timespec="seconds")


def observation_row(obs: SlotObservation, recorded_at: datetime) -> tuple[Any, ...]:
    """The INSERT parameters of one observation, in OBSERVATION_COLUMNS order."""
    values = [getattr(obs, name) for name in OBSERVATION_VALUES]
    return (slot_text(obs.slot_start), obs.slot_minutes, *values, ",".join(obs.flags), slot_text(recorded_at))


def observation_from_row(row: tuple[Any, ...]) -> SlotObservation:
    """A SlotObservation from a row in OBSERVATION_COLUMNS order."""
    start, minutes, *values = row[: 2 + len(OBSERVATION_VALUES)]
    flags = str(row[2 + len(OBSERVATION_VALUES)] or "")
    return SlotObservation(
        datetime.fromisoformat(start).astimezone(UTC),
        *(None if v is None else float(v) for v in values),
        slot_minutes=int(minutes),
        flags=tuple(f for f in flags.split(",") if f),
    )


def check_quality_class(cls: str) -> None:
    """Raise ValueError unless `cls` is one of QUALITY_CLASSES."""
    if cls not in QUALITY_CLASSES:
        raise ValueError(f"quality class must be one of {', '.join(QUALITY_CLASSES)}, got {cls!r}")


def quality_from_row(row: tuple[Any, ...]) -> DayQuality:
    """A DayQuality from (day, class, reasons JSON)."""
    day, cls, reasons = row
    try:
        parsed = json.loads(reasons or "[]")
    except ValueError:
        parsed = [str(reasons)]
    items = tuple(str(r) for r in parsed) if isinstance(parsed, list) else (str(parsed),)
    return DayQuality(date.fromisoformat(day), str(cls), items)
