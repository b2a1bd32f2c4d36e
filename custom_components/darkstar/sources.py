"""Copy each configured source's payload out of Home Assistant (states, actions, recorder).

No parsing here: the payloads go to the core (`core/raw_inputs.py`) unchanged. Failures are raised
as InputUnavailable with a translation key naming what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.energy.websocket_api import async_get_energy_platforms
from homeassistant.components.recorder import get_instance
from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from .core.options import (
    CONF_FORECAST_SOLAR_ENTRY,
    CONF_LOAD_ENTITY,
    CONF_NORDPOOL_AREA,
    CONF_NORDPOOL_ENTRY,
    CONF_PRICE_ATTRIBUTE,
    CONF_PRICE_ENTITY,
    CONF_PRICE_SOURCE,
    CONF_PV_ENTITIES,
    CONF_SOC_ENTITY,
    CONF_WATER_HEATED_TODAY_ENTITY,
    DEFAULTS,
    PRICE_SOURCE_CORE_NORDPOOL,
    PRICE_SOURCE_EPEX_SPOT,
    PRICE_SOURCE_HACS_NORDPOOL,
    PRICE_SOURCE_TIBBER,
    PV_SOURCE_FORECAST_SOLAR,
    PV_SOURCE_NONE,
    PV_SOURCE_SOLCAST,
)
from .core.raw_inputs import RawInputs
from .flow_schemas import used_entity_keys
from .readers import InputUnavailable, read_attributes, read_energy_kwh, read_number, unreadable

LOAD_HISTORY = timedelta(days=7)
# The SoC must have been reported within this long (HA refreshes last_reported on every write).
SOC_MAX_AGE = timedelta(hours=6)
# The attributes holding a price sensor's price lists, by source (generic: the configured attribute),
# and a Solcast sensor's forecast; nothing else of these entities is read.
PRICE_LIST_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    PRICE_SOURCE_HACS_NORDPOOL: ("raw_today", "raw_tomorrow", "tomorrow_valid"),
    PRICE_SOURCE_EPEX_SPOT: ("data",),
}
SOLCAST_ATTRIBUTE = "detailedForecast"


def _used(options: Mapping[str, Any], key: str) -> Any:
    """An entity (or entry) option's value when the profile and sources use it, else None."""
    return (options.get(key) or None) if key in used_entity_keys(options) else None


async def _call(hass: HomeAssistant, domain: str, service: str, data: dict[str, Any]) -> Any:
    """Call another integration's action that returns data."""
    if not hass.services.has_service(domain, service):
        raise InputUnavailable("action_missing", f"{domain}.{service}")
    return await hass.services.async_call(domain, service, data, blocking=True, return_response=True)


async def _core_nordpool(hass: HomeAssistant, options: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """Today's and (when published) tomorrow's prices from core Nord Pool's action, merged by area."""
    today = dt_util.as_local(now).date()
    merged: dict[str, list[Any]] = {}
    for day in (today, today + timedelta(days=1)):
        data = {"config_entry": options[CONF_NORDPOOL_ENTRY], "date": day.isoformat()}
        if options.get(CONF_NORDPOOL_AREA):
            data["areas"] = [options[CONF_NORDPOOL_AREA]]
        try:
            response = await _call(hass, "nordpool", "get_prices_for_date", data)
        except HomeAssistantError:
            if day == today:
                raise InputUnavailable("price_action_failed", "nordpool.get_prices_for_date") from None
            break  # tomorrow's prices are not published yet
        for area, items in (response or {}).items():
            merged.setdefault(area, []).extend(items)
    return merged


async def _tibber(hass: HomeAssistant, now: datetime) -> Any:
    """Prices from today's midnight for two days from Tibber's action."""
    start = dt_util.start_of_local_day(dt_util.as_local(now))
    data = {"start": start.isoformat(), "end": (start + timedelta(days=2)).isoformat()}
    try:
        return await _call(hass, "tibber", "get_prices", data)
    except HomeAssistantError as err:
        raise InputUnavailable("price_action_failed", "tibber.get_prices") from err


async def read_price_payload(hass: HomeAssistant, options: Mapping[str, Any], now: datetime) -> Any:
    """The price source's payload: an entity's attributes or an action's response."""
    source = options.get(CONF_PRICE_SOURCE, DEFAULTS[CONF_PRICE_SOURCE])
    if source == PRICE_SOURCE_CORE_NORDPOOL:
        return await _core_nordpool(hass, options, now)
    if source == PRICE_SOURCE_TIBBER:
        return await _tibber(hass, now)
    return read_attributes(hass, options[CONF_PRICE_ENTITY])


async def _forecast_solar(hass: HomeAssistant, entry_id: str) -> Mapping[str, Any]:
    """Forecast.Solar's estimate: its action where it exists (HA 2026.x), else its energy platform."""
    if hass.services.has_service("forecast_solar", "get_forecast"):
        try:
            return await _call(hass, "forecast_solar", "get_forecast", {"config_entry": entry_id})
        except HomeAssistantError as err:
            raise InputUnavailable("pv_action_failed", "forecast_solar.get_forecast") from err
    platform = (await async_get_energy_platforms(hass)).get("forecast_solar")
    forecast = None if platform is None else await platform(hass, entry_id)
    if forecast is None:
        raise InputUnavailable("pv_action_failed", "forecast_solar")
    return forecast


async def read_pv_payloads(hass: HomeAssistant, options: Mapping[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """The PV source kind and its payloads (Solcast attributes of each entity, or Forecast.Solar's)."""
    if (entities := _used(options, CONF_PV_ENTITIES)) is not None:
        return PV_SOURCE_SOLCAST, tuple(read_attributes(hass, e) for e in entities)
    if (entry_id := _used(options, CONF_FORECAST_SOLAR_ENTRY)) is not None:
        return PV_SOURCE_FORECAST_SOLAR, (await _forecast_solar(hass, entry_id),)
    return PV_SOURCE_NONE, ()


async def read_load_rows(hass: HomeAssistant, entity_id: str, now: datetime) -> tuple[dict[str, Any], ...]:
    """Hourly statistics of the house-load energy sensor over the last 7 days, in kWh."""
    rows = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        now - LOAD_HISTORY,
        now,
        {entity_id},
        "hour",
        {"energy": "kWh"},
        {"change", "sum", "state"},
    )
    return tuple(dict(row) for row in rows.get(entity_id, []))


def read_soc(hass: HomeAssistant, options: Mapping[str, Any], now: datetime) -> float | None:
    """The battery's SoC in %, refusing a reading older than SOC_MAX_AGE (None without a battery)."""
    if (entity_id := _used(options, CONF_SOC_ENTITY)) is None:
        return None
    return read_number(hass, entity_id, now=now, max_age=SOC_MAX_AGE, minimum=0.0, maximum=100.0)


async def read_raw_inputs(hass: HomeAssistant, options: Mapping[str, Any], now: datetime) -> RawInputs:
    """Everything one planning cycle needs, copied out of Home Assistant."""
    pv_source, pv_payloads = await read_pv_payloads(hass, options)
    heated = None
    if (heated_entity := _used(options, CONF_WATER_HEATED_TODAY_ENTITY)) is not None:
        heated = read_energy_kwh(hass, heated_entity)
    return RawInputs(
        now=now,
        price_source=options.get(CONF_PRICE_SOURCE, DEFAULTS[CONF_PRICE_SOURCE]),
        price_payload=await read_price_payload(hass, options, now),
        price_area=options.get(CONF_NORDPOOL_AREA),
        price_attribute=options.get(CONF_PRICE_ATTRIBUTE, DEFAULTS[CONF_PRICE_ATTRIBUTE]),
        soc_percent=read_soc(hass, options, now),
        load_rows=await read_load_rows(hass, options[CONF_LOAD_ENTITY], now),
        pv_source=pv_source,
        pv_payloads=pv_payloads,
        heated_today_kwh=heated,
    )


def configured_entities(options: Mapping[str, Any]) -> list[str]:
    """Every entity the planner reads (for repair issues): the load sensor and the used inputs."""
    states = [_used(options, key) for key in (CONF_SOC_ENTITY, CONF_WATER_HEATED_TODAY_ENTITY)]
    return [options[CONF_LOAD_ENTITY], *watched_inputs(options), *filter(None, states)]


def watched_inputs(options: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Entities whose new data (prices, a forecast) calls for a replan, each with the attributes holding it."""
    watched: dict[str, tuple[str, ...]] = {}
    if price := _used(options, CONF_PRICE_ENTITY):
        source = options.get(CONF_PRICE_SOURCE, DEFAULTS[CONF_PRICE_SOURCE])
        attribute = options.get(CONF_PRICE_ATTRIBUTE, DEFAULTS[CONF_PRICE_ATTRIBUTE])
        watched[price] = PRICE_LIST_ATTRIBUTES.get(source, (attribute,))
    for entity_id in _used(options, CONF_PV_ENTITIES) or []:
        watched[entity_id] = (SOLCAST_ATTRIBUTE,)
    return watched


def planner_view(state: State | None, attributes: tuple[str, ...]) -> tuple[Any, ...] | None:
    """What the planner reads of a watched entity: whether it has data, and the attributes holding it.

    The state itself (the current price, today's forecast total) is not read, nor other attributes.
    """
    if state is None:
        return None
    return unreadable(state.state), *(state.attributes.get(name) for name in attributes)
