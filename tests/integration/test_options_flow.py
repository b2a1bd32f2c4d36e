"""Options flow: sections by profile, prefilled values, flat storage, validation with recovery, reload."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType, section
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.darkstar.const import DOMAIN
from custom_components.darkstar.core.options import (
    CONF_BATTERY_CAPACITY,
    CONF_EXPORT_ENABLED,
    CONF_GRID_FEE,
    CONF_HAS_BATTERY,
    CONF_HAS_SOLAR,
    CONF_HAS_WATER_HEATER,
    CONF_IMPORT_ENERGY_ENTITY,
    CONF_IMPORT_LIMIT_KW,
    CONF_LOAD_ENTITY,
    CONF_MIN_SOC,
    CONF_NORDPOOL_AREA,
    CONF_NORDPOOL_ENTRY,
    CONF_PRICE_ATTRIBUTE,
    CONF_PRICE_ENTITY,
    CONF_PRICE_SOURCE,
    CONF_PV_ENTITIES,
    CONF_PV_SOURCE,
    CONF_RAMPING_COST,
    CONF_RETENTION_DAYS,
    CONF_TARGET_SOC,
    CONF_TERMINAL_VALUE,
    CONF_TIME_LIMIT,
    CONF_WATER_HEATED_TODAY_ENTITY,
    CONF_WATER_POWER,
    CONF_WATER_TEMPERATURE_ENTITY,
    DEFAULTS,
    PRICE_SOURCE_CORE_NORDPOOL,
    PRICE_SOURCE_GENERIC,
    PRICE_SOURCE_TIBBER,
    PRICE_SOURCES,
    PV_SOURCE_NONE,
    PV_SOURCES,
)
from custom_components.darkstar.flow_schemas import options_layout

from .flow_inputs import (
    GENERIC_PRICES,
    MISSING,
    NO_LIST_SENSOR,
    NORDPOOL_ENTRY,
    SOLCAST_TODAY,
    expected_options,
    flow_steps,
    form_layout,
    prepare,
    register_tibber,
    shown_values,
)

pytestmark = pytest.mark.usefixtures("bypass_setup")

TRANSLATIONS = json.loads(
    (Path(__file__).parents[2] / "custom_components" / "darkstar" / "translations" / "en.json").read_text()
)
# What the config flow stores for a home with everything (HACS Nord Pool, Solcast).
FULL = expected_options(flow_steps(solar=True, battery=True, water_heater=True))
ALL_SECTIONS = ["tariff", "grid", "battery", "solar", "water_heater", "learning", "solver"]


@pytest.fixture(autouse=True)
def other_integrations(hass: HomeAssistant) -> None:
    """Every source entity, a Nord Pool and a Forecast.Solar entry, and the Tibber action."""
    prepare(hass)


def add_entry(hass: HomeAssistant, **changes: Any) -> MockConfigEntry:
    """A Darkstar entry holding FULL with these changes."""
    entry = MockConfigEntry(domain=DOMAIN, title="Darkstar", data={}, options={**FULL, **changes})
    entry.add_to_hass(hass)
    return entry


async def open_form(hass: HomeAssistant, entry: MockConfigEntry) -> FlowResult:
    """The options form of this entry."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    return result


@pytest.mark.parametrize(
    ("changes", "top", "sections"),
    [
        pytest.param({}, [CONF_PRICE_ENTITY, CONF_LOAD_ENTITY], ALL_SECTIONS, id="everything"),
        pytest.param(
            {CONF_HAS_BATTERY: False},
            [CONF_PRICE_ENTITY, CONF_LOAD_ENTITY],
            ["tariff", "grid", "solar", "water_heater", "learning", "solver"],
            id="no-battery",
        ),
        pytest.param(
            {CONF_HAS_SOLAR: False, CONF_HAS_WATER_HEATER: False},
            [CONF_PRICE_ENTITY, CONF_LOAD_ENTITY],
            ["tariff", "grid", "battery", "learning", "solver"],
            id="battery-only",
        ),
        pytest.param(
            {CONF_PV_SOURCE: PV_SOURCE_NONE},
            [CONF_PRICE_ENTITY, CONF_LOAD_ENTITY],
            ["tariff", "grid", "battery", "water_heater", "learning", "solver"],
            id="solar-without-forecast",
        ),
        pytest.param(
            {CONF_PRICE_SOURCE: PRICE_SOURCE_TIBBER},
            [CONF_LOAD_ENTITY],
            ALL_SECTIONS,
            id="tibber",
        ),
        pytest.param(
            {CONF_PRICE_SOURCE: PRICE_SOURCE_CORE_NORDPOOL, CONF_NORDPOOL_ENTRY: NORDPOOL_ENTRY},
            [CONF_NORDPOOL_ENTRY, CONF_NORDPOOL_AREA, CONF_LOAD_ENTITY],
            ALL_SECTIONS,
            id="core-nordpool",
        ),
    ],
)
async def test_form_shows_what_the_profile_needs(
    hass: HomeAssistant, changes: dict[str, Any], top: list[str], sections: list[str]
) -> None:
    """Sections the profile makes irrelevant are hidden; only the solver section is collapsed."""
    entry = add_entry(hass, **changes)
    result = await open_form(hass, entry)

    layout = form_layout(result["data_schema"])
    assert layout.pop(None) == top
    assert list(layout) == sections
    collapsed = [
        str(marker.schema)
        for marker, value in result["data_schema"].schema.items()
        if isinstance(value, section) and value.options["collapsed"]
    ]
    assert collapsed == ["learning", "solver"]
    if "battery" in layout:
        assert {CONF_RAMPING_COST, CONF_TARGET_SOC, CONF_TERMINAL_VALUE} <= set(layout["battery"])


async def test_form_is_prefilled_with_the_options(hass: HomeAssistant) -> None:
    """Every field suggests its stored value, nested in its section."""
    entry = add_entry(hass, **{CONF_TIME_LIMIT: 25.0, CONF_IMPORT_LIMIT_KW: 11.0})
    result = await open_form(hass, entry)

    shown = shown_values(result["data_schema"])
    assert shown[CONF_PRICE_ENTITY] == FULL[CONF_PRICE_ENTITY]
    assert shown["battery"][CONF_BATTERY_CAPACITY] == FULL[CONF_BATTERY_CAPACITY]
    assert shown["grid"][CONF_IMPORT_LIMIT_KW] == 11.0
    assert shown["solver"][CONF_TIME_LIMIT] == 25.0
    assert shown["solar"][CONF_PV_ENTITIES] == FULL[CONF_PV_ENTITIES]
    assert shown["water_heater"][CONF_WATER_TEMPERATURE_ENTITY] == FULL[CONF_WATER_TEMPERATURE_ENTITY]


async def test_changes_are_stored_flat(hass: HomeAssistant) -> None:
    """Submitted sections are dissolved: the entry holds the changed values flat, the rest unchanged."""
    entry = add_entry(hass)
    result = await open_form(hass, entry)
    values = shown_values(result["data_schema"])
    values["tariff"][CONF_GRID_FEE] = 0.42
    values["grid"][CONF_EXPORT_ENABLED] = False
    values["grid"][CONF_IMPORT_LIMIT_KW] = 11.0
    values["battery"][CONF_RAMPING_COST] = 0.01
    values["battery"][CONF_TARGET_SOC] = 50.0
    values["solver"][CONF_TIME_LIMIT] = 30.0

    result = await hass.config_entries.options.async_configure(result["flow_id"], values)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    changed = {
        CONF_GRID_FEE: 0.42,
        CONF_EXPORT_ENABLED: False,
        CONF_IMPORT_LIMIT_KW: 11.0,
        CONF_RAMPING_COST: 0.01,
        CONF_TARGET_SOC: 50.0,
        CONF_TIME_LIMIT: 30.0,
    }
    assert dict(entry.options) == {**FULL, **changed}
    assert not set(ALL_SECTIONS) & set(entry.options)
    assert entry.data == {}


@pytest.mark.parametrize(
    ("profile", "hidden"),
    [
        pytest.param({CONF_HAS_BATTERY: False}, {CONF_BATTERY_CAPACITY: 7.0}, id="no-battery"),
        pytest.param(
            {CONF_HAS_SOLAR: False, CONF_HAS_WATER_HEATER: False},
            {CONF_WATER_POWER: 2.0, CONF_PV_ENTITIES: [MISSING], CONF_WATER_TEMPERATURE_ENTITY: MISSING},
            id="battery-only",
        ),
    ],
)
async def test_hidden_sections_are_left_alone(
    hass: HomeAssistant, profile: dict[str, bool], hidden: dict[str, Any]
) -> None:
    """Hidden sections are not checked; their numbers are kept, their (stale) entities dropped."""
    entry = add_entry(hass, **profile, **hidden)
    result = await open_form(hass, entry)
    values = shown_values(result["data_schema"])
    values["solver"][CONF_TIME_LIMIT] = 12.0

    result = await hass.config_entries.options.async_configure(result["flow_id"], values)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_TIME_LIMIT] == 12.0
    numbers = {key: value for key, value in hidden.items() if isinstance(value, float)}
    assert {key: entry.options[key] for key in numbers} == numbers
    assert not (set(hidden) - set(numbers)) & set(entry.options)


async def test_clearing_an_optional_entity_removes_it(hass: HomeAssistant) -> None:
    """An optional entity left empty disappears from the options."""
    entry = add_entry(hass)
    result = await open_form(hass, entry)
    values = shown_values(result["data_schema"])
    del values["water_heater"][CONF_WATER_TEMPERATURE_ENTITY]

    result = await hass.config_entries.options.async_configure(result["flow_id"], values)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert CONF_WATER_TEMPERATURE_ENTITY not in entry.options
    assert entry.options[CONF_WATER_HEATED_TODAY_ENTITY] == FULL[CONF_WATER_HEATED_TODAY_ENTITY]


@pytest.mark.parametrize(
    ("part", "key", "bad", "location", "error"),
    [
        (None, CONF_PRICE_ENTITY, MISSING, CONF_PRICE_ENTITY, "entity_not_found"),
        (None, CONF_PRICE_ENTITY, NO_LIST_SENSOR, CONF_PRICE_ENTITY, "missing_raw_today"),
        (None, CONF_LOAD_ENTITY, NO_LIST_SENSOR, CONF_LOAD_ENTITY, "unit_not_energy"),
        ("battery", CONF_MIN_SOC, 95.0, "battery", "min_soc_not_below_max"),
        ("battery", CONF_TARGET_SOC, 99.0, "battery", "target_soc_out_of_range"),
        ("battery", CONF_TARGET_SOC, 5.0, "battery", "target_soc_out_of_range"),
        ("solar", CONF_PV_ENTITIES, [SOLCAST_TODAY, MISSING], "solar", "entity_not_found"),
        ("water_heater", CONF_WATER_TEMPERATURE_ENTITY, MISSING, "water_heater", "entity_not_found"),
    ],
)
async def test_validation_error_then_recovery(
    hass: HomeAssistant, part: str | None, key: str, bad: Any, location: str, error: str
) -> None:
    """A bad value gets a translated error on its field or section, keeps what was typed, and can be fixed."""
    entry = add_entry(hass)
    result = await open_form(hass, entry)
    good = shown_values(result["data_schema"])
    values = json.loads(json.dumps(good))
    (values if part is None else values[part])[key] = bad

    result = await hass.config_entries.options.async_configure(result["flow_id"], values)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {location: error}
    assert error in TRANSLATIONS["options"]["error"]
    assert shown_values(result["data_schema"]) == values
    assert dict(entry.options) == FULL
    result = await hass.config_entries.options.async_configure(result["flow_id"], good)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert dict(entry.options) == FULL


async def test_generic_attribute_is_checked(hass: HomeAssistant) -> None:
    """A generic price sensor's attribute name is checked and can be fixed (stored stripped)."""
    entry = add_entry(hass, **{CONF_PRICE_SOURCE: PRICE_SOURCE_GENERIC, CONF_PRICE_ENTITY: GENERIC_PRICES})
    result = await open_form(hass, entry)
    values = shown_values(result["data_schema"])
    assert values[CONF_PRICE_ATTRIBUTE] == DEFAULTS[CONF_PRICE_ATTRIBUTE]
    values[CONF_PRICE_ATTRIBUTE] = "today"
    result = await hass.config_entries.options.async_configure(result["flow_id"], values)
    assert result["errors"] == {CONF_PRICE_ATTRIBUTE: "missing_price_attribute"}
    values[CONF_PRICE_ATTRIBUTE] = " prices "
    result = await hass.config_entries.options.async_configure(result["flow_id"], values)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_PRICE_ATTRIBUTE] == "prices"


async def test_tibber_without_its_action_is_a_form_error(hass: HomeAssistant) -> None:
    """Tibber's action gone: a general error; back again: saved."""
    entry = add_entry(hass, **{CONF_PRICE_SOURCE: PRICE_SOURCE_TIBBER})
    hass.services.async_remove("tibber", "get_prices")
    result = await open_form(hass, entry)
    values = shown_values(result["data_schema"])
    result = await hass.config_entries.options.async_configure(result["flow_id"], values)
    assert result["errors"] == {"base": "tibber_not_available"}
    register_tibber(hass)
    result = await hass.config_entries.options.async_configure(result["flow_id"], values)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_saving_reloads_the_entry(hass: HomeAssistant) -> None:
    """OptionsFlowWithReload: a loaded entry is set up again with the new options."""
    entry = add_entry(hass)
    setup = AsyncMock(return_value=True)
    with (
        patch("custom_components.darkstar.async_setup_entry", setup),
        patch("custom_components.darkstar.async_unload_entry", AsyncMock(return_value=True)),
    ):
        assert await hass.config_entries.async_setup(entry.entry_id)
        assert entry.state is ConfigEntryState.LOADED
        result = await open_form(hass, entry)
        values = shown_values(result["data_schema"])
        values["solver"][CONF_TIME_LIMIT] = 20.0
        await hass.config_entries.options.async_configure(result["flow_id"], values)
        await hass.async_block_till_done()

    assert setup.await_count == 2
    assert setup.await_args.args[1].options[CONF_TIME_LIMIT] == 20.0


@pytest.mark.parametrize("price_source", PRICE_SOURCES)
@pytest.mark.parametrize("pv_source", [s for s in PV_SOURCES if s != PV_SOURCE_NONE])
def test_every_options_field_is_translated(price_source: str, pv_source: str) -> None:
    """Every field the options form can show has a label and a description, also inside sections."""
    options = {**FULL, CONF_PRICE_SOURCE: price_source, CONF_PV_SOURCE: pv_source}
    step = TRANSLATIONS["options"]["step"]["init"]
    for name, fields in options_layout(options):
        texts = step if name is None else step["sections"][name]
        if name is not None:
            assert texts["name"]
        for key in fields:
            assert texts["data"][key]
            assert texts["data_description"][key]


async def test_learning_meters_are_checked_and_stored(hass: HomeAssistant) -> None:
    """The learning section's meters must measure energy; a good one is stored, a cleared one removed."""
    entry = add_entry(hass)
    hass.states.async_set("sensor.grid_import", "12.5", {"unit_of_measurement": "kWh"})
    hass.states.async_set("sensor.grid_power", "900", {"unit_of_measurement": "W"})
    result = await open_form(hass, entry)
    values = shown_values(result["data_schema"])
    values["learning"][CONF_IMPORT_ENERGY_ENTITY] = "sensor.grid_power"
    result = await hass.config_entries.options.async_configure(result["flow_id"], values)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"learning": "unit_not_energy"}

    values["learning"][CONF_IMPORT_ENERGY_ENTITY] = "sensor.grid_import"
    values["learning"][CONF_RETENTION_DAYS] = 90
    result = await hass.config_entries.options.async_configure(result["flow_id"], values)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options[CONF_IMPORT_ENERGY_ENTITY] == "sensor.grid_import"
    assert entry.options[CONF_RETENTION_DAYS] == 90

    result = await open_form(hass, entry)
    values = shown_values(result["data_schema"])
    del values["learning"][CONF_IMPORT_ENERGY_ENTITY]
    result = await hass.config_entries.options.async_configure(result["flow_id"], values)
    assert CONF_IMPORT_ENERGY_ENTITY not in entry.options
