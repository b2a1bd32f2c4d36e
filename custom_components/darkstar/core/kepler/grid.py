"""The grid and the energy balance: hard import/export limits, export switch, soft import limit, PV
curtailment (<= PV, 0.1 per kWh), and the per-slot balance
`load + water + charge + export + curtail = pv + discharge + import`.

Export is valued at `export_price - export_threshold_per_kwh`. The soft import limit costs
`big_penalty` per kWh above it (`import_breach`). With `direction_binaries` a binary `importing[t]`
forbids importing and exporting in the same slot.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from .data import CURTAIL_COST_PER_KWH, KeplerData


def add_grid(m: Any, d: KeplerData, water: Any, *, direction_binaries: bool) -> dict[str, Any]:
    """Add grid variables, the energy balance and the grid's objective terms; `water(t)` is kWh."""
    T = m.T
    m.grid_import = pyo.Var(T, bounds=(0.0, d.import_max))
    m.grid_export = pyo.Var(T, bounds=(0.0, d.export_max))
    m.curtail = pyo.Var(T, bounds=lambda m, t: (0.0, d.pv[t]))

    def balance(m: Any, t: int) -> Any:
        uses = d.load[t] + water(t) + m.charge[t] + m.grid_export[t] + m.curtail[t]
        return uses == d.pv[t] + m.discharge[t] + m.grid_import[t]

    m.balance = pyo.Constraint(T, rule=balance)
    terms: dict[str, Any] = {
        "import_cost": pyo.quicksum(d.import_price[t] * m.grid_import[t] for t in T),
        "export_revenue": -pyo.quicksum(d.export_value[t] * m.grid_export[t] for t in T),
        "curtailment": CURTAIL_COST_PER_KWH * pyo.quicksum(m.curtail[t] for t in T),
    }
    if d.soft_import is not None and d.soft_import < d.import_max:
        m.import_breach = pyo.Var(T, bounds=(0.0, d.import_max - d.soft_import))
        m.soft_import = pyo.Constraint(
            T, rule=lambda m, t: m.grid_import[t] - m.import_breach[t] <= d.soft_import
        )
        terms["import_breach"] = d.big_penalty * pyo.quicksum(m.import_breach[t] for t in T)
    if direction_binaries and d.export_max > 0:
        m.importing = pyo.Var(T, domain=pyo.Binary)
        m.import_only = pyo.Constraint(T, rule=lambda m, t: m.grid_import[t] <= d.import_max * m.importing[t])
        m.export_only = pyo.Constraint(
            T, rule=lambda m, t: m.grid_export[t] <= d.export_max * (1 - m.importing[t])
        )
    return terms
