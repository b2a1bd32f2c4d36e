"""Read-only views of a plan for publishing: the slot at a time, the battery action, totals."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from .scenario import Plan, PlanSlot

# Energies below this (kWh per slot) count as zero when naming an action.
ACTION_EPSILON_KWH = 1e-3


class BatteryAction(StrEnum):
    """What the battery does in a slot."""

    CHARGE = "charge"
    DISCHARGE = "discharge"
    EXPORT = "export"
    HOLD = "hold"


def slot_at(plan: Plan, when: datetime, slot_minutes: int) -> PlanSlot | None:
    """The plan's slot that contains `when`, or None outside the horizon."""
    step = timedelta(minutes=slot_minutes)
    for slot in plan.slots:
        if slot.start <= when < slot.start + step:
            return slot
    return None


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
