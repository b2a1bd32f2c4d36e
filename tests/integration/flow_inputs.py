"""Entities, other integrations' entries and form inputs for the config, options and reconfigure flow tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.data_entry_flow import FlowResult, FlowResultType, section
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockModule, mock_integration
import voluptuous as vol

from custom_components.darkstar.core.options import (
    CONF_BATTERY_CAPACITY,
    CONF_CHARGE_EFFICIENCY,
    CONF_DISCHARGE_EFFICIENCY,
    CONF_ENERGY_TAX,
    CONF_EXPORT_BONUS,
    CONF_FORECAST_SOLAR_ENTRY,
    CONF_GRID_FEE,
    CONF_HAS_BATTERY,
    CONF_HAS_SOLAR,
    CONF_HAS_WATER_HEATER,
    CONF_LOAD_ENTITY,
    CONF_MAX_CHARGE,
    CONF_MAX_DISCHARGE,
    CONF_MAX_SOC,
    CONF_MIN_SOC,
    CONF_NORDPOOL_AREA,
    CONF_NORDPOOL_ENTRY,
    CONF_PRICE_ATTRIBUTE,
    CONF_PRICE_ENTITY,
    CONF_PRICE_SOURCE,
    CONF_PV_ENTITIES,
    CONF_PV_SOURCE,
    CONF_SOC_ENTITY,
    CONF_VAT_PERCENT,
    CONF_WATER_COMFORT_PENALTY,
    CONF_WATER_DEFER,
    CONF_WATER_HEATED_TODAY_ENTITY,
    CONF_WATER_MAX_GAP,
    CONF_WATER_MIN_KWH,
    CONF_WATER_POWER,
    CONF_WATER_SPACING,
    CONF_WATER_START_PENALTY,
    CONF_WATER_TEMPERATURE_ENTITY,
    CONF_WEAR_COST,
    DEFAULTS,
    PRICE_SOURCE_CORE_NORDPOOL,
    PRICE_SOURCE_EPEX_SPOT,
    PRICE_SOURCE_GENERIC,
    PRICE_SOURCE_HACS_NORDPOOL,
    PRICE_SOURCE_TIBBER,
    PV_SOURCE_FORECAST_SOLAR,
    PV_SOURCE_NONE,
    PV_SOURCE_SOLCAST,
)

HACS_NORDPOOL = "sensor.nordpool_kwh_se4_sek_3_10_025"
EPEX_SPOT = "sensor.epex_spot_data_total_price"
GENERIC_PRICES = "sensor.my_spot_prices"
SOC = "sensor.battery_soc"
SOLCAST_TODAY = "sensor.solcast_pv_forecast_forecast_today"
SOLCAST_TOMORROW = "sensor.solcast_pv_forecast_forecast_tomorrow"
LOAD = "sensor.house_energy"
HEATED_TODAY = "sensor.water_heater_energy_today"
WATER_TEMPERATURE = "sensor.water_heater_temperature"
# Entities that exist but are wrong for the field they are offered to.
NO_LIST_SENSOR = "sensor.outdoor_temperature"  # no price or forecast list, unit °C
MISSING = "sensor.does_not_exist"

NORDPOOL_ENTRY = "nordpool_entry_loaded"
NORDPOOL_ENTRY_NOT_LOADED = "nordpool_entry_not_loaded"
FORECAST_SOLAR_ENTRY = "forecast_solar_entry"


def prepare(hass: HomeAssistant) -> None:
    """Every source entity, the other integrations' entries and the Tibber action."""
    set_states(hass)
    add_other_entries(hass)
    register_tibber(hass)


def set_states(hass: HomeAssistant) -> None:
    """Create every entity the flows can be pointed at, as their integrations publish them."""
    start = dt_util.start_of_local_day()
    end = start + timedelta(hours=1)
    hass.states.async_set(
        HACS_NORDPOOL,
        "1.2",
        {"unit_of_measurement": "SEK/kWh", "raw_today": [{"start": start, "end": end, "value": 1.2}]},
    )
    epex = [{"start_time": start.isoformat(), "end_time": end.isoformat(), "price_per_kwh": 0.2}]
    hass.states.async_set(EPEX_SPOT, "0.2", {"unit_of_measurement": "EUR/kWh", "data": epex})
    generic = [{"start": start.isoformat(), "value": 0.3}]
    hass.states.async_set(GENERIC_PRICES, "0.3", {"unit_of_measurement": "EUR/kWh", "prices": generic})
    hass.states.async_set(SOC, "50", {"unit_of_measurement": "%", "device_class": "battery"})
    forecast = [{"period_start": start, "pv_estimate": 1.0, "pv_estimate10": 0.5, "pv_estimate90": 1.5}]
    for entity_id in (SOLCAST_TODAY, SOLCAST_TOMORROW):
        hass.states.async_set(entity_id, "20.0", {"unit_of_measurement": "kWh", "detailedForecast": forecast})
    hass.states.async_set(LOAD, "1234.5", {"unit_of_measurement": "kWh", "state_class": "total_increasing"})
    hass.states.async_set(HEATED_TODAY, "1500", {"unit_of_measurement": "Wh"})
    hass.states.async_set(WATER_TEMPERATURE, "55", {"unit_of_measurement": "°C"})
    hass.states.async_set(NO_LIST_SENSOR, "12", {"unit_of_measurement": "°C"})


def add_other_entries(hass: HomeAssistant) -> None:
    """A loaded Nord Pool entry (area SE4), one that is not loaded, and a Forecast.Solar entry."""
    mock_integration(hass, MockModule("nordpool"))
    mock_integration(hass, MockModule("forecast_solar"))
    for entry_id, state in (
        (NORDPOOL_ENTRY, ConfigEntryState.LOADED),
        (NORDPOOL_ENTRY_NOT_LOADED, ConfigEntryState.NOT_LOADED),
    ):
        data = {"areas": ["SE4"], "currency": "SEK"}
        MockConfigEntry(domain="nordpool", entry_id=entry_id, data=data, state=state).add_to_hass(hass)
    MockConfigEntry(domain="forecast_solar", entry_id=FORECAST_SOLAR_ENTRY, data={}).add_to_hass(hass)


def register_tibber(hass: HomeAssistant) -> None:
    """A stand-in for the Tibber integration's tibber.get_prices action."""

    async def get_prices(call: Any) -> ServiceResponse:
        return {"prices": {}}

    hass.services.async_register("tibber", "get_prices", get_prices)


def profile(*, solar: bool, battery: bool, water_heater: bool) -> dict[str, Any]:
    """The user (profile) step's input."""
    return {CONF_HAS_SOLAR: solar, CONF_HAS_BATTERY: battery, CONF_HAS_WATER_HEATER: water_heater}


TARIFF: dict[str, Any] = {
    CONF_GRID_FEE: 0.25,
    CONF_ENERGY_TAX: 0.36,
    CONF_VAT_PERCENT: 25.0,
    CONF_EXPORT_BONUS: 0.05,
}

# Each price source's detail step input (None: the source has no detail step).
PRICE_DETAILS: dict[str, dict[str, Any] | None] = {
    PRICE_SOURCE_HACS_NORDPOOL: {CONF_PRICE_ENTITY: HACS_NORDPOOL},
    PRICE_SOURCE_CORE_NORDPOOL: {CONF_NORDPOOL_ENTRY: NORDPOOL_ENTRY, CONF_NORDPOOL_AREA: "SE4"},
    PRICE_SOURCE_TIBBER: None,
    PRICE_SOURCE_EPEX_SPOT: {CONF_PRICE_ENTITY: EPEX_SPOT},
    PRICE_SOURCE_GENERIC: {CONF_PRICE_ENTITY: GENERIC_PRICES, CONF_PRICE_ATTRIBUTE: "prices"},
}
PV_DETAILS: dict[str, dict[str, Any] | None] = {
    PV_SOURCE_SOLCAST: {CONF_PV_ENTITIES: [SOLCAST_TODAY, SOLCAST_TOMORROW]},
    PV_SOURCE_FORECAST_SOLAR: {CONF_FORECAST_SOLAR_ENTRY: FORECAST_SOLAR_ENTRY},
    PV_SOURCE_NONE: None,
}
BATTERY: dict[str, Any] = {
    CONF_SOC_ENTITY: SOC,
    CONF_BATTERY_CAPACITY: 13.5,
    CONF_MAX_CHARGE: 4.6,
    CONF_MAX_DISCHARGE: 4.8,
    CONF_MIN_SOC: 15.0,
    CONF_MAX_SOC: 90.0,
    CONF_CHARGE_EFFICIENCY: 0.96,
    CONF_DISCHARGE_EFFICIENCY: 0.94,
    CONF_WEAR_COST: 0.05,
}
LOAD_INPUT: dict[str, Any] = {CONF_LOAD_ENTITY: LOAD}
WATER_HEATER: dict[str, Any] = {
    CONF_WATER_POWER: 3.0,
    CONF_WATER_MIN_KWH: 8.0,
    CONF_WATER_SPACING: 4.0,
    CONF_WATER_MAX_GAP: 12.0,
    CONF_WATER_COMFORT_PENALTY: 1.5,
    CONF_WATER_START_PENALTY: 0.2,
    CONF_WATER_DEFER: 2.0,
    CONF_WATER_HEATED_TODAY_ENTITY: HEATED_TODAY,
    CONF_WATER_TEMPERATURE_ENTITY: WATER_TEMPERATURE,
}


def flow_steps(
    *,
    solar: bool,
    battery: bool,
    water_heater: bool,
    price_source: str = PRICE_SOURCE_HACS_NORDPOOL,
    pv_source: str = PV_SOURCE_SOLCAST,
    first_step: str = "user",
) -> list[tuple[str, dict[str, Any]]]:
    """The steps (id, valid input) that a flow for this profile and these sources goes through."""
    steps: list[tuple[str, dict[str, Any]]] = [
        (first_step, profile(solar=solar, battery=battery, water_heater=water_heater)),
        ("prices", {CONF_PRICE_SOURCE: price_source, **TARIFF}),
    ]
    if (details := PRICE_DETAILS[price_source]) is not None:
        steps.append((f"price_{price_source}", details))
    if battery:
        steps.append(("battery", BATTERY))
    if solar:
        steps.append(("solar", {CONF_PV_SOURCE: pv_source}))
        if (pv := PV_DETAILS[pv_source]) is not None:
            steps.append((f"pv_{pv_source}", pv))
    steps.append(("load", LOAD_INPUT))
    if water_heater:
        steps.append(("water_heater", WATER_HEATER))
    return steps


def expected_options(steps: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """The options an entry created through these steps holds: defaults plus every input."""
    options: dict[str, Any] = dict(DEFAULTS)
    for _step, values in steps:
        options.update(values)
    return options


async def submit(
    hass: HomeAssistant, result: FlowResult, steps: list[tuple[str, dict[str, Any]]]
) -> FlowResult:
    """Submit each step's input, checking that the flow shows exactly these forms in this order."""
    for step_id, values in steps:
        assert result["type"] is FlowResultType.FORM, result
        assert result["step_id"] == step_id
        assert result["errors"] == {}
        result = await hass.config_entries.flow.async_configure(result["flow_id"], values)
    return result


async def advance_to(
    hass: HomeAssistant, result: FlowResult, steps: list[tuple[str, dict[str, Any]]], step_id: str
) -> FlowResult:
    """Submit the steps before `step_id`; return its form."""
    ids = [sid for sid, _values in steps]
    result = await submit(hass, result, steps[: ids.index(step_id)])
    assert result["step_id"] == step_id
    return result


def shown_values(schema: vol.Schema) -> dict[str, Any]:
    """What the frontend submits for an untouched form: every suggested value, sections nested."""
    values: dict[str, Any] = {}
    for marker, value in schema.schema.items():
        if isinstance(value, section):
            values[marker.schema] = shown_values(value.schema)
        elif (suggested := (marker.description or {}).get("suggested_value")) is not None:
            values[marker.schema] = suggested
    return values


def form_layout(schema: vol.Schema) -> dict[str | None, list[str]]:
    """A form's fields by section (None = top level)."""
    layout: dict[str | None, list[str]] = {None: []}
    for marker, value in schema.schema.items():
        if isinstance(value, section):
            layout[marker.schema] = [str(inner.schema) for inner in value.schema.schema]
        else:
            layout[None].append(marker.schema)
    return layout
