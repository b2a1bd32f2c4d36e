"""Lagrangian fixing of heater slots (fixing.py): it fixes much, and never cuts off a better plan."""

from __future__ import annotations

import json

import numpy as np
import pytest

from custom_components.darkstar.core.kepler import SolverOptions, plan
from custom_components.darkstar.core.kepler.build import build_model
from custom_components.darkstar.core.kepler.handoff import compile_model
from custom_components.darkstar.core.kepler.mip_start import heater_start
from custom_components.darkstar.core.scenario import load_scenario

from .kepler_factory import FIXTURES, heater, make_scenario

BEST_KNOWN = json.loads((FIXTURES.parents[2] / "benchmarks" / "kepler-best-known.json").read_text())
EXACT = {"mip_abs_gap": 1e-7, "mip_rel_gap": 1e-9}


def start_for(sc):
    km = build_model(sc)
    compiled = compile_model(km.model)
    compiled.lp.offset_ = compiled.offset
    return heater_start(km, compiled, threads=1, warm=False)


@pytest.mark.parametrize("name", ["full-2025-07-08", "full-2025-08-17"])
def test_fixing_on_a_full_day_is_strong_and_keeps_the_optimum(name):
    sc = load_scenario(FIXTURES / f"{name}.json")
    best = BEST_KNOWN[name]["objective"]
    start = start_for(sc)
    fixing = start.fixing
    assert fixing is not None
    assert fixing.bound <= best + 1e-6 <= start.objective + 2e-6  # a lower bound, the start is a plan
    assert len(fixing.off) + len(fixing.on) >= sc.n_slots // 4  # not vacuous: a quarter of the slots at least
    result = plan(sc)
    heated = np.array([s.water_kw > 0 for s in result.slots])
    assert not heated[fixing.off].any()
    assert heated[fixing.on].all()
    assert result.objective == pytest.approx(best, abs=0.005)


def small_case(seed: int):
    """A 36-hour hourly scenario with PV, a battery and a heater with spacing, gaps and start costs."""
    rng = np.random.default_rng(seed)
    n = 36
    hours = np.arange(n) % 24
    pv = np.clip(np.sin((hours - 6) / 12 * np.pi), 0, None) * rng.uniform(1.0, 3.0)
    return make_scenario(
        n=n,
        import_price=list(np.round(rng.uniform(0.05, 0.4, n), 3)),
        export_price=list(np.round(rng.uniform(0.0, 0.1, n), 3)),
        load_kwh=list(np.round(rng.uniform(0.2, 1.0, n), 2)),
        pv_kwh=list(np.round(pv, 2)),
        battery={
            "capacity_kwh": 5.0,
            "max_charge_kw": 2.0,
            "max_discharge_kw": 2.0,
            "wear_cost_per_kwh": 0.01,
        },
        water_heater=heater(
            power_kw=3.0,
            min_kwh_per_day=6.0,
            min_spacing_hours=4.0,
            max_gap_hours=8.0,
            comfort_penalty=0.05,
            block_start_penalty=0.2,
        ),
    )


@pytest.mark.parametrize("seed", range(6))
def test_fixing_never_changes_the_optimum(seed):
    sc = small_case(seed)
    with_fixing = plan(sc, SolverOptions(highs_options=EXACT))
    without = plan(sc, SolverOptions(highs_options=EXACT, heater_fixing=False))
    assert with_fixing.status == without.status == "optimal"
    assert with_fixing.objective == pytest.approx(without.objective, abs=1e-6)


def test_fixing_fixes_something_on_small_cases():
    fixed = [len(f.off) + len(f.on) for f in (start_for(small_case(seed)).fixing for seed in range(6))]
    assert sum(fixed) > 0
