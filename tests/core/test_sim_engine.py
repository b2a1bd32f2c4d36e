"""Replay engine on a small synthetic day with a known answer: ordering and the lower bound."""

from __future__ import annotations

from datetime import date

import pytest

from custom_components.darkstar.core.simulation.engine import ReplaySettings, replay
from custom_components.darkstar.core.simulation.home import Home
from custom_components.darkstar.core.simulation.report import build_report
from custom_components.darkstar.core.simulation.series import load_series_csv

from .test_sim_helpers import FIXTURE, battery_home, synthetic_day

NIGHT, DAY, EVENING = 0.075, 0.1375, 0.325  # import prices: 1.25 × (spot + 0.06)
DAY_EXPORT = 0.055


@pytest.fixture(scope="module")
def synthetic_result():
    return replay(synthetic_day(), battery_home(), ReplaySettings(replan_every=4))


def test_no_battery_cost_is_the_hand_computed_bill(synthetic_result) -> None:
    expected = 24 * 0.25 * NIGHT + 28 * 0.25 * DAY + 28 * 0.25 * EVENING - 16 * 0.25 * DAY_EXPORT
    assert synthetic_result.traces["no_battery"].cost == pytest.approx(expected, abs=1e-9)


def test_self_consumption_cost_is_the_hand_computed_bill(synthetic_result) -> None:
    base = synthetic_result.traces["no_battery"].cost
    night = 2.5 * 0.95  # from 40 % down to 15 %, at the night price
    stored = 16 * 0.25  # PV surplus charged instead of exported
    later = stored * 0.95 * 0.95  # covers 12 day slots (3 kWh), the rest in the evening
    expected = (
        base
        - night * NIGHT
        + stored * DAY_EXPORT
        - 3.0 * DAY
        - (later - 3.0) * EVENING
        + 0.005 * (night + stored + later)
    )
    assert synthetic_result.traces["self_consumption"].cost == pytest.approx(expected, abs=1e-9)


def test_costs_are_ordered_and_perfect_foresight_is_the_lower_bound(synthetic_result) -> None:
    cost = {name: trace.cost for name, trace in synthetic_result.traces.items()}
    assert cost["no_battery"] > cost["self_consumption"] > cost["mpc"] + 0.1
    assert cost["perfect_foresight"] <= min(cost.values()) + 1e-6
    # Perfect forecasts on one day with all prices published at midnight: MPC is optimal too.
    assert cost["mpc"] == pytest.approx(cost["perfect_foresight"], abs=1e-4)
    report = build_report(synthetic_result)
    total = report["strategies"]
    assert total["perfect_foresight"]["captured"] == pytest.approx(1.0)
    assert total["no_battery"]["savings"] == 0.0
    assert 0 < total["self_consumption"]["captured"] < 1


def test_perfect_foresight_bounds_real_days_with_the_water_heater() -> None:
    series = load_series_csv(FIXTURE)
    settings = ReplaySettings(
        forecast="naive", replan_every=16, first_day=date(2025, 7, 8), last_day=date(2025, 7, 8)
    )
    result = replay(series, Home(), settings)
    cost = {name: trace.cost for name, trace in result.traces.items()}
    assert cost["perfect_foresight"] <= min(cost.values()) + 0.005  # the MIP gap allows 0.002
    report = build_report(result)
    assert all(row["heater_violations"] == 0 for row in report["strategies"].values())
    water = {name: sum(r.water_kwh for r in trace.results) for name, trace in result.traces.items()}
    assert all(kwh >= 6.0 - 1e-9 for kwh in water.values())


def test_mode_executor_equals_follow_with_perfect_forecasts(synthetic_result) -> None:
    follow = replay(
        synthetic_day(),
        battery_home(),
        ReplaySettings(replan_every=4, executor="follow"),
        strategies=("mpc",),
    )
    assert follow.traces["mpc"].cost == pytest.approx(synthetic_result.traces["mpc"].cost, abs=1e-6)


def test_settings_reach_the_mpc_controller() -> None:
    from custom_components.darkstar.core.simulation.engine import make_policies

    settings = ReplaySettings(replan_every=8, executor="follow")
    mpc = make_policies(battery_home(), settings, 15, None, None, warm_start=True)["mpc"]
    assert (mpc.replan_every, mpc.executor, mpc.warm_start) == (8, "follow", True)


def test_mode_executor_reads_plan_slots_as_inverter_modes() -> None:
    from datetime import UTC, datetime

    from custom_components.darkstar.core.plan import PlanSlot
    from custom_components.darkstar.core.simulation.mpc import action_from_slot

    now = datetime(2025, 7, 10, tzinfo=UTC)
    cover = PlanSlot(now, 0.0, 0.3, 0.0, 0.0, 5.0, 0.0)
    store = PlanSlot(now, 0.4, 0.0, 0.0, 0.0, 5.0, 3.0)
    grid_charge = PlanSlot(now, 1.0, 0.0, 1.2, 0.0, 5.0, 0.0)
    assert action_from_slot(cover, "modes").direction == -1
    assert action_from_slot(store, "modes").direction == 1
    assert action_from_slot(store, "modes").water_on
    assert not action_from_slot(grid_charge, "modes").self_consumption
    assert action_from_slot(cover, "follow").battery_kwh == pytest.approx(-0.3)
