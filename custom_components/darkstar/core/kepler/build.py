"""Build the Kepler model from its pieces (battery, grid, water heater, objective), timed."""

from __future__ import annotations

from dataclasses import dataclass
import time
from typing import Any

import pyomo.environ as pyo

from ..scenario import Scenario
from .battery import add_battery
from .cuts import add_granularity_cuts
from .data import KeplerData, kepler_data
from .grid import add_grid
from .objective import add_end_of_horizon, set_objective
from .water import add_water, water_kwh


@dataclass
class KeplerModel:
    """A built model: the Pyomo model, its data, the objective terms and how long the build took."""

    model: Any
    data: KeplerData
    terms: dict[str, Any]
    build_seconds: float
    direction_binaries: bool
    soft_soc: bool


def build_model(
    scenario: Scenario,
    *,
    direction_binaries: bool = False,
    soft_soc: bool = True,
    heater_formulation: str = "tight",
    data: KeplerData | None = None,
    cuts: bool = True,
) -> KeplerModel:
    """Build the Pyomo model for a scenario (one named piece per part of the format)."""
    started = time.perf_counter()
    d = data if data is not None else kepler_data(scenario)
    m = pyo.ConcreteModel(name=scenario.name or "kepler")
    m.T = pyo.RangeSet(0, d.n - 1)
    terms: dict[str, Any] = {}
    terms.update(add_battery(m, d, soft_soc=soft_soc, direction_binaries=direction_binaries))
    if d.heater is not None:
        terms.update(add_water(m, d, d.heater, heater_formulation))
    terms.update(add_grid(m, d, water_kwh(m, d.heater), direction_binaries=direction_binaries))
    if cuts:
        add_granularity_cuts(m, d)
    terms.update(add_end_of_horizon(m, d))
    set_objective(m, terms)
    return KeplerModel(
        model=m,
        data=d,
        terms=terms,
        build_seconds=time.perf_counter() - started,
        direction_binaries=direction_binaries,
        soft_soc=soft_soc,
    )
