"""The learning side of a config entry in Home Assistant: episode store, slot observations, retention.

Everything here is optional for planning: if the store cannot be opened or written, Darkstar keeps
planning, logs once and raises a repair issue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_time_change, async_track_utc_time_change
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER, PLAN_MINUTES
from .core.cycle import PlanResult
from .core.heater_history import last_on_end
from .core.observed_day import classify_observed_day
from .core.options import (
    CONF_BATTERY_CHARGE_ENERGY_ENTITY,
    CONF_BATTERY_DISCHARGE_ENERGY_ENTITY,
    CONF_EXPORT_ENERGY_ENTITY,
    CONF_HAS_BATTERY,
    CONF_HAS_WATER_HEATER,
    CONF_IMPORT_ENERGY_ENTITY,
    CONF_LOAD_ENTITY,
    CONF_PV_ENERGY_ENTITY,
    CONF_RETENTION_DAYS,
    CONF_SOC_ENTITY,
    CONF_WATER_ENERGY_ENTITY,
    CONF_WATER_HEATED_TODAY_ENTITY,
    CONF_WATER_POWER,
    DEFAULTS,
)
from .core.store import CorruptStoreError, EpisodeStore, MeterReading, StoreError, make_episode, observe_slot
from .core.units import energy_kwh, number

# Which option names the cumulative meter behind each observed counter.
COUNTER_OPTIONS = {
    "load": (CONF_LOAD_ENTITY,),
    "pv": (CONF_PV_ENERGY_ENTITY,),
    "import": (CONF_IMPORT_ENERGY_ENTITY,),
    "export": (CONF_EXPORT_ENERGY_ENTITY,),
    "battery_charge": (CONF_BATTERY_CHARGE_ENERGY_ENTITY,),
    "battery_discharge": (CONF_BATTERY_DISCHARGE_ENERGY_ENTITY,),
    "water_heater": (CONF_WATER_ENERGY_ENTITY, CONF_WATER_HEATED_TODAY_ENTITY),
}
ISSUE_STORE_RECOVERED = "store_recovered"
ISSUE_STORE_UNAVAILABLE = "store_unavailable"


def store_path(hass: HomeAssistant, entry_id: str) -> Path:
    """Where a config entry's learning store lives: one file per entry in the config directory."""
    return Path(hass.config.path(f"darkstar_{entry_id}.db"))


class Learning:
    """Writes every plan as an episode and every slot as an observation, for one config entry."""

    def __init__(self, hass: HomeAssistant, entry_id: str, options: Mapping[str, Any]) -> None:
        """Prepare; nothing is opened until async_start."""
        self.hass = hass
        self.entry_id = entry_id
        self.options = options
        self.store: EpisodeStore | None = None
        self.last_reading: MeterReading | None = None
        self.last_recorded: datetime | None = None
        self.current: PlanResult | None = None
        self._pending: set[asyncio.Task[Any]] = set()
        # End of the last slot in which the water heater was seen running (from its energy meter).
        self.heater_last_on: datetime | None = None

    async def async_start(self) -> list[Any]:
        """Open (or recover) the store and start the clocks; returns the unsubscribe callbacks."""
        path = store_path(self.hass, self.entry_id)
        try:
            self.store, moved = await EpisodeStore.open_or_recover(path)
        except (StoreError, OSError) as err:
            LOGGER.error("Learning store %s cannot be opened, planning goes on without it: %s", path, err)
            self._issue(ISSUE_STORE_UNAVAILABLE, {"path": str(path), "error": str(err)})
            return []
        ir.async_delete_issue(self.hass, DOMAIN, ISSUE_STORE_UNAVAILABLE)  # it opens again
        if moved is not None:
            LOGGER.warning("Learning store was damaged; moved it to %s and started a new one", moved)
            self._issue(ISSUE_STORE_RECOVERED, {"path": str(moved)})
        since = dt_util.utcnow() - timedelta(days=1)
        recent = await self._guarded(self.store.observations(since), "reading recent observations")
        self.heater_last_on = last_on_end(recent or [], self._water_power())
        return [
            async_track_utc_time_change(self.hass, self._on_boundary, minute=PLAN_MINUTES, second=0),
            async_track_time_change(self.hass, self._on_daily, hour=3, minute=30, second=0),
        ]

    def _background(self, work: Coroutine[Any, Any, Any], name: str) -> None:
        """Run a store write in the background; stopping waits for it."""
        task = self.hass.async_create_background_task(work, name)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def async_stop(self) -> None:
        """Let pending writes finish, then close the store."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
        if self.store is not None:
            await self.store.close()
            self.store = None

    def _issue(self, key: str, placeholders: dict[str, str]) -> None:
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            key,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=key,
            translation_placeholders=placeholders,
        )

    @callback
    def on_plan(self, result: PlanResult | None) -> None:
        """A new plan was published: store it as an episode, in the background (never blocks replans)."""
        self.current = result
        if result is None or result.degraded or result.created_at == self.last_recorded or self.store is None:
            return
        self.last_recorded = result.created_at
        self._background(self._write_episode(result), "darkstar episode")

    async def _write_episode(self, result: PlanResult) -> None:
        context = {"notes": list(result.notes), "source": "live"}
        episode = make_episode(result.scenario, result.plan, system_id="prod", context=context)
        await self._guarded(self.store.add_episode(episode), "writing an episode")

    async def _guarded(self, work: Any, what: str) -> Any:
        """Run a store call; a failure is logged (and a damaged file recovered), never raised."""
        try:
            return await work
        except StoreError as err:
            LOGGER.warning("Learning store: %s failed: %s", what, err)
            if isinstance(err, CorruptStoreError) and self.store is not None:
                moved = await self.store.recover()
                self._issue(ISSUE_STORE_RECOVERED, {"path": str(moved)})
        return None

    def read_meters(self, now: datetime) -> MeterReading:
        """The configured cumulative meters (kWh) and the SoC, as they read now (None = unreadable)."""
        counters: dict[str, float | None] = {}
        for name, keys in COUNTER_OPTIONS.items():
            entity_id = next((self.options[k] for k in keys if self.options.get(k)), None)
            state = None if entity_id is None else self.hass.states.get(entity_id)
            counters[name] = (
                None
                if state is None
                else energy_kwh(state.state, state.attributes.get("unit_of_measurement"))
            )
        soc = None
        if self.options.get(CONF_HAS_BATTERY) and (
            state := self.hass.states.get(self.options.get(CONF_SOC_ENTITY, ""))
        ):
            soc = number(state.state)
        return MeterReading(at=now, counters=counters, soc_percent=soc)

    def _water_power(self) -> float:
        if not self.options.get(CONF_HAS_WATER_HEATER):
            return 0.0
        return float(self.options.get(CONF_WATER_POWER) or DEFAULTS[CONF_WATER_POWER])

    def _prices(self, slot_start: datetime) -> tuple[float | None, float | None]:
        """The plan's import and export price for a slot, if the current plan covers it."""
        index = None if self.current is None else self.current.index_at(slot_start)
        if self.current is None or index is None:
            return None, None
        series = self.current.scenario.series
        return series.import_price[index], series.export_price[index]

    @callback
    def _on_boundary(self, now: datetime) -> None:
        reading = self.read_meters(now.replace(microsecond=0))
        previous, self.last_reading = self.last_reading, reading
        if previous is None or self.store is None:
            return
        obs = observe_slot(previous, reading, prices=self._prices(previous.at))
        if obs is not None:
            self.heater_last_on = last_on_end([obs], self._water_power()) or self.heater_last_on
            self._background(
                self._guarded(self.store.upsert_observation(obs), "writing an observation"),
                "darkstar observation",
            )

    @callback
    def _on_daily(self, now: datetime) -> None:
        self._background(self.async_daily(now), "darkstar learning daily")

    async def async_daily(self, now: datetime) -> None:
        """Retention of old episodes, and yesterday's data-quality row."""
        if self.store is None:
            return
        days = int(self.options.get(CONF_RETENTION_DAYS) or DEFAULTS[CONF_RETENTION_DAYS])
        await self._guarded(self.store.delete_older_than(days, now=now), "deleting old episodes")
        yesterday = dt_util.as_local(now).date() - timedelta(days=1)
        start = dt_util.start_of_local_day(yesterday)
        observed = await self._guarded(
            self.store.observations(start, start + timedelta(days=1)), "reading observations"
        )
        quality = classify_observed_day(yesterday, observed or [], self.hass.config.time_zone)
        await self._guarded(self.store.set_day_quality(quality), "writing day quality")

    async def async_reset(self) -> dict[str, int]:
        """Forget everything learned (episodes, observations, day quality)."""
        if self.store is None:
            return {}
        return await self.store.clear("all")
