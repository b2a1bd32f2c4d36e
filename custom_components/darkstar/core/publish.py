"""The values Darkstar publishes as sensors, computed from a plan result at a moment (pure)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .cycle import PlanResult
from .plan import STATUS_INFEASIBLE, STATUS_OPTIMAL, STATUS_TIME_LIMIT
from .plan_view import (
    compact_plan,
    is_charging,
    is_heating,
    next_start,
    no_battery_cost,
    plan_cost,
    water_kwh_on_day,
)

DEGRADED = "degraded"
PLAN_STATUSES = (STATUS_OPTIMAL, STATUS_TIME_LIMIT, STATUS_INFEASIBLE, DEGRADED)
SERIES_DIGITS = 4


def projected_soc(result: PlanResult, now: datetime) -> float | None:
    """SoC (%) at the end of the current slot."""
    slot = result.slot_at(now)
    capacity = result.scenario.battery.capacity_kwh
    if slot is None or capacity <= 0:
        return None
    return round(100.0 * slot.soc_kwh / capacity, 1)


def next_charge(result: PlanResult, now: datetime) -> datetime | None:
    """When the battery next charges (the current slot counts)."""
    return next_start(result.plan, now, result.scenario.slot_minutes, is_charging)


def next_water_start(result: PlanResult, now: datetime) -> datetime | None:
    """When the water heater next runs (the current slot counts)."""
    return next_start(result.plan, now, result.scenario.slot_minutes, is_heating)


def _water_kwh(result: PlanResult) -> list[float]:
    hours = result.scenario.slot_hours
    return [s.water_kw * hours for s in result.plan.slots]


def total_cost(result: PlanResult, _now: datetime) -> float:
    """Expected money paid to the grid over the whole horizon."""
    series = result.scenario.series
    return round(plan_cost(result.plan, series.import_price, series.export_price), 2)


def savings(result: PlanResult, now: datetime) -> float:
    """Expected saving over the horizon against the same home without a battery."""
    s = result.scenario
    baseline = no_battery_cost(
        s.series.load_kwh,
        s.series.pv_kwh,
        _water_kwh(result),
        s.series.import_price,
        s.series.export_price,
        s.grid.export_enabled,
    )
    return round(baseline - total_cost(result, now), 2)


def water_today(result: PlanResult, now: datetime) -> float | None:
    """Water heating today: already heated plus what the plan still heats before midnight (kWh)."""
    heater = result.scenario.water_heater
    if heater is None:
        return None
    tz = result.scenario.tz
    planned = water_kwh_on_day(result.plan, now.astimezone(tz).date(), tz, result.scenario.slot_minutes)
    return round(heater.heated_today_kwh + planned, 2)


def series_now(result: PlanResult, now: datetime, name: str) -> float | None:
    """A scenario series' value in the current slot."""
    index = result.index_at(now)
    return None if index is None else round(getattr(result.scenario.series, name)[index], SERIES_DIGITS)


def price_now(result: PlanResult, now: datetime) -> float | None:
    """The import price of the current slot."""
    return series_now(result, now, "import_price")


def forecast_attrs(result: PlanResult, *names: str) -> dict[str, Any]:
    """Compact forecast attributes: start, step and one array per series (`values` for one)."""
    scenario = result.scenario
    attrs: dict[str, Any] = {"start": scenario.start.isoformat(), "step_minutes": scenario.slot_minutes}
    for name in names:
        values = [round(v, SERIES_DIGITS) for v in getattr(scenario.series, name)]
        attrs["values" if len(names) == 1 else name] = values
    if names == ("pv_kwh",) and result.pv_p10_kwh:
        attrs["p10"] = [round(v, SERIES_DIGITS) for v in result.pv_p10_kwh]
        attrs["p90"] = [round(v, SERIES_DIGITS) for v in result.pv_p90_kwh]
    return attrs


def planner_status(result: PlanResult, _now: datetime) -> str:
    """optimal / time_limit / infeasible, or degraded when an older plan is kept."""
    return DEGRADED if result.degraded else result.plan.status


def status_attrs(result: PlanResult, _now: datetime) -> dict[str, Any]:
    """Details of the last solve, the notes and issues, and the whole plan as compact arrays."""
    plan = result.plan
    return {
        "last_plan": result.created_at.isoformat(),
        "solve_seconds": round(plan.solve_seconds, 3),
        "build_seconds": round(plan.build_seconds, 3),
        "objective": None if plan.objective is None else round(plan.objective, 4),
        "horizon_slots": result.scenario.n_slots,
        "horizon_end": result.horizon_end.isoformat(),
        "reason": plan.reason,
        "notes": list(result.notes),
        "issues": list(result.input_issues),
        "plan": compact_plan(plan, result.scenario.slot_minutes),
    }
