"""Setup, first plan, the quarter-hour clock, and unload, in a real Home Assistant."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from .conftest import PRICE, SOC, set_inputs

ACTION = "sensor.darkstar_battery_action"
# Hour 3 is the only cheap hour, evening hours are dear: at 03:00 the plan must charge.
PRICES = [0.10] * 3 + [0.01] + [0.10] * 13 + [0.50] * 4 + [0.10] * 3


def local(hour: int, minute: int = 0) -> datetime:
    """Today at a local wall-clock time."""
    return dt_util.start_of_local_day() + timedelta(hours=hour, minutes=minute)


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up and wait for the first plan."""
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def test_setup_plans_and_unloads(
    hass: HomeAssistant, config_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """The first refresh plans from the entity states; unloading removes the clock."""
    freezer.move_to(local(3, 2))
    set_inputs(hass, today=PRICES)
    await setup_entry(hass, config_entry)

    assert config_entry.state is ConfigEntryState.LOADED
    assert hass.states.get(ACTION).state == "charge"
    result = config_entry.runtime_data.coordinator.data
    assert result.plan.status == "optimal"
    assert result.scenario.start == local(3)
    assert result.scenario.battery.initial_soc_percent == 50.0
    # the horizon stops where today's prices stop (no tomorrow yet): 03:00 -> 24:00
    assert result.scenario.n_slots == 21 * 4

    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.NOT_LOADED


async def test_entity_has_unique_id_and_service_device(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The sensor belongs to the Darkstar service device and has a stable unique id."""
    freezer.move_to(local(3, 2))
    set_inputs(hass, today=PRICES)
    await setup_entry(hass, config_entry)
    entry = entity_registry.async_get(ACTION)
    assert entry is not None
    assert entry.unique_id == f"{config_entry.entry_id}_battery_action"
    assert entry.device_id is not None
    await hass.config_entries.async_unload(config_entry.entry_id)


async def test_replans_on_the_quarter_hour(
    hass: HomeAssistant, config_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """At :15 the coordinator plans again from the next slot; in the dear evening it discharges."""
    freezer.move_to(local(3, 2))
    set_inputs(hass, today=PRICES)
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinator
    first = coordinator.data

    freezer.move_to(local(3, 15))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert coordinator.data is not first
    assert coordinator.data.scenario.start == local(3, 15)

    # Nothing happens between boundaries.
    second = coordinator.data
    freezer.move_to(local(3, 20))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert coordinator.data is second

    freezer.move_to(local(17, 0))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert coordinator.data.scenario.start == local(17)
    assert hass.states.get(ACTION).state in ("discharge", "export")
    await hass.config_entries.async_unload(config_entry.entry_id)


@pytest.mark.parametrize(
    ("entity_id", "state", "attributes"),
    [
        (SOC, STATE_UNAVAILABLE, {}),
        (SOC, "not a number", {"unit_of_measurement": "%"}),
        (PRICE, "0.1", {"unit_of_measurement": "EUR/kWh"}),
    ],
)
async def test_bad_input_at_startup_retries(
    hass: HomeAssistant, config_entry: MockConfigEntry, entity_id: str, state: str, attributes: dict
) -> None:
    """An unreadable input (or a price sensor without prices) makes setup retry later."""
    set_inputs(hass)
    hass.states.async_set(entity_id, state, attributes)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_sensor_goes_unavailable_when_input_breaks(
    hass: HomeAssistant, config_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """When the SoC sensor breaks after start-up, the next refresh fails and the sensor says so."""
    freezer.move_to(local(3, 2))
    set_inputs(hass, today=PRICES)
    await setup_entry(hass, config_entry)
    hass.states.async_set(SOC, STATE_UNAVAILABLE)
    freezer.move_to(local(3, 15))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(ACTION).state == STATE_UNAVAILABLE

    set_inputs(hass, today=PRICES)
    freezer.move_to(local(3, 30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(ACTION).state != STATE_UNAVAILABLE
    await hass.config_entries.async_unload(config_entry.entry_id)
