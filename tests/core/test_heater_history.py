"""The water heater's history from observed energy: when it last ran, and slots off before a horizon."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.darkstar.core.heater_history import heater_was_on, last_on_end, off_slots_before
from custom_components.darkstar.core.store import SlotObservation

T0 = datetime(2025, 7, 8, 10, 0, tzinfo=UTC)


def _obs(minutes: int, kwh: float | None) -> SlotObservation:
    return SlotObservation(slot_start=T0 + timedelta(minutes=minutes), water_heater_kwh=kwh)


def test_a_slot_counts_as_heating_from_a_quarter_of_its_energy() -> None:
    """3 kW for 15 minutes is 0.75 kWh; from 0.1875 kWh on it ran, below it did not."""
    assert heater_was_on(0.75, 3.0, 15)
    assert heater_was_on(0.1875, 3.0, 15)
    assert not heater_was_on(0.18, 3.0, 15)
    assert not heater_was_on(None, 3.0, 15)
    assert not heater_was_on(0.75, 0.0, 15)


def test_last_on_end_is_the_end_of_the_latest_heating_slot() -> None:
    """Standby trickles do not count; the latest real heating slot does."""
    observed = [_obs(0, 0.75), _obs(15, 0.7), _obs(30, 0.01), _obs(45, None)]
    assert last_on_end(observed, 3.0) == T0 + timedelta(minutes=30)
    assert last_on_end([_obs(0, 0.01)], 3.0) is None


def test_off_slots_before_counts_whole_slots() -> None:
    """Unknown history stays unknown; a block ending at the horizon start is 0 slots ago."""
    start = T0 + timedelta(hours=1)
    assert off_slots_before(None, start, 15) is None
    assert off_slots_before(start, start, 15) == 0
    assert off_slots_before(start - timedelta(minutes=30), start, 15) == 2
    assert off_slots_before(start + timedelta(minutes=15), start, 15) == 0
