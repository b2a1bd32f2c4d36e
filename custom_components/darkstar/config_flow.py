"""Config flow (by system profile), reconfigure and options flow of Darkstar.

The user step asks for the system profile; then only the steps that the profile needs follow
(prices, battery, solar, load, water heater), each price and PV source with a detail step of its
own. Everything is stored flat in the entry's options; entry.data stays empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT
from homeassistant.core import HomeAssistant, callback

from .const import DOMAIN, ENERGY_UNITS, SOC_UNITS
from .core.options import (
    CONF_BATTERY_CAPACITY,
    CONF_CHARGE_EFFICIENCY,
    CONF_DISCHARGE_EFFICIENCY,
    CONF_FORECAST_SOLAR_ENTRY,
    CONF_HAS_BATTERY,
    CONF_HAS_WATER_HEATER,
    CONF_LOAD_ENTITY,
    CONF_MAX_CHARGE,
    CONF_MAX_DISCHARGE,
    CONF_MAX_SOC,
    CONF_MIN_SOC,
    CONF_NORDPOOL_AREA,
    CONF_NORDPOOL_ENTRY,
    CONF_PRICE_ATTRIBUTE,
    CONF_PRICE_ENTITY,
    CONF_PRICE_SOURCE,
    CONF_PV_ENTITIES,
    CONF_PV_SOURCE,
    CONF_SOC_ENTITY,
    CONF_TARGET_SOC,
    CONF_WATER_HEATED_TODAY_ENTITY,
    CONF_WATER_POWER,
    CONF_WATER_TEMPERATURE_ENTITY,
    COUNTER_ENTITY_KEYS,
    DEFAULTS,
    PRICE_SOURCE_CORE_NORDPOOL,
    PRICE_SOURCE_EPEX_SPOT,
    PRICE_SOURCE_GENERIC,
    PRICE_SOURCE_HACS_NORDPOOL,
    PRICE_SOURCE_TIBBER,
    PV_SOURCE_FORECAST_SOLAR,
    PV_SOURCE_SOLCAST,
)
from .flow_schemas import (
    CONFIG_STEPS,
    drop_unused_entities,
    field_location,
    fields_schema,
    flatten,
    merge,
    nest,
    options_layout,
    options_schema,
    profile_steps,
    pv_fields,
)

type Errors = dict[str, str]
type Validator = Callable[[HomeAssistant, Mapping[str, Any]], Errors]

# Price sources read from a sensor attribute: (attribute, or None = the configured one; error key).
_PRICE_ATTRIBUTES: dict[str, tuple[str | None, str]] = {
    PRICE_SOURCE_HACS_NORDPOOL: ("raw_today", "missing_raw_today"),
    PRICE_SOURCE_EPEX_SPOT: ("data", "missing_data_attribute"),
    PRICE_SOURCE_GENERIC: (None, "missing_price_attribute"),
}


def _entity_error(hass: HomeAssistant, entity_id: str, units: tuple[str, ...], error: str) -> str | None:
    """The error key for a missing entity, or for one whose unit is not one of `units`."""
    state = hass.states.get(entity_id)
    if state is None:
        return "entity_not_found"
    unit = str(state.attributes.get(ATTR_UNIT_OF_MEASUREMENT) or "").strip().lower()
    return error if unit not in units else None


def _entry_loaded(hass: HomeAssistant, entry_id: str, domain: str) -> ConfigEntry | None:
    """The config entry with this id if it belongs to `domain` and is loaded."""
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != domain or entry.state is not ConfigEntryState.LOADED:
        return None
    return entry


def validate_price_source(hass: HomeAssistant, options: Mapping[str, Any]) -> Errors:
    """Tibber prices need the tibber.get_prices action."""
    if options[CONF_PRICE_SOURCE] == PRICE_SOURCE_TIBBER and not hass.services.has_service(
        "tibber", "get_prices"
    ):
        return {CONF_PRICE_SOURCE: "tibber_not_available"}
    return {}


def validate_price_details(hass: HomeAssistant, options: Mapping[str, Any]) -> Errors:
    """The chosen price source's sensor (with its price list) or Nord Pool entry and area exist."""
    source = options[CONF_PRICE_SOURCE]
    if source == PRICE_SOURCE_CORE_NORDPOOL:
        entry = _entry_loaded(hass, options[CONF_NORDPOOL_ENTRY], "nordpool")
        if entry is None:
            return {CONF_NORDPOOL_ENTRY: "nordpool_not_loaded"}
        areas = entry.data.get("areas") or [options[CONF_NORDPOOL_AREA]]
        return {} if options[CONF_NORDPOOL_AREA] in areas else {CONF_NORDPOOL_AREA: "area_not_in_entry"}
    if source not in _PRICE_ATTRIBUTES:
        return {}
    if (state := hass.states.get(options[CONF_PRICE_ENTITY])) is None:
        return {CONF_PRICE_ENTITY: "entity_not_found"}
    attribute, error = _PRICE_ATTRIBUTES[source]
    field = CONF_PRICE_ENTITY if attribute else CONF_PRICE_ATTRIBUTE
    if not isinstance(state.attributes.get(attribute or options[CONF_PRICE_ATTRIBUTE]), list):
        return {field: error}
    return {}


def validate_battery(hass: HomeAssistant, options: Mapping[str, Any]) -> Errors:
    """The SoC sensor is in %, the battery has capacity and power, min < max SoC, 0 < efficiency <= 1."""
    errors: Errors = {}
    if error := _entity_error(hass, options[CONF_SOC_ENTITY], SOC_UNITS, "unit_not_percent"):
        errors[CONF_SOC_ENTITY] = error
    for key in (CONF_BATTERY_CAPACITY, CONF_MAX_CHARGE, CONF_MAX_DISCHARGE):
        if options[key] <= 0:
            errors[key] = "must_be_positive"
    if options[CONF_MIN_SOC] >= options[CONF_MAX_SOC]:
        errors[CONF_MIN_SOC] = "min_soc_not_below_max"
    target = options.get(CONF_TARGET_SOC) or 0
    if target and not options[CONF_MIN_SOC] <= target <= options[CONF_MAX_SOC]:
        errors[CONF_TARGET_SOC] = "target_soc_out_of_range"
    for key in (CONF_CHARGE_EFFICIENCY, CONF_DISCHARGE_EFFICIENCY):
        if not 0 < options[key] <= 1:
            errors[key] = "efficiency_out_of_range"
    return errors


def validate_solar(hass: HomeAssistant, options: Mapping[str, Any]) -> Errors:
    """Solcast sensors exist and carry detailedForecast; a forecast_solar entry exists."""
    source = options[CONF_PV_SOURCE]
    if source == PV_SOURCE_FORECAST_SOLAR:
        entry = hass.config_entries.async_get_entry(options[CONF_FORECAST_SOLAR_ENTRY])
        if entry is None or entry.domain != "forecast_solar":
            return {CONF_FORECAST_SOLAR_ENTRY: "forecast_solar_not_found"}
    if source != PV_SOURCE_SOLCAST:
        return {}
    entities = options[CONF_PV_ENTITIES]
    if not entities:
        return {CONF_PV_ENTITIES: "no_entities_selected"}
    for entity_id in entities:
        if (state := hass.states.get(entity_id)) is None:
            return {CONF_PV_ENTITIES: "entity_not_found"}
        if not isinstance(state.attributes.get("detailedForecast"), list):
            return {CONF_PV_ENTITIES: "missing_detailed_forecast"}
    return {}


def validate_load(hass: HomeAssistant, options: Mapping[str, Any]) -> Errors:
    """The house-load sensor exists and measures energy."""
    error = _entity_error(hass, options[CONF_LOAD_ENTITY], ENERGY_UNITS, "unit_not_energy")
    return {CONF_LOAD_ENTITY: error} if error else {}


def validate_water_heater(hass: HomeAssistant, options: Mapping[str, Any]) -> Errors:
    """The heater has power; its optional heated-today (energy) and temperature entities exist."""
    errors: Errors = {}
    if options[CONF_WATER_POWER] <= 0:
        errors[CONF_WATER_POWER] = "must_be_positive"
    if (heated := options.get(CONF_WATER_HEATED_TODAY_ENTITY)) and (
        error := _entity_error(hass, heated, ENERGY_UNITS, "unit_not_energy")
    ):
        errors[CONF_WATER_HEATED_TODAY_ENTITY] = error
    if (temperature := options.get(CONF_WATER_TEMPERATURE_ENTITY)) and hass.states.get(temperature) is None:
        errors[CONF_WATER_TEMPERATURE_ENTITY] = "entity_not_found"
    return errors


def validate_learning(hass: HomeAssistant, options: Mapping[str, Any]) -> Errors:
    """The optional energy counters exist and measure energy."""
    errors: Errors = {}
    for key in COUNTER_ENTITY_KEYS:
        if (entity_id := options.get(key)) and (
            error := _entity_error(hass, entity_id, ENERGY_UNITS, "unit_not_energy")
        ):
            errors[key] = error
    return errors


def validate_options(hass: HomeAssistant, options: Mapping[str, Any]) -> Errors:
    """Every check that applies to this profile, on complete options."""
    errors = {**validate_price_source(hass, options), **validate_price_details(hass, options)}
    errors |= validate_load(hass, options) | validate_learning(hass, options)
    if options[CONF_HAS_BATTERY]:
        errors |= validate_battery(hass, options)
    if pv_fields(options):
        errors |= validate_solar(hass, options)
    if options[CONF_HAS_WATER_HEATER]:
        errors |= validate_water_heater(hass, options)
    return errors


def _no_check(hass: HomeAssistant, options: Mapping[str, Any]) -> Errors:
    """Nothing to check."""
    return {}


# What each config-flow step checks before moving on.
STEP_VALIDATORS: dict[str, Validator] = {
    "user": _no_check,
    "reconfigure": _no_check,
    "prices": validate_price_source,
    "battery": validate_battery,
    "solar": _no_check,
    "load": validate_load,
    "water_heater": validate_water_heater,
    **{step: validate_price_details for step in CONFIG_STEPS if step.startswith("price_")},
    **{step: validate_solar for step in CONFIG_STEPS if step.startswith("pv_")},
}


# Steps that are never the last: the profile always leads on, prices and solar to their detail step.
_STEPS_WITH_FOLLOWERS = frozenset({"user", "reconfigure", "prices", "solar"})


class DarkstarConfigFlow(ConfigFlow, domain=DOMAIN):
    """Onboard Darkstar step by step: the system profile first, then only what it needs."""

    VERSION = 1

    def __init__(self) -> None:
        """Start from the defaults."""
        self._options: dict[str, Any] = dict(DEFAULTS)
        self._pending: list[str] = []

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> DarkstarOptionsFlow:
        """The options flow (it gets its entry from the base class)."""
        return DarkstarOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The system profile: solar, battery, water heater."""
        return self._step("user", user_input)

    async def async_step_reconfigure(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Change the profile and the sources, starting from the entry's options."""
        if user_input is None:
            self._options = {**DEFAULTS, **self._get_reconfigure_entry().options}
        return self._step("reconfigure", user_input)

    async def async_step_prices(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The price source and the tariff."""
        return self._step("prices", user_input)

    async def async_step_price_hacs_nordpool(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The HACS Nord Pool sensor."""
        return self._step("price_hacs_nordpool", user_input)

    async def async_step_price_core_nordpool(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The Nord Pool integration's entry and area."""
        return self._step("price_core_nordpool", user_input)

    async def async_step_price_epex_spot(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The EPEX Spot sensor."""
        return self._step("price_epex_spot", user_input)

    async def async_step_price_generic(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Any sensor with a price list attribute."""
        return self._step("price_generic", user_input)

    async def async_step_battery(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The SoC sensor and the battery's limits."""
        return self._step("battery", user_input)

    async def async_step_solar(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The PV forecast source."""
        return self._step("solar", user_input)

    async def async_step_pv_solcast(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The Solcast forecast sensors."""
        return self._step("pv_solcast", user_input)

    async def async_step_pv_forecast_solar(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The Forecast.Solar entry."""
        return self._step("pv_forecast_solar", user_input)

    async def async_step_load(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The house-load energy sensor."""
        return self._step("load", user_input)

    async def async_step_water_heater(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The water heater's power, daily need and comfort rules."""
        return self._step("water_heater", user_input)

    def _step(self, step_id: str, user_input: dict[str, Any] | None) -> ConfigFlowResult:
        """Show a step's form, or check its input and move on."""
        if user_input is None:
            return self._form(step_id)
        candidate = merge(self._options, user_input, CONFIG_STEPS[step_id])
        if errors := STEP_VALIDATORS[step_id](self.hass, candidate):
            return self._form(step_id, errors, candidate)
        self._options = candidate
        if step_id in ("user", "reconfigure"):
            self._pending = profile_steps(candidate)
        self._pending[:0] = self._detail_steps(step_id)
        return self._next()

    def _detail_steps(self, step_id: str) -> list[str]:
        """The chosen source's detail step, after the prices or solar step."""
        detail = {
            "prices": f"price_{self._options[CONF_PRICE_SOURCE]}",
            "solar": f"pv_{self._options[CONF_PV_SOURCE]}",
        }
        step = detail.get(step_id)
        return [step] if step in CONFIG_STEPS else []

    def _next(self) -> ConfigFlowResult:
        """The next pending step's form, or the end of the flow."""
        if self._pending:
            return self._form(self._pending.pop(0))
        options = drop_unused_entities(self._options)
        if self.source == SOURCE_RECONFIGURE:
            return self.async_update_reload_and_abort(self._get_reconfigure_entry(), options=options)
        return self.async_create_entry(title="Darkstar", data={}, options=options)

    def _form(
        self, step_id: str, errors: Errors | None = None, values: Mapping[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A step's form, prefilled with the values so far ("Submit" on the last one, else "Next")."""
        current = self._options if values is None else values
        schema = self.add_suggested_values_to_schema(fields_schema(CONFIG_STEPS[step_id], current), current)
        last = not self._pending and step_id not in _STEPS_WITH_FOLLOWERS
        return self.async_show_form(step_id=step_id, data_schema=schema, errors=errors or {}, last_step=last)


class DarkstarOptionsFlow(OptionsFlowWithReload):
    """Every planner parameter, tariff and source entity, in sections; the entry reloads on save."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """One form: top-level sources, then sections the profile makes relevant."""
        current = {**DEFAULTS, **self.config_entry.options}
        layout = options_layout(current)
        errors: Errors = {}
        if user_input is not None:
            fields = [key for _name, keys in layout for key in keys]
            candidate = merge(current, flatten(user_input, layout), fields)
            location = field_location(layout)
            errors = {
                location.get(key, "base"): error
                for key, error in validate_options(self.hass, candidate).items()
            }
            if not errors:
                return self.async_create_entry(data=drop_unused_entities(candidate))
            current = candidate
        schema = self.add_suggested_values_to_schema(options_schema(layout, current), nest(current, layout))
        return self.async_show_form(step_id="init", data_schema=schema, errors=errors)
