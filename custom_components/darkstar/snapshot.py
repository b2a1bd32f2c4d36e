"""Gather one planning cycle's inputs from Home Assistant into a plain InputSnapshot."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant

from .const import (
    CONF_BATTERY_CAPACITY,
    CONF_MAX_CHARGE,
    CONF_MAX_DISCHARGE,
    CONF_PRICE_ENTITY,
    CONF_SOC_ENTITY,
    DEFAULT_MAX_SOC,
    DEFAULT_MIN_SOC,
    HORIZON,
    SLOT_MINUTES,
)
from .core.cycle import InputSnapshot, PlannerSettings
from .core.inputs.prices import parse_hacs_nordpool
from .core.inputs.timeline import INTENSIVE, InputError, floor_to_slot, resample
from .core.scenario import Battery
from .readers import InputUnavailable, read_entity, read_number


def settings_from_options(options: Mapping[str, Any], timezone: str) -> PlannerSettings:
    """The home's planner settings from the entry's options."""
    battery = Battery(
        capacity_kwh=float(options[CONF_BATTERY_CAPACITY]),
        initial_soc_percent=50.0,
        min_soc_percent=DEFAULT_MIN_SOC,
        max_soc_percent=DEFAULT_MAX_SOC,
        max_charge_kw=float(options[CONF_MAX_CHARGE]),
        max_discharge_kw=float(options[CONF_MAX_DISCHARGE]),
    )
    return PlannerSettings(battery=battery, timezone=timezone, slot_minutes=SLOT_MINUTES)


def _prices_ahead(values: list[float | None]) -> list[float]:
    """The leading run of known prices: the horizon stops where the prices stop."""
    known: list[float] = []
    for value in values:
        if value is None:
            break
        known.append(value)
    return known


async def read_snapshot(hass: HomeAssistant, options: Mapping[str, Any], now: datetime) -> InputSnapshot:
    """Read the configured entities into a snapshot on the 15-minute grid."""
    start = floor_to_slot(now, SLOT_MINUTES)
    price_entity = options[CONF_PRICE_ENTITY]
    reading = read_entity(hass, price_entity)
    try:
        intervals = parse_hacs_nordpool(reading.attributes, source=price_entity)
    except InputError as err:
        raise InputUnavailable("no_prices", price_entity) from err
    n_slots = int(HORIZON.total_seconds() // (SLOT_MINUTES * 60))
    prices = _prices_ahead(resample(intervals, start, n_slots, INTENSIVE, SLOT_MINUTES))
    if not prices:
        raise InputUnavailable("no_prices", price_entity)
    soc = read_number(hass, options[CONF_SOC_ENTITY])
    zeros = tuple(0.0 for _ in prices)
    return InputSnapshot(
        start=start,
        import_price=tuple(prices),
        export_price=tuple(prices),
        load_kwh=zeros,
        pv_kwh=zeros,
        soc_percent=soc,
    )
