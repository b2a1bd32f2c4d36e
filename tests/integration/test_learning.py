"""The learning store in Home Assistant: episodes per plan, slot observations, reset, damage, retention."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.darkstar.const import DOMAIN
from custom_components.darkstar.core.options import (
    CONF_EXPORT_ENERGY_ENTITY,
    CONF_HAS_WATER_HEATER,
    CONF_IMPORT_ENERGY_ENTITY,
    CONF_PV_ENERGY_ENTITY,
    CONF_WATER_ENERGY_ENTITY,
)
from custom_components.darkstar.core.store import EpisodeStore
from custom_components.darkstar.learning import store_path

from .conftest import FIXED_DAY, LOAD, OPTIONS, add_load_statistics, local, set_inputs, setup_entry

PV_METER, IMPORT_METER, EXPORT_METER = "sensor.pv_energy", "sensor.grid_import", "sensor.grid_export"
WATER_METER = "sensor.water_heater_energy"


async def _episodes(hass: HomeAssistant, entry: MockConfigEntry) -> list:
    """Read the entry's store from a second connection, as the inspect tool would."""
    async with EpisodeStore(store_path(hass, entry.entry_id)) as store:
        return await store.read_all()


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, when) -> None:
    freezer.move_to(when)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_every_plan_becomes_an_episode(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """The first plan and each replan are stored as `prod` episodes, decodable to the same plan."""
    await hass.async_block_till_done(wait_background_tasks=True)
    await _tick(hass, freezer, local(3, 15))
    episodes = await _episodes(hass, loaded_entry)
    assert len(episodes) == 2
    assert {e.system_id for e in episodes} == {"prod"}
    live = loaded_entry.runtime_data.coordinator.data
    newest = max(episodes, key=lambda e: e.created_at)
    assert newest.inputs["start"] == live.scenario.start.isoformat()
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_slot_observations_from_cumulative_meters(
    hass: HomeAssistant, config_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """At each boundary the meters' deltas become one observation, with the plan's prices; resets count."""
    hass.config_entries.async_update_entry(
        config_entry,
        options={
            **OPTIONS,
            CONF_PV_ENERGY_ENTITY: PV_METER,
            CONF_IMPORT_ENERGY_ENTITY: IMPORT_METER,
            CONF_EXPORT_ENERGY_ENTITY: EXPORT_METER,
        },
    )
    freezer.move_to(FIXED_DAY)
    freezer.move_to(local(3, 2))
    set_inputs(hass)
    await add_load_statistics(hass)

    def meters(load: float, pv: float, grid_in: float, grid_out: float) -> None:
        hass.states.async_set(LOAD, str(load), {"unit_of_measurement": "kWh"})
        hass.states.async_set(PV_METER, str(pv * 1000), {"unit_of_measurement": "Wh"})
        hass.states.async_set(IMPORT_METER, str(grid_in), {"unit_of_measurement": "kWh"})
        hass.states.async_set(EXPORT_METER, str(grid_out), {"unit_of_measurement": "kWh"})

    meters(100.0, 50.0, 10.0, 5.0)
    await setup_entry(hass, config_entry)
    await _tick(hass, freezer, local(3, 15))
    meters(100.4, 50.1, 10.5, 5.0)
    await _tick(hass, freezer, local(3, 30))
    meters(100.6, 0.05, 10.7, 5.0)  # the PV meter was reset: 0.05 kWh since the reset
    await _tick(hass, freezer, local(3, 45))

    learning = config_entry.runtime_data.learning
    observed = await learning.store.observations()
    assert [o.slot_start for o in observed] == [local(3, 15), local(3, 30)]
    first, second = observed
    assert first.load_kwh == pytest.approx(0.4)
    assert first.pv_kwh == pytest.approx(0.1)
    assert first.import_kwh == pytest.approx(0.5)
    assert first.export_kwh == pytest.approx(0.0)
    assert first.import_price == pytest.approx(0.01)  # hour 3's price in the plan
    assert second.pv_kwh == pytest.approx(0.05)
    assert "reset:pv" in second.flags
    assert first.soc_start_percent == 50.0
    await hass.config_entries.async_unload(config_entry.entry_id)


async def test_reset_learning_needs_confirmation(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """reset_learning refuses without confirm, and clears the store with it."""
    await hass.async_block_till_done(wait_background_tasks=True)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "reset_learning", {"confirm": False}, blocking=True)
    assert err.value.translation_key == "confirm_required"
    assert len(await _episodes(hass, loaded_entry)) == 1

    response = await hass.services.async_call(
        DOMAIN, "reset_learning", {"confirm": True}, blocking=True, return_response=True
    )
    assert response["cleared"]["episodes"] == 1
    assert await _episodes(hass, loaded_entry) == []
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_damaged_store_is_moved_aside_and_planning_goes_on(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    config_dir: Path,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A file that is not a database is moved aside with a repair issue; a fresh store starts."""
    path = store_path(hass, config_entry.entry_id)
    await hass.async_add_executor_job(path.write_bytes, b"this is not a sqlite database" * 100)
    freezer.move_to(FIXED_DAY)
    freezer.move_to(local(3, 2))
    set_inputs(hass)
    await add_load_statistics(hass)
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert config_entry.runtime_data.coordinator.data.plan.status == "optimal"
    issue = issue_registry.async_get_issue(DOMAIN, "store_recovered")
    assert issue is not None
    moved = await hass.async_add_executor_job(lambda: list(config_dir.glob(f"{path.name}.corrupt-*")))
    assert moved
    assert len(await _episodes(hass, config_entry)) == 1
    await hass.config_entries.async_unload(config_entry.entry_id)


async def test_unusable_store_leaves_planning_running(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """If the store cannot be opened at all, Darkstar plans without it and says so, until it opens again."""
    # a directory where the file should be
    await hass.async_add_executor_job(store_path(hass, config_entry.entry_id).mkdir)
    freezer.move_to(FIXED_DAY)
    freezer.move_to(local(3, 2))
    set_inputs(hass)
    await add_load_statistics(hass)
    await setup_entry(hass, config_entry)
    assert config_entry.runtime_data.coordinator.data.plan.status == "optimal"
    assert issue_registry.async_get_issue(DOMAIN, "store_unavailable") is not None
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(DOMAIN, "reset_learning", {"confirm": True}, blocking=True)
    assert err.value.translation_key == "store_unavailable"

    # Once the store opens again (here: the directory is gone), the issue is cleared.
    await hass.async_add_executor_job(store_path(hass, config_entry.entry_id).rmdir)
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, "store_unavailable") is None
    await hass.config_entries.async_unload(config_entry.entry_id)


async def test_daily_retention_and_day_quality(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """The daily job deletes old episodes and classifies yesterday (no observations: excluded)."""
    await hass.async_block_till_done(wait_background_tasks=True)
    learning = loaded_entry.runtime_data.learning
    await learning.async_daily(local(3, 30) + timedelta(days=400))
    assert await _episodes(hass, loaded_entry) == []
    rows = await learning.store.day_quality()
    assert len(rows) == 1
    assert rows[0].cls == "exclude"
    assert any("missing" in reason for reason in rows[0].reasons)
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_heater_history_reaches_the_plan(
    hass: HomeAssistant, config_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """The water heater's energy meter tells Kepler how long the heater has been off (spacing holds)."""
    hass.config_entries.async_update_entry(
        config_entry,
        options={**OPTIONS, CONF_HAS_WATER_HEATER: True, CONF_WATER_ENERGY_ENTITY: WATER_METER},
    )
    freezer.move_to(FIXED_DAY)
    freezer.move_to(local(3, 2))
    set_inputs(hass)
    await add_load_statistics(hass)
    hass.states.async_set(WATER_METER, "10.0", {"unit_of_measurement": "kWh"})
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinator
    assert coordinator.data.scenario.water_heater.off_slots_before is None  # nothing seen yet

    await _tick(hass, freezer, local(3, 15))
    hass.states.async_set(WATER_METER, "10.75", {"unit_of_measurement": "kWh"})  # ran 03:15-03:30
    await _tick(hass, freezer, local(3, 30))
    assert coordinator.data.scenario.water_heater.off_slots_before == 0

    await _tick(hass, freezer, local(3, 45))
    await _tick(hass, freezer, local(4, 0))
    assert coordinator.data.scenario.water_heater.off_slots_before == 2
    await hass.config_entries.async_unload(config_entry.entry_id)
