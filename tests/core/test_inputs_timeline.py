"""Tests for core.inputs.timeline: time parsing and resampling onto the 15-minute UTC grid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from custom_components.darkstar.core.inputs.timeline import (
    EXTENSIVE,
    INTENSIVE,
    InputError,
    Interval,
    ends_from_starts,
    floor_to_slot,
    merge_intervals,
    parse_number,
    parse_time,
    resample,
)

T0 = datetime(2025, 7, 8, 10, tzinfo=UTC)
H = timedelta(hours=1)
Q = timedelta(minutes=15)


def test_parse_time_accepts_datetime_iso_offset_z_and_unix() -> None:
    """All supported spellings of the same instant parse to the same UTC datetime."""
    local = datetime(2025, 7, 8, 12, tzinfo=ZoneInfo("Europe/Stockholm"))
    spellings = [
        local,
        "2025-07-08T12:00:00+02:00",
        "2025-07-08T10:00:00Z",
        "2025-07-08T10:00:00.000+00:00",
        T0.timestamp(),
    ]
    for value in spellings:
        parsed = parse_time(value)
        assert parsed == T0
        assert parsed.tzinfo == UTC


def test_parse_time_naive_is_an_error_unless_a_zone_is_given() -> None:
    """A naive time is rejected, or interpreted in the given default zone."""
    with pytest.raises(InputError, match=r"raw\[0\]: time without UTC offset"):
        parse_time("2025-07-08T12:00:00", "raw[0]")
    assert parse_time("2025-07-08T12:00:00", default_tz=ZoneInfo("Europe/Stockholm")) == T0


@pytest.mark.parametrize("value", ["yesterday", None, True, [], float("nan")])
def test_parse_time_rejects_garbage_with_the_source_name(value: object) -> None:
    """Garbage raises InputError naming the source, never a bare TypeError."""
    with pytest.raises(InputError) as err:
        parse_time(value, "src")
    assert err.value.source == "src"


@pytest.mark.parametrize("value", ["abc", None, True, float("inf"), "nan"])
def test_parse_number_rejects_non_finite_and_non_numbers(value: object) -> None:
    """Numbers must be finite and not bool."""
    with pytest.raises(InputError, match="src"):
        parse_number(value, "src")


def test_floor_to_slot() -> None:
    """Floor to the quarter-hour in UTC, whatever zone the input is in."""
    moment = datetime(2025, 7, 8, 12, 29, 59, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert floor_to_slot(moment) == datetime(2025, 7, 8, 10, 15, tzinfo=UTC)
    assert floor_to_slot(T0) == T0


def test_hourly_price_repeats_over_four_quarters() -> None:
    """An intensive hourly value is the value of each of its quarters."""
    values = resample([Interval(T0, T0 + H, 0.8), Interval(T0 + H, T0 + 2 * H, 1.2)], T0, 8, INTENSIVE)
    assert values == [0.8] * 4 + [1.2] * 4


def test_hourly_energy_is_spread_over_quarters() -> None:
    """An extensive hourly kWh is split into four equal quarters."""
    values = resample([Interval(T0, T0 + H, 2.0)], T0, 4, EXTENSIVE)
    assert values == [0.5] * 4


def test_quarter_prices_stay_as_they_are() -> None:
    """15-minute values map one to one."""
    intervals = [Interval(T0 + i * Q, T0 + (i + 1) * Q, float(i)) for i in range(4)]
    assert resample(intervals, T0, 4, INTENSIVE) == [0.0, 1.0, 2.0, 3.0]


def test_gaps_stay_gaps() -> None:
    """Uncovered and partly covered slots are None, never interpolated."""
    intervals = [Interval(T0, T0 + H, 1.0), Interval(T0 + 2 * H, T0 + 2 * H + Q, 3.0)]
    values = resample(intervals, T0, 10, INTENSIVE)
    assert values == [1.0] * 4 + [None] * 4 + [3.0, None]
    partial = resample([Interval(T0 + timedelta(minutes=5), T0 + H, 1.0)], T0, 4, EXTENSIVE)
    assert partial[0] is None
    assert partial[1:] == pytest.approx([15 / 55] * 3)


def test_five_minute_prices_average_into_a_slot() -> None:
    """Finer intensive values give their time-weighted mean."""
    step = timedelta(minutes=5)
    intervals = [Interval(T0 + i * step, T0 + (i + 1) * step, v) for i, v in enumerate([1.0, 2.0, 6.0])]
    assert resample(intervals, T0, 1, INTENSIVE) == [pytest.approx(3.0)]
    assert resample(intervals, T0, 1, EXTENSIVE) == [pytest.approx(9.0)]


def test_resample_clips_to_the_window() -> None:
    """Intervals before/after the window only contribute their overlap."""
    values = resample([Interval(T0 - H, T0 + H, 8.0)], T0, 4, EXTENSIVE)
    assert values == [1.0] * 4


def test_merge_drops_duplicates_and_rejects_conflicts() -> None:
    """Identical repeats are fine; overlapping different intervals are an error."""
    a, b = Interval(T0, T0 + H, 1.0), Interval(T0 + H, T0 + 2 * H, 2.0)
    assert merge_intervals([b, a], [a]) == [a, b]
    with pytest.raises(InputError, match="overlapping"):
        merge_intervals([a], [Interval(T0 + Q, T0 + H, 5.0)], source="x")


def test_ends_from_starts_do_not_bridge_gaps() -> None:
    """An end is the next start but at most one typical step later; the last gets one step."""
    starts = [T0, T0 + H, T0 + 3 * H]
    assert ends_from_starts(starts, Q) == [T0 + H, T0 + 2 * H, T0 + 4 * H]
    assert ends_from_starts([T0], Q) == [T0 + Q]
    irregular = [T0 + timedelta(minutes=12), T0 + H, T0 + 2 * H, T0 + 3 * H]
    assert ends_from_starts(irregular, Q) == [T0 + H, T0 + 2 * H, T0 + 3 * H, T0 + 4 * H]


def test_inputs_package_is_pure_and_importable_as_top_level_core() -> None:
    """Scripts import `core.inputs` top-level; it must not pull in Home Assistant."""
    root = Path(__file__).resolve().parents[2] / "custom_components" / "darkstar"
    code = (
        f"import sys; sys.path.insert(0, {str(root)!r}); "
        "import core.inputs.assemble, core.inputs.health, core.inputs.load, core.inputs.prices, "
        "core.inputs.pv, core.inputs.tariff, core.inputs.timeline; "
        "assert not any(m.split('.')[0] == 'homeassistant' for m in sys.modules), 'homeassistant imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
