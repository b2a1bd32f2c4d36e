"""Slot observations from cumulative energy counters: deltas, resets, jitter, gaps, derived load."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from custom_components.darkstar.core.store import (
    MeterReading,
    counter_delta,
    move_aside,
    observations_from_readings,
    observe_slot,
)

T0 = datetime(2025, 7, 8, 10, 0, tzinfo=UTC)
Q = timedelta(minutes=15)


def reading(i: int, *, late_s: int = 0, soc: float | None = 50.0, **counters: float | None) -> MeterReading:
    """Counter readings at boundary i (optionally a few seconds late)."""
    return MeterReading(at=T0 + i * Q + timedelta(seconds=late_s), counters=counters, soc_percent=soc)


def test_counter_delta_cases() -> None:
    assert counter_delta(10.0, 10.5).kwh == pytest.approx(0.5)
    assert counter_delta(10.0, 10.0).kwh == 0.0
    jitter = counter_delta(10.0, 9.995)
    assert (jitter.kwh, jitter.reset) == (0.0, False)
    reset = counter_delta(1234.5, 0.3)
    assert reset.kwh == pytest.approx(0.3)
    assert reset.reset
    assert counter_delta(None, 1.0).kwh is None
    assert counter_delta(1.0, None).kwh is None


def test_observe_slot_with_reset_and_soc_and_prices() -> None:
    before = reading(0, pv=500.0, **{"import": 100.0, "export": 20.0}, load=300.0, soc=40.0)
    after = reading(1, late_s=4, pv=0.25, **{"import": 100.4, "export": 20.0}, load=300.6, soc=42.5)
    obs = observe_slot(before, after, prices=(0.12, 0.05))
    assert obs is not None
    assert obs.slot_start == T0
    assert obs.pv_kwh == pytest.approx(0.25)
    assert obs.import_kwh == pytest.approx(0.4)
    assert obs.export_kwh == 0.0
    assert obs.load_kwh == pytest.approx(0.6)
    assert (obs.soc_start_percent, obs.soc_end_percent) == (40.0, 42.5)
    assert (obs.import_price, obs.export_price) == (0.12, 0.05)
    assert obs.flags == ("reset:pv",)
    assert obs.battery_charge_kwh is None  # no such counter configured


def test_load_is_derived_from_the_energy_balance_when_missing() -> None:
    counters0 = {"import": 10.0, "export": 5.0, "pv": 100.0, "battery_charge": 7.0, "battery_discharge": 3.0}
    counters1 = {"import": 10.2, "export": 5.1, "pv": 100.5, "battery_charge": 7.3, "battery_discharge": 3.0}
    obs = observe_slot(MeterReading(T0, counters0), MeterReading(T0 + Q, counters1))
    assert obs is not None
    assert obs.load_kwh == pytest.approx(0.2 - 0.1 + 0.5 + 0.0 - 0.3)
    assert "derived:load" in obs.flags


def test_gap_leaves_the_missing_slots_out() -> None:
    # boundaries 0..6, with 3 and 4 missing (HA was down): slots 2, 3 and 4 cannot be attributed
    values = {0: 0.0, 1: 0.3, 2: 0.5, 5: 1.4, 6: 1.6}
    readings = [reading(i, load=v) for i, v in values.items()]
    observations = observations_from_readings(readings)
    assert [o.slot_start for o in observations] == [T0, T0 + Q, T0 + 5 * Q]
    assert [o.load_kwh for o in observations] == pytest.approx([0.3, 0.2, 0.2])


def test_reset_and_gap_together_with_prices_by_slot() -> None:
    values = [100.0, 100.5, 0.2, 0.6, None, 1.1, 1.4]
    readings = [reading(i, load=v) for i, v in enumerate(values) if i != 4]
    readings.append(reading(4, load=None))  # unavailable sensor at boundary 4, given out of order
    prices = {T0 + i * Q: (0.1 * i, 0.01) for i in range(6)}
    observations = observations_from_readings(readings, prices=prices)
    by_slot = {o.slot_start: o for o in observations}
    assert by_slot[T0].load_kwh == pytest.approx(0.5)
    assert by_slot[T0 + Q].load_kwh == pytest.approx(0.2)
    assert by_slot[T0 + Q].flags == ("reset:load",)
    assert by_slot[T0 + 2 * Q].load_kwh == pytest.approx(0.4)
    assert by_slot[T0 + 3 * Q].load_kwh is None  # sensor unavailable at the end of the slot
    assert by_slot[T0 + 4 * Q].load_kwh is None
    assert by_slot[T0 + 5 * Q].load_kwh == pytest.approx(0.3)
    assert by_slot[T0 + 2 * Q].import_price == pytest.approx(0.2)


def test_readings_too_far_apart_are_a_gap() -> None:
    assert observe_slot(reading(0, load=1.0), reading(2, load=2.0)) is None
    assert observe_slot(reading(0, load=1.0), MeterReading(T0 + timedelta(minutes=5), {"load": 1.1})) is None


def test_move_aside_takes_wal_and_shm_along(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    for name, text in (("x.db", "main"), ("x.db-wal", "wal"), ("x.db-shm", "shm")):
        (tmp_path / name).write_text(text)
    moved = move_aside(db, now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert moved.name == "x.db.corrupt-20260102T030405Z"
    assert moved.read_text() == "main"
    assert Path(f"{moved}-wal").read_text() == "wal"
    assert Path(f"{moved}-shm").read_text() == "shm"
    assert not db.exists()
    db.write_text("again")
    second = move_aside(db, now=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert second.name == "x.db.corrupt-20260102T030405Z-2"
