"""Snapshots of every sensor's state and of the diagnostics, for a home with every feature."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace
from typing import Any
from unittest.mock import patch

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import get_diagnostics_for_config_entry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.darkstar.core.cycle import run_cycle
from custom_components.darkstar.core.options import CONF_HAS_WATER_HEATER, CONF_WATER_HEATED_TODAY_ENTITY

from .conftest import HEATED_TODAY, OPTIONS, SOC

# The test home plus a water heater whose heated-today sensor reports 1500 Wh.
WATER_HOME = {**OPTIONS, CONF_HAS_WATER_HEATER: True, CONF_WATER_HEATED_TODAY_ENTITY: HEATED_TODAY}


def _fixed_timings(*args: Any, **kwargs: Any) -> Any:
    """Run the real cycle, then pin the solve timings, which vary from run to run."""
    result = run_cycle(*args, **kwargs)
    return replace(result, plan=replace(result.plan, solve_seconds=0.25, build_seconds=0.05))


@pytest.fixture(autouse=True)
def fixed_timings() -> Generator[None]:
    """Stable timings for snapshots."""
    with patch("custom_components.darkstar.coordinator.run_cycle", side_effect=_fixed_timings):
        yield


def _sensor_entries(entity_registry: er.EntityRegistry, entry: MockConfigEntry) -> list[er.RegistryEntry]:
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    return sorted(entries, key=lambda e: e.entity_id)


def _plain_state(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """State and attributes with plain keys: HA 2026.10 and 2026.2 serialise attribute keys differently."""
    state = hass.states.get(entity_id)
    return {"state": state.state, "attributes": {str(k): v for k, v in state.attributes.items()}}


async def test_sensor_states(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every sensor's state and attributes."""
    entries = _sensor_entries(entity_registry, loaded_entry)
    assert len(entries) == 12  # a battery + solar home without a water heater
    for entry in entries:
        assert entry.unique_id.startswith(loaded_entry.entry_id)
        assert _plain_state(hass, entry.entity_id) == snapshot(name=entry.entity_id)
    await hass.config_entries.async_unload(loaded_entry.entry_id)


@pytest.mark.parametrize("entry_options", [WATER_HOME], ids=["water_heater"])
async def test_water_heater_sensors(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """A home with a water heater gets its two sensors; the 1500 Wh heated today count as 1.5 kWh."""
    entries = _sensor_entries(entity_registry, loaded_entry)
    assert len(entries) == 14
    water = [entry.entity_id for entry in entries if "water" in entry.entity_id]
    assert len(water) == 2
    for entity_id in water:
        assert _plain_state(hass, entity_id) == snapshot(name=entity_id)
    assert loaded_entry.runtime_data.coordinator.data.scenario.water_heater.heated_today_kwh == 1.5
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_diagnostics(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,  # before hass_client: its token must be issued at the frozen time
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics hold options, the last inputs and the last plan's summary."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, loaded_entry)
    assert diagnostics == snapshot
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_diagnostics_of_a_kept_plan(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    """When an input breaks, the diagnostics show the kept plan as degraded, with the reason."""
    hass.states.async_set(SOC, STATE_UNAVAILABLE)
    await loaded_entry.runtime_data.coordinator.async_refresh()
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, loaded_entry)
    assert diagnostics["coordinator"] == {"last_update_success": True, "last_error": None}
    assert diagnostics["plan"]["degraded"] is True
    assert diagnostics["plan"]["issues"] == [f"{SOC}: input_unavailable"]
    await hass.config_entries.async_unload(loaded_entry.entry_id)
