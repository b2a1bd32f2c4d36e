"""Tests for core.inputs.prices: every supported price source, in its documented format."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.darkstar.core.inputs.prices import (
    parse_core_nordpool,
    parse_epex_spot,
    parse_generic_prices,
    parse_hacs_nordpool,
    parse_tibber,
)
from custom_components.darkstar.core.inputs.timeline import INTENSIVE, InputError, resample

FIXTURES = Path(__file__).parents[1] / "fixtures" / "inputs"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
H = timedelta(hours=1)
Q = timedelta(minutes=15)
DAY_START = datetime(2025, 7, 8, tzinfo=STOCKHOLM).astimezone(UTC)  # 2025-07-07T22:00Z


def load(name: str) -> Any:
    """Read one sample payload."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_hacs_nordpool_hourly_without_tomorrow() -> None:
    """24 hourly prices, tomorrow missing: the series stops at local midnight; 96 quarters after resampling."""
    attrs = load("hacs_nordpool_hourly_no_tomorrow.json")
    prices = parse_hacs_nordpool(attrs)
    assert len(prices) == 24
    assert prices[0].start == DAY_START
    assert prices[0].start.tzinfo == UTC
    assert prices[-1].end == DAY_START + 24 * H
    assert prices[0].value == pytest.approx(0.03571)  # 35.71 EUR/MWh
    quarters = resample(prices, DAY_START, 97, INTENSIVE)
    assert None not in quarters[:96]
    assert quarters[96] is None
    assert quarters[:5] == pytest.approx([0.03571] * 4 + [0.00988])


def test_hacs_nordpool_ignores_tomorrow_when_not_valid() -> None:
    """`tomorrow_valid: false` means raw_tomorrow is not trusted, even if it holds items."""
    attrs = load("hacs_nordpool_hourly_no_tomorrow.json")
    attrs["raw_tomorrow"] = [
        {"start": "2025-07-09T00:00:00+02:00", "end": "2025-07-09T01:00:00+02:00", "value": 9.9}
    ]
    assert len(parse_hacs_nordpool(attrs)) == 24
    attrs["tomorrow_valid"] = True
    assert len(parse_hacs_nordpool(attrs)) == 25


def test_hacs_nordpool_15_minute_today_and_tomorrow() -> None:
    """15-minute prices are taken as they are, today and tomorrow joined."""
    attrs = load("hacs_nordpool_15min.json")
    prices = parse_hacs_nordpool(attrs)
    assert len(prices) == 192
    assert all(p.end - p.start == Q for p in prices)
    assert prices[-1].end == DAY_START + 48 * H
    assert resample(prices, DAY_START, 192, INTENSIVE) == [p.value for p in prices]
    assert prices[1].value == pytest.approx(0.03571 + 0.001)


def test_hacs_nordpool_datetime_attributes_equal_iso_attributes() -> None:
    """In-memory attributes hold datetimes; they parse exactly like their ISO strings."""
    attrs = load("hacs_nordpool_hourly_no_tomorrow.json")
    as_datetimes = copy.deepcopy(attrs)
    for item in as_datetimes["raw_today"]:
        item["start"] = datetime.fromisoformat(item["start"])
        item["end"] = datetime.fromisoformat(item["end"])
    assert parse_hacs_nordpool(as_datetimes) == parse_hacs_nordpool(attrs)


@pytest.mark.parametrize(
    ("unit", "cents", "factor"), [("MWh", False, 1 / 1000), ("kWh", True, 1 / 100), ("Wh", False, 1000)]
)
def test_hacs_nordpool_units(unit: str, cents: bool, factor: float) -> None:
    """`unit` and `price_in_cents` are converted to currency/kWh."""
    attrs = load("hacs_nordpool_hourly_no_tomorrow.json")
    attrs.update(unit=unit, price_in_cents=cents)
    assert parse_hacs_nordpool(attrs)[0].value == pytest.approx(0.03571 * factor)


def test_hacs_nordpool_dst_autumn_day_has_25_hours() -> None:
    """2025-10-26 in Stockholm: 25 hourly prices, 100 quarters, the repeated 02:00 hour kept apart."""
    prices = parse_hacs_nordpool(load("hacs_nordpool_dst_2025-10-26.json"))
    assert len(prices) == 25
    assert prices[-1].end - prices[0].start == 25 * H
    quarters = resample(prices, prices[0].start, 100, INTENSIVE)
    assert None not in quarters
    local = [(prices[0].start + i * Q).astimezone(STOCKHOLM) for i in range(100)]
    assert sum(1 for t in local if t.hour == 2) == 8
    assert [v for v, t in zip(quarters, local, strict=True) if t.hour == 2] == pytest.approx(
        [0.12] * 4 + [0.13] * 4
    )


def test_core_nordpool_divides_mwh_by_1000_and_picks_area() -> None:
    """Core nordpool prices are per MWh; pick the configured area."""
    response = load("core_nordpool_get_prices_for_date.json")
    se4 = parse_core_nordpool(response, "SE4")
    se3 = parse_core_nordpool(response, "SE3")
    assert len(se4) == 96
    assert se4[0].start == DAY_START
    assert se4[0].value == pytest.approx(0.03571)
    assert se3[0].value == pytest.approx(round(35.71 * 0.8, 2) / 1000)


def test_core_nordpool_area_errors() -> None:
    """Ambiguous or unknown areas give a clear InputError."""
    response = load("core_nordpool_get_prices_for_date.json")
    with pytest.raises(InputError, match="several areas"):
        parse_core_nordpool(response)
    with pytest.raises(InputError, match="area 'FI' not in response"):
        parse_core_nordpool(response, "FI")
    assert len(parse_core_nordpool({"SE4": response["SE4"][:4]})) == 4


def test_core_nordpool_dst_spring_day_has_23_hours() -> None:
    """2025-03-30 in Stockholm: 92 quarter prices from local midnight to local midnight."""
    prices = parse_core_nordpool(load("core_nordpool_dst_2025-03-30.json"))
    assert len(prices) == 92
    assert prices[0].start.astimezone(STOCKHOLM) == datetime(2025, 3, 30, tzinfo=STOCKHOLM)
    assert prices[-1].end.astimezone(STOCKHOLM) == datetime(2025, 3, 31, tzinfo=STOCKHOLM)
    assert prices[-1].value == pytest.approx(0.191)


def test_tibber_infers_hourly_ends() -> None:
    """Tibber gives start times only: each interval lasts until the next (one hour)."""
    prices = parse_tibber(load("tibber_get_prices.json"))
    assert len(prices) == 24
    assert all(p.end - p.start == H for p in prices)
    assert prices[0].start == DAY_START
    assert prices[0].value == pytest.approx(round(0.03571 * 1.25 + 0.1, 4))


def test_tibber_gap_is_not_bridged_and_home_errors() -> None:
    """A missing hour stays a gap; home names must match."""
    response = load("tibber_get_prices.json")
    del response["prices"]["Hemma"][5]
    prices = parse_tibber(response, "Hemma")
    assert prices[4].end == prices[4].start + H
    assert prices[5].start == DAY_START + 6 * H
    with pytest.raises(InputError, match="home 'Stugan' not in response"):
        parse_tibber(response, "Stugan")
    with pytest.raises(InputError, match="'prices' is missing"):
        parse_tibber({"data": []})
    response["prices"]["Stugan"] = []
    with pytest.raises(InputError, match="several homes"):
        parse_tibber(response)
    assert parse_tibber(response, "Stugan") == []


def test_tibber_quarter_hour_spacing() -> None:
    """With 15-minute start times, the last interval is 15 minutes too."""
    response = {
        "prices": {
            "Home": [{"start_time": f"2025-10-01T00:{m:02d}:00+02:00", "price": 1.0} for m in (0, 15, 30, 45)]
        }
    }
    prices = parse_tibber(response)
    assert [p.end - p.start for p in prices] == [Q] * 4


def test_epex_spot_data_attribute() -> None:
    """EPEX Spot `data` items with start/end/price_per_kwh."""
    prices = parse_epex_spot(load("epex_spot_data.json"))
    assert len(prices) == 12
    assert prices[0].start == DAY_START
    assert prices[0].value == pytest.approx(0.03571)
    assert parse_epex_spot(load("epex_spot_data.json")["data"]) == prices


def test_generic_list_without_end() -> None:
    """A generic `{start, value}` list at 15 minutes: ends inferred as 15 minutes."""
    prices = parse_generic_prices(load("generic_prices.json")["prices"])
    assert len(prices) == 24
    assert all(p.end - p.start == Q for p in prices)


def test_none_price_is_a_gap() -> None:
    """An item whose value is null is skipped, not invented."""
    items = [
        {"start": "2025-07-08T00:00:00+02:00", "value": 1.0},
        {"start": "2025-07-08T01:00:00+02:00", "value": None},
        {"start": "2025-07-08T02:00:00+02:00", "value": 3.0},
    ]
    prices = parse_generic_prices(items)
    assert [p.value for p in prices] == [1.0, 3.0]
    assert prices[0].end == DAY_START + H


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ("not a list", r"prices: expected a list of prices"),
        ([42], r"prices\[0\]: expected an object"),
        ([{"value": 1.0}], r"prices\[0\]: 'start' is missing"),
        ([{"start": "2025-07-08T00:00:00+02:00"}], r"prices\[0\]: 'value' is missing"),
        ([{"start": "soon", "value": 1.0}], r"prices\[0\]\.start: not an ISO 8601 time"),
        ([{"start": "2025-07-08T00:00:00", "value": 1.0}], r"prices\[0\]\.start: time without UTC offset"),
        ([{"start": "2025-07-08T00:00:00Z", "value": "cheap"}], r"prices\[0\]\.value: expected a number"),
        (
            [{"start": "2025-07-08T01:00:00Z", "end": "2025-07-08T00:00:00Z", "value": 1.0}],
            r"prices\[0\]: 'end' is not after 'start'",
        ),
    ],
)
def test_malformed_items_raise_clear_input_errors(items: Any, message: str) -> None:
    """Each malformation names the source, the item and the problem."""
    with pytest.raises(InputError, match=message):
        parse_generic_prices(items)


def test_malformed_hacs_and_core_payloads() -> None:
    """Bad payloads of the named sources name that source."""
    with pytest.raises(InputError, match=r"nordpool raw_today\[0\]: 'end' is not after"):
        parse_hacs_nordpool(
            {"raw_today": [{"start": "2025-07-08T01:00:00Z", "end": "2025-07-08T01:00:00Z", "value": 1}]}
        )
    assert parse_hacs_nordpool({"raw_today": None}) == []
    with pytest.raises(InputError, match="expected the sensor's attributes"):
        parse_hacs_nordpool([])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unsupported price unit"):
        parse_hacs_nordpool({"unit": "therm", "raw_today": []})
    with pytest.raises(InputError, match=r"get_prices_for_date SE4\[0\]: 'price' is missing"):
        parse_core_nordpool(
            {"SE4": [{"start": "2025-07-08T00:00:00Z", "end": "2025-07-08T00:15:00Z", "value": 1}]}
        )
    with pytest.raises(InputError, match="expected an object keyed by area"):
        parse_core_nordpool([])  # type: ignore[arg-type]
