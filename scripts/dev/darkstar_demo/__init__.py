"""Development only: give the demo house a load history, then onboard Darkstar through its real flow."""

from __future__ import annotations

from datetime import timedelta
import logging
import math

from homeassistant.components.recorder import get_instance
from homeassistant.components.recorder.models import StatisticMeanType
from homeassistant.components.recorder.statistics import async_import_statistics
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util

_LOGGER = logging.getLogger(__name__)
LOAD = "sensor.demo_house_energy"
# One dict per config-flow step: profile, prices, price source details, battery, solar, PV details, load.
DEMO_STEPS = [
    {"has_solar": True, "has_battery": True, "has_water_heater": False},
    {
        "price_source": "hacs_nordpool",
        "grid_fee": 0.06,
        "energy_tax": 0.0,
        "vat_percent": 25.0,
        "export_bonus": 0.005,
    },
    {"price_entity": "sensor.demo_spot_price"},
    {
        "soc_entity": "input_number.demo_battery_soc",
        "battery_capacity_kwh": 10.0,
        "max_charge_kw": 5.0,
        "max_discharge_kw": 5.0,
    },
    {"pv_source": "solcast"},
    {"pv_forecast_entities": ["sensor.demo_pv_forecast_today", "sensor.demo_pv_forecast_tomorrow"]},
    {"load_entity": LOAD},
]


def _hourly_load_kwh(hour: int) -> float:
    """A household's typical day: a morning and an evening peak."""
    return 0.35 + 0.6 * math.exp(-((hour - 7.5) ** 2) / 2) + 0.9 * math.exp(-((hour - 19) ** 2) / 4)


def seed_load_statistics(hass: HomeAssistant, days: int = 8) -> None:
    """A week of hourly statistics for the demo energy meter, as the recorder would have made them."""
    metadata = {
        "has_sum": True,
        "mean_type": StatisticMeanType.NONE,
        "name": "Demo house energy",
        "source": "recorder",
        "statistic_id": LOAD,
        "unit_class": "energy",
        "unit_of_measurement": "kWh",
    }
    start = dt_util.utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(days=days)
    total, rows = 0.0, []
    for h in range(days * 24):
        moment = start + timedelta(hours=h)
        total += _hourly_load_kwh(dt_util.as_local(moment).hour)
        rows.append({"start": moment, "state": 1000 + total, "sum": total})
    async_import_statistics(hass, metadata, rows)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Once Home Assistant has started, add a Darkstar entry unless there is one."""

    async def _onboard(_event: Event) -> None:
        if hass.config_entries.async_entries("darkstar"):
            return
        seed_load_statistics(hass)
        await get_instance(hass).async_block_till_done()  # the import is written before the first plan
        result = await hass.config_entries.flow.async_init("darkstar", context={"source": "user"})
        for values in DEMO_STEPS:
            result = await hass.config_entries.flow.async_configure(result["flow_id"], values)
            if result["type"] != "form" or result["errors"]:
                break
        _LOGGER.warning("Darkstar demo onboarding: %s %s", result["type"], result.get("errors") or "")

    hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STARTED, _onboard)
    return True
