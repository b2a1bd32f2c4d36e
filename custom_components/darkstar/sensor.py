"""Sensors publishing Darkstar's plan, its forecasts and the planner's status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfEnergy, UnitOfPower
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from . import DarkstarConfigEntry
from .coordinator import DarkstarCoordinator
from .core.cycle import PlanResult
from .core.plan_view import BatteryAction, battery_action, battery_power_kw
from .core.publish import (
    PLAN_STATUSES,
    forecast_attrs,
    next_charge,
    next_water_start,
    planner_status,
    price_now,
    projected_soc,
    savings,
    series_now,
    status_attrs,
    total_cost,
    water_today,
)
from .core.settings import PlannerSettings
from .entity import DarkstarEntity

PARALLEL_UPDATES = 0

type ValueFn = Callable[[PlanResult, datetime], StateType | datetime]
type AttrsFn = Callable[[PlanResult, datetime], dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class DarkstarSensorDescription(SensorEntityDescription):
    """A sensor computed from the plan result at a moment; `exists_fn` picks it by the home's profile."""

    value_fn: ValueFn
    attrs_fn: AttrsFn | None = None
    exists_fn: Callable[[PlannerSettings], bool] = lambda _settings: True
    monetary: bool = False


def _has_battery(settings: PlannerSettings) -> bool:
    return settings.battery.capacity_kwh > 0


def _has_water(settings: PlannerSettings) -> bool:
    return settings.water_heater is not None


def _action(result: PlanResult, now: datetime) -> StateType:
    slot = result.slot_at(now)
    return None if slot is None else battery_action(slot).value


def _power(result: PlanResult, now: datetime) -> StateType:
    slot = result.slot_at(now)
    return None if slot is None else round(battery_power_kw(slot, result.scenario.slot_minutes), 3)


SENSORS: tuple[DarkstarSensorDescription, ...] = (
    DarkstarSensorDescription(
        key="battery_action",
        translation_key="battery_action",
        device_class=SensorDeviceClass.ENUM,
        options=[action.value for action in BatteryAction],
        value_fn=_action,
        exists_fn=_has_battery,
    ),
    DarkstarSensorDescription(
        key="battery_power",
        translation_key="battery_power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        value_fn=_power,
        exists_fn=_has_battery,
    ),
    DarkstarSensorDescription(
        key="projected_soc",
        translation_key="projected_soc",
        device_class=SensorDeviceClass.BATTERY,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        value_fn=projected_soc,
        exists_fn=_has_battery,
    ),
    DarkstarSensorDescription(
        key="target_soc",
        translation_key="target_soc",
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        value_fn=lambda result, _now: result.scenario.target.soc_percent,
        exists_fn=_has_battery,
    ),
    DarkstarSensorDescription(
        key="s_index",
        translation_key="s_index",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda _result, _now: 1.0,
        attrs_fn=lambda _result, _now: {"placeholder": True},
        exists_fn=_has_battery,
    ),
    DarkstarSensorDescription(
        key="next_charge",
        translation_key="next_charge",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=next_charge,
        exists_fn=_has_battery,
    ),
    DarkstarSensorDescription(
        key="horizon_cost",
        translation_key="horizon_cost",
        device_class=SensorDeviceClass.MONETARY,
        value_fn=total_cost,
        monetary=True,
    ),
    DarkstarSensorDescription(
        key="battery_savings",
        translation_key="battery_savings",
        device_class=SensorDeviceClass.MONETARY,
        value_fn=savings,
        monetary=True,
        exists_fn=_has_battery,
    ),
    DarkstarSensorDescription(
        key="water_heating_today",
        translation_key="water_heating_today",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        value_fn=water_today,
        exists_fn=_has_water,
    ),
    DarkstarSensorDescription(
        key="next_water_heating",
        translation_key="next_water_heating",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=next_water_start,
        exists_fn=_has_water,
    ),
    DarkstarSensorDescription(
        key="load_forecast",
        translation_key="load_forecast",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        value_fn=lambda result, now: series_now(result, now, "load_kwh"),
        attrs_fn=lambda result, _now: forecast_attrs(result, "load_kwh"),
    ),
    DarkstarSensorDescription(
        key="pv_forecast",
        translation_key="pv_forecast",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        value_fn=lambda result, now: series_now(result, now, "pv_kwh"),
        attrs_fn=lambda result, _now: forecast_attrs(result, "pv_kwh"),
    ),
    DarkstarSensorDescription(
        key="price_forecast",
        translation_key="price_forecast",
        value_fn=price_now,
        attrs_fn=lambda result, _now: forecast_attrs(result, "import_price", "export_price"),
        monetary=True,
    ),
    DarkstarSensorDescription(
        key="planner_status",
        translation_key="planner_status",
        device_class=SensorDeviceClass.ENUM,
        options=list(PLAN_STATUSES),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=planner_status,
        attrs_fn=status_attrs,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DarkstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors that fit the home's profile."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        DarkstarSensor(coordinator, description)
        for description in SENSORS
        if description.exists_fn(coordinator.settings)
    )


class DarkstarSensor(DarkstarEntity, SensorEntity):
    """A sensor reading the coordinator's plan."""

    entity_description: DarkstarSensorDescription
    # The plan and forecast arrays are for cards and templates, not for the database.
    _unrecorded_attributes = frozenset({"plan", "values", "import_price", "export_price", "p10", "p90"})

    def __init__(self, coordinator: DarkstarCoordinator, description: DarkstarSensorDescription) -> None:
        """Set the currency unit of money sensors from Home Assistant's configuration."""
        super().__init__(coordinator, description)
        if description.monetary:
            currency = coordinator.hass.config.currency
            self._attr_native_unit_of_measurement = (
                currency if description.device_class == SensorDeviceClass.MONETARY else f"{currency}/kWh"
            )

    @property
    def native_value(self) -> StateType | datetime:
        """The value for the current moment."""
        return self.entity_description.value_fn(self.coordinator.data, dt_util.utcnow())

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Compact arrays and status details, where the description has them."""
        if self.entity_description.attrs_fn is None:
            return None
        return self.entity_description.attrs_fn(self.coordinator.data, dt_util.utcnow())
