"""Input health: is each configured input usable? ok / missing / unavailable / non_numeric / stale.

The HA shell passes plain state strings and `last_updated` and turns an `InputIssue` into the
reason an input is unusable (readers.py). Nothing here reads Home Assistant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
import math


class InputStatus(StrEnum):
    """Health of one input."""

    OK = "ok"
    MISSING = "missing"
    UNAVAILABLE = "unavailable"
    NON_NUMERIC = "non_numeric"
    OUT_OF_RANGE = "out_of_range"
    STALE = "stale"


UNAVAILABLE_STATES = frozenset({"unavailable", "unknown", "none", ""})


@dataclass(frozen=True)
class InputIssue:
    """Why one input cannot be used."""

    name: str
    status: InputStatus
    message: str


def check_numeric_state(
    name: str,
    state: str | None,
    *,
    last_updated: datetime | None = None,
    now: datetime | None = None,
    max_age: timedelta | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float | InputIssue:
    """The state as a float, or the issue that makes it unusable (state None = entity missing)."""
    if state is None:
        return InputIssue(name, InputStatus.MISSING, f"{name}: entity not found")
    text = str(state).strip()
    if text.lower() in UNAVAILABLE_STATES:
        return InputIssue(name, InputStatus.UNAVAILABLE, f"{name}: state is {text or 'empty'!r}")
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return InputIssue(name, InputStatus.NON_NUMERIC, f"{name}: state {text!r} is not a number")
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        bounds = (
            f"{'-inf' if minimum is None else f'{minimum:g}'}..{'inf' if maximum is None else f'{maximum:g}'}"
        )
        return InputIssue(name, InputStatus.OUT_OF_RANGE, f"{name}: {value:g} is outside {bounds}")
    if max_age is not None and last_updated is not None and now is not None:
        age = now - last_updated
        if age > max_age:
            return InputIssue(
                name,
                InputStatus.STALE,
                f"{name}: last updated {_minutes(age)} min ago (max {_minutes(max_age)})",
            )
    return value


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
