"""The replay passes the executed heater history to the planner as water_heater.off_slots_before."""

from __future__ import annotations

from datetime import date

from custom_components.darkstar.core.simulation.env import ReplayEnv
from custom_components.darkstar.core.simulation.home import Home
from custom_components.darkstar.core.simulation.mpc import MpcPolicy, scenario_from_observation
from custom_components.darkstar.core.simulation.series import load_series_csv

from .test_sim_helpers import FIXTURE

DAY = date(2025, 7, 8)
SPACING = 20  # the default home: 5 h in 15-minute slots


def _history_after(steps: list[bool]) -> int | None:
    env = ReplayEnv(load_series_csv(FIXTURE), Home())
    obs, info = env.reset(day=DAY)
    for on in steps:
        obs, _reward, _done, _trunc, info = env.step({"battery_kw": 0.0, "water_on": on})
    sc = scenario_from_observation(Home(), obs, info["time"], 15)
    return sc.water_heater.off_slots_before


def test_history_follows_the_executed_heater() -> None:
    assert _history_after([]) is None  # nothing known: off long enough
    assert _history_after([True, True]) == 0  # on in the slot just before now
    assert _history_after([True, False, False, False]) == 3
    assert _history_after([True] + [False] * (SPACING - 1)) == SPACING - 1
    assert _history_after([True] + [False] * SPACING) is None  # the lockout is over


def test_mpc_never_plans_a_start_the_executor_refuses() -> None:
    env = ReplayEnv(load_series_csv(FIXTURE), Home())
    policy = MpcPolicy(Home(), replan_every=4)
    obs, info = env.reset(day=DAY)
    # a block 05:00-06:00, then the controller takes over at 06:15; the morning's PV surplus
    # (from about 08:00) lies inside the 5 h lockout, so without the history it plans a start there
    for t in range(25):
        obs, _reward, _done, _trunc, info = env.step({"battery_kw": 0.0, "water_on": 20 <= t < 24})
    blocked, done = 0, False
    while not done:
        obs, _reward, done, _trunc, info = env.step(policy.act(obs, info))
        blocked += int(info["water_blocked"])
    assert blocked == 0
