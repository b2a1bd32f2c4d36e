"""Constants of the Darkstar integration."""

from __future__ import annotations

import logging
from typing import Final

from homeassistant.const import Platform

from .core.units import ENERGY_TO_KWH

DOMAIN: Final = "darkstar"
LOGGER = logging.getLogger(__package__)
PLATFORMS: Final = [Platform.SENSOR]

# The planner's clock: replan at :00, :15, :30 and :45, and once at start-up.
PLAN_MINUTES: Final = (0, 15, 30, 45)
# A change of a watched input (new prices, a new forecast) replans after this quiet time.
REPLAN_DEBOUNCE_SECONDS: Final = 30.0

# Units accepted for each input (checked by the config flow).
SOC_UNITS: Final = ("%",)
ENERGY_UNITS: Final = tuple(ENERGY_TO_KWH)
