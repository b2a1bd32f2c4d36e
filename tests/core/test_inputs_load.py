"""Tests for core.inputs.load: hourly recorder statistics -> 7-day average daily profile -> forecast."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.darkstar.core.inputs.load import LoadProfile, build_profile, hourly_energy
from custom_components.darkstar.core.inputs.timeline import InputError, Interval

FIXTURES = Path(__file__).parents[1] / "fixtures" / "inputs"
TZ_NAME = "Europe/Stockholm"
STOCKHOLM = ZoneInfo(TZ_NAME)
H = timedelta(hours=1)
NOW = datetime(2025, 7, 17, tzinfo=STOCKHOLM)  # right after the fixture's last hour


def rows() -> list[dict[str, Any]]:
    """The 7-day fixture: 168 hourly rows from 2025-07-10 00:00 local."""
    return json.loads((FIXTURES / "statistics_house_load_7d.json").read_text(encoding="utf-8"))


def local_hour(row: dict[str, Any]) -> int:
    """The row's local starting hour."""
    return datetime.fromtimestamp(row["start"], STOCKHOLM).hour


def test_hourly_energy_from_change() -> None:
    """Each row's `change` is that hour's kWh, from its float UNIX `start`."""
    data = rows()
    hourly = hourly_energy(data)
    assert len(hourly) == 168
    assert hourly[0] == Interval(
        datetime.fromtimestamp(data[0]["start"], UTC),
        datetime.fromtimestamp(data[0]["end"], UTC),
        data[0]["change"],
    )
    assert hourly[0].start == datetime(2025, 7, 10, tzinfo=STOCKHOLM)


@pytest.mark.parametrize("counter", ["sum", "state"])
def test_hourly_energy_from_cumulative_counters(counter: str) -> None:
    """Without `change`, the difference of consecutive cumulative rows is used (first row has none)."""
    data = [{"start": r["start"], counter: r[counter]} for r in rows()]
    hourly = hourly_energy(data)
    assert len(hourly) == 167
    assert [iv.value for iv in hourly] == pytest.approx([r["change"] for r in rows()[1:]])


def test_datetime_starts_are_accepted() -> None:
    """Rows may carry datetimes instead of floats."""
    data = [{"start": datetime.fromtimestamp(r["start"], UTC), "change": r["change"]} for r in rows()[:3]]
    assert [iv.value for iv in hourly_energy(data)] == [r["change"] for r in rows()[:3]]


def test_counter_reset_and_gap_are_dropped() -> None:
    """A negative change (counter reset) is dropped; a missing hour breaks the cumulative difference."""
    data = [{"start": r["start"], "state": r["state"]} for r in rows()[:6]]
    data[3]["state"] = 0.4  # the meter was reset to 0 during hour 3 -> negative difference
    data[4]["state"] = 0.4 + rows()[4]["change"]
    data[5]["state"] = data[4]["state"] + rows()[5]["change"]
    del data[1]  # a missing hour: row 2's difference would span two hours -> unknown
    hourly = hourly_energy(data)
    assert [iv.start for iv in hourly] == [datetime.fromtimestamp(rows()[i]["start"], UTC) for i in (4, 5)]
    assert [iv.value for iv in hourly] == pytest.approx([rows()[4]["change"], rows()[5]["change"]])
    negative = hourly_energy(
        [{"start": rows()[0]["start"], "change": -12.5}, {"start": rows()[1]["start"], "change": 0.5}]
    )
    assert [iv.value for iv in negative] == [0.5]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (5, r"load statistics\[0\]: expected a statistics row"),
        ({"change": 1.0}, r"\[0\]: 'start' is missing"),
        ({"start": "x", "change": 1.0}, r"\[0\]\.start"),
        ({"start": 0.0, "change": "lots"}, r"\[0\]\.change: expected a number"),
    ],
)
def test_malformed_rows(row: Any, message: str) -> None:
    """Malformed rows raise InputError naming the row."""
    with pytest.raises(InputError, match=message):
        hourly_energy([row])


def test_profile_is_the_average_by_local_time_of_day() -> None:
    """Each quarter of local hour h gets the 7-day mean of hour h's kWh / 4."""
    data = rows()
    profile = build_profile(hourly_energy(data), TZ_NAME, now=NOW)
    assert len(profile.by_minute) == 96
    for hour in (0, 7, 18):
        expected = sum(r["change"] for r in data if local_hour(r) == hour) / 7 / 4
        for minute in (0, 15, 30, 45):
            assert profile.by_minute[hour * 60 + minute] == pytest.approx(expected)
    assert profile.mean == pytest.approx(sum(r["change"] for r in data) / 168 / 4)
    forecast = profile.forecast(NOW, 96)
    assert forecast[7 * 4 + 1].value == pytest.approx(profile.by_minute[7 * 60 + 15])
    assert forecast[0].start == NOW
    assert sum(iv.value for iv in forecast) == pytest.approx(sum(r["change"] for r in data) / 7)


def test_profile_with_gaps_averages_what_exists_and_falls_back_to_mean() -> None:
    """Missing hours: average the days that have them; an hour missing every day uses the overall mean."""
    data = [r for r in rows() if local_hour(r) != 3]
    seven = [r for r in data if local_hour(r) == 7]
    data.remove(seven[0])
    profile = build_profile(hourly_energy(data), TZ_NAME, now=NOW)
    assert 3 * 60 not in profile.by_minute
    assert profile.value_at(datetime(2025, 7, 20, 3, 30, tzinfo=STOCKHOLM)) == pytest.approx(profile.mean)
    assert profile.by_minute[7 * 60] == pytest.approx(sum(r["change"] for r in seven[1:]) / 6 / 4)


def test_profile_uses_only_the_last_days_before_now() -> None:
    """Rows older than `days` before now (and rows not yet finished) are ignored."""
    data = rows()
    later = datetime(2025, 7, 18, tzinfo=STOCKHOLM)
    profile = build_profile(hourly_energy(data), TZ_NAME, now=later, days=7)
    kept = [r for r in data if r["start"] >= datetime(2025, 7, 11, tzinfo=STOCKHOLM).timestamp()]
    assert profile.by_minute[0] == pytest.approx(sum(r["change"] for r in kept if local_hour(r) == 0) / 6 / 4)
    early = build_profile(hourly_energy(data), TZ_NAME, now=datetime(2025, 7, 10, 1, 30, tzinfo=STOCKHOLM))
    assert list(early.by_minute) == [0, 15, 30, 45]


def _day_rows(day: datetime, change_by_utc_hour: dict[int, float] | None = None) -> list[dict[str, Any]]:
    start = day.astimezone(UTC)
    end = (day + timedelta(days=1)).replace(tzinfo=STOCKHOLM).astimezone(UTC)
    n = round((end - start) / H)
    extra = change_by_utc_hour or {}
    return [{"start": (start + i * H).timestamp(), "change": extra.get(i, 1.0)} for i in range(n)]


def test_profile_on_the_25_hour_day() -> None:
    """2025-10-26: the repeated 02:00 local hour gives two samples for the 02:xx quarters."""
    data = _day_rows(datetime(2025, 10, 26, tzinfo=STOCKHOLM), {2: 2.0, 3: 4.0})
    assert len(data) == 25
    profile = build_profile(hourly_energy(data), TZ_NAME)
    assert len(profile.by_minute) == 96
    assert profile.by_minute[120] == pytest.approx((2.0 / 4 + 4.0 / 4) / 2)
    assert profile.by_minute[180] == pytest.approx(0.25)
    forecast = profile.forecast(datetime(2025, 10, 26, tzinfo=STOCKHOLM), 100)
    assert [iv.value for iv in forecast[8:16]] == pytest.approx([0.75] * 8)


def test_profile_on_the_23_hour_day() -> None:
    """2025-03-30: local 02:xx does not exist; forecasting into it later falls back to the mean."""
    data = _day_rows(datetime(2025, 3, 30, tzinfo=STOCKHOLM), {5: 3.0})
    assert len(data) == 23
    profile = build_profile(hourly_energy(data), TZ_NAME)
    assert len(profile.by_minute) == 92
    assert 120 not in profile.by_minute
    assert profile.value_at(datetime(2025, 3, 31, 2, 15, tzinfo=STOCKHOLM)) == pytest.approx(profile.mean)
    assert profile.mean == pytest.approx((22 * 1.0 + 3.0) / 23 / 4)


def test_empty_profile_cannot_forecast() -> None:
    """No usable statistics: the profile is empty and forecasting raises a clear InputError."""
    profile = build_profile([], TZ_NAME)
    assert profile.mean is None
    assert profile.value_at(NOW) is None
    with pytest.raises(InputError, match="no usable statistics"):
        profile.forecast(NOW, 4)


def test_profile_value_zero_is_kept() -> None:
    """A real 0 kWh in the profile is not replaced by the mean."""
    profile = LoadProfile(15, TZ_NAME, {0: 0.0}, 1.0)
    assert profile.forecast(datetime(2025, 7, 1, tzinfo=STOCKHOLM), 2)[0].value == 0.0
    assert profile.forecast(datetime(2025, 7, 1, tzinfo=STOCKHOLM), 2)[1].value == 1.0
