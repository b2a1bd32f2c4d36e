"""Config flow: each profile, price source and PV source to an entry; every error with recovery; one instance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers.selector import SelectSelector
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.darkstar.const import DOMAIN
from custom_components.darkstar.core.options import (
    CONF_BATTERY_CAPACITY,
    CONF_CHARGE_EFFICIENCY,
    CONF_DISCHARGE_EFFICIENCY,
    CONF_FORECAST_SOLAR_ENTRY,
    CONF_HAS_BATTERY,
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
    CONF_WATER_HEATED_TODAY_ENTITY,
    CONF_WATER_POWER,
    CONF_WATER_TEMPERATURE_ENTITY,
    DEFAULTS,
    PRICE_SOURCE_CORE_NORDPOOL,
    PRICE_SOURCE_EPEX_SPOT,
    PRICE_SOURCE_GENERIC,
    PRICE_SOURCE_HACS_NORDPOOL,
    PRICE_SOURCE_TIBBER,
    PRICE_SOURCES,
    PV_SOURCE_FORECAST_SOLAR,
    PV_SOURCE_SOLCAST,
    PV_SOURCES,
)
from custom_components.darkstar.flow_schemas import CONFIG_STEPS, SELECTORS

from .flow_inputs import (
    FORECAST_SOLAR_ENTRY,
    HACS_NORDPOOL,
    LOAD,
    MISSING,
    NO_LIST_SENSOR,
    NORDPOOL_ENTRY,
    NORDPOOL_ENTRY_NOT_LOADED,
    SOLCAST_TODAY,
    WATER_HEATER,
    advance_to,
    expected_options,
    flow_steps,
    prepare,
    register_tibber,
    submit,
)

pytestmark = pytest.mark.usefixtures("bypass_setup")

TRANSLATIONS = json.loads(
    (Path(__file__).parents[2] / "custom_components" / "darkstar" / "translations" / "en.json").read_text()
)


@pytest.fixture(autouse=True)
def other_integrations(hass: HomeAssistant) -> None:
    """Every source entity, a Nord Pool and a Forecast.Solar entry, and the Tibber action."""
    prepare(hass)


async def start(hass: HomeAssistant) -> FlowResult:
    """A new user flow."""
    return await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})


@pytest.mark.parametrize(
    ("solar", "battery", "water_heater"),
    [
        pytest.param(False, True, False, id="battery-only"),
        pytest.param(True, True, False, id="solar-and-battery"),
        pytest.param(True, True, True, id="everything"),
        pytest.param(True, False, False, id="no-battery"),
        pytest.param(False, False, False, id="grid-only"),
    ],
)
async def test_each_profile_asks_only_its_steps(
    hass: HomeAssistant, solar: bool, battery: bool, water_heater: bool
) -> None:
    """The profile decides which steps follow; the entry holds defaults plus every input, flat."""
    steps = flow_steps(solar=solar, battery=battery, water_heater=water_heater)
    result = await submit(hass, await start(hass), steps)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Darkstar"
    assert result["data"] == {}
    options = result["options"]
    assert options == expected_options(steps)
    assert (CONF_PV_ENTITIES in options) is solar
    assert (CONF_SOC_ENTITY in options) is battery
    assert (CONF_WATER_POWER in options) is True  # defaults are always stored
    assert options[CONF_HAS_BATTERY] is battery


@pytest.mark.parametrize("price_source", PRICE_SOURCES)
async def test_each_price_source(hass: HomeAssistant, price_source: str) -> None:
    """Every price source reaches an entry that holds only that source's fields."""
    steps = flow_steps(solar=False, battery=False, water_heater=False, price_source=price_source)
    result = await submit(hass, await start(hass), steps)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    options = result["options"]
    assert options == expected_options(steps)
    assert options[CONF_PRICE_SOURCE] == price_source
    assert (CONF_PRICE_ENTITY in options) is (
        price_source in (PRICE_SOURCE_HACS_NORDPOOL, PRICE_SOURCE_EPEX_SPOT, PRICE_SOURCE_GENERIC)
    )
    assert (CONF_NORDPOOL_ENTRY in options) is (price_source == PRICE_SOURCE_CORE_NORDPOOL)


@pytest.mark.parametrize("pv_source", PV_SOURCES)
async def test_each_pv_source(hass: HomeAssistant, pv_source: str) -> None:
    """Every PV source reaches an entry that holds only that source's fields."""
    steps = flow_steps(solar=True, battery=False, water_heater=False, pv_source=pv_source)
    result = await submit(hass, await start(hass), steps)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    options = result["options"]
    assert options == expected_options(steps)
    assert options[CONF_PV_SOURCE] == pv_source
    assert (CONF_PV_ENTITIES in options) is (pv_source == PV_SOURCE_SOLCAST)
    assert (CONF_FORECAST_SOLAR_ENTRY in options) is (pv_source == PV_SOURCE_FORECAST_SOLAR)


async def test_nordpool_area_is_normalised(hass: HomeAssistant) -> None:
    """A lower-case area with spaces is accepted and stored as Nord Pool writes it."""
    steps = flow_steps(
        solar=False, battery=False, water_heater=False, price_source=PRICE_SOURCE_CORE_NORDPOOL
    )
    steps[2] = ("price_core_nordpool", {CONF_NORDPOOL_ENTRY: NORDPOOL_ENTRY, CONF_NORDPOOL_AREA: " se4 "})
    result = await submit(hass, await start(hass), steps)
    assert result["options"][CONF_NORDPOOL_AREA] == "SE4"


async def test_template_price_sensor_and_input_number_soc(hass: HomeAssistant) -> None:
    """A template sensor with raw_today as ISO strings and an input_number SoC in % are accepted."""
    hass.states.async_set(
        "sensor.demo_spot_price",
        "0.1",
        {
            "unit_of_measurement": "EUR/kWh",
            "raw_today": [{"start": "2026-01-01T00:00:00+01:00", "value": 0.1}],
        },
    )
    hass.states.async_set(
        "input_number.demo_battery_soc", "45", {"unit_of_measurement": "%", "min": 0, "max": 100}
    )
    steps = flow_steps(solar=False, battery=True, water_heater=False)
    steps[2] = ("price_hacs_nordpool", {CONF_PRICE_ENTITY: "sensor.demo_spot_price"})
    steps[3] = ("battery", {CONF_SOC_ENTITY: "input_number.demo_battery_soc"})
    result = await submit(hass, await start(hass), steps)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"][CONF_SOC_ENTITY] == "input_number.demo_battery_soc"


async def test_water_heater_entities_are_optional(hass: HomeAssistant) -> None:
    """Without the heated-today and temperature entities the entry simply lacks them."""
    steps = flow_steps(solar=False, battery=False, water_heater=True)
    optional = (CONF_WATER_HEATED_TODAY_ENTITY, CONF_WATER_TEMPERATURE_ENTITY)
    steps[-1] = ("water_heater", {k: v for k, v in WATER_HEATER.items() if k not in optional})
    result = await submit(hass, await start(hass), steps)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert not set(optional) & set(result["options"])


# (the price or PV source that makes the step appear, step, bad values, expected error on the first bad field)
ERROR_CASES: list[Any] = [
    (PRICE_SOURCE_HACS_NORDPOOL, "price_hacs_nordpool", {CONF_PRICE_ENTITY: MISSING}, "entity_not_found"),
    (
        PRICE_SOURCE_HACS_NORDPOOL,
        "price_hacs_nordpool",
        {CONF_PRICE_ENTITY: NO_LIST_SENSOR},
        "missing_raw_today",
    ),
    (PRICE_SOURCE_EPEX_SPOT, "price_epex_spot", {CONF_PRICE_ENTITY: HACS_NORDPOOL}, "missing_data_attribute"),
    (PRICE_SOURCE_GENERIC, "price_generic", {CONF_PRICE_ATTRIBUTE: "raw_today"}, "missing_price_attribute"),
    (PRICE_SOURCE_GENERIC, "price_generic", {CONF_PRICE_ENTITY: MISSING}, "entity_not_found"),
    (PRICE_SOURCE_CORE_NORDPOOL, "price_core_nordpool", {CONF_NORDPOOL_ENTRY: "nope"}, "nordpool_not_loaded"),
    (
        PRICE_SOURCE_CORE_NORDPOOL,
        "price_core_nordpool",
        {CONF_NORDPOOL_ENTRY: NORDPOOL_ENTRY_NOT_LOADED},
        "nordpool_not_loaded",
    ),
    (
        PRICE_SOURCE_CORE_NORDPOOL,
        "price_core_nordpool",
        {CONF_NORDPOOL_ENTRY: FORECAST_SOLAR_ENTRY},
        "nordpool_not_loaded",
    ),
    (PRICE_SOURCE_CORE_NORDPOOL, "price_core_nordpool", {CONF_NORDPOOL_AREA: "SE3"}, "area_not_in_entry"),
    (PV_SOURCE_SOLCAST, "battery", {CONF_SOC_ENTITY: MISSING}, "entity_not_found"),
    (PV_SOURCE_SOLCAST, "battery", {CONF_SOC_ENTITY: LOAD}, "unit_not_percent"),
    (PV_SOURCE_SOLCAST, "battery", {CONF_BATTERY_CAPACITY: 0}, "must_be_positive"),
    (PV_SOURCE_SOLCAST, "battery", {CONF_MAX_CHARGE: 0}, "must_be_positive"),
    (PV_SOURCE_SOLCAST, "battery", {CONF_MAX_DISCHARGE: 0}, "must_be_positive"),
    (PV_SOURCE_SOLCAST, "battery", {CONF_MIN_SOC: 90, CONF_MAX_SOC: 90}, "min_soc_not_below_max"),
    (PV_SOURCE_SOLCAST, "battery", {CONF_CHARGE_EFFICIENCY: 0}, "efficiency_out_of_range"),
    (PV_SOURCE_SOLCAST, "battery", {CONF_DISCHARGE_EFFICIENCY: 0}, "efficiency_out_of_range"),
    (PV_SOURCE_SOLCAST, "pv_solcast", {CONF_PV_ENTITIES: []}, "no_entities_selected"),
    (PV_SOURCE_SOLCAST, "pv_solcast", {CONF_PV_ENTITIES: [SOLCAST_TODAY, MISSING]}, "entity_not_found"),
    (PV_SOURCE_SOLCAST, "pv_solcast", {CONF_PV_ENTITIES: [NO_LIST_SENSOR]}, "missing_detailed_forecast"),
    (
        PV_SOURCE_FORECAST_SOLAR,
        "pv_forecast_solar",
        {CONF_FORECAST_SOLAR_ENTRY: "nope"},
        "forecast_solar_not_found",
    ),
    (
        PV_SOURCE_FORECAST_SOLAR,
        "pv_forecast_solar",
        {CONF_FORECAST_SOLAR_ENTRY: NORDPOOL_ENTRY},
        "forecast_solar_not_found",
    ),
    (PV_SOURCE_SOLCAST, "load", {CONF_LOAD_ENTITY: MISSING}, "entity_not_found"),
    (PV_SOURCE_SOLCAST, "load", {CONF_LOAD_ENTITY: NO_LIST_SENSOR}, "unit_not_energy"),
    (PV_SOURCE_SOLCAST, "water_heater", {CONF_WATER_POWER: 0}, "must_be_positive"),
    (PV_SOURCE_SOLCAST, "water_heater", {CONF_WATER_HEATED_TODAY_ENTITY: NO_LIST_SENSOR}, "unit_not_energy"),
    (PV_SOURCE_SOLCAST, "water_heater", {CONF_WATER_HEATED_TODAY_ENTITY: MISSING}, "entity_not_found"),
    (PV_SOURCE_SOLCAST, "water_heater", {CONF_WATER_TEMPERATURE_ENTITY: MISSING}, "entity_not_found"),
]


def _sources(source: str) -> dict[str, str]:
    """The flow_steps arguments that make the step with this source appear."""
    return {"pv_source": source} if source in PV_SOURCES else {"price_source": source}


@pytest.mark.parametrize(("source", "step_id", "bad", "error"), ERROR_CASES)
async def test_errors_then_recovery(
    hass: HomeAssistant, source: str, step_id: str, bad: dict[str, Any], error: str
) -> None:
    """Bad input gets a translated error on its field; fixing it in the same flow creates the entry."""
    steps = flow_steps(solar=True, battery=True, water_heater=True, **_sources(source))
    index = [sid for sid, _values in steps].index(step_id)
    result = await advance_to(hass, await start(hass), steps, step_id)

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {**steps[index][1], **bad})

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step_id
    field = next(key for key in bad if key != CONF_MAX_SOC)
    assert result["errors"] == {field: error}
    assert error in TRANSLATIONS["config"]["error"]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], steps[index][1])
    result = await submit(hass, result, steps[index + 1 :])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"] == expected_options(steps)


async def test_tibber_needs_its_action(hass: HomeAssistant) -> None:
    """Tibber without tibber.get_prices is refused; once Tibber is set up the same flow goes on."""
    hass.services.async_remove("tibber", "get_prices")
    steps = flow_steps(solar=False, battery=False, water_heater=False, price_source=PRICE_SOURCE_TIBBER)
    result = await advance_to(hass, await start(hass), steps, "prices")

    result = await hass.config_entries.flow.async_configure(result["flow_id"], steps[1][1])
    assert result["errors"] == {CONF_PRICE_SOURCE: "tibber_not_available"}

    register_tibber(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], steps[1][1])
    result = await submit(hass, result, steps[2:])
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"][CONF_PRICE_SOURCE] == PRICE_SOURCE_TIBBER


async def test_numbers_default_to_the_defaults(hass: HomeAssistant) -> None:
    """A battery step with only the SoC sensor takes every number from the defaults."""
    steps = flow_steps(solar=False, battery=True, water_heater=False)
    steps[3] = ("battery", {CONF_SOC_ENTITY: steps[3][1][CONF_SOC_ENTITY]})
    result = await submit(hass, await start(hass), steps)
    assert result["options"][CONF_BATTERY_CAPACITY] == DEFAULTS[CONF_BATTERY_CAPACITY]
    assert result["options"][CONF_MIN_SOC] == DEFAULTS[CONF_MIN_SOC]


async def test_second_entry_aborts(hass: HomeAssistant) -> None:
    """Only one Darkstar can be set up."""
    MockConfigEntry(domain=DOMAIN, data={}, options=dict(DEFAULTS)).add_to_hass(hass)
    result = await start(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "single_instance_allowed"


def test_every_step_field_is_translated() -> None:
    """Every step has a title, and every field a label and a description (no references)."""
    steps = TRANSLATIONS["config"]["step"]
    for step_id, fields in CONFIG_STEPS.items():
        assert steps[step_id]["title"]
        for key in fields:
            assert steps[step_id]["data"][key]
            assert steps[step_id]["data_description"][key]
            assert "[%key:" not in steps[step_id]["data_description"][key]
    assert "reconfigure_successful" in TRANSLATIONS["config"]["abort"]


def test_every_select_option_is_translated() -> None:
    """The price and PV source dropdowns have a label for every option."""
    selects = {key: sel for key, sel in SELECTORS.items() if isinstance(sel, SelectSelector)}
    assert set(selects) == {CONF_PRICE_SOURCE, CONF_PV_SOURCE}
    for key, sel in selects.items():
        labels = TRANSLATIONS["selector"][sel.config["translation_key"]]["options"]
        assert (
            set(labels)
            == set(sel.config["options"])
            == set(PRICE_SOURCES if key == CONF_PRICE_SOURCE else PV_SOURCES)
        )
