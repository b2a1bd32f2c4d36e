"""Tests for core.inputs.pv: Solcast (kW averages) and forecast_solar (Wh per period) to kWh slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.darkstar.core.inputs.pv import parse_forecast_solar, parse_solcast
from custom_components.darkstar.core.inputs.timeline import EXTENSIVE, InputError, resample

FIXTURES = Path(__file__).parents[1] / "fixtures" / "inputs"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
DAY_START = datetime(2025, 7, 8, tzinfo=STOCKHOLM).astimezone(UTC)
Q = timedelta(minutes=15)


def load(name: str) -> Any:
    """Read one sample payload."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def local(hour: int, minute: int = 0, day: int = 8) -> datetime:
    """A Stockholm wall-clock time on 2025-07-<day>, in UTC."""
    return datetime(2025, 7, day, hour, minute, tzinfo=STOCKHOLM).astimezone(UTC)


def test_solcast_kw_becomes_kwh_per_quarter() -> None:
    """A half-hour average of P kW gives P x 0.25 kWh in each of its two quarters."""
    attrs = load("solcast_forecast_today.json")
    noon = next(i for i in attrs["detailedForecast"] if i["period_start"] == "2025-07-08T12:00:00+02:00")
    forecast = parse_solcast(attrs)
    assert len(forecast.estimate) == 48
    slots = resample(forecast.estimate, local(12), 2, EXTENSIVE)
    assert noon["pv_estimate"] > 1.0
    assert slots == pytest.approx([noon["pv_estimate"] * 0.25] * 2)


def test_solcast_daily_energy_is_kw_times_half_hours() -> None:
    """Summed over the day, energy = sum(kW) x 0.5 h, not sum(kW)."""
    attrs = load("solcast_forecast_today.json")
    kw_sum = sum(i["pv_estimate"] for i in attrs["detailedForecast"])
    slots = resample(parse_solcast(attrs).estimate, DAY_START, 96, EXTENSIVE)
    assert None not in slots
    assert sum(slots) == pytest.approx(kw_sum * 0.5)


def test_solcast_keeps_p10_and_p90() -> None:
    """p10 and p90 are converted the same way and kept for the S-index."""
    forecast = parse_solcast(load("solcast_forecast_today.json")["detailedForecast"])
    assert len(forecast.p10) == len(forecast.p90) == 48
    for low, mid, high in zip(forecast.p10, forecast.estimate, forecast.p90, strict=True):
        assert low.start == mid.start == high.start
        assert low.value <= mid.value <= high.value
    assert forecast.p90[24].value == pytest.approx(
        load("solcast_forecast_today.json")["detailedForecast"][24]["pv_estimate90"] * 0.5
    )


def test_solcast_without_percentiles_and_with_datetimes() -> None:
    """Datetime period starts work; missing percentiles give empty p10/p90 (never a partial series)."""
    items = [
        {
            "period_start": datetime(2025, 7, 8, 12, tzinfo=STOCKHOLM),
            "pv_estimate": 2.0,
            "pv_estimate10": 1.0,
        },
        {"period_start": datetime(2025, 7, 8, 12, 30, tzinfo=STOCKHOLM), "pv_estimate": 4.0},
    ]
    forecast = parse_solcast(items)
    assert [iv.value for iv in forecast.estimate] == [1.0, 2.0]
    assert forecast.estimate[0].start == local(12)
    assert forecast.p10 == ()
    assert forecast.p90 == ()


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ("x", "expected a list of periods"),
        ([{"pv_estimate": 1.0}], r"\[0\]: 'period_start' is missing"),
        ([{"period_start": "2025-07-08T12:00:00+02:00"}], r"\[0\]: 'pv_estimate' is missing"),
        (
            [{"period_start": "2025-07-08T12:00:00+02:00", "pv_estimate": -1}],
            r"\[0\]\.pv_estimate: negative power",
        ),
        (
            [{"period_start": "2025-07-08T12:00:00+02:00", "pv_estimate": "sunny"}],
            r"pv_estimate: expected a number",
        ),
    ],
)
def test_solcast_malformed(items: Any, message: str) -> None:
    """Malformed Solcast data raises InputError naming the item."""
    with pytest.raises(InputError, match=message):
        parse_solcast(items)


def test_forecast_solar_wh_hours_hourly_spread_over_quarters() -> None:
    """1200 Wh in the hour from 07:00 -> 0.3 kWh per quarter."""
    pv = parse_forecast_solar(load("forecast_solar_wh_hours.json"))
    assert resample(pv, local(7), 4, EXTENSIVE) == pytest.approx([0.3] * 4)


def test_forecast_solar_irregular_sunrise_and_absent_night() -> None:
    """The 04:12 key covers 48 min until 05:00; night hours are gaps, not spread energy."""
    pv = parse_forecast_solar(load("forecast_solar_wh_hours.json"))
    sunrise = resample(pv, local(4), 4, EXTENSIVE)
    assert sunrise[0] is None  # 04:00-04:15 is only partly covered
    assert sunrise[1:] == pytest.approx([0.030 * 15 / 48] * 3)
    night = resample(pv, local(22), 4, EXTENSIVE)
    assert night == [None] * 4
    assert resample(pv, local(21), 4, EXTENSIVE) == [None] * 4
    assert resample(pv, local(20), 4, EXTENSIVE) == pytest.approx([0.080 / 4] * 4)
    assert pv[-1].end == local(21, day=9)


def test_forecast_solar_get_forecast_wh_period() -> None:
    """The action response's `wh_period` is used; `watts` is ignored."""
    pv = parse_forecast_solar(load("forecast_solar_get_forecast.json"))
    assert [iv.value for iv in pv] == pytest.approx([0.0, 0.4, 1.0, 2.0])
    assert pv[0].start == local(6)


def test_forecast_solar_plain_mapping_and_naive_keys() -> None:
    """A plain {iso: Wh} mapping works; naive keys need a zone."""
    assert parse_forecast_solar({"2025-07-08T12:00:00+02:00": 500})[0].value == pytest.approx(0.5)
    with pytest.raises(InputError, match="without UTC offset"):
        parse_forecast_solar({"2025-07-08T12:00:00": 500})
    naive = parse_forecast_solar({"2025-07-08T12:00:00": 500}, default_tz=STOCKHOLM)
    assert naive[0].start == local(12)
    with pytest.raises(InputError, match="expected a number"):
        parse_forecast_solar({"wh_hours": {"2025-07-08T12:00:00+02:00": "lots"}})
    with pytest.raises(InputError, match="expected an object"):
        parse_forecast_solar({"wh_hours": [1, 2]})
