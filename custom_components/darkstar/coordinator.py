"""The planning coordinator: every 15 minutes, at start-up and after input changes: read, plan, publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.event import async_track_state_change_event, async_track_utc_time_change
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER, PLAN_MINUTES, REPLAN_DEBOUNCE_SECONDS
from .core.cycle import PlanResult, run_cycle
from .core.inputs.timeline import InputError
from .core.settings import PlannerSettings, planner_settings
from .readers import InputUnavailable
from .sources import configured_entities, planner_view, read_raw_inputs, watched_inputs

if TYPE_CHECKING:
    from . import DarkstarConfigEntry

# Repair issues for configured entities that no longer exist: this prefix plus the entity id.
MISSING_ENTITY_ISSUE = "missing_entity_"


class DarkstarCoordinator(DataUpdateCoordinator[PlanResult]):
    """Plans on the quarter-hour clock; the solve runs in the executor; replans never overlap."""

    config_entry: DarkstarConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: DarkstarConfigEntry,
        heater_last_on: Callable[[], datetime | None] = lambda: None,
    ) -> None:
        """Create the coordinator for one config entry; `heater_last_on` tells when the heater last ran."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=None,
            request_refresh_debouncer=Debouncer(
                hass, LOGGER, cooldown=REPLAN_DEBOUNCE_SECONDS, immediate=False
            ),
        )
        self.settings: PlannerSettings = planner_settings(entry.options, hass.config.time_zone)
        self._heater_last_on = heater_last_on
        self._watched = watched_inputs(entry.options)

    async def _async_setup(self) -> None:
        """Start the quarter-hour clock and watch the inputs; both stop when the entry unloads."""
        entry = self.config_entry
        entry.async_on_unload(
            async_track_utc_time_change(self.hass, self._on_clock, minute=PLAN_MINUTES, second=0)
        )
        if self._watched:
            entry.async_on_unload(
                async_track_state_change_event(self.hass, list(self._watched), self._on_input_change)
            )

    @callback
    def _on_clock(self, _now: datetime) -> None:
        self.config_entry.async_create_background_task(self.hass, self.async_refresh(), "darkstar replan")

    @callback
    def _on_input_change(self, event: Event[EventStateChangedData]) -> None:
        """New prices or a new forecast: replan soon (debounced); a new current price alone is no reason."""
        old, new = event.data["old_state"], event.data["new_state"]
        attributes = self._watched[event.data["entity_id"]]
        if new is None or planner_view(old, attributes) == planner_view(new, attributes):
            return
        self.config_entry.async_create_background_task(
            self.hass, self.async_request_refresh(), "darkstar input replan"
        )

    async def _async_update_data(self) -> PlanResult:
        """Read the inputs in the event loop, then plan in the executor.

        Replans never overlap: every refresh (clock, input change, action) runs under the
        coordinator's debouncer lock.
        """
        now = dt_util.utcnow()
        try:
            raw = await read_raw_inputs(self.hass, self.config_entry.options, now)
            raw = replace(raw, heater_last_on=self._heater_last_on())
            result = await self.hass.async_add_executor_job(run_cycle, raw, self.settings)
        except InputUnavailable as err:
            self._sync_repairs()
            return self._keep_last_plan(now, err.key, {"entity_id": err.entity_id}, str(err))
        except InputError as err:
            return self._keep_last_plan(now, "input_invalid", {"reason": str(err)}, str(err))
        self._sync_repairs()
        if not result.plan.ok:
            reason = result.plan.reason or result.plan.status
            return self._keep_last_plan(now, "plan_failed", {"reason": reason}, reason)
        return result

    def _keep_last_plan(
        self, now: datetime, key: str, placeholders: dict[str, str], message: str
    ) -> PlanResult:
        """Keep the last good plan, flagged, while it still covers now; otherwise fail the update."""
        previous = self.data
        if previous is not None and previous.slot_at(now) is not None:
            LOGGER.warning("Keeping the last plan: %s", message)
            return previous.with_issues((message,))
        raise UpdateFailed(
            translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
        )

    @callback
    def _sync_repairs(self) -> None:
        """Raise a repair issue for each configured entity that no longer exists; clear the others.

        Cleared are the issues of entities that are back and of entities no longer configured (the
        user picked another one). Not while Home Assistant is starting, when other integrations'
        entities may not exist yet.
        """
        if not self.hass.is_running:
            return
        missing = {
            f"{MISSING_ENTITY_ISSUE}{entity_id}": entity_id
            for entity_id in configured_entities(self.config_entry.options)
            if self.hass.states.get(entity_id) is None
        }
        for issue_id, entity_id in missing.items():
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="missing_entity",
                translation_placeholders={"entity_id": entity_id},
            )
        for domain, issue_id in list(ir.async_get(self.hass).issues):
            if domain == DOMAIN and issue_id.startswith(MISSING_ENTITY_ISSUE) and issue_id not in missing:
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)
