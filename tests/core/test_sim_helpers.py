"""Small synthetic series and homes for the simulation tests (helpers only, no tests here)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from custom_components.darkstar.core.simulation.home import Home
from custom_components.darkstar.core.simulation.series import HomeSeries

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sim" / "se4-2025-07-06_08.csv"
# Local midnight 2025-07-10 in Stockholm (UTC+2).
START = datetime(2025, 7, 9, 22, 0, tzinfo=UTC)


def synthetic_day(days: int = 1) -> HomeSeries:
    """1 kW load all day; 2 kW PV 10:00-14:00; spot 0.00 at night, 0.05 by day, 0.20 from 17:00."""
    hours = np.arange(96 * days) % 96 / 4
    load = np.full(96 * days, 0.25)
    pv = np.where((hours >= 10) & (hours < 14), 0.5, 0.0)
    spot = np.where(hours < 6, 0.0, np.where(hours < 17, 0.05, 0.20))
    return HomeSeries(start=START, slot_minutes=15, spot=spot, load_kwh=load, pv_kwh=pv)


def battery_home() -> Home:
    """The default home without the water heater (answers computable by hand)."""
    return replace(Home(), water_heater=None)
