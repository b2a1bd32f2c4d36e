"""Constants of the Darkstar integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

from homeassistant.const import Platform

DOMAIN: Final = "darkstar"
LOGGER = logging.getLogger(__package__)
PLATFORMS: Final = [Platform.SENSOR]

# The planner's clock: replan at :00, :15, :30 and :45, and once at start-up.
PLAN_MINUTES: Final = (0, 15, 30, 45)
SLOT_MINUTES: Final = 15
HORIZON: Final = timedelta(hours=48)

# Config entry options (all settings live in entry.options so the options flow can change them).
CONF_PRICE_ENTITY: Final = "price_entity"
CONF_SOC_ENTITY: Final = "soc_entity"
CONF_PV_ENTITY: Final = "pv_forecast_entity"
CONF_LOAD_ENTITY: Final = "load_entity"
CONF_BATTERY_CAPACITY: Final = "battery_capacity_kwh"
CONF_MAX_CHARGE: Final = "max_charge_kw"
CONF_MAX_DISCHARGE: Final = "max_discharge_kw"

DEFAULT_BATTERY_CAPACITY: Final = 10.0
DEFAULT_MAX_POWER: Final = 5.0
DEFAULT_MIN_SOC: Final = 10.0
DEFAULT_MAX_SOC: Final = 95.0

# Units accepted for each input (checked by the config flow).
PRICE_UNIT_SUFFIXES: Final = ("/kwh", "/mwh")
SOC_UNITS: Final = ("%",)
ENERGY_UNITS: Final = ("wh", "kwh", "mwh")
