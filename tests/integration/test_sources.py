"""Every input source kind, read from a real Home Assistant and normalised onto the 15-minute grid."""

from __future__ import annotations

from datetime import timedelta
import math
from typing import Any
from unittest.mock import AsyncMock, patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.darkstar.const import DOMAIN
from custom_components.darkstar.core.options import (
    CONF_EXPORT_BONUS,
    CONF_FORECAST_SOLAR_ENTRY,
    CONF_GRID_FEE,
    CONF_HAS_BATTERY,
    CONF_HAS_SOLAR,
    CONF_HAS_WATER_HEATER,
    CONF_NORDPOOL_AREA,
    CONF_NORDPOOL_ENTRY,
    CONF_PRICE_ATTRIBUTE,
    CONF_PRICE_SOURCE,
    CONF_PV_SOURCE,
    CONF_VAT_PERCENT,
    CONF_WATER_HEATED_TODAY_ENTITY,
    PRICE_SOURCE_CORE_NORDPOOL,
    PRICE_SOURCE_EPEX_SPOT,
    PRICE_SOURCE_GENERIC,
    PRICE_SOURCE_TIBBER,
    PV_SOURCE_FORECAST_SOLAR,
)
from custom_components.darkstar.sources import configured_entities, watched_inputs

from .conftest import (
    FIXED_DAY,
    HEATED_TODAY,
    LOAD,
    LOAD_KWH_PER_HOUR,
    OPTIONS,
    PRICE,
    add_load_statistics,
    local,
    set_inputs,
    setup_entry,
)

HOURS = 24
WATER_HEATER_OPTIONS = {CONF_HAS_WATER_HEATER: True, CONF_WATER_HEATED_TODAY_ENTITY: HEATED_TODAY}


def _entry(hass: HomeAssistant, **changes: Any) -> MockConfigEntry:
    entry = MockConfigEntry(domain=DOMAIN, title="Darkstar", data={}, options={**OPTIONS, **changes})
    entry.add_to_hass(hass)
    return entry


async def _plan(hass: HomeAssistant, entry: MockConfigEntry) -> Any:
    await add_load_statistics(hass)
    await setup_entry(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    return entry.runtime_data.coordinator.data


@pytest.fixture(autouse=True)
def at_three(freezer: FrozenDateTimeFactory) -> None:
    """Plan at 03:00 local time on the fixed day."""
    freezer.move_to(FIXED_DAY)
    freezer.move_to(local(3))


def _iso(hour: int, days: int = 0) -> str:
    return dt_util.as_utc(local(hour, days=days)).isoformat()


async def test_hacs_nordpool_hourly_without_tomorrow(hass: HomeAssistant) -> None:
    """Hourly prices repeat over their quarters, with the tariff applied; the horizon ends at midnight."""
    set_inputs(hass, today=[0.1 * (h % 5) for h in range(HOURS)])
    result = await _plan(
        hass, _entry(hass, **{CONF_GRID_FEE: 0.05, CONF_VAT_PERCENT: 25, CONF_EXPORT_BONUS: 0.01})
    )
    series = result.scenario.series
    assert result.scenario.n_slots == 21 * 4  # 03:00 -> midnight
    assert series.import_price[:5] == pytest.approx([(0.3 + 0.05) * 1.25] * 4 + [(0.4 + 0.05) * 1.25])
    assert series.export_price[:5] == pytest.approx([0.31] * 4 + [0.41])
    assert any("horizon truncated" in note for note in result.notes)


async def test_hacs_nordpool_with_tomorrow_covers_48_hours(hass: HomeAssistant) -> None:
    """Once tomorrow's prices are published the horizon runs 45 hours from 03:00."""
    set_inputs(hass, today=[0.1] * HOURS, tomorrow=[0.2] * HOURS)
    result = await _plan(hass, _entry(hass))
    assert result.scenario.n_slots == (21 + 24) * 4
    assert result.scenario.series.import_price[-1] == pytest.approx(0.2)


async def test_fifteen_minute_prices_are_taken_as_they_are(hass: HomeAssistant) -> None:
    """A 15-minute price list keeps each quarter's own price."""
    set_inputs(hass)
    midnight = dt_util.start_of_local_day()
    quarters = [
        {
            "start": midnight + timedelta(minutes=15 * i),
            "end": midnight + timedelta(minutes=15 * (i + 1)),
            "value": i / 1000,
        }
        for i in range(96)
    ]
    hass.states.async_set(
        PRICE, "0.1", {"unit_of_measurement": "EUR/kWh", "raw_today": quarters, "raw_tomorrow": []}
    )
    result = await _plan(hass, _entry(hass))
    assert result.scenario.series.import_price[:3] == pytest.approx([0.012, 0.013, 0.014])


async def test_iso_string_attributes_work_like_datetimes(hass: HomeAssistant) -> None:
    """Attributes that arrive as ISO strings (e.g. from a template) parse the same."""
    set_inputs(hass)
    items = [{"start": _iso(h), "end": _iso(h + 1), "value": 0.25} for h in range(HOURS)]
    hass.states.async_set(
        PRICE, "0.25", {"unit_of_measurement": "EUR/kWh", "raw_today": items, "raw_tomorrow": []}
    )
    result = await _plan(hass, _entry(hass))
    assert set(result.scenario.series.import_price) == {0.25}


async def test_core_nordpool_action_in_mwh_and_tomorrow_not_yet_published(hass: HomeAssistant) -> None:
    """Core Nord Pool's action answers in currency/MWh; before ~13:00 asking for tomorrow fails."""
    set_inputs(hass)
    today = {"SE4": [{"start": _iso(h), "end": _iso(h + 1), "price": 100.0 + h} for h in range(HOURS)]}
    calls: list[Any] = []

    async def get_prices(call: Any) -> dict[str, Any]:
        calls.append(call.data)
        if call.data["date"] != dt_util.now().date().isoformat():
            raise ServiceValidationError("no data for tomorrow yet")
        return today

    hass.services.async_register(
        "nordpool", "get_prices_for_date", get_prices, supports_response=SupportsResponse.ONLY
    )
    entry = _entry(
        hass,
        **{
            CONF_PRICE_SOURCE: PRICE_SOURCE_CORE_NORDPOOL,
            CONF_NORDPOOL_ENTRY: "np1",
            CONF_NORDPOOL_AREA: "SE4",
        },
    )
    result = await _plan(hass, entry)
    assert result.scenario.series.import_price[0] == pytest.approx(0.103)
    assert result.scenario.n_slots == 21 * 4
    assert calls[0] == {"config_entry": "np1", "date": dt_util.now().date().isoformat(), "areas": ["SE4"]}


async def test_tibber_action(hass: HomeAssistant) -> None:
    """Tibber's get_prices response (start_time + price per home)."""
    set_inputs(hass)
    prices = [{"start_time": _iso(h), "price": 0.5} for h in range(HOURS)]
    async_mock_service(
        hass,
        "tibber",
        "get_prices",
        response={"prices": {"Hemma": prices}},
        supports_response=SupportsResponse.ONLY,
    )
    result = await _plan(hass, _entry(hass, **{CONF_PRICE_SOURCE: PRICE_SOURCE_TIBBER}))
    assert set(result.scenario.series.import_price) == {0.5}


async def test_missing_action_fails_setup_with_a_reason(hass: HomeAssistant) -> None:
    """Tibber chosen but not installed: setup retries; nothing crashes."""
    set_inputs(hass)
    entry = _entry(hass, **{CONF_PRICE_SOURCE: PRICE_SOURCE_TIBBER})
    await add_load_statistics(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_epex_spot_data_attribute(hass: HomeAssistant) -> None:
    """EPEX Spot's `data` attribute of start/end/price_per_kwh."""
    set_inputs(hass)
    data = [{"start_time": _iso(h), "end_time": _iso(h + 1), "price_per_kwh": 0.07} for h in range(HOURS)]
    hass.states.async_set(
        "sensor.epex_spot_data_total_price", "0.07", {"unit_of_measurement": "EUR/kWh", "data": data}
    )
    entry = _entry(
        hass,
        **{CONF_PRICE_SOURCE: PRICE_SOURCE_EPEX_SPOT, "price_entity": "sensor.epex_spot_data_total_price"},
    )
    result = await _plan(hass, entry)
    assert set(result.scenario.series.import_price) == {0.07}


async def test_generic_list_attribute(hass: HomeAssistant) -> None:
    """Any sensor with a list attribute of {start, value}."""
    set_inputs(hass)
    items = [{"start": _iso(h), "value": 0.04} for h in range(HOURS)]
    hass.states.async_set("sensor.my_prices", "0.04", {"unit_of_measurement": "EUR/kWh", "forecast": items})
    entry = _entry(
        hass,
        **{
            CONF_PRICE_SOURCE: PRICE_SOURCE_GENERIC,
            "price_entity": "sensor.my_prices",
            CONF_PRICE_ATTRIBUTE: "forecast",
        },
    )
    result = await _plan(hass, entry)
    assert result.scenario.series.import_price[0] == pytest.approx(0.04)


async def test_solcast_kw_become_kwh_per_slot(hass: HomeAssistant) -> None:
    """Solcast's half-hourly average kW turn into kWh per quarter (kW x 0.25), with p10/p90 kept."""
    set_inputs(hass)
    result = await _plan(hass, _entry(hass))
    noon = (local(12) - local(3)) // timedelta(minutes=15)
    raw_kw = 4.0 * math.sin(math.pi * 6 / 14)  # the fixture's bell at 12:00-12:30
    kw_at_noon = round(raw_kw, 4)
    pv = result.scenario.series.pv_kwh
    assert pv[noon] == pytest.approx(kw_at_noon * 0.25)
    assert pv[noon + 1] == pytest.approx(kw_at_noon * 0.25)
    assert result.pv_p10_kwh[noon] == pytest.approx(round(raw_kw * 0.6, 4) * 0.25)
    assert result.pv_p90_kwh[noon] == pytest.approx(round(raw_kw * 1.2, 4) * 0.25)
    assert pv[0] == 0.0  # 03:00 is night


async def test_forecast_solar_action(hass: HomeAssistant) -> None:
    """Forecast.Solar's get_forecast action: Wh per period, spread over quarters and turned into kWh."""
    set_inputs(hass)
    wh = {dt_util.as_local(local(h)).isoformat(): 2000 for h in range(8, 16)}
    async_mock_service(
        hass,
        "forecast_solar",
        "get_forecast",
        response={"watts": {}, "wh_period": wh},
        supports_response=SupportsResponse.ONLY,
    )
    result = await _plan(
        hass, _entry(hass, **{CONF_PV_SOURCE: PV_SOURCE_FORECAST_SOLAR, CONF_FORECAST_SOLAR_ENTRY: "fs1"})
    )
    eight = (local(8) - local(3)) // timedelta(minutes=15)
    assert result.scenario.series.pv_kwh[eight : eight + 4] == pytest.approx([0.5] * 4)
    assert result.scenario.series.pv_kwh[eight - 1] == 0.0


async def test_forecast_solar_energy_platform(hass: HomeAssistant) -> None:
    """Without the action (older HA) the energy platform's wh_hours are used."""
    set_inputs(hass)
    wh_hours = {dt_util.as_utc(local(h)).isoformat(): 1000 for h in range(9, 12)}
    platform = AsyncMock(return_value={"wh_hours": wh_hours})
    with patch(
        "custom_components.darkstar.sources.async_get_energy_platforms",
        AsyncMock(return_value={"forecast_solar": platform}),
    ):
        result = await _plan(
            hass, _entry(hass, **{CONF_PV_SOURCE: PV_SOURCE_FORECAST_SOLAR, CONF_FORECAST_SOLAR_ENTRY: "fs1"})
        )
    platform.assert_awaited_with(hass, "fs1")
    nine = (local(9) - local(3)) // timedelta(minutes=15)
    assert result.scenario.series.pv_kwh[nine] == pytest.approx(0.25)


async def test_no_solar_profile_plans_without_pv(hass: HomeAssistant) -> None:
    """A home without solar gets zero PV and no PV entities are read."""
    set_inputs(hass)
    result = await _plan(hass, _entry(hass, **{CONF_HAS_SOLAR: False}))
    assert set(result.scenario.series.pv_kwh) == {0.0}


@pytest.mark.parametrize(
    ("state", "unit", "kwh"), [("1500", "Wh", 1.5), ("2.5", "kWh", 2.5), ("0.003", "MWh", 3.0)]
)
async def test_heated_today_is_read_in_its_unit(
    hass: HomeAssistant, state: str, unit: str, kwh: float
) -> None:
    """The water heater's heated-today sensor may report Wh, kWh or MWh; the planner gets kWh."""
    set_inputs(hass)
    hass.states.async_set(HEATED_TODAY, state, {"unit_of_measurement": unit})
    result = await _plan(hass, _entry(hass, **WATER_HEATER_OPTIONS))
    assert result.scenario.water_heater.heated_today_kwh == pytest.approx(kwh)


async def test_heated_today_without_an_energy_unit_retries_setup(hass: HomeAssistant) -> None:
    """A heated-today sensor that stopped reporting energy is not read as kWh."""
    set_inputs(hass)
    hass.states.async_set(HEATED_TODAY, "55", {"unit_of_measurement": "°C"})
    entry = _entry(hass, **WATER_HEATER_OPTIONS)
    await add_load_statistics(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert HEATED_TODAY in str(entry.reason)


async def test_unused_entities_are_neither_watched_nor_reported() -> None:
    """Solcast sensors left in the options of a home without solar are not watched (nor the SoC without a battery)."""
    options = {**OPTIONS, CONF_HAS_SOLAR: False, CONF_HAS_BATTERY: False}
    assert watched_inputs(options) == {PRICE: ("raw_today", "raw_tomorrow", "tomorrow_valid")}
    assert configured_entities(options) == [LOAD, PRICE]
    water = {**options, CONF_PRICE_SOURCE: PRICE_SOURCE_TIBBER, **WATER_HEATER_OPTIONS}
    assert watched_inputs(water) == {}
    assert configured_entities(water) == [LOAD, HEATED_TODAY]


async def test_load_from_recorder_statistics(hass: HomeAssistant) -> None:
    """The load forecast is the 7-day average profile of the energy sensor's hourly statistics."""
    set_inputs(hass)
    result = await _plan(hass, _entry(hass))
    load = result.scenario.series.load_kwh
    assert load == pytest.approx([LOAD_KWH_PER_HOUR / 4] * len(load))


async def test_no_load_statistics_is_reported_not_guessed(hass: HomeAssistant) -> None:
    """Without any statistics for the load sensor there is no plan, and the reason says why."""
    set_inputs(hass)
    entry = _entry(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert "load" in str(entry.reason)
