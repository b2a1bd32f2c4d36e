"""Diagnostics for Darkstar: configuration, last inputs and last plan summary (redacted)."""

from __future__ import annotations

from statistics import fmean
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from . import DarkstarConfigEntry
from .core.cycle import PlanResult
from .core.options import CONF_FORECAST_SOLAR_ENTRY, CONF_NORDPOOL_ENTRY
from .core.publish import status_attrs

# Ids of other integrations' entries identify the user's accounts there; nothing else is secret.
TO_REDACT = {CONF_NORDPOOL_ENTRY, CONF_FORECAST_SOLAR_ENTRY}


def _series_summary(values: tuple[float, ...]) -> dict[str, float | int]:
    return {
        "n": len(values),
        "min": round(min(values), 4),
        "mean": round(fmean(values), 4),
        "max": round(max(values), 4),
    }


def inputs_summary(result: PlanResult) -> dict[str, Any]:
    """What the last plan was made from: horizon, state and a summary of each series (notes: see the plan)."""
    scenario = result.scenario
    series = scenario.series
    return {
        "start": scenario.start.isoformat(),
        "slot_minutes": scenario.slot_minutes,
        "n_slots": scenario.n_slots,
        "timezone": scenario.timezone,
        "soc_percent": scenario.battery.initial_soc_percent,
        "heated_today_kwh": None if scenario.water_heater is None else scenario.water_heater.heated_today_kwh,
        "series": {
            name: _series_summary(getattr(series, name))
            for name in ("import_price", "export_price", "load_kwh", "pv_kwh")
        },
    }


def plan_summary(result: PlanResult) -> dict[str, Any]:
    """The planner status sensor's details (without the plan arrays), plus status, objective terms and totals."""
    plan = result.plan
    details = {key: value for key, value in status_attrs(result, result.created_at).items() if key != "plan"}
    return {
        **details,
        "status": plan.status,
        "degraded": result.degraded,
        "objective_terms": {k: round(v, 4) for k, v in plan.objective_terms.items()},
        "totals_kwh": {
            name: round(sum(getattr(s, name) for s in plan.slots), 3)
            for name in ("charge_kwh", "discharge_kwh", "import_kwh", "export_kwh")
        },
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: DarkstarConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for a config entry."""
    coordinator = entry.runtime_data.coordinator
    result = coordinator.data
    return {
        "entry": {
            "title": entry.title,
            "version": entry.version,
            "data": async_redact_data(dict(entry.data), TO_REDACT),
        },
        "options": async_redact_data(dict(entry.options), TO_REDACT),
        "coordinator": {
            "last_update_success": coordinator.last_update_success,
            # A kept plan's problem is in plan.issues; a failed update's in the coordinator's exception.
            "last_error": None if coordinator.last_update_success else str(coordinator.last_exception),
        },
        "inputs": None if result is None else inputs_summary(result),
        "plan": None if result is None else plan_summary(result),
    }
