"""Darkstar's actions: happy paths and every error key."""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.darkstar.const import DOMAIN

from .conftest import SOC, local

FIXTURES = Path(__file__).parents[1] / "fixtures" / "scenarios"


async def test_get_plan_returns_the_current_plan(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """get_plan answers with the scenario format's output for the live plan."""
    response = await hass.services.async_call(DOMAIN, "get_plan", {}, blocking=True, return_response=True)
    result = loaded_entry.runtime_data.coordinator.data
    assert response["status"] == "optimal"
    assert len(response["slots"]) == result.scenario.n_slots
    assert response["slots"][0]["start"] == result.scenario.start.isoformat()
    assert set(response["slots"][0]) >= {
        "start",
        "charge_kwh",
        "discharge_kwh",
        "import_kwh",
        "export_kwh",
        "soc_kwh",
        "water_kw",
    }
    assert response["degraded"] is False
    by_id = await hass.services.async_call(
        DOMAIN, "get_plan", {"config_entry_id": loaded_entry.entry_id}, blocking=True, return_response=True
    )
    assert by_id == response
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_replan_now_with_and_without_response(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer
) -> None:
    """replan plans again at once; it returns the new plan only when asked."""
    coordinator = loaded_entry.runtime_data.coordinator
    first = coordinator.data
    freezer.move_to(local(3, 7))
    assert await hass.services.async_call(DOMAIN, "replan", {}, blocking=True) is None
    assert coordinator.data is not first
    response = await hass.services.async_call(DOMAIN, "replan", {}, blocking=True, return_response=True)
    assert response["created_at"] == coordinator.data.created_at.isoformat()
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_replan_failure_is_raised(hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer) -> None:
    """With broken inputs and no plan left covering now, replan raises a translated error."""
    hass.states.async_set(SOC, "unavailable")
    freezer.move_to(local(0, 30, days=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(DOMAIN, "replan", {}, blocking=True)
    assert err.value.translation_key == "replan_failed"
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_plan_scenario_is_a_what_if_tool(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """plan_scenario plans a given scenario without touching the live plan."""
    live = loaded_entry.runtime_data.coordinator.data
    scenario = json.loads((FIXTURES / "battery-2025-07-08.json").read_text())
    response = await hass.services.async_call(
        DOMAIN, "plan_scenario", {"scenario": scenario}, blocking=True, return_response=True
    )
    assert response["status"] == "optimal"
    assert len(response["slots"]) == 192
    assert loaded_entry.runtime_data.coordinator.data is live
    await hass.config_entries.async_unload(loaded_entry.entry_id)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {
                "series": {
                    "import_price": [0.1],
                    "export_price": [0.1, 0.1],
                    "load_kwh": [0.1],
                    "pv_kwh": [0.0],
                }
            },
            "series",
        ),
        ({"battery": {"capacity_kwh": -1}}, "battery.capacity_kwh"),
        ({"slot_minutes": 7}, "slot_minutes"),
    ],
)
async def test_plan_scenario_rejects_bad_input(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, change: dict, field: str
) -> None:
    """A bad scenario raises a validation error naming the field."""
    scenario = json.loads((FIXTURES / "battery-2025-07-08.json").read_text())
    for key, value in change.items():
        scenario[key] = {**scenario[key], **value} if isinstance(value, dict) and key == "battery" else value
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "plan_scenario", {"scenario": scenario}, blocking=True, return_response=True
        )
    assert err.value.translation_key == "invalid_scenario"
    placeholders = err.value.translation_placeholders
    assert placeholders["field"].startswith(field)
    assert f"{placeholders['field']}: {placeholders['message']}" == str(err.value.__cause__)
    await hass.config_entries.async_unload(loaded_entry.entry_id)


async def test_unknown_entry_and_unloaded_entry(hass: HomeAssistant, loaded_entry: MockConfigEntry) -> None:
    """Actions name a missing entry and an entry that is not loaded."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "get_plan", {"config_entry_id": "nope"}, blocking=True, return_response=True
        )
    assert err.value.translation_key == "entry_not_found"

    await hass.config_entries.async_unload(loaded_entry.entry_id)
    for service in ("get_plan", "replan"):
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(DOMAIN, service, {}, blocking=True, return_response=True)
        assert err.value.translation_key == "entry_not_loaded"


async def test_no_entry_at_all(hass: HomeAssistant) -> None:
    """Without any Darkstar entry the actions say so."""
    from homeassistant.setup import async_setup_component

    assert await async_setup_component(hass, DOMAIN, {})
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "get_plan", {}, blocking=True, return_response=True)
    assert err.value.translation_key == "entry_not_found"
