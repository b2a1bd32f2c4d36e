"""Fixtures for tests that run a real Home Assistant (pytest-homeassistant-custom-component)."""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime, timedelta
import logging
from typing import Any
from unittest.mock import patch

from homeassistant.components.recorder import Recorder
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.darkstar.const import (
    CONF_BATTERY_CAPACITY,
    CONF_LOAD_ENTITY,
    CONF_MAX_CHARGE,
    CONF_MAX_DISCHARGE,
    CONF_PRICE_ENTITY,
    CONF_PV_ENTITY,
    CONF_SOC_ENTITY,
    DOMAIN,
)

# phcc turns SQLAlchemy's statement log on; it drowns the test output.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

PRICE = "sensor.nordpool_kwh_se4_eur"
SOC = "sensor.battery_soc"
PV = "sensor.solcast_pv_forecast_forecast_today"
LOAD = "sensor.house_energy"

OPTIONS: dict[str, Any] = {
    CONF_PRICE_ENTITY: PRICE,
    CONF_SOC_ENTITY: SOC,
    CONF_PV_ENTITY: PV,
    CONF_LOAD_ENTITY: LOAD,
    CONF_BATTERY_CAPACITY: 10.0,
    CONF_MAX_CHARGE: 5.0,
    CONF_MAX_DISCHARGE: 5.0,
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(recorder_mock: Recorder, enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/darkstar, with the recorder it depends on."""


def hourly_prices(day_start: datetime, values: list[float]) -> list[dict[str, Any]]:
    """HACS nordpool style raw_today/raw_tomorrow items, hourly."""
    return [
        {"start": day_start + timedelta(hours=i), "end": day_start + timedelta(hours=i + 1), "value": v}
        for i, v in enumerate(values)
    ]


def set_inputs(hass: HomeAssistant, *, soc: str = "50", today: list[float] | None = None) -> None:
    """Create the four input entities as a Nord Pool / Solcast / battery home would have them."""
    midnight = dt_util.start_of_local_day()
    today = today if today is not None else [0.05] * 6 + [0.30] * 4 + [0.10] * 6 + [0.40] * 4 + [0.08] * 4
    hass.states.async_set(
        PRICE,
        str(today[0]),
        {"unit_of_measurement": "EUR/kWh", "raw_today": hourly_prices(midnight, today), "raw_tomorrow": []},
    )
    hass.states.async_set(SOC, soc, {"unit_of_measurement": "%", "device_class": "battery"})
    hass.states.async_set(PV, "12.5", {"unit_of_measurement": "kWh"})
    hass.states.async_set(LOAD, "1234.5", {"unit_of_measurement": "kWh", "state_class": "total_increasing"})


@pytest.fixture
def config_entry(hass: HomeAssistant) -> MockConfigEntry:
    """A Darkstar entry with the default test options."""
    entry = MockConfigEntry(domain=DOMAIN, title="Darkstar", data={}, options=dict(OPTIONS))
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
def bypass_setup() -> Generator[None]:
    """Keep the config flow tests from setting the entry up."""
    with patch("custom_components.darkstar.async_setup_entry", return_value=True):
        yield
