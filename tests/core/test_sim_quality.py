"""Day-quality classification and skipping bad days in the replay."""

from __future__ import annotations

from datetime import date

import numpy as np

from custom_components.darkstar.core.quality import CLEAN, EXCLUDE, MASK_BATTERY, classify_day
from custom_components.darkstar.core.simulation.engine import ReplaySettings, replay
from custom_components.darkstar.core.simulation.home import Home
from custom_components.darkstar.core.simulation.report import build_report
from custom_components.darkstar.core.simulation.series import load_series_csv

from .test_sim_helpers import FIXTURE

DAY = date(2025, 7, 10)


def test_clean_day() -> None:
    q = classify_day(DAY, np.full(96, 0.2), np.full(96, 0.1), np.linspace(20, 80, 96))
    assert (q.cls, q.reasons) == (CLEAN, ())


def test_missing_slots_and_gap_exclude_the_day() -> None:
    load = np.full(96, 0.2)
    load[84:92] = np.nan
    q = classify_day(DAY, load, np.full(96, 0.1))
    assert q.cls == EXCLUDE
    assert "missing 8 of 96 slots" in q.reasons
    assert "gap of 2 h from slot 84" in q.reasons


def test_spike_excludes_the_day() -> None:
    pv = np.full(96, 0.1)
    pv[40] = 50.0
    q = classify_day(DAY, np.full(96, 0.2), pv)
    assert q.cls == EXCLUDE
    assert any(r.startswith("pv spike 50 kWh in slot 40") for r in q.reasons)


def test_soc_anomaly_masks_the_battery_only() -> None:
    soc = np.full(96, 50.0)
    soc[10] = 95.0
    q = classify_day(DAY, np.full(96, 0.2), np.full(96, 0.1), soc)
    assert q.cls == MASK_BATTERY
    assert any("soc jump" in r for r in q.reasons)


def test_bad_days_are_skipped_and_reported() -> None:
    series = load_series_csv(FIXTURE)
    result = replay(series, Home(), ReplaySettings(), strategies=("no_battery", "self_consumption"))
    assert [q.day for q in result.quality] == [date(2025, 7, 6), date(2025, 7, 7), date(2025, 7, 8)]
    bad = result.quality[1]
    assert bad.cls == EXCLUDE
    assert "gap of 2 h from 21:00" in bad.reasons
    # Two separate runs, neither containing a slot of the bad day.
    first7, end7 = series.day_bounds(date(2025, 7, 7), "Europe/Stockholm")
    assert len(result.segments) == 2
    slots = result.traces["no_battery"].slots
    assert len(slots) == 192
    assert not any(first7 <= t < end7 for t in slots)
    report = build_report(result)
    assert report["skipped_days"][0]["day"] == "2025-07-07"
    assert report["settings"]["days_replayed"] == 2
