"""Turn a solved model into a Plan: per-slot decisions, objective terms and degraded reasons."""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from ..plan import Plan, PlanSlot
from ..scenario import Scenario
from .build import KeplerModel
from .diagnose import degraded_reasons
from .objective import term_values

EPS = 1e-9


def var_values(m: Any, name: str, n: int) -> list[float]:
    """Values of the indexed variable `name` over the slots (zeros if the model has none)."""
    var = getattr(m, name, None)
    if var is None:
        return [0.0] * n
    return [_clean(var[t].value) for t in range(n)]


def _clean(value: float | None) -> float:
    if value is None or abs(value) < EPS:
        return 0.0
    return float(value)


def both_directions(km: KeplerModel, tol: float = 1e-7) -> bool:
    """True if some slot charges and discharges, or imports and exports, at once."""
    m, n = km.model, km.data.n
    pairs = (("charge", "discharge"), ("grid_import", "grid_export"))
    for a, b in pairs:
        va, vb = var_values(m, a, n), var_values(m, b, n)
        if any(x > tol and y > tol for x, y in zip(va, vb, strict=True)):
            return True
    return False


def plan_from_model(
    scenario: Scenario, km: KeplerModel, status: str, solve_s: float, gap: float | None
) -> Plan:
    """Read the loaded solution of `km` into a Plan."""
    m, d = km.model, km.data
    n = d.n
    names = ("charge", "discharge", "grid_import", "grid_export", "soc", "curtail", "import_breach")
    v = {name: var_values(m, name, n) for name in (*names, "soc_under", "soc_over")}
    power = scenario.water_heater.power_kw if scenario.water_heater else 0.0
    heat = [1.0 if x > 0.5 else 0.0 for x in var_values(m, "heat", n)]
    slots = tuple(
        PlanSlot(
            start=scenario.slot_start(t),
            charge_kwh=v["charge"][t],
            discharge_kwh=v["discharge"][t],
            import_kwh=v["grid_import"][t],
            export_kwh=v["grid_export"][t],
            soc_kwh=v["soc"][t],
            water_kw=power * heat[t],
            curtail_kwh=v["curtail"][t],
            import_breach_kwh=v["import_breach"][t],
        )
        for t in range(n)
    )
    terms = term_values(km.terms)
    shortfall = {}
    if d.heater is not None and hasattr(m, "water_short"):
        shortfall = {d.heater.days[i].label: float(pyo.value(m.water_short[i])) for i in m.water_short}
    reasons = degraded_reasons(d, v, shortfall)
    return Plan(
        status=status,
        objective=sum(terms.values()),
        solve_seconds=solve_s,
        slots=slots,
        reason="; ".join(reasons) if reasons else None,
        build_seconds=km.build_seconds,
        mip_gap=gap,
        objective_terms=terms,
    )
