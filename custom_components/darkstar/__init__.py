"""Darkstar: plans a home's battery, solar, grid and water heater with a MILP."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN, PLATFORMS
from .coordinator import DarkstarCoordinator
from .learning import Learning
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


@dataclass
class DarkstarData:
    """What a loaded Darkstar entry keeps at runtime."""

    coordinator: DarkstarCoordinator
    learning: Learning


type DarkstarConfigEntry = ConfigEntry[DarkstarData]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration (actions are registered here, once)."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: DarkstarConfigEntry) -> bool:
    """Set up Darkstar from a config entry: plan once, then start the platforms."""
    learning = Learning(hass, entry.entry_id, entry.options)
    for unsubscribe in await learning.async_start():
        entry.async_on_unload(unsubscribe)
    # Home Assistant runs the unload callbacks also when setup fails, is not ready or is cancelled.
    entry.async_on_unload(learning.async_stop)
    coordinator = DarkstarCoordinator(hass, entry, heater_last_on=lambda: learning.heater_last_on)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = DarkstarData(coordinator=coordinator, learning=learning)
    # Every new plan becomes a training episode (written in the background).
    learning.on_plan(coordinator.data)
    entry.async_on_unload(coordinator.async_add_listener(lambda: learning.on_plan(coordinator.data)))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: DarkstarConfigEntry) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
