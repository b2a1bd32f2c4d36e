"""Read-only views of a plan for publishing: the slot at a time, the battery action, totals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from .plan import Plan, PlanSlot

# Energies below this (kWh per slot) count as zero when naming an action.
ACTION_EPSILON_KWH = 1e-3


class BatteryAction(StrEnum):
    """What the battery does in a slot."""

    CHARGE = "charge"
    DISCHARGE = "discharge"
    EXPORT = "export"
    HOLD = "hold"


def battery_action(slot: PlanSlot) -> BatteryAction:
    """Name the battery's action in a slot (discharging into export counts as export)."""
    if slot.charge_kwh > ACTION_EPSILON_KWH:
        return BatteryAction.CHARGE
    if slot.discharge_kwh > ACTION_EPSILON_KWH:
        if slot.export_kwh > ACTION_EPSILON_KWH:
            return BatteryAction.EXPORT
        return BatteryAction.DISCHARGE
    return BatteryAction.HOLD


def battery_power_kw(slot: PlanSlot, slot_minutes: int) -> float:
    """Net battery power in kW: positive charges, negative discharges."""
    return (slot.charge_kwh - slot.discharge_kwh) * 60.0 / slot_minutes


def plan_cost(plan: Plan, import_price: Sequence[float], export_price: Sequence[float]) -> float:
    """Money paid for the plan's grid exchange over the horizon (imports minus export revenue)."""
    return sum(
        s.import_kwh * ip - s.export_kwh * ep
        for s, ip, ep in zip(plan.slots, import_price, export_price, strict=False)
    )


def no_battery_cost(
    load_kwh: Sequence[float],
    pv_kwh: Sequence[float],
    water_kwh: Sequence[float],
    import_price: Sequence[float],
    export_price: Sequence[float],
    export_enabled: bool = True,
) -> float:
    """What the same horizon would cost with no battery: PV covers load first, the rest is grid."""
    total = 0.0
    for load, pv, water, ip, ep in zip(load_kwh, pv_kwh, water_kwh, import_price, export_price, strict=True):
        net = load + water - pv
        total += net * ip if net > 0 else (net * ep if export_enabled else 0.0)
    return total


def next_start(
    plan: Plan, now: datetime, slot_minutes: int, active: Callable[[PlanSlot], bool]
) -> datetime | None:
    """Start of the first slot at or after `now` (the current slot included) where `active` holds."""
    step = timedelta(minutes=slot_minutes)
    for slot in plan.slots:
        if slot.start + step > now and active(slot):
            return slot.start
    return None


def is_charging(slot: PlanSlot) -> bool:
    """True when the battery charges in the slot."""
    return slot.charge_kwh > ACTION_EPSILON_KWH


def is_heating(slot: PlanSlot) -> bool:
    """True when the water heater runs in the slot."""
    return slot.water_kw > 0


def water_kwh_on_day(plan: Plan, day: date, tz: tzinfo, slot_minutes: int) -> float:
    """Planned water-heating energy on a local calendar day (kWh)."""
    hours = slot_minutes / 60.0
    return sum(s.water_kw * hours for s in plan.slots if s.start.astimezone(tz).date() == day)


def compact_plan(plan: Plan, slot_minutes: int, digits: int = 3) -> dict[str, object]:
    """The plan as a start time, a step and one array per field (small enough for an attribute)."""
    if not plan.slots:
        return {"start": None, "step_minutes": slot_minutes}

    def column(name: str) -> list[float]:
        return [round(getattr(s, name), digits) for s in plan.slots]

    return {
        "start": plan.slots[0].start.isoformat(),
        "step_minutes": slot_minutes,
        "charge_kwh": column("charge_kwh"),
        "discharge_kwh": column("discharge_kwh"),
        "import_kwh": column("import_kwh"),
        "export_kwh": column("export_kwh"),
        "soc_kwh": column("soc_kwh"),
        "water_kw": column("water_kw"),
    }
