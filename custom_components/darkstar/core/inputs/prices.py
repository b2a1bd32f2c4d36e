"""Parsers for spot-price sources; each returns sorted UTC `Interval`s in currency/kWh.

Supported (see section 6 of ../shared/docs/ha-guide.md, next to this repository):
- HACS nordpool sensor attributes `raw_today` / `raw_tomorrow` (+ `tomorrow_valid`, `unit`, `price_in_cents`);
- core nordpool action `nordpool.get_prices_for_date` response (currency/MWh, divided by 1000);
- tibber action `tibber.get_prices` response (start times only; ends inferred);
- EPEX Spot sensor attribute `data`;
- any list of `{start, value}` items with an optional `end`.
Malformed items raise `InputError` naming the source and item; a `None` price is a gap, not an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from .timeline import InputError, Interval, ends_from_starts, merge_intervals, parse_number, parse_time

HOUR = timedelta(hours=1)
_UNIT_SCALE = {"kwh": 1.0, "mwh": 1 / 1000, "wh": 1000.0}


def parse_price_items(
    items: Any,
    source: str,
    *,
    start_key: str = "start",
    end_key: str | None = "end",
    value_key: str = "value",
    scale: float = 1.0,
    default_step: timedelta = HOUR,
) -> list[Interval]:
    """Parse a list of price dicts; missing ends are inferred from the spacing of the starts."""
    if items is None:
        return []
    if not isinstance(items, Sequence) or isinstance(items, str | bytes):
        raise InputError(source, f"expected a list of prices, got {type(items).__name__}")
    rows = sorted(
        (_price_row(item, f"{source}[{i}]", start_key, end_key, value_key) for i, item in enumerate(items)),
        key=lambda row: row[0],
    )
    inferred = ends_from_starts([row[0] for row in rows], default_step)
    intervals = [
        Interval(start, end if end is not None else guess, value * scale)
        for (start, end, value), guess in zip(rows, inferred, strict=True)
        if value is not None
    ]
    return merge_intervals(intervals, source=source)


def _price_row(
    item: Any, where: str, start_key: str, end_key: str | None, value_key: str
) -> tuple[datetime, datetime | None, float | None]:
    """One item as (start, end or None, value or None); None values are gaps, kept for spacing."""
    if not isinstance(item, Mapping):
        raise InputError(where, f"expected an object, got {item!r}")
    for key in (start_key, value_key):
        if key not in item:
            raise InputError(where, f"{key!r} is missing")
    start = parse_time(item[start_key], f"{where}.{start_key}")
    end = None
    if end_key is not None and item.get(end_key) is not None:
        end = parse_time(item[end_key], f"{where}.{end_key}")
        if end <= start:
            raise InputError(where, f"{end_key!r} is not after {start_key!r}")
    value = None if item[value_key] is None else parse_number(item[value_key], f"{where}.{value_key}")
    return start, end, value


def parse_generic_prices(
    items: Any,
    source: str = "prices",
    *,
    start_key: str = "start",
    end_key: str = "end",
    value_key: str = "value",
) -> list[Interval]:
    """Any list attribute of `{start, value}` (optional `end`), already in currency/kWh."""
    return parse_price_items(items, source, start_key=start_key, end_key=end_key, value_key=value_key)


def parse_hacs_nordpool(attributes: Mapping[str, Any], source: str = "nordpool") -> list[Interval]:
    """HACS nordpool `raw_today` + `raw_tomorrow` (tomorrow only if `tomorrow_valid` is not false)."""
    scale = _hacs_nordpool_scale(attributes, source)
    today = parse_price_items(attributes.get("raw_today"), f"{source} raw_today", scale=scale)
    tomorrow: list[Interval] = []
    if attributes.get("tomorrow_valid", True) is not False:
        tomorrow = parse_price_items(attributes.get("raw_tomorrow"), f"{source} raw_tomorrow", scale=scale)
    return merge_intervals(today, tomorrow, source=source)


def parse_core_nordpool(
    response: Mapping[str, Any], area: str | None = None, source: str = "nordpool.get_prices_for_date"
) -> list[Interval]:
    """Core nordpool `get_prices_for_date` response `{area: [{start, end, price}]}` in currency/MWh."""
    if not isinstance(response, Mapping):
        raise InputError(source, f"expected an object keyed by area, got {type(response).__name__}")
    areas = sorted(response)
    if area is None:
        if len(areas) != 1:
            raise InputError(source, f"several areas {areas}; configure which one to use")
        area = areas[0]
    if area not in response:
        raise InputError(source, f"area {area!r} not in response (areas: {areas})")
    return parse_price_items(response[area], f"{source} {area}", value_key="price", scale=1 / 1000)


def parse_tibber(
    response: Mapping[str, Any], home: str | None = None, source: str = "tibber.get_prices"
) -> list[Interval]:
    """Tibber `get_prices` response `{"prices": {home: [{start_time, price}]}}`; ends from spacing."""
    homes = response.get("prices") if isinstance(response, Mapping) else None
    if not isinstance(homes, Mapping):
        raise InputError(source, "'prices' is missing or not an object keyed by home")
    names = sorted(homes)
    if home is None:
        if len(names) != 1:
            raise InputError(source, f"several homes {names}; configure which one to use")
        home = names[0]
    if home not in homes:
        raise InputError(source, f"home {home!r} not in response (homes: {names})")
    return parse_price_items(
        homes[home], f"{source} {home}", start_key="start_time", end_key=None, value_key="price"
    )


def parse_epex_spot(data: Any, source: str = "epex_spot data") -> list[Interval]:
    """EPEX Spot `data` attribute (or the attributes holding it): `{start_time, end_time, price_per_kwh}`."""
    if isinstance(data, Mapping):
        data = data.get("data")
    return parse_price_items(
        data, source, start_key="start_time", end_key="end_time", value_key="price_per_kwh"
    )


def _hacs_nordpool_scale(attributes: Mapping[str, Any], source: str) -> float:
    if not isinstance(attributes, Mapping):
        raise InputError(source, f"expected the sensor's attributes, got {type(attributes).__name__}")
    unit = str(attributes.get("unit") or "kWh").strip().lower()
    if unit not in _UNIT_SCALE:
        raise InputError(f"{source} unit", f"unsupported price unit {attributes.get('unit')!r}")
    cents = 1 / 100 if attributes.get("price_in_cents") is True else 1.0
    return _UNIT_SCALE[unit] * cents
