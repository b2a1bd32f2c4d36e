"""An episode's schedule: the plan as column arrays (one list per PlanSlot field), not a dict per slot.

Format ``"columns/1"`` (what `make_episode` stores; a JSON object):

    {"format": "columns/1",
     "status": str, "objective": float | None, "solve_seconds": float, "build_seconds": float,
     ["reason": str], ["mip_gap": float], ["objective_terms": {name: float}],   # as plan_to_dict
     "start": ISO time of the first slot (with its UTC offset), or None when there are no slots,
     "slot_minutes": int, "timezone": IANA zone the slot times are shown in,
     ["starts": [ISO time, ...]],   # only if slot i does not start at start + i * slot_minutes
     "columns": {"charge_kwh": [...], "discharge_kwh": [...], "import_kwh": [...], "export_kwh": [...],
                 "soc_kwh": [...], "water_kw": [...], "curtail_kwh": [...], "import_breach_kwh": [...]}}

Every column holds one float per slot, rounded to 6 decimals exactly as `plan_to_dict` rounds them,
so `plan_to_dict(schedule_to_plan(schedule_from_plan(plan, ...))) == plan_to_dict(plan)`: the same
values, slot times and UTC offsets. Slot times come back in the schedule's zone (like
`Scenario.slot_start`); `plan_from_dict` gives fixed offsets instead: the same instants, and equal
Plans except for times inside a DST fold, which Python never calls equal across tzinfos.

Read back from the store, each column is a read-only float64 numpy array holding exactly the stored
doubles (see `arrays.py`); `schedule_from_plan` builds lists, and encoding accepts either.

A column missing from a stored schedule (a PlanSlot field added later) reads as the field's default.
Legacy schedules (the `plan_to_dict` form: ``"slots"``, one dict per slot, written before this format)
are returned by reads exactly as they were stored; `schedule_to_plan` and `schedule_columns` accept
both forms, so consumers should go through them instead of reading keys.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from ..plan import Plan, PlanSlot, plan_from_dict, plan_to_dict
from .arrays import float_array

SCHEDULE_FORMAT = "columns/1"
SLOT_COLUMNS = tuple(f.name for f in fields(PlanSlot) if f.name != "start")
# Columns a stored schedule may lack (written before the PlanSlot field existed): their defaults.
_DEFAULTS = {f.name: f.default for f in fields(PlanSlot) if f.default is not MISSING}
DECIMALS = 6


def schedule_from_plan(plan: Plan, *, slot_minutes: int, timezone: str) -> dict[str, Any]:
    """The columnar schedule of a plan whose slots are `slot_minutes` long, shown in `timezone`."""
    data: dict[str, Any] = {"format": SCHEDULE_FORMAT}
    data.update(plan_to_dict(replace(plan, slots=())))
    del data["slots"]
    starts = [s.start.isoformat() for s in plan.slots]
    data["start"] = starts[0] if starts else None
    data["slot_minutes"] = int(slot_minutes)
    data["timezone"] = timezone
    if starts and _regular_starts(starts[0], len(starts), slot_minutes, timezone) != starts:
        data["starts"] = starts
    data["columns"] = {
        name: [round(float(getattr(s, name)), DECIMALS) for s in plan.slots] for name in SLOT_COLUMNS
    }
    return data


def is_columnar(schedule: dict[str, Any]) -> bool:
    """True for the columnar format, False for a legacy per-slot schedule."""
    return "columns" in schedule


def schedule_columns(schedule: dict[str, Any]) -> dict[str, np.ndarray]:
    """One read-only float64 array per stored PlanSlot field (except start), from either format."""
    if is_columnar(schedule):
        return {name: _column_array(name, values) for name, values in schedule["columns"].items()}
    slots = schedule.get("slots", [])
    return {
        name: _column_array(
            name, [float(s[name] if name not in _DEFAULTS else s.get(name, _DEFAULTS[name])) for s in slots]
        )
        for name in SLOT_COLUMNS
    }


def _column_array(name: str, values: Any) -> np.ndarray:
    array = float_array(values)
    if array is None:
        raise ValueError(f"schedule column {name!r} does not hold numbers")
    return array


def slot_starts(schedule: dict[str, Any]) -> list[datetime]:
    """The start time of every slot (tz-aware), from either format."""
    if not is_columnar(schedule):
        return [datetime.fromisoformat(s["start"]) for s in schedule.get("slots", [])]
    if "starts" in schedule:
        return [datetime.fromisoformat(text) for text in schedule["starts"]]
    count = len(next(iter(schedule["columns"].values()), []))
    if not count:
        return []
    first = datetime.fromisoformat(schedule["start"]).astimezone(UTC)
    step = timedelta(minutes=int(schedule["slot_minutes"]))
    zone = _zone(str(schedule["timezone"]))
    return [(first + step * i).astimezone(zone) for i in range(count)]


def schedule_to_plan(schedule: dict[str, Any]) -> Plan:
    """The Plan of a stored schedule (either format); raises ValueError if it is inconsistent."""
    if not is_columnar(schedule):
        return plan_from_dict(schedule)
    columns = schedule["columns"]
    starts = slot_starts(schedule)
    values = []
    for name in SLOT_COLUMNS:
        column = columns.get(name)
        if column is None and name in _DEFAULTS:
            column = [_DEFAULTS[name]] * len(starts)
        if column is None or len(column) != len(starts):
            raise ValueError(f"schedule column {name!r} does not hold one value per slot")
        values.append(column.tolist() if type(column) is np.ndarray else map(float, column))
    slots = tuple(map(PlanSlot, starts, *values, strict=True))
    return replace(plan_from_dict(schedule), slots=slots)


def _regular_starts(first: str, count: int, slot_minutes: int, timezone: str) -> list[str]:
    """ISO times of `count` slots from `first`, every `slot_minutes`, shown in `timezone`."""
    start = datetime.fromisoformat(first).astimezone(UTC)
    step = timedelta(minutes=slot_minutes)
    zone = _zone(timezone)
    return [(start + step * i).astimezone(zone).isoformat() for i in range(count)]


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ValueError(f"unknown time zone {name!r} in schedule") from err
