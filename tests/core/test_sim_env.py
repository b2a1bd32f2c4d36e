"""The Gym-style environment: API shape, observation, penalties, and agreement with the replay."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from custom_components.darkstar.core.simulation.engine import ReplaySettings, replay
from custom_components.darkstar.core.simulation.env import ReplayEnv
from custom_components.darkstar.core.simulation.forecasts import perfect_forecaster
from custom_components.darkstar.core.simulation.home import Home
from custom_components.darkstar.core.simulation.mpc import MpcPolicy
from custom_components.darkstar.core.simulation.observation import OBSERVATION_FIELDS
from custom_components.darkstar.core.simulation.series import load_series_csv

from .test_sim_helpers import FIXTURE

DAY = date(2025, 7, 8)


def test_env_with_mpc_policy_reproduces_the_replay_cost() -> None:
    series = load_series_csv(FIXTURE)
    settings = ReplaySettings(replan_every=8, first_day=DAY, last_day=DAY)
    engine_cost = replay(series, Home(), settings, strategies=("mpc",)).traces["mpc"].cost
    env = ReplayEnv(series, Home(), perfect_forecaster(series))
    policy = MpcPolicy(Home(), replan_every=8)
    obs, info = env.reset(day=DAY, seed=0)
    total, done, steps = 0.0, False, 0
    while not done:
        obs, reward, done, truncated, info = env.step(policy.act(obs, info))
        assert truncated is False
        total -= reward
        steps += 1
    assert steps == 96
    assert total == pytest.approx(engine_cost, abs=1e-6)


def test_observation_fields_and_price_publication() -> None:
    series = load_series_csv(FIXTURE)
    env = ReplayEnv(series, Home())
    obs, info = env.reset(day=date(2025, 7, 6), options={"days": 2})
    assert set(obs) == set(OBSERVATION_FIELDS)
    assert info["time"].hour == 0
    assert obs["horizon"] == 96  # before 13:00 only today's prices are known
    assert np.isnan(obs["import_price"][96])
    assert obs["soc_kwh"] == pytest.approx(4.0)
    for _ in range(52):  # to 13:00
        obs, *_ = env.step(0.0)
    assert obs["horizon"] == 44 + 96  # tomorrow's prices are out
    assert obs["slot_of_day"] == 52
    assert obs["hour_cos"] == pytest.approx(np.cos(2 * np.pi * 13 / 24))


def test_step_reward_actions_and_penalties() -> None:
    series = load_series_csv(FIXTURE)
    env = ReplayEnv(series, Home())
    env.reset(day=DAY)
    obs, reward, _done, _trunc, info = env.step({"battery_kw": 2.0})
    assert info["result"].charge_kwh == pytest.approx(0.5)
    assert reward == pytest.approx(-info["result"].cost)
    assert obs["soc_kwh"] == pytest.approx(4.0 + 0.5 * 0.95)
    for _ in range(8):
        obs, _r, _d, _t, info = env.step({"battery_kw": 0.0, "water_on": True})
    assert obs["heated_today_kwh"] == pytest.approx(6.0)
    env.step(0.0)
    obs, _r, _d, _t, info = env.step({"water_on": True})  # 1 slot after the block: too early
    assert info["penalties"]["water_spacing_blocked"] == 1.0
    assert info["result"].water_kwh == 0.0
    assert obs["water_lockout_slots"] > 0


def test_daily_shortfall_is_a_penalty_at_midnight() -> None:
    series = load_series_csv(FIXTURE)
    env = ReplayEnv(series, Home())
    env.reset(day=DAY)
    done, info = False, {}
    while not done:
        _obs, _r, done, _t, info = env.step(0.0)
    assert info["penalties"]["water_shortfall_kwh"] == pytest.approx(6.0)


def test_seeded_reset_draws_a_complete_day() -> None:
    series = load_series_csv(FIXTURE)
    env = ReplayEnv(series, Home())
    assert env.complete_days() == [date(2025, 7, 6), date(2025, 7, 8)]
    starts = {env.reset(seed=seed)[1]["time"].date() for seed in range(10)}
    assert starts <= {date(2025, 7, 6), date(2025, 7, 8)}
