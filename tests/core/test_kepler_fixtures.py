"""Every shared scenario: the plan is feasible under the scenario rules and its objective recomputes.

The independent evaluator (kepler_evaluator.py) re-derives feasibility and every objective term
from the plan's decisions. Full days get a short time limit: feasibility and bookkeeping do not
depend on proving optimality (speed is measured by scripts/bench_planner, not by tests).
"""

from __future__ import annotations

import pytest

from custom_components.darkstar.core.kepler import SolverOptions, plan
from custom_components.darkstar.core.plan import STATUS_OPTIMAL, STATUS_TIME_LIMIT
from custom_components.darkstar.core.scenario import load_scenario

from .kepler_evaluator import evaluate
from .kepler_factory import FIXTURES

FILES = sorted(FIXTURES.glob("*.json"))


def test_all_eighteen_fixtures_present():
    assert len(FILES) == 18


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_plan_is_feasible_and_objective_recomputes(path):
    sc = load_scenario(path)
    result = plan(sc, SolverOptions(time_limit_s=2.0))
    assert result.status in (STATUS_OPTIMAL, STATUS_TIME_LIMIT)
    ev = evaluate(sc, result)
    assert ev.violations == []
    assert result.objective == pytest.approx(ev.objective, rel=1e-6, abs=1e-6)
    for name, value in result.objective_terms.items():
        assert value == pytest.approx(ev.terms.get(name, 0.0), rel=1e-6, abs=1e-6), name
