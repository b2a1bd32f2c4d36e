"""Fixtures for tests that run a real Home Assistant (pytest-homeassistant-custom-component)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime, timedelta
import logging
import math
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.models import StatisticMeanType
from homeassistant.components.recorder.statistics import async_import_statistics
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import async_wait_recording_done
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.darkstar.const import DOMAIN
from custom_components.darkstar.core.options import (
    CONF_HAS_BATTERY,
    CONF_HAS_SOLAR,
    CONF_HAS_WATER_HEATER,
    CONF_LOAD_ENTITY,
    CONF_PRICE_ENTITY,
    CONF_PRICE_SOURCE,
    CONF_PV_ENTITIES,
    CONF_PV_SOURCE,
    CONF_SOC_ENTITY,
    DEFAULTS,
    PRICE_SOURCE_HACS_NORDPOOL,
    PV_SOURCE_SOLCAST,
)

# phcc turns SQLAlchemy's statement log on; it drowns the test output.
logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)

PRICE = "sensor.nordpool_kwh_se4_eur"
SOC = "sensor.battery_soc"
PV_TODAY = "sensor.solcast_pv_forecast_forecast_today"
PV_TOMORROW = "sensor.solcast_pv_forecast_forecast_tomorrow"
LOAD = "sensor.house_energy"
HEATED_TODAY = "sensor.water_heater_energy_today"
LOAD_KWH_PER_HOUR = 0.5

OPTIONS: dict[str, Any] = {
    **DEFAULTS,
    CONF_HAS_SOLAR: True,
    CONF_HAS_BATTERY: True,
    CONF_HAS_WATER_HEATER: False,
    CONF_PRICE_SOURCE: PRICE_SOURCE_HACS_NORDPOOL,
    CONF_PRICE_ENTITY: PRICE,
    CONF_SOC_ENTITY: SOC,
    CONF_PV_SOURCE: PV_SOURCE_SOLCAST,
    CONF_PV_ENTITIES: [PV_TODAY, PV_TOMORROW],
    CONF_LOAD_ENTITY: LOAD,
}
# A fixed day keeps snapshots stable (the tests' time zone is US/Pacific).
FIXED_DAY = "2026-06-15T12:00:00+00:00"
# Hour 3 is the only cheap hour and hour 17 the dearest: at 03:00 the battery must charge, at
# 17:00 it must discharge (its usable energy needs all four quarters of the hour).
PRICES = [0.10] * 3 + [0.01] + [0.10] * 13 + [0.80] + [0.50] * 3 + [0.10] * 3


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer, in tests/integration/snapshots/."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(recorder_mock: Recorder, enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/darkstar, with the recorder it depends on."""


@pytest.fixture(autouse=True)
def config_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A fresh configuration directory per test (the learning store's file lives there)."""
    hass.config.config_dir = str(tmp_path)
    return tmp_path


def local(hour: int, minute: int = 0, days: int = 0) -> datetime:
    """Today (plus `days`) at a local wall-clock time."""
    return dt_util.start_of_local_day() + timedelta(days=days, hours=hour, minutes=minute)


def hourly_prices(day_start: datetime, values: list[float]) -> list[dict[str, Any]]:
    """HACS nordpool style raw_today/raw_tomorrow items, hourly."""
    return [
        {"start": day_start + timedelta(hours=i), "end": day_start + timedelta(hours=i + 1), "value": v}
        for i, v in enumerate(values)
    ]


def solcast_day(day_start: datetime, peak_kw: float = 4.0) -> list[dict[str, Any]]:
    """Solcast detailedForecast: half-hourly average kW, a bell between 06:00 and 20:00."""
    items = []
    for i in range(48):
        hour = i / 2
        kw = peak_kw * max(0.0, math.sin(math.pi * (hour - 6) / 14)) if 6 <= hour <= 20 else 0.0
        items.append(
            {
                "period_start": day_start + timedelta(minutes=30 * i),
                "pv_estimate": round(kw, 4),
                "pv_estimate10": round(kw * 0.6, 4),
                "pv_estimate90": round(kw * 1.2, 4),
            }
        )
    return items


def set_inputs(
    hass: HomeAssistant,
    *,
    soc: str = "50",
    today: list[float] | None = None,
    tomorrow: list[float] | None = None,
) -> None:
    """Create the input entities as a Nord Pool (HACS) / Solcast / battery home has them."""
    midnight = dt_util.start_of_local_day()
    today = PRICES if today is None else today
    hass.states.async_set(
        PRICE,
        str(today[0]),
        {
            "unit_of_measurement": "EUR/kWh",
            "raw_today": hourly_prices(midnight, today),
            "raw_tomorrow": hourly_prices(midnight + timedelta(days=1), tomorrow or []),
            "tomorrow_valid": bool(tomorrow),
        },
    )
    hass.states.async_set(SOC, soc, {"unit_of_measurement": "%", "device_class": "battery"})
    for entity_id, day in ((PV_TODAY, 0), (PV_TOMORROW, 1)):
        detailed = solcast_day(midnight + timedelta(days=day))
        hass.states.async_set(entity_id, "25.0", {"unit_of_measurement": "kWh", "detailedForecast": detailed})
    hass.states.async_set(LOAD, "1234.5", {"unit_of_measurement": "kWh", "state_class": "total_increasing"})
    hass.states.async_set(HEATED_TODAY, "1500", {"unit_of_measurement": "Wh"})


async def add_load_statistics(hass: HomeAssistant, days: int = 7) -> None:
    """Hourly statistics for the house energy sensor, 0.5 kWh every hour, one day longer than read."""
    metadata = {
        "has_sum": True,
        "mean_type": StatisticMeanType.NONE,
        "name": "House energy",
        "source": "recorder",
        "statistic_id": LOAD,
        "unit_class": "energy",
        "unit_of_measurement": "kWh",
    }
    start = dt_util.utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(days=days + 1)
    rows = [
        {
            "start": start + timedelta(hours=h),
            "state": 1000 + h * LOAD_KWH_PER_HOUR,
            "sum": h * LOAD_KWH_PER_HOUR,
        }
        for h in range((days + 1) * 24)
    ]
    async_import_statistics(hass, metadata, rows)
    await async_wait_recording_done(hass)


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """The test entry's options (parametrize `entry_options` for another home)."""
    return dict(OPTIONS)


@pytest.fixture
def config_entry(hass: HomeAssistant, entry_options: dict[str, Any]) -> MockConfigEntry:
    """A Darkstar entry with the test options."""
    entry = MockConfigEntry(domain=DOMAIN, title="Darkstar", data={}, options=entry_options)
    entry.add_to_hass(hass)
    return entry


@pytest.fixture
async def bypass_setup(hass: HomeAssistant) -> AsyncGenerator[None]:
    """Keep the flow tests from setting the entry up (also the reloads they trigger)."""
    with patch("custom_components.darkstar.async_setup_entry", return_value=True):
        yield
        await hass.async_block_till_done()  # reloads queued by a flow finish while still patched


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and wait for the first plan."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.fixture
async def loaded_entry(hass: HomeAssistant, config_entry: MockConfigEntry, freezer: Any) -> MockConfigEntry:
    """A loaded entry at 03:02 local time on a fixed day, with inputs and a week of load statistics."""
    freezer.move_to(FIXED_DAY)
    freezer.move_to(local(3, 2))
    set_inputs(hass)
    await add_load_statistics(hass)
    await setup_entry(hass, config_entry)
    return config_entry
