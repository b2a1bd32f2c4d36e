"""Read the user's configured entities into plain data for the core (no arithmetic here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant

UNREADABLE = (STATE_UNAVAILABLE, STATE_UNKNOWN, "")


class InputUnavailable(Exception):
    """A configured input entity cannot be read; `key` is the translation key of the reason."""

    def __init__(self, key: str, entity_id: str) -> None:
        """Remember which entity failed and why."""
        super().__init__(f"{entity_id}: {key}")
        self.key = key
        self.entity_id = entity_id


@dataclass(frozen=True)
class EntityReading:
    """The state and attributes of one entity at one moment."""

    entity_id: str
    state: str
    attributes: dict[str, Any]


def read_entity(hass: HomeAssistant, entity_id: str) -> EntityReading:
    """Read one configured entity, raising InputUnavailable when it is missing or unavailable."""
    state = hass.states.get(entity_id)
    if state is None:
        raise InputUnavailable("input_missing", entity_id)
    if state.state in UNREADABLE:
        raise InputUnavailable("input_unavailable", entity_id)
    return EntityReading(entity_id, state.state, dict(state.attributes))


def read_number(hass: HomeAssistant, entity_id: str) -> float:
    """Read a numeric entity state."""
    reading = read_entity(hass, entity_id)
    try:
        return float(reading.state)
    except ValueError as err:
        raise InputUnavailable("input_not_numeric", entity_id) from err
