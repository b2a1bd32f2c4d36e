"""Tests for core.inputs.health: classifying HA state strings into values or issues."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.darkstar.core.inputs.health import (
    InputIssue,
    InputStatus,
    check_numeric_state,
)

NOW = datetime(2025, 7, 8, 12, tzinfo=UTC)


def test_numeric_state_is_a_float() -> None:
    """A fresh numeric state string becomes a float."""
    assert (
        check_numeric_state(
            "soc", "57.5", last_updated=NOW - timedelta(minutes=1), now=NOW, max_age=timedelta(minutes=30)
        )
        == 57.5
    )


@pytest.mark.parametrize(
    ("state", "status"),
    [
        (None, InputStatus.MISSING),
        ("unavailable", InputStatus.UNAVAILABLE),
        ("unknown", InputStatus.UNAVAILABLE),
        ("", InputStatus.UNAVAILABLE),
        ("on", InputStatus.NON_NUMERIC),
        ("12 %", InputStatus.NON_NUMERIC),
        ("nan", InputStatus.NON_NUMERIC),
        ("inf", InputStatus.NON_NUMERIC),
    ],
)
def test_unusable_states(state: str | None, status: InputStatus) -> None:
    """Missing entities, unavailable and non-numeric states are issues, never values."""
    result = check_numeric_state("battery_soc", state)
    assert isinstance(result, InputIssue)
    assert result.status == status
    assert result.name == "battery_soc"
    assert "battery_soc" in result.message


def test_stale_state() -> None:
    """A value older than max_age is stale; exactly max_age is still fine."""
    stale = check_numeric_state(
        "soc", "50", last_updated=NOW - timedelta(hours=2), now=NOW, max_age=timedelta(hours=1)
    )
    assert isinstance(stale, InputIssue)
    assert stale.status == InputStatus.STALE
    assert "120 min ago" in stale.message
    assert (
        check_numeric_state(
            "soc", "50", last_updated=NOW - timedelta(hours=1), now=NOW, max_age=timedelta(hours=1)
        )
        == 50.0
    )
    assert check_numeric_state("soc", "50", last_updated=NOW - timedelta(days=9), now=NOW) == 50.0


def test_out_of_range_state() -> None:
    """Bounds catch garbage such as a 150 % SoC."""
    result = check_numeric_state("soc", "150", minimum=0, maximum=100)
    assert isinstance(result, InputIssue)
    assert result.status == InputStatus.OUT_OF_RANGE
    assert "0..100" in result.message
    assert check_numeric_state("soc", "100", minimum=0, maximum=100) == 100.0
