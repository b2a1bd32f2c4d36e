"""Sensors publishing Darkstar's plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity, SensorEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from . import DarkstarConfigEntry
from .core.cycle import PlanResult
from .core.plan_view import BatteryAction, battery_action
from .entity import DarkstarEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DarkstarSensorDescription(SensorEntityDescription):
    """A sensor whose value is computed from the plan result at a moment."""

    value_fn: Callable[[PlanResult, datetime], StateType]


def _current_action(result: PlanResult, now: datetime) -> StateType:
    slot = result.slot_at(now)
    return None if slot is None else battery_action(slot).value


SENSORS: tuple[DarkstarSensorDescription, ...] = (
    DarkstarSensorDescription(
        key="battery_action",
        translation_key="battery_action",
        device_class=SensorDeviceClass.ENUM,
        options=[action.value for action in BatteryAction],
        value_fn=_current_action,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DarkstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add Darkstar's sensors."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(DarkstarSensor(coordinator, description) for description in SENSORS)


class DarkstarSensor(DarkstarEntity, SensorEntity):
    """A sensor reading the coordinator's plan."""

    entity_description: DarkstarSensorDescription

    @property
    def native_value(self) -> StateType:
        """The value for the current moment."""
        return self.entity_description.value_fn(self.coordinator.data, dt_util.utcnow())
