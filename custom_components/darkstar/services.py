"""Darkstar's actions: get_plan, replan and plan_scenario (registered once, in async_setup)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .const import DOMAIN
from .core.cycle import PlanResult
from .core.kepler import plan  # heavy (pyomo); imported with the integration, in the executor
from .core.plan import plan_to_dict
from .core.scenario import ScenarioError, scenario_from_dict

if TYPE_CHECKING:
    from . import DarkstarConfigEntry

ATTR_CONFIG_ENTRY_ID = "config_entry_id"
ATTR_SCENARIO = "scenario"
SERVICE_GET_PLAN = "get_plan"
SERVICE_REPLAN = "replan"
SERVICE_PLAN_SCENARIO = "plan_scenario"
SERVICE_RESET_LEARNING = "reset_learning"
ATTR_CONFIRM = "confirm"

ENTRY_SCHEMA = vol.Schema({vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string})
SCENARIO_SCHEMA = vol.Schema({vol.Required(ATTR_SCENARIO): dict})
RESET_SCHEMA = vol.Schema(
    {vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string, vol.Required(ATTR_CONFIRM): cv.boolean}
)


def get_loaded_entry(hass: HomeAssistant, entry_id: str | None) -> DarkstarConfigEntry:
    """The Darkstar entry an action targets (the only one when no id is given), loaded."""
    if entry_id is None:
        entries = hass.config_entries.async_entries(DOMAIN)
        entry = entries[0] if entries else None
    else:
        entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"entry_id": str(entry_id)},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"entry_id": entry.entry_id},
        )
    return entry


def plan_response(result: PlanResult) -> dict[str, Any]:
    """The current plan in the scenario format's output, with when it was made and its health."""
    return {
        **plan_to_dict(result.plan),
        "created_at": result.created_at.isoformat(),
        "slot_minutes": result.scenario.slot_minutes,
        "degraded": result.degraded,
        "issues": list(result.input_issues),
        "notes": list(result.notes),
    }


async def _get_plan(call: ServiceCall) -> ServiceResponse:
    entry = get_loaded_entry(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    return plan_response(entry.runtime_data.coordinator.data)


async def _replan(call: ServiceCall) -> ServiceResponse:
    entry = get_loaded_entry(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    coordinator = entry.runtime_data.coordinator
    await coordinator.async_refresh()
    if not coordinator.last_update_success:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="replan_failed",
            translation_placeholders={"reason": str(coordinator.last_exception)},
        )
    return plan_response(coordinator.data) if call.return_response else None


async def _plan_scenario(call: ServiceCall) -> ServiceResponse:
    try:
        scenario = scenario_from_dict(call.data[ATTR_SCENARIO])
    except ScenarioError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_scenario",
            translation_placeholders={"field": err.field, "message": err.message},
        ) from err
    result = await call.hass.async_add_executor_job(plan, scenario)
    return plan_to_dict(result)


async def _reset_learning(call: ServiceCall) -> ServiceResponse:
    if not call.data[ATTR_CONFIRM]:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="confirm_required")
    entry = get_loaded_entry(call.hass, call.data.get(ATTR_CONFIG_ENTRY_ID))
    learning = entry.runtime_data.learning
    if learning.store is None:
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="store_unavailable")
    cleared = await learning.async_reset()
    return {"cleared": cleared} if call.return_response else None


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register Darkstar's actions."""
    hass.services.async_register(
        DOMAIN, SERVICE_GET_PLAN, _get_plan, schema=ENTRY_SCHEMA, supports_response=SupportsResponse.ONLY
    )
    hass.services.async_register(
        DOMAIN, SERVICE_REPLAN, _replan, schema=ENTRY_SCHEMA, supports_response=SupportsResponse.OPTIONAL
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_PLAN_SCENARIO,
        _plan_scenario,
        schema=SCENARIO_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_RESET_LEARNING,
        _reset_learning,
        schema=RESET_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
