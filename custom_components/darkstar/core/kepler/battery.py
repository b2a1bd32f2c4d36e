"""The battery: charge/discharge limits, SoC dynamics with efficiencies, soft SoC range, wear, ramping.

Rules (see data.py for the full conventions): `soc[t] = soc[t-1] + eta_c*charge[t] -
discharge[t]/eta_d`, SoC physically in [0, capacity], min/max SoC soft (slack `soc_under`/`soc_over`
at `big_penalty` per kWh and slot) when `soft_soc`, otherwise hard bounds. With
`direction_binaries` a binary `charging[t]` forbids charging and discharging in the same slot.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from .data import KeplerData


def add_battery(m: Any, d: KeplerData, *, soft_soc: bool, direction_binaries: bool) -> dict[str, Any]:
    """Add battery variables and rules to `m`; return its objective terms (name -> expression)."""
    T = m.T
    m.charge = pyo.Var(T, bounds=(0.0, d.charge_max))
    m.discharge = pyo.Var(T, bounds=(0.0, d.discharge_max))
    if soft_soc:
        m.soc = pyo.Var(T, bounds=(0.0, d.capacity))
    else:
        m.soc = pyo.Var(T, bounds=(d.soc_min, d.soc_max))

    def dynamics(m: Any, t: int) -> Any:
        before = d.soc0 if t == 0 else m.soc[t - 1]
        return m.soc[t] == before + d.eta_c * m.charge[t] - m.discharge[t] / d.eta_d

    m.soc_dynamics = pyo.Constraint(T, rule=dynamics)
    terms: dict[str, Any] = {}
    if d.wear > 0:
        terms["wear"] = d.wear * pyo.quicksum(m.charge[t] + m.discharge[t] for t in T)
    if soft_soc:
        _add_soft_soc(m, d, terms)
    if direction_binaries:
        m.charging = pyo.Var(T, domain=pyo.Binary)
        m.charge_only = pyo.Constraint(T, rule=lambda m, t: m.charge[t] <= d.charge_max * m.charging[t])
        m.discharge_only = pyo.Constraint(
            T, rule=lambda m, t: m.discharge[t] <= d.discharge_max * (1 - m.charging[t])
        )
    if d.ramping_per_kw > 0 and d.n > 1:
        _add_ramping(m, d, terms)
    return terms


def _add_soft_soc(m: Any, d: KeplerData, terms: dict[str, Any]) -> None:
    T = m.T
    m.soc_under = pyo.Var(T, bounds=(0.0, d.soc_min))
    m.soc_over = pyo.Var(T, bounds=(0.0, max(0.0, d.capacity - d.soc_max)))
    m.soc_floor = pyo.Constraint(T, rule=lambda m, t: m.soc[t] + m.soc_under[t] >= d.soc_min)
    m.soc_ceiling = pyo.Constraint(T, rule=lambda m, t: m.soc[t] - m.soc_over[t] <= d.soc_max)
    terms["soc_shortfall"] = d.big_penalty * pyo.quicksum(m.soc_under[t] for t in T)
    terms["soc_excess"] = d.big_penalty * pyo.quicksum(m.soc_over[t] for t in T)


def _add_ramping(m: Any, d: KeplerData, terms: dict[str, Any]) -> None:
    steps = range(1, d.n)
    m.ramp = pyo.Var(steps, bounds=(0.0, None))

    def change(m: Any, t: int) -> Any:
        return (m.charge[t] - m.discharge[t] - m.charge[t - 1] + m.discharge[t - 1]) / d.dt

    m.ramp_up = pyo.Constraint(steps, rule=lambda m, t: m.ramp[t] >= change(m, t))
    m.ramp_down = pyo.Constraint(steps, rule=lambda m, t: m.ramp[t] >= -change(m, t))
    terms["ramping"] = d.ramping_per_kw * pyo.quicksum(m.ramp[t] for t in steps)


def end_soc(m: Any, d: KeplerData) -> Any:
    """The SoC at the end of the horizon (a variable, or the initial SoC for an empty horizon)."""
    return m.soc[d.n - 1]
