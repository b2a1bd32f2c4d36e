"""PV forecast parsers; each returns UTC `Interval`s of energy in kWh (resample as extensive).

- Solcast `detailedForecast`: half-hourly `period_start` + `pv_estimate` (p50) / `pv_estimate10` /
  `pv_estimate90`, each the AVERAGE POWER in kW over the period: energy = kW x period hours.
- forecast_solar `wh_hours` (energy platform) or `wh_period` (`get_forecast` action): `{iso: Wh}`,
  each key the START of its period and the value the energy in it (Wh -> kWh). Periods end at the next
  key, but never more than the smallest key spacing later (night hours are absent, not spread).
- No solar: zeros.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from typing import Any

from .timeline import InputError, Interval, ends_from_starts, merge_intervals, parse_number, parse_time

SOLCAST_PERIOD = timedelta(minutes=30)
FORECAST_SOLAR_PERIOD = timedelta(hours=1)


@dataclass(frozen=True)
class PvForecast:
    """PV energy per interval (kWh): the median and, when the source has them, p10 and p90."""

    estimate: tuple[Interval, ...]
    p10: tuple[Interval, ...] = ()
    p90: tuple[Interval, ...] = ()


def parse_solcast(detailed: Any, source: str = "solcast detailedForecast") -> PvForecast:
    """Solcast `detailedForecast` list (or attributes holding it), kW averages -> kWh per period."""
    if isinstance(detailed, Mapping):
        detailed = detailed.get("detailedForecast")
    if not isinstance(detailed, Sequence) or isinstance(detailed, str | bytes):
        raise InputError(source, f"expected a list of periods, got {type(detailed).__name__}")
    rows = [_solcast_row(item, f"{source}[{i}]") for i, item in enumerate(detailed)]
    rows.sort(key=lambda row: row[0])
    ends = ends_from_starts([row[0] for row in rows], SOLCAST_PERIOD)
    series: list[list[Interval]] = [[], [], []]
    for (start, *kw), end in zip(rows, ends, strict=True):
        hours = (end - start).total_seconds() / 3600
        for out, value in zip(series, kw, strict=True):
            if value is not None:
                out.append(Interval(start, end, value * hours))
    p10, p90 = (tuple(s) if len(s) == len(rows) else () for s in series[1:])
    return PvForecast(tuple(merge_intervals(series[0], source=source)), p10, p90)


def parse_forecast_solar(
    data: Mapping[str, Any], source: str = "forecast_solar", *, default_tz: tzinfo | None = None
) -> list[Interval]:
    """forecast_solar `{"wh_hours": {...}}`, `{"wh_period": {...}}` or a plain `{iso: Wh}` mapping -> kWh."""
    if not isinstance(data, Mapping):
        raise InputError(source, f"expected an object of {{time: Wh}}, got {type(data).__name__}")
    for key in ("wh_hours", "wh_period"):
        if key in data:
            data, source = data[key], f"{source} {key}"
            break
    if not isinstance(data, Mapping):
        raise InputError(source, f"expected an object of {{time: Wh}}, got {type(data).__name__}")
    rows = sorted(
        (
            parse_time(key, f"{source}[{key!r}]", default_tz=default_tz),
            parse_number(value, f"{source}[{key!r}]") / 1000,
        )
        for key, value in data.items()
    )
    ends = ends_from_starts([start for start, _ in rows], FORECAST_SOLAR_PERIOD)
    intervals = [Interval(start, end, kwh) for (start, kwh), end in zip(rows, ends, strict=True)]
    return merge_intervals(intervals, source=source)


def _solcast_row(item: Any, where: str) -> tuple[Any, float, float | None, float | None]:
    if not isinstance(item, Mapping):
        raise InputError(where, f"expected an object, got {item!r}")
    for key in ("period_start", "pv_estimate"):
        if key not in item:
            raise InputError(where, f"{key!r} is missing")
    start = parse_time(item["period_start"], f"{where}.period_start")
    median = _kw(item["pv_estimate"], f"{where}.pv_estimate")
    low = None if item.get("pv_estimate10") is None else _kw(item["pv_estimate10"], f"{where}.pv_estimate10")
    high = None if item.get("pv_estimate90") is None else _kw(item["pv_estimate90"], f"{where}.pv_estimate90")
    return start, median, low, high


def _kw(value: Any, where: str) -> float:
    number = parse_number(value, where)
    if number < 0:
        raise InputError(where, f"negative power {number:g} kW")
    return number
