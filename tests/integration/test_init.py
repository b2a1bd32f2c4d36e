"""Setup, first plan, the quarter-hour clock, and unload, in a real Home Assistant."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.darkstar.learning import Learning

from .conftest import PRICE, PRICES, SOC, local, set_inputs

ACTION = "sensor.darkstar_battery_action"
STATUS = "sensor.darkstar_planner_status"


async def test_setup_plans_and_unloads(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """The first refresh plans from the entity states; unloading removes the clock."""
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert hass.states.get(ACTION).state == "charge"
    result = loaded_entry.runtime_data.coordinator.data
    assert result.plan.status == "optimal"
    assert result.scenario.start == local(3)
    assert result.scenario.battery.initial_soc_percent == 50.0
    # the horizon stops where today's prices stop (no tomorrow yet): 03:00 -> 24:00
    assert result.scenario.n_slots == 21 * 4

    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED


async def test_entity_has_unique_id_and_service_device(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """The sensor belongs to the Darkstar service device and has a stable unique id."""
    entry = entity_registry.async_get(ACTION)
    assert entry is not None
    assert entry.unique_id == f"{loaded_entry.entry_id}_battery_action"
    assert entry.device_id is not None
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_replans_on_the_quarter_hour(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """At :15 the coordinator plans again from the next slot; in the dear evening it discharges."""
    coordinator = loaded_entry.runtime_data.coordinator
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
    set_inputs(hass, today=PRICES)  # a live SoC sensor reports again in the meantime
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert coordinator.data.scenario.start == local(17)
    assert hass.states.get(ACTION).state in ("discharge", "export")
    await hass.config_entries.async_unload(loaded_entry.entry_id)


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


async def test_bad_input_keeps_the_last_plan_then_expires(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A broken input keeps the last plan (flagged degraded) while it covers now, then goes unavailable."""
    after_midnight, later = local(0, 15, days=1), local(0, 30, days=1)
    first = loaded_entry.runtime_data.coordinator.data

    hass.states.async_set(SOC, STATE_UNAVAILABLE)
    freezer.move_to(local(3, 15))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(ACTION).state == "charge"
    status = hass.states.get(STATUS)
    assert status.state == "degraded"
    assert status.attributes["issues"] == [f"{SOC}: input_unavailable"]
    assert loaded_entry.runtime_data.coordinator.data.plan is first.plan

    # Past the end of the old plan (prices ran to midnight) nothing is left to publish.
    freezer.move_to(after_midnight)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(ACTION).state == STATE_UNAVAILABLE

    # Once the input is back (with tomorrow's prices now published) the next cycle plans again.
    set_inputs(hass, today=PRICES, tomorrow=PRICES)
    freezer.move_to(later)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(STATUS).state == "optimal"
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_a_stale_soc_keeps_the_last_plan(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A SoC that has not reported for more than 6 hours is not planned on."""
    freezer.move_to(local(9, 15))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    status = hass.states.get(STATUS)
    assert status.state == "degraded"
    assert status.attributes["issues"] == [f"{SOC}: input_stale"]
    await hass.config_entries.async_unload(loaded_entry.entry_id)


@pytest.fixture
async def learnings() -> AsyncGenerator[list[Learning]]:
    """Every Learning that setup creates (any store left open is closed afterwards, so a failure does not hang)."""
    created: list[Learning] = []

    def make(*args: Any) -> Learning:
        created.append(Learning(*args))
        return created[-1]

    with patch("custom_components.darkstar.Learning", side_effect=make):
        yield created
    for learning in created:
        await learning.async_stop()


async def test_setup_not_ready_closes_the_learning_store(
    hass: HomeAssistant, config_entry: MockConfigEntry, learnings: list[Learning]
) -> None:
    """Setup that must retry leaves no store open (Home Assistant runs the unload callbacks)."""
    set_inputs(hass)  # no load statistics: not ready
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert len(learnings) == 1
    assert learnings[0].store is None


async def test_cancelled_setup_closes_the_learning_store(
    hass: HomeAssistant, config_entry: MockConfigEntry, learnings: list[Learning]
) -> None:
    """Setup cancelled during the first plan (e.g. Home Assistant stopping) leaves no store open."""
    set_inputs(hass)
    reading = asyncio.Event()

    async def hang(*args: Any) -> None:
        reading.set()
        await asyncio.Event().wait()

    with patch("custom_components.darkstar.coordinator.read_raw_inputs", side_effect=hang):
        setup = hass.async_create_task(hass.config_entries.async_setup(config_entry.entry_id))
        await reading.wait()
        assert learnings[0].store is not None
        setup.cancel()
        with pytest.raises(asyncio.CancelledError):
            await setup
    assert learnings[0].store is None
