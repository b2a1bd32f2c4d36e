"""Form schemas of Darkstar's config, reconfigure and options flows, and the options-form layout.

Options are stored flat in the entry's options (keys from core/options.py). Sections in the
options form are presentation only: `nest` spreads flat options over the form's sections and
`flatten` gathers a submitted form back into flat options.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from homeassistant.data_entry_flow import section
from homeassistant.helpers.selector import (
    BooleanSelector,
    ConfigEntrySelector,
    ConfigEntrySelectorConfig,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
import voluptuous as vol

from .core.options import (
    CONF_BATTERY_CAPACITY,
    CONF_CHARGE_EFFICIENCY,
    CONF_DISCHARGE_EFFICIENCY,
    CONF_ENERGY_TAX,
    CONF_EXPORT_BONUS,
    CONF_EXPORT_ENABLED,
    CONF_EXPORT_THRESHOLD,
    CONF_FORECAST_SOLAR_ENTRY,
    CONF_GRID_FEE,
    CONF_HAS_BATTERY,
    CONF_HAS_SOLAR,
    CONF_HAS_WATER_HEATER,
    CONF_IMPORT_LIMIT_KW,
    CONF_LOAD_ENTITY,
    CONF_MAX_CHARGE,
    CONF_MAX_DISCHARGE,
    CONF_MAX_EXPORT_KW,
    CONF_MAX_IMPORT_KW,
    CONF_MAX_SOC,
    CONF_MIN_SOC,
    CONF_MIP_ABS_GAP,
    CONF_MIP_REL_GAP,
    CONF_NORDPOOL_AREA,
    CONF_NORDPOOL_ENTRY,
    CONF_PRICE_ATTRIBUTE,
    CONF_PRICE_ENTITY,
    CONF_PRICE_SOURCE,
    CONF_PV_ENTITIES,
    CONF_PV_SOURCE,
    CONF_RAMPING_COST,
    CONF_RETENTION_DAYS,
    CONF_SOC_ENTITY,
    CONF_SOLVER,
    CONF_TARGET_PENALTY,
    CONF_TARGET_SOC,
    CONF_TERMINAL_VALUE,
    CONF_TIME_LIMIT,
    CONF_VAT_PERCENT,
    CONF_WATER_COMFORT_PENALTY,
    CONF_WATER_DEFER,
    CONF_WATER_HEATED_TODAY_ENTITY,
    CONF_WATER_MAX_GAP,
    CONF_WATER_MIN_KWH,
    CONF_WATER_POWER,
    CONF_WATER_SPACING,
    CONF_WATER_START_PENALTY,
    CONF_WATER_TEMPERATURE_ENTITY,
    CONF_WEAR_COST,
    COUNTER_ENTITY_KEYS,
    DEFAULTS,
    PRICE_SOURCE_CORE_NORDPOOL,
    PRICE_SOURCE_EPEX_SPOT,
    PRICE_SOURCE_GENERIC,
    PRICE_SOURCE_HACS_NORDPOOL,
    PRICE_SOURCE_TIBBER,
    PRICE_SOURCES,
    PV_SOURCE_FORECAST_SOLAR,
    PV_SOURCE_NONE,
    PV_SOURCE_SOLCAST,
    PV_SOURCES,
)

# Names of the options form's sections (presentation only; never stored).
SECTION_TARIFF = "tariff"
SECTION_GRID = "grid"
SECTION_BATTERY = "battery"
SECTION_SOLAR = "solar"
SECTION_WATER_HEATER = "water_heater"
SECTION_LEARNING = "learning"
SECTION_SOLVER = CONF_SOLVER


def _number(low: float, high: float, step: float | str = "any", unit: str | None = None) -> NumberSelector:
    """A number box from low to high, with a unit if given."""
    config = NumberSelectorConfig(min=low, max=high, step=step, mode=NumberSelectorMode.BOX)
    if unit is not None:
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


def _entity(domain: str | list[str], *, multiple: bool = False) -> EntitySelector:
    """An entity picker limited to these domains."""
    return EntitySelector(EntitySelectorConfig(domain=domain, multiple=multiple))


def _select(options: Iterable[str], translation_key: str) -> SelectSelector:
    """A dropdown whose option labels come from translations (selector.<translation_key>)."""
    return SelectSelector(
        SelectSelectorConfig(
            options=list(options), translation_key=translation_key, mode=SelectSelectorMode.DROPDOWN
        )
    )


def _config_entry(integration: str) -> ConfigEntrySelector:
    """A picker of another integration's config entries."""
    return ConfigEntrySelector(ConfigEntrySelectorConfig(integration=integration))


_MONEY = _number(-100, 100)  # currency per kWh (whatever the prices are in)
_PENALTY = _number(0, 1000)

# Every field of every form, with its selector.
SELECTORS: dict[str, Any] = {
    CONF_HAS_SOLAR: BooleanSelector(),
    CONF_HAS_BATTERY: BooleanSelector(),
    CONF_HAS_WATER_HEATER: BooleanSelector(),
    CONF_PRICE_SOURCE: _select(PRICE_SOURCES, CONF_PRICE_SOURCE),
    CONF_PRICE_ENTITY: _entity("sensor"),
    CONF_PRICE_ATTRIBUTE: TextSelector(),
    CONF_NORDPOOL_ENTRY: _config_entry("nordpool"),
    CONF_NORDPOOL_AREA: TextSelector(),
    CONF_GRID_FEE: _MONEY,
    CONF_ENERGY_TAX: _MONEY,
    CONF_VAT_PERCENT: _number(0, 100, unit="%"),
    CONF_EXPORT_BONUS: _MONEY,
    CONF_EXPORT_ENABLED: BooleanSelector(),
    CONF_MAX_IMPORT_KW: _number(0, 1000, unit="kW"),
    CONF_MAX_EXPORT_KW: _number(0, 1000, unit="kW"),
    CONF_IMPORT_LIMIT_KW: _number(0, 1000, unit="kW"),
    CONF_EXPORT_THRESHOLD: _MONEY,
    CONF_SOC_ENTITY: _entity(["sensor", "input_number"]),
    CONF_BATTERY_CAPACITY: _number(0, 1000, unit="kWh"),
    CONF_MAX_CHARGE: _number(0, 1000, unit="kW"),
    CONF_MAX_DISCHARGE: _number(0, 1000, unit="kW"),
    CONF_MIN_SOC: _number(0, 100, unit="%"),
    CONF_MAX_SOC: _number(0, 100, unit="%"),
    CONF_CHARGE_EFFICIENCY: _number(0, 1),
    CONF_DISCHARGE_EFFICIENCY: _number(0, 1),
    CONF_WEAR_COST: _PENALTY,
    CONF_RAMPING_COST: _PENALTY,
    CONF_TARGET_SOC: _number(0, 100, unit="%"),
    CONF_TARGET_PENALTY: _PENALTY,
    CONF_TERMINAL_VALUE: _MONEY,
    CONF_PV_SOURCE: _select(PV_SOURCES, CONF_PV_SOURCE),
    CONF_PV_ENTITIES: _entity("sensor", multiple=True),
    CONF_FORECAST_SOLAR_ENTRY: _config_entry("forecast_solar"),
    CONF_LOAD_ENTITY: _entity("sensor"),
    CONF_WATER_POWER: _number(0, 100, unit="kW"),
    CONF_WATER_MIN_KWH: _number(0, 500, unit="kWh"),
    CONF_WATER_SPACING: _number(0, 48, unit="h"),
    CONF_WATER_MAX_GAP: _number(0, 48, unit="h"),
    CONF_WATER_COMFORT_PENALTY: _PENALTY,
    CONF_WATER_START_PENALTY: _PENALTY,
    CONF_WATER_DEFER: _number(0, 48, unit="h"),
    CONF_WATER_HEATED_TODAY_ENTITY: _entity("sensor"),
    CONF_WATER_TEMPERATURE_ENTITY: _entity(["sensor", "water_heater", "input_number"]),
    **{key: _entity("sensor") for key in COUNTER_ENTITY_KEYS},
    CONF_RETENTION_DAYS: _number(1, 3650, step=1, unit="d"),
    CONF_TIME_LIMIT: _number(1, 600, unit="s"),
    CONF_MIP_REL_GAP: _number(0, 1),
    CONF_MIP_ABS_GAP: _number(0, 1000),
}

# Fields that may be left empty (removed from the options when cleared).
OPTIONAL_FIELDS: frozenset[str] = frozenset(
    {CONF_WATER_HEATED_TODAY_ENTITY, CONF_WATER_TEMPERATURE_ENTITY, *COUNTER_ENTITY_KEYS}
)

PROFILE_FIELDS = (CONF_HAS_SOLAR, CONF_HAS_BATTERY, CONF_HAS_WATER_HEATER)
TARIFF_FIELDS = (CONF_GRID_FEE, CONF_ENERGY_TAX, CONF_VAT_PERCENT, CONF_EXPORT_BONUS)
PRICES_FIELDS = (CONF_PRICE_SOURCE, *TARIFF_FIELDS)
GRID_FIELDS = (
    CONF_EXPORT_ENABLED,
    CONF_MAX_IMPORT_KW,
    CONF_MAX_EXPORT_KW,
    CONF_IMPORT_LIMIT_KW,
    CONF_EXPORT_THRESHOLD,
)
BATTERY_FIELDS = (
    CONF_SOC_ENTITY,
    CONF_BATTERY_CAPACITY,
    CONF_MAX_CHARGE,
    CONF_MAX_DISCHARGE,
    CONF_MIN_SOC,
    CONF_MAX_SOC,
    CONF_CHARGE_EFFICIENCY,
    CONF_DISCHARGE_EFFICIENCY,
    CONF_WEAR_COST,
)
BATTERY_PLANNING_FIELDS = (CONF_RAMPING_COST, CONF_TARGET_SOC, CONF_TARGET_PENALTY, CONF_TERMINAL_VALUE)
LOAD_FIELDS = (CONF_LOAD_ENTITY,)
WATER_HEATER_FIELDS = (
    CONF_WATER_POWER,
    CONF_WATER_MIN_KWH,
    CONF_WATER_SPACING,
    CONF_WATER_MAX_GAP,
    CONF_WATER_COMFORT_PENALTY,
    CONF_WATER_START_PENALTY,
    CONF_WATER_DEFER,
    CONF_WATER_HEATED_TODAY_ENTITY,
    CONF_WATER_TEMPERATURE_ENTITY,
)
SOLVER_FIELDS = (CONF_TIME_LIMIT, CONF_MIP_REL_GAP, CONF_MIP_ABS_GAP)
LEARNING_FIELDS = (CONF_RETENTION_DAYS, *COUNTER_ENTITY_KEYS)

# The fields each price source and each PV source needs besides its kind.
PRICE_SOURCE_FIELDS: dict[str, tuple[str, ...]] = {
    PRICE_SOURCE_HACS_NORDPOOL: (CONF_PRICE_ENTITY,),
    PRICE_SOURCE_CORE_NORDPOOL: (CONF_NORDPOOL_ENTRY, CONF_NORDPOOL_AREA),
    PRICE_SOURCE_TIBBER: (),
    PRICE_SOURCE_EPEX_SPOT: (CONF_PRICE_ENTITY,),
    PRICE_SOURCE_GENERIC: (CONF_PRICE_ENTITY, CONF_PRICE_ATTRIBUTE),
}
PV_SOURCE_FIELDS: dict[str, tuple[str, ...]] = {
    PV_SOURCE_SOLCAST: (CONF_PV_ENTITIES,),
    PV_SOURCE_FORECAST_SOLAR: (CONF_FORECAST_SOLAR_ENTRY,),
    PV_SOURCE_NONE: (),
}
# Entity and entry keys that only some profiles or sources use: dropped from the options when unused,
# so that no stale entity id is read, watched or reported.
ENTITY_KEYS: frozenset[str] = frozenset(
    {
        CONF_PRICE_ENTITY,
        CONF_NORDPOOL_ENTRY,
        CONF_NORDPOOL_AREA,
        CONF_PV_ENTITIES,
        CONF_FORECAST_SOLAR_ENTRY,
        CONF_SOC_ENTITY,
        CONF_WATER_HEATED_TODAY_ENTITY,
        CONF_WATER_TEMPERATURE_ENTITY,
    }
)

# Config flow steps with fields (step id -> fields); the detail steps are named after the source.
CONFIG_STEPS: dict[str, tuple[str, ...]] = {
    "user": PROFILE_FIELDS,
    "reconfigure": PROFILE_FIELDS,
    "prices": PRICES_FIELDS,
    **{f"price_{kind}": fields for kind, fields in PRICE_SOURCE_FIELDS.items() if fields},
    "battery": BATTERY_FIELDS,
    "solar": (CONF_PV_SOURCE,),
    **{f"pv_{kind}": fields for kind, fields in PV_SOURCE_FIELDS.items() if fields},
    "load": LOAD_FIELDS,
    "water_heater": WATER_HEATER_FIELDS,
}

# Text fields and how they are stored: areas as Nord Pool writes them, names without stray spaces.
_TEXT_TIDY: dict[str, Callable[[str], str]] = {
    CONF_NORDPOOL_AREA: lambda text: text.strip().upper(),
    CONF_PRICE_ATTRIBUTE: str.strip,
}

# One part of the options form: a section name (None = top level) and its fields.
type Part = tuple[str | None, tuple[str, ...]]


def profile_steps(options: Mapping[str, Any]) -> list[str]:
    """The config-flow steps after the profile that this profile needs, in order."""
    steps = ["prices"]
    if options[CONF_HAS_BATTERY]:
        steps.append("battery")
    if options[CONF_HAS_SOLAR]:
        steps.append("solar")
    steps.append("load")
    if options[CONF_HAS_WATER_HEATER]:
        steps.append("water_heater")
    return steps


def pv_fields(options: Mapping[str, Any]) -> tuple[str, ...]:
    """The PV source fields in use: none without solar."""
    return PV_SOURCE_FIELDS[options[CONF_PV_SOURCE]] if options[CONF_HAS_SOLAR] else ()


def options_layout(options: Mapping[str, Any]) -> list[Part]:
    """The options form's parts for this profile; parts the profile makes irrelevant are left out."""
    parts: list[Part] = [
        (None, (*PRICE_SOURCE_FIELDS[options[CONF_PRICE_SOURCE]], *LOAD_FIELDS)),
        (SECTION_TARIFF, TARIFF_FIELDS),
        (SECTION_GRID, GRID_FIELDS),
    ]
    if options[CONF_HAS_BATTERY]:
        parts.append((SECTION_BATTERY, (*BATTERY_FIELDS, *BATTERY_PLANNING_FIELDS)))
    if solar := pv_fields(options):
        parts.append((SECTION_SOLAR, solar))
    if options[CONF_HAS_WATER_HEATER]:
        parts.append((SECTION_WATER_HEATER, WATER_HEATER_FIELDS))
    parts.append((SECTION_LEARNING, LEARNING_FIELDS))
    parts.append((SECTION_SOLVER, SOLVER_FIELDS))
    return parts


def fields_schema(fields: Iterable[str], current: Mapping[str, Any]) -> vol.Schema:
    """A schema for these fields; required ones default to their current value, if any."""
    schema: dict[Any, Any] = {}
    for key in fields:
        if key in OPTIONAL_FIELDS:
            marker: vol.Marker = vol.Optional(key)
        elif current.get(key) is not None:
            marker = vol.Required(key, default=current[key])
        else:
            marker = vol.Required(key)
        schema[marker] = SELECTORS[key]
    return vol.Schema(schema)


def options_schema(layout: list[Part], current: Mapping[str, Any]) -> vol.Schema:
    """The options form: top-level fields plus one section per named part (solver collapsed)."""
    schema: dict[Any, Any] = {}
    for name, fields in layout:
        part = fields_schema(fields, current)
        if name is None:
            schema.update(part.schema)
        else:
            collapsed = name in (SECTION_SOLVER, SECTION_LEARNING)
            schema[vol.Required(name)] = section(part, {"collapsed": collapsed})
    return vol.Schema(schema)


def nest(options: Mapping[str, Any], layout: list[Part]) -> dict[str, Any]:
    """Flat options spread over the form's parts (for suggested values)."""
    nested: dict[str, Any] = {}
    for name, fields in layout:
        values = {key: options[key] for key in fields if options.get(key) is not None}
        if name is None:
            nested.update(values)
        else:
            nested[name] = values
    return nested


def flatten(user_input: Mapping[str, Any], layout: list[Part]) -> dict[str, Any]:
    """A submitted options form as flat options (sections dissolved)."""
    flat: dict[str, Any] = {}
    for name, fields in layout:
        values = user_input if name is None else user_input.get(name, {})
        flat.update({key: values[key] for key in fields if key in values})
    return flat


def merge(options: Mapping[str, Any], values: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """Options updated with a form's values; optional fields of the form left empty are removed."""
    cleared = OPTIONAL_FIELDS.intersection(fields)
    merged = {key: value for key, value in options.items() if key not in cleared}
    merged.update(values)
    for key, tidy in _TEXT_TIDY.items():
        if isinstance(text := merged.get(key), str):
            merged[key] = tidy(text)
    return merged


def used_entity_keys(options: Mapping[str, Any]) -> frozenset[str]:
    """The keys of ENTITY_KEYS that the profile and the chosen sources use.

    The one place that decides it: the flows drop the other keys, and the planner reads, watches and
    reports only the entities of these keys (and the load sensor, which every home has).
    """
    options = {**DEFAULTS, **options}
    used = {*PRICE_SOURCE_FIELDS[options[CONF_PRICE_SOURCE]], *pv_fields(options)}
    if options[CONF_HAS_BATTERY]:
        used.add(CONF_SOC_ENTITY)
    if options[CONF_HAS_WATER_HEATER]:
        used.update((CONF_WATER_HEATED_TODAY_ENTITY, CONF_WATER_TEMPERATURE_ENTITY))
    return ENTITY_KEYS & used


def drop_unused_entities(options: Mapping[str, Any]) -> dict[str, Any]:
    """Options without the entities and entries that the profile and the chosen sources do not use.

    Numbers are kept: they have defaults anyway, and come back if the profile is widened again.
    """
    used = used_entity_keys(options)
    return {key: value for key, value in options.items() if key not in ENTITY_KEYS or key in used}


def field_location(layout: list[Part]) -> dict[str, str]:
    """Where each field of the form sits: its section's name, or its own key at the top level."""
    return {key: key if name is None else name for name, fields in layout for key in fields}
