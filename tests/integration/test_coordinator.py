"""Coordinator behaviour: debounced replans on input changes, no overlapping replans, repair issues."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import threading
import time
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.darkstar.const import DOMAIN, REPLAN_DEBOUNCE_SECONDS
from custom_components.darkstar.core.cycle import run_cycle
from custom_components.darkstar.core.options import CONF_PV_ENTITIES
from custom_components.darkstar.sources import read_raw_inputs

from .conftest import OPTIONS, PRICE, PRICES, PV_TODAY, PV_TOMORROW, hourly_prices, local, set_inputs


async def test_input_changes_replan_once_after_a_quiet_time(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Three quick price updates lead to one replan, after the debounce time, not before."""
    coordinator = loaded_entry.runtime_data.coordinator
    with patch("custom_components.darkstar.coordinator.run_cycle", wraps=run_cycle) as cycle:
        for i in range(3):
            set_inputs(hass, today=[p + i / 100 for p in PRICES])
            await hass.async_block_till_done()
        assert cycle.call_count == 0

        freezer.tick(timedelta(seconds=REPLAN_DEBOUNCE_SECONDS + 1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        assert cycle.call_count == 1
    assert coordinator.data.scenario.series.import_price[0] == PRICES[3] + 0.02
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def _replans_after_quiet_time(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> int:
    """How many replans (reads of the inputs) start once the debounce time has passed."""
    with patch("custom_components.darkstar.coordinator.read_raw_inputs", wraps=read_raw_inputs) as read:
        await hass.async_block_till_done()
        freezer.tick(timedelta(seconds=REPLAN_DEBOUNCE_SECONDS + 1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    return read.call_count


async def test_a_new_current_price_alone_does_not_replan(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """The price sensor's state and current_price change every hour; only new price lists replan."""
    price = hass.states.get(PRICE)
    hass.states.async_set(PRICE, "0.8", {**price.attributes, "current_price": 0.8})
    pv = hass.states.get(PV_TODAY)
    hass.states.async_set(PV_TODAY, "24.0", dict(pv.attributes))
    assert await _replans_after_quiet_time(hass, freezer) == 0

    tomorrow = hourly_prices(local(0, days=1), PRICES)
    hass.states.async_set(
        PRICE, "0.8", {**price.attributes, "raw_tomorrow": tomorrow, "tomorrow_valid": True}
    )
    assert await _replans_after_quiet_time(hass, freezer) == 1
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_a_price_sensor_back_from_unavailable_replans(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A watched sensor that comes back with the same lists still replans (it had no data meanwhile)."""
    price = hass.states.get(PRICE)
    hass.states.async_set(PRICE, STATE_UNAVAILABLE, dict(price.attributes))
    assert await _replans_after_quiet_time(hass, freezer) == 1
    hass.states.async_set(PRICE, price.state, dict(price.attributes))
    assert await _replans_after_quiet_time(hass, freezer) == 1
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_replans_never_overlap(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """Two refreshes requested together solve one after the other.

    Darkstar has no lock of its own: this guards that the coordinator's debouncer lock, which every
    refresh path takes in HA 2026.2 and 2026.10, still serialises the solves.
    """
    coordinator = loaded_entry.runtime_data.coordinator
    active, peak, lock = [0], [0], threading.Lock()

    def slow_cycle(*args, **kwargs):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.2)
        try:
            return run_cycle(*args, **kwargs)
        finally:
            with lock:
                active[0] -= 1

    with patch("custom_components.darkstar.coordinator.run_cycle", side_effect=slow_cycle) as cycle:
        await asyncio.gather(coordinator.async_refresh(), coordinator.async_refresh())
    assert cycle.call_count == 2
    assert peak[0] == 1
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_missing_entity_raises_and_clears_a_repair_issue(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    """A configured entity that disappears gets a repair issue; it goes away when the entity is back."""
    coordinator = loaded_entry.runtime_data.coordinator
    hass.states.async_remove(PV_TODAY)
    await coordinator.async_refresh()
    issue = issue_registry.async_get_issue(DOMAIN, f"missing_entity_{PV_TODAY}")
    assert issue is not None
    assert issue.translation_key == "missing_entity"
    assert coordinator.data.degraded

    set_inputs(hass)
    await coordinator.async_refresh()
    assert issue_registry.async_get_issue(DOMAIN, f"missing_entity_{PV_TODAY}") is None
    assert not coordinator.data.degraded
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_repair_issue_goes_when_the_user_picks_another_entity(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    """A missing entity's issue is cleared once the options no longer name it."""
    hass.states.async_remove(PV_TODAY)
    await loaded_entry.runtime_data.coordinator.async_refresh()
    assert issue_registry.async_get_issue(DOMAIN, f"missing_entity_{PV_TODAY}") is not None

    hass.config_entries.async_update_entry(loaded_entry, options={**OPTIONS, CONF_PV_ENTITIES: [PV_TOMORROW]})
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, f"missing_entity_{PV_TODAY}") is None
    await hass.config_entries.async_unload(loaded_entry.entry_id)
