"""What the HA shell read for one cycle (raw payloads), and how the core normalises it.

The shell only copies payloads out of Home Assistant (attributes, action responses, recorder rows);
all parsing happens here, in the executor, through the parsers of `core/inputs`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .inputs.load import LoadProfile, build_profile, hourly_energy
from .inputs.prices import (
    parse_core_nordpool,
    parse_epex_spot,
    parse_generic_prices,
    parse_hacs_nordpool,
    parse_tibber,
)
from .inputs.pv import PvForecast, parse_forecast_solar, parse_solcast
from .inputs.timeline import InputError, Interval, merge_intervals
from .options import (
    PRICE_SOURCE_CORE_NORDPOOL,
    PRICE_SOURCE_EPEX_SPOT,
    PRICE_SOURCE_GENERIC,
    PRICE_SOURCE_HACS_NORDPOOL,
    PRICE_SOURCE_TIBBER,
    PV_SOURCE_FORECAST_SOLAR,
    PV_SOURCE_NONE,
    PV_SOURCE_SOLCAST,
)


@dataclass(frozen=True)
class RawInputs:
    """Payloads copied out of Home Assistant for one planning cycle."""

    now: datetime
    price_source: str
    price_payload: Any
    soc_percent: float | None
    load_rows: tuple[Mapping[str, Any], ...] = ()
    pv_source: str = PV_SOURCE_NONE
    pv_payloads: tuple[Any, ...] = ()
    price_area: str | None = None
    price_attribute: str = "prices"
    heated_today_kwh: float | None = None
    heater_last_on: datetime | None = None


@dataclass(frozen=True)
class NormalisedInputs:
    """Inputs as intervals, ready to be assembled into a scenario."""

    spot_prices: list[Interval]
    pv: PvForecast | None
    load_profile: LoadProfile


def parse_prices(raw: RawInputs) -> list[Interval]:
    """Spot-price intervals (currency/kWh) from the configured source's payload."""
    source, payload = raw.price_source, raw.price_payload
    if source == PRICE_SOURCE_HACS_NORDPOOL:
        return parse_hacs_nordpool(payload)
    if source == PRICE_SOURCE_CORE_NORDPOOL:
        return parse_core_nordpool(payload, raw.price_area)
    if source == PRICE_SOURCE_TIBBER:
        return parse_tibber(payload)
    if source == PRICE_SOURCE_EPEX_SPOT:
        return parse_epex_spot(payload)
    if source == PRICE_SOURCE_GENERIC:
        return parse_generic_prices(payload.get(raw.price_attribute), f"attribute {raw.price_attribute}")
    raise InputError("prices", f"unknown price source {source!r}")


def parse_pv(raw: RawInputs, timezone: str) -> PvForecast | None:
    """The PV forecast (None when the home has no solar)."""
    if raw.pv_source == PV_SOURCE_NONE:
        return None
    if raw.pv_source == PV_SOURCE_SOLCAST:
        parts = [parse_solcast(payload) for payload in raw.pv_payloads]
        return PvForecast(
            estimate=tuple(merge_intervals(*(p.estimate for p in parts), source="solcast")),
            p10=tuple(merge_intervals(*(p.p10 for p in parts), source="solcast p10")),
            p90=tuple(merge_intervals(*(p.p90 for p in parts), source="solcast p90")),
        )
    if raw.pv_source == PV_SOURCE_FORECAST_SOLAR:
        from zoneinfo import ZoneInfo

        intervals = [parse_forecast_solar(p, default_tz=ZoneInfo(timezone)) for p in raw.pv_payloads]
        return PvForecast(estimate=tuple(merge_intervals(*intervals, source="forecast_solar")))
    raise InputError("pv", f"unknown PV source {raw.pv_source!r}")


def load_profile(
    rows: Sequence[Mapping[str, Any]], timezone: str, now: datetime, slot_minutes: int
) -> LoadProfile:
    """The average daily load profile of the last 7 days of hourly statistics."""
    return build_profile(hourly_energy(rows), timezone, now=now, slot_minutes=slot_minutes)


def normalise(raw: RawInputs, timezone: str, slot_minutes: int) -> NormalisedInputs:
    """Parse every payload; raises InputError naming the first bad source."""
    return NormalisedInputs(
        spot_prices=parse_prices(raw),
        pv=parse_pv(raw, timezone),
        load_profile=load_profile(raw.load_rows, timezone, raw.now, slot_minutes),
    )
