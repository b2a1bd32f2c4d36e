"""The planning coordinator: every 15 minutes (and at start-up) read inputs, plan, publish."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.event import async_track_utc_time_change
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER, PLAN_MINUTES
from .core.cycle import InputSnapshot, PlannerSettings, PlanResult, run_cycle
from .readers import InputUnavailable
from .snapshot import read_snapshot, settings_from_options

if TYPE_CHECKING:
    from . import DarkstarConfigEntry


class DarkstarCoordinator(DataUpdateCoordinator[PlanResult]):
    """Plans on the quarter-hour clock; the solve runs in the executor."""

    config_entry: DarkstarConfigEntry

    def __init__(self, hass: HomeAssistant, entry: DarkstarConfigEntry) -> None:
        """Create the coordinator for one config entry."""
        super().__init__(hass, LOGGER, config_entry=entry, name=DOMAIN, update_interval=None)
        self.settings: PlannerSettings = settings_from_options(entry.options, hass.config.time_zone)

    async def _async_setup(self) -> None:
        """Start the quarter-hour clock; it stops when the entry unloads."""
        self.config_entry.async_on_unload(
            async_track_utc_time_change(self.hass, self._on_clock, minute=PLAN_MINUTES, second=0)
        )

    @callback
    def _on_clock(self, _now: datetime) -> None:
        self.config_entry.async_create_background_task(self.hass, self.async_refresh(), "darkstar replan")

    async def _async_update_data(self) -> PlanResult:
        """Read the inputs in the event loop, then plan in the executor."""
        now = dt_util.utcnow()
        try:
            snapshot: InputSnapshot = await read_snapshot(self.hass, self.config_entry.options, now)
        except InputUnavailable as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key=err.key,
                translation_placeholders={"entity_id": err.entity_id},
            ) from err
        result = await self.hass.async_add_executor_job(run_cycle, snapshot, self.settings, now)
        if not result.plan.ok:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="plan_failed",
                translation_placeholders={"reason": result.plan.reason or result.plan.status},
            )
        return result
