"""Base entity of Darkstar: one service device per config entry."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import DarkstarCoordinator


class DarkstarEntity(CoordinatorEntity[DarkstarCoordinator]):
    """An entity of the Darkstar planner device."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: DarkstarCoordinator, description: EntityDescription) -> None:
        """Bind the entity to the coordinator, its description and the planner device."""
        super().__init__(coordinator)
        self.entity_description = description
        entry_id = coordinator.config_entry.entry_id
        self._attr_unique_id = f"{entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry_id)},
            name="Darkstar",
            manufacturer="Darkstar",
            model="Energy planner",
            entry_type=DeviceEntryType.SERVICE,
        )
