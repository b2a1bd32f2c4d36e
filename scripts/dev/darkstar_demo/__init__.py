"""Development only: onboard Darkstar through its real config flow with the demo entities."""

from __future__ import annotations

import logging

from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers.typing import ConfigType

_LOGGER = logging.getLogger(__name__)
DEMO_INPUTS = {
    "price_entity": "sensor.demo_spot_price",
    "soc_entity": "input_number.demo_battery_soc",
    "pv_forecast_entity": "sensor.demo_pv_forecast_today",
    "load_entity": "sensor.demo_house_energy",
    "battery_capacity_kwh": 10.0,
    "max_charge_kw": 5.0,
    "max_discharge_kw": 5.0,
}


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Once Home Assistant has started, add a Darkstar entry unless there is one."""

    async def _onboard(_event: Event) -> None:
        if hass.config_entries.async_entries("darkstar"):
            return
        result = await hass.config_entries.flow.async_init("darkstar", context={"source": "user"})
        result = await hass.config_entries.flow.async_configure(result["flow_id"], DEMO_INPUTS)
        _LOGGER.warning("Darkstar demo onboarding: %s %s", result["type"], result.get("errors") or "")

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STARTED, _onboard)
    return True
