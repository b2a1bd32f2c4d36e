"""Snapshots of every sensor's state and of the diagnostics, for a home with every feature."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import replace
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import get_diagnostics_for_config_entry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.darkstar.core.cycle import run_cycle


def _fixed_timings(*args: Any, **kwargs: Any) -> Any:
    """Run the real cycle, then pin the solve timings, which vary from run to run."""
    result = run_cycle(*args, **kwargs)
    return replace(result, plan=replace(result.plan, solve_seconds=0.25, build_seconds=0.05))


@pytest.fixture(autouse=True)
def fixed_timings() -> Generator[None]:
    """Stable timings for snapshots."""
    with patch("custom_components.darkstar.coordinator.run_cycle", side_effect=_fixed_timings):
        yield


async def test_sensor_states(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every sensor's state and attributes."""
    entries = er.async_entries_for_config_entry(entity_registry, loaded_entry.entry_id)
    assert len(entries) == 12  # a battery + solar home without a water heater
    for entry in sorted(entries, key=lambda e: e.entity_id):
        assert entry.unique_id.startswith(loaded_entry.entry_id)
        state = hass.states.get(entry.entity_id)
        # plain keys: HA 2026.10 and 2026.2 serialise attribute keys differently
        plain = {"state": state.state, "attributes": {str(k): v for k, v in state.attributes.items()}}
        assert plain == snapshot(name=entry.entity_id)
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
