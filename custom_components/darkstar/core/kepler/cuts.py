"""Valid inequalities that tighten the LP relaxation without changing the integer optimum.

Granularity (MIR) cut, per slot with partial PV surplus 0 < A = pv - load < E (E = heater kWh per
slot): the balance gives E*heat + (charge + export + curtail) = A + (import + discharge), hence
`import + discharge >= (E - A) * heat`: switching the heater on needs E - A from the grid or the
battery. The LP relaxation otherwise heats a fraction A/E of the slot to soak up exactly the
surplus, which no whole-slot schedule can do (the main source of the integrality gap measured in
benchmarks/kepler-formulations.md).
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from .data import KeplerData


def add_granularity_cuts(m: Any, d: KeplerData) -> None:
    """Add the per-slot granularity cuts where PV covers part of a heater block."""
    h = d.heater
    if h is None:
        return
    E = h.block_kwh
    slots = [t for t in range(d.n) if 0 < d.pv[t] - d.load[t] < E and t not in h.forced]
    if not slots:
        return
    m.granularity = pyo.Constraint(
        slots,
        rule=lambda m, t: m.grid_import[t] + m.discharge[t] >= (E - (d.pv[t] - d.load[t])) * m.heat[t],
    )
