"""Read the user's configured entities into plain data for the core (no arithmetic here)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT
from homeassistant.core import HomeAssistant

from .core.inputs.health import UNAVAILABLE_STATES, InputIssue, InputStatus, check_numeric_state
from .core.units import energy_kwh


class InputUnavailable(Exception):
    """A configured input entity cannot be read; `key` is the translation key of the reason."""

    def __init__(self, key: str, entity_id: str) -> None:
        """Remember which entity failed and why."""
        super().__init__(f"{entity_id}: {key}")
        self.key = key
        self.entity_id = entity_id


def unreadable(state: str) -> bool:
    """Whether a state says the entity has no data (unavailable, unknown, empty), as the core decides."""
    return state.strip().lower() in UNAVAILABLE_STATES


def read_attributes(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """The attributes of a configured entity, raising InputUnavailable when it is missing or unavailable."""
    state = hass.states.get(entity_id)
    if state is None:
        raise InputUnavailable("input_missing", entity_id)
    if unreadable(state.state):
        raise InputUnavailable("input_unavailable", entity_id)
    return dict(state.attributes)


# The translation key of each reason an input is unusable.
ISSUE_KEYS = {
    InputStatus.MISSING: "input_missing",
    InputStatus.UNAVAILABLE: "input_unavailable",
    InputStatus.NON_NUMERIC: "input_not_numeric",
    InputStatus.OUT_OF_RANGE: "input_out_of_range",
    InputStatus.STALE: "input_stale",
}


def read_number(
    hass: HomeAssistant,
    entity_id: str,
    *,
    now: datetime | None = None,
    max_age: timedelta | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """Read a numeric entity state; the core's health check decides whether it is usable."""
    state = hass.states.get(entity_id)
    result = check_numeric_state(
        entity_id,
        None if state is None else state.state,
        last_updated=None if state is None else state.last_reported,
        now=now,
        max_age=max_age,
        minimum=minimum,
        maximum=maximum,
    )
    if isinstance(result, InputIssue):
        raise InputUnavailable(ISSUE_KEYS[result.status], entity_id)
    return result


def read_energy_kwh(hass: HomeAssistant, entity_id: str) -> float:
    """Read an energy sensor in Wh, kWh or MWh, as kWh."""
    read_number(hass, entity_id)  # missing, unavailable or not a number: the health check says which
    state = hass.states.get(entity_id)
    kwh = None if state is None else energy_kwh(state.state, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT))
    if kwh is None:
        raise InputUnavailable("input_not_energy", entity_id)
    return kwh
