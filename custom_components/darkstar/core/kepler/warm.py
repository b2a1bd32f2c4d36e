"""Warm starts: load a previous plan (matched by slot start time) into a model as a MIP start.

HiGHS completes a start from its integer values (it fixes them and solves the LP), so what matters
is the heater schedule; continuous values are copied where the previous plan has them.
Slots the previous plan does not cover (e.g. the new last slot after a shift) start with the heater
off. Forced-on slots are always on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..plan import Plan, PlanSlot
from .build import KeplerModel


def align_plan(previous: Plan, starts: list[datetime]) -> list[PlanSlot | None]:
    """The previous plan's slot for each new slot start (None where it has none)."""
    by_start = {slot.start.timestamp(): slot for slot in previous.slots}
    return [by_start.get(start.timestamp()) for start in starts]


def apply_warm_start(km: KeplerModel, starts: list[datetime], previous: Plan) -> bool:
    """Set the model's variable values from `previous`; return True if anything was set."""
    m, d = km.model, km.data
    aligned = align_plan(previous, starts)
    if not any(aligned):
        return False
    for t, slot in enumerate(aligned):
        if slot is None:
            continue
        _set(m, "charge", t, slot.charge_kwh)
        _set(m, "discharge", t, slot.discharge_kwh)
        _set(m, "grid_import", t, slot.import_kwh)
        _set(m, "grid_export", t, slot.export_kwh)
        _set(m, "curtail", t, min(slot.curtail_kwh, d.pv[t]))
        _set(m, "soc", t, slot.soc_kwh)
    if d.heater is not None:
        heat = [
            1 if t in d.heater.forced or (slot is not None and slot.water_kw > 0) else 0
            for t, slot in enumerate(aligned)
        ]
        _set_heater(m, km, heat)
    return True


def _set(m: Any, name: str, t: int, value: float) -> None:
    var = getattr(m, name, None)
    if var is not None:
        var[t].set_value(value, skip_validation=True)


def _set_heater(m: Any, km: KeplerModel, heat: list[int]) -> None:
    h = km.data.heater
    assert h is not None
    before = 1 if h.running_at_start else 0
    for t, on in enumerate(heat):
        m.heat[t].set_value(on, skip_validation=True)
        prev = heat[t - 1] if t > 0 else before
        m.start[t].set_value(1 if on and not prev else 0, skip_validation=True)
    for tier, w in m.gap:
        G = h.gap_slots[tier]
        m.gap[tier, w].set_value(0 if any(heat[w : w + G]) else 1, skip_validation=True)
