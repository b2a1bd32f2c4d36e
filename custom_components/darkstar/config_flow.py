"""Config flow for Darkstar: pick the home's inputs and describe its battery."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
import voluptuous as vol

from .const import (
    CONF_BATTERY_CAPACITY,
    CONF_LOAD_ENTITY,
    CONF_MAX_CHARGE,
    CONF_MAX_DISCHARGE,
    CONF_PRICE_ENTITY,
    CONF_PV_ENTITY,
    CONF_SOC_ENTITY,
    DEFAULT_BATTERY_CAPACITY,
    DEFAULT_MAX_POWER,
    DOMAIN,
    ENERGY_UNITS,
    PRICE_UNIT_SUFFIXES,
    SOC_UNITS,
)

_SENSOR = EntitySelector(EntitySelectorConfig(domain="sensor"))


def _number(maximum: float, unit: str) -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=0, max=maximum, step=0.1, unit_of_measurement=unit, mode=NumberSelectorMode.BOX
        )
    )


USER_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_PRICE_ENTITY): _SENSOR,
        vol.Required(CONF_SOC_ENTITY): EntitySelector(
            EntitySelectorConfig(domain=["sensor", "input_number"])
        ),
        vol.Required(CONF_PV_ENTITY): _SENSOR,
        vol.Required(CONF_LOAD_ENTITY): _SENSOR,
        vol.Required(CONF_BATTERY_CAPACITY, default=DEFAULT_BATTERY_CAPACITY): _number(1000, "kWh"),
        vol.Required(CONF_MAX_CHARGE, default=DEFAULT_MAX_POWER): _number(100, "kW"),
        vol.Required(CONF_MAX_DISCHARGE, default=DEFAULT_MAX_POWER): _number(100, "kW"),
    }
)

# Which unit family each entity field must have: (accepts(unit) -> bool, error key).
_UNIT_RULES: dict[str, tuple[Any, str]] = {
    CONF_PRICE_ENTITY: (lambda u: u.endswith(PRICE_UNIT_SUFFIXES), "unit_not_price"),
    CONF_SOC_ENTITY: (lambda u: u in SOC_UNITS, "unit_not_percent"),
    CONF_PV_ENTITY: (lambda u: u in ENERGY_UNITS, "unit_not_energy"),
    CONF_LOAD_ENTITY: (lambda u: u in ENERGY_UNITS, "unit_not_energy"),
}


def validate_user_input(hass: HomeAssistant, user_input: dict[str, Any]) -> dict[str, str]:
    """Check that each entity exists and has a plausible unit; return form errors by field."""
    errors: dict[str, str] = {}
    for field, (accepts, error_key) in _UNIT_RULES.items():
        state = hass.states.get(user_input[field])
        if state is None:
            errors[field] = "entity_not_found"
            continue
        unit = str(state.attributes.get(ATTR_UNIT_OF_MEASUREMENT) or "").strip().lower()
        if not accepts(unit):
            errors[field] = error_key
    if user_input[CONF_BATTERY_CAPACITY] > 0 and user_input[CONF_MAX_CHARGE] <= 0:
        errors[CONF_MAX_CHARGE] = "power_must_be_positive"
    return errors


class DarkstarConfigFlow(ConfigFlow, domain=DOMAIN):
    """Onboard Darkstar in the UI."""

    VERSION = 1

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the inputs and the battery; validate before creating the entry."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_user_input(self.hass, user_input)
            if not errors:
                return self.async_create_entry(title="Darkstar", data={}, options=user_input)
        schema = self.add_suggested_values_to_schema(USER_SCHEMA, user_input or {})
        return self.async_show_form(step_id="user", data_schema=schema, errors=errors)
