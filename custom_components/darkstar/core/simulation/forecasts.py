"""Pluggable load/PV forecast providers for the replay, with a registry by name.

A forecaster is a callable `ForecastRequest -> (load_kwh, pv_kwh)` arrays of `horizon` slots.
The request carries only the history *before* the current slot (read-only views), so a
provider cannot see the future; `perfect` is the explicit exception: an oracle built with the
whole series. Register more providers (e.g. "aurora", trained only on the history it is given)
with `register_forecaster(name, factory)`; the engine does not change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from .series import HomeSeries


@dataclass(frozen=True, eq=False)
class ForecastRequest:
    """What a forecaster may know at slot `now`: history of slots [0, now) and the horizon."""

    now: int
    now_time: datetime
    horizon: int
    slot_minutes: int
    history_load: np.ndarray
    history_pv: np.ndarray


Forecaster = Callable[[ForecastRequest], tuple[np.ndarray, np.ndarray]]
ForecasterFactory = Callable[[HomeSeries], Forecaster]


def make_request(series: HomeSeries, now: int, horizon: int) -> ForecastRequest:
    """Build a request exposing only read-only history before slot `now`."""
    load = series.load_kwh[:now].view()
    pv = series.pv_kwh[:now].view()
    load.flags.writeable = False
    pv.flags.writeable = False
    return ForecastRequest(now, series.time(now), horizon, series.slot_minutes, load, pv)


def perfect_forecaster(series: HomeSeries) -> Forecaster:
    """Oracle: the actual load and PV of the horizon."""

    def forecast(request: ForecastRequest) -> tuple[np.ndarray, np.ndarray]:
        """The actuals of the requested horizon."""
        end = request.now + request.horizon
        return series.load_kwh[request.now : end].copy(), series.pv_kwh[request.now : end].copy()

    return forecast


def seasonal_naive(
    history: np.ndarray, now: int, horizon: int, period: int, max_periods: int = 7
) -> np.ndarray:
    """Each future slot takes the value one period earlier (or 2, 3 … periods if missing/future)."""
    target = now + np.arange(horizon)
    out = np.full(horizon, np.nan)
    for k in range(1, max_periods + 1):
        idx = target - k * period
        ok = np.isnan(out) & (idx >= 0) & (idx < now)
        if ok.any():
            out[ok] = history[idx[ok]]
        if not np.isnan(out).any():
            return out
    known = history[~np.isnan(history)]
    out[np.isnan(out)] = float(known.mean()) if known.size else 0.0
    return out


def naive_forecaster(series: HomeSeries) -> Forecaster:
    """Seasonal-naive: the same slot of the most recent day (24 h period) already measured."""
    del series  # uses only the request's history

    def forecast(request: ForecastRequest) -> tuple[np.ndarray, np.ndarray]:
        """Seasonal-naive load and PV from the request's history."""
        period = 24 * 60 // request.slot_minutes
        load = seasonal_naive(request.history_load, request.now, request.horizon, period)
        pv = seasonal_naive(request.history_pv, request.now, request.horizon, period)
        return load, pv

    return forecast


FORECASTERS: dict[str, ForecasterFactory] = {"perfect": perfect_forecaster, "naive": naive_forecaster}
KNOWN_MODES = ("perfect", "naive", "aurora")


def register_forecaster(name: str, factory: ForecasterFactory) -> None:
    """Make a forecast mode available to the replay under `name`."""
    FORECASTERS[name] = factory


def make_forecaster(name: str, series: HomeSeries) -> Forecaster:
    """The forecaster of mode `name` for `series`; ValueError with a one-line reason if unknown."""
    if name not in FORECASTERS:
        if name in KNOWN_MODES:
            raise ValueError(f"forecast mode {name!r} is not available yet (no forecaster registered)")
        raise ValueError(f"unknown forecast mode {name!r} (choose from {', '.join(KNOWN_MODES)})")
    return FORECASTERS[name](series)
