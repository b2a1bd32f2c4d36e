"""Reconfigure: change the profile and the sources through the same steps, prefilled, then reload."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.darkstar.const import DOMAIN
from custom_components.darkstar.core.options import (
    CONF_BATTERY_CAPACITY,
    CONF_FORECAST_SOLAR_ENTRY,
    CONF_GRID_FEE,
    CONF_HAS_BATTERY,
    CONF_HAS_SOLAR,
    CONF_HAS_WATER_HEATER,
    CONF_LOAD_ENTITY,
    CONF_MAX_CHARGE,
    CONF_NORDPOOL_AREA,
    CONF_PRICE_ENTITY,
    CONF_PRICE_SOURCE,
    CONF_PV_ENTITIES,
    CONF_PV_SOURCE,
    CONF_SOC_ENTITY,
    CONF_TIME_LIMIT,
    CONF_WATER_POWER,
    DEFAULTS,
    PRICE_SOURCE_CORE_NORDPOOL,
    PRICE_SOURCE_HACS_NORDPOOL,
    PV_SOURCE_FORECAST_SOLAR,
    PV_SOURCE_SOLCAST,
)

from .flow_inputs import (
    BATTERY,
    LOAD_INPUT,
    MISSING,
    TARIFF,
    expected_options,
    flow_steps,
    prepare,
    profile,
    shown_values,
    submit,
)

pytestmark = pytest.mark.usefixtures("bypass_setup")

# A home with solar and a battery (HACS Nord Pool, Solcast); a tuned solver limit from the options flow.
SOLAR_AND_BATTERY = {
    **expected_options(flow_steps(solar=True, battery=True, water_heater=False)),
    CONF_TIME_LIMIT: 25.0,
}


@pytest.fixture(autouse=True)
def other_integrations(hass: HomeAssistant) -> None:
    """Every source entity, a Nord Pool and a Forecast.Solar entry, and the Tibber action."""
    prepare(hass)


def add_entry(hass: HomeAssistant, options: dict[str, Any]) -> MockConfigEntry:
    """A Darkstar entry with these options."""
    entry = MockConfigEntry(domain=DOMAIN, title="Darkstar", data={}, options=options)
    entry.add_to_hass(hass)
    return entry


async def test_profile_and_sources_change(hass: HomeAssistant) -> None:
    """Drop the battery, add a water heater, move to core Nord Pool and Forecast.Solar."""
    entry = add_entry(hass, dict(SOLAR_AND_BATTERY))
    steps = flow_steps(
        solar=True,
        battery=False,
        water_heater=True,
        price_source=PRICE_SOURCE_CORE_NORDPOOL,
        pv_source=PV_SOURCE_FORECAST_SOLAR,
        first_step="reconfigure",
    )
    result = await submit(hass, await entry.start_reconfigure_flow(hass), steps)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    options = entry.options
    assert options[CONF_HAS_BATTERY] is False
    assert options[CONF_HAS_WATER_HEATER] is True
    assert options[CONF_PRICE_SOURCE] == PRICE_SOURCE_CORE_NORDPOOL
    assert options[CONF_NORDPOOL_AREA] == "SE4"
    assert options[CONF_PV_SOURCE] == PV_SOURCE_FORECAST_SOLAR
    assert options[CONF_FORECAST_SOLAR_ENTRY]
    # Entities nothing uses any more are gone; numbers the new profile hides are kept for later.
    assert CONF_PRICE_ENTITY not in options
    assert CONF_PV_ENTITIES not in options
    assert CONF_SOC_ENTITY not in options
    assert options[CONF_BATTERY_CAPACITY] == BATTERY[CONF_BATTERY_CAPACITY]
    assert options[CONF_TIME_LIMIT] == 25.0
    assert options[CONF_WATER_POWER] == 3.0
    assert entry.data == {}


async def test_every_step_starts_from_the_current_options(hass: HomeAssistant) -> None:
    """Each form suggests the entry's values; submitting them unchanged keeps the options as they were."""
    entry = add_entry(hass, dict(SOLAR_AND_BATTERY))
    result = await entry.start_reconfigure_flow(hass)
    seen: list[str] = []
    last: list[str] = []
    while result["type"] is FlowResultType.FORM:
        shown = shown_values(result["data_schema"])
        assert shown == {key: SOLAR_AND_BATTERY[key] for key in shown}
        assert shown, result["step_id"]
        seen.append(result["step_id"])
        if result["last_step"]:
            last.append(result["step_id"])
        result = await hass.config_entries.flow.async_configure(result["flow_id"], shown)

    assert seen == ["reconfigure", "prices", "price_hacs_nordpool", "battery", "solar", "pv_solcast", "load"]
    assert last == ["load"]
    assert result["reason"] == "reconfigure_successful"
    assert dict(entry.options) == SOLAR_AND_BATTERY


async def test_adding_a_battery_asks_for_it(hass: HomeAssistant) -> None:
    """A grid-only home that gains a battery gets the battery step, prefilled with the defaults."""
    grid_only = expected_options(flow_steps(solar=False, battery=False, water_heater=False))
    entry = add_entry(hass, grid_only)
    result = await entry.start_reconfigure_flow(hass)
    result = await submit(
        hass,
        result,
        [
            ("reconfigure", profile(solar=False, battery=True, water_heater=False)),
            ("prices", {CONF_PRICE_SOURCE: PRICE_SOURCE_HACS_NORDPOOL, **TARIFF}),
            ("price_hacs_nordpool", {CONF_PRICE_ENTITY: grid_only[CONF_PRICE_ENTITY]}),
        ],
    )
    assert result["step_id"] == "battery"
    shown = shown_values(result["data_schema"])
    assert shown[CONF_BATTERY_CAPACITY] == DEFAULTS[CONF_BATTERY_CAPACITY]
    assert CONF_SOC_ENTITY not in shown

    result = await submit(hass, result, [("battery", BATTERY), ("load", LOAD_INPUT)])

    assert result["reason"] == "reconfigure_successful"
    assert entry.options[CONF_HAS_BATTERY] is True
    assert entry.options[CONF_MAX_CHARGE] == BATTERY[CONF_MAX_CHARGE]


async def test_error_then_recovery(hass: HomeAssistant) -> None:
    """A bad entity in a reconfigure step is reported on its field and can be fixed in the same flow."""
    entry = add_entry(hass, dict(SOLAR_AND_BATTERY))
    steps = flow_steps(solar=False, battery=False, water_heater=False, first_step="reconfigure")
    result = await submit(hass, await entry.start_reconfigure_flow(hass), steps[:-1])
    assert result["step_id"] == "load"

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_LOAD_ENTITY: MISSING})
    assert result["errors"] == {CONF_LOAD_ENTITY: "entity_not_found"}
    assert dict(entry.options) == SOLAR_AND_BATTERY

    result = await hass.config_entries.flow.async_configure(result["flow_id"], LOAD_INPUT)
    assert result["reason"] == "reconfigure_successful"
    assert entry.options[CONF_HAS_SOLAR] is False
    assert entry.options[CONF_GRID_FEE] == TARIFF[CONF_GRID_FEE]
    assert CONF_PV_ENTITIES not in entry.options


async def test_reconfigure_reloads_the_entry(hass: HomeAssistant) -> None:
    """A loaded entry is set up again with the new options."""
    entry = add_entry(hass, dict(SOLAR_AND_BATTERY))
    setup = AsyncMock(return_value=True)
    with (
        patch("custom_components.darkstar.async_setup_entry", setup),
        patch("custom_components.darkstar.async_unload_entry", AsyncMock(return_value=True)),
    ):
        assert await hass.config_entries.async_setup(entry.entry_id)
        assert entry.state is ConfigEntryState.LOADED
        steps = flow_steps(solar=True, battery=True, water_heater=True, first_step="reconfigure")
        result = await submit(hass, await entry.start_reconfigure_flow(hass), steps)
        await hass.async_block_till_done()

    assert result["reason"] == "reconfigure_successful"
    assert setup.await_count == 2
    assert setup.await_args.args[1].options[CONF_HAS_WATER_HEATER] is True
    assert entry.options[CONF_PV_SOURCE] == PV_SOURCE_SOLCAST
