"""The objective: money plus penalties, as named terms whose sum is the objective.

Terms (each present only when its feature is on; revenues and credits are negative numbers):
import_cost, export_revenue, wear, curtailment, import_breach, soc_shortfall, soc_excess, ramping,
end_target, terminal_value, water_gap, water_starts, water_shortfall.
`Plan.objective == sum(Plan.objective_terms.values())`.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from .data import KeplerData


def add_end_of_horizon(m: Any, d: KeplerData) -> dict[str, Any]:
    """Terminal value of stored energy and the two-sided soft end target; return their terms."""
    terms: dict[str, Any] = {}
    soc_end = m.soc[d.n - 1]
    if d.terminal_value != 0:
        terms["terminal_value"] = -d.terminal_value * soc_end
    if d.target_soc is not None and d.target_penalty > 0:
        m.end_above = pyo.Var(bounds=(0.0, None))
        m.end_below = pyo.Var(bounds=(0.0, None))
        m.end_target = pyo.Constraint(expr=soc_end - m.end_above + m.end_below == d.target_soc)
        terms["end_target"] = d.target_penalty * (m.end_above + m.end_below)
    return terms


def set_objective(m: Any, terms: dict[str, Any]) -> None:
    """Minimise the sum of all terms."""
    m.objective = pyo.Objective(expr=pyo.quicksum(terms.values()), sense=pyo.minimize)


def term_values(terms: dict[str, Any]) -> dict[str, float]:
    """Evaluate each term at the loaded solution."""
    return {name: float(pyo.value(expr)) for name, expr in terms.items()}
