"""Forecasts never see the future: poisoning future actuals with NaN changes nothing."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from custom_components.darkstar.core.simulation import forecasts
from custom_components.darkstar.core.simulation.env import ReplayEnv
from custom_components.darkstar.core.simulation.forecasts import (
    ForecastRequest,
    make_forecaster,
    make_request,
    register_forecaster,
)
from custom_components.darkstar.core.simulation.home import Home
from custom_components.darkstar.core.simulation.series import load_series_csv

from .test_sim_helpers import FIXTURE


def poisoned_after(series, now):
    load = series.load_kwh.copy()
    pv = series.pv_kwh.copy()
    load[now:] = np.nan
    pv[now:] = np.nan
    return replace(series, load_kwh=load, pv_kwh=pv)


@pytest.mark.parametrize("now", [100, 150, 200, 279])
def test_naive_forecast_ignores_future_actuals(now: int) -> None:
    series = load_series_csv(FIXTURE)
    clean = make_forecaster("naive", series)(make_request(series, now, 120))
    poisoned_series = poisoned_after(series, now)
    poisoned = make_forecaster("naive", poisoned_series)(make_request(poisoned_series, now, 120))
    for a, b in zip(clean, poisoned, strict=True):
        assert not np.isnan(b).any()
        np.testing.assert_array_equal(a, b)
    # Seasonal-naive: the same slot one day earlier, or two days if that slot is missing.
    day_before = series.load_kwh[now - 96]
    assert clean[0][0] == (day_before if not np.isnan(day_before) else series.load_kwh[now - 192])


def test_request_exposes_only_read_only_history() -> None:
    series = load_series_csv(FIXTURE)
    request = make_request(series, 150, 40)
    assert len(request.history_load) == 150
    with pytest.raises(ValueError, match="read-only"):
        request.history_load[0] = 1.0


def test_env_hands_forecasters_only_the_past(monkeypatch) -> None:
    series = load_series_csv(FIXTURE)
    seen: list[tuple[int, int]] = []

    def spy_factory(_series):
        def forecast(request: ForecastRequest):
            seen.append((request.now, len(request.history_load)))
            return np.zeros(request.horizon), np.zeros(request.horizon)

        return forecast

    monkeypatch.setattr(forecasts, "FORECASTERS", dict(forecasts.FORECASTERS))  # no leak to other tests
    register_forecaster("spy", spy_factory)
    env = ReplayEnv(series, Home(), make_forecaster("spy", series))
    _obs, _info = env.reset(day="2025-07-08")
    for _ in range(10):
        env.step(0.0)
    assert seen
    assert all(now == n for now, n in seen)


def test_unknown_and_missing_modes() -> None:
    series = load_series_csv(FIXTURE)
    with pytest.raises(ValueError, match="not available yet"):
        make_forecaster("aurora", series)
    with pytest.raises(ValueError, match="unknown forecast mode"):
        make_forecaster("crystal-ball", series)
