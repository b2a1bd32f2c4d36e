"""The keys and defaults of Darkstar's configuration (a config entry's options), as plain data.

The HA shell's flows write these keys; the core turns them into planner settings
(`core/settings.py`). Kept here, free of Home Assistant, so both sides share one definition.
"""

from __future__ import annotations

from typing import Final

# Config entry options. Everything lives in entry.options (entry.data stays empty), so the options
# flow can change any of it. Keys of the advanced solver settings sit in the "solver" section.

# System profile
CONF_HAS_SOLAR: Final = "has_solar"
CONF_HAS_BATTERY: Final = "has_battery"
CONF_HAS_WATER_HEATER: Final = "has_water_heater"

# Prices and tariff
CONF_PRICE_SOURCE: Final = "price_source"
PRICE_SOURCE_HACS_NORDPOOL: Final = "hacs_nordpool"  # sensor with raw_today/raw_tomorrow
PRICE_SOURCE_CORE_NORDPOOL: Final = "core_nordpool"  # nordpool.get_prices_for_date action
PRICE_SOURCE_TIBBER: Final = "tibber"  # tibber.get_prices action
PRICE_SOURCE_EPEX_SPOT: Final = "epex_spot"  # sensor with a `data` attribute
PRICE_SOURCE_GENERIC: Final = "generic"  # sensor with a list attribute of {start, value}
PRICE_SOURCES: Final = (
    PRICE_SOURCE_HACS_NORDPOOL,
    PRICE_SOURCE_CORE_NORDPOOL,
    PRICE_SOURCE_TIBBER,
    PRICE_SOURCE_EPEX_SPOT,
    PRICE_SOURCE_GENERIC,
)
CONF_PRICE_ENTITY: Final = (
    "price_entity"  # hacs_nordpool, epex_spot, generic (and core_nordpool: any of its sensors)
)
CONF_PRICE_ATTRIBUTE: Final = "price_attribute"  # generic: the list attribute's name
CONF_NORDPOOL_ENTRY: Final = "nordpool_config_entry"  # core_nordpool: its config entry id
CONF_NORDPOOL_AREA: Final = "nordpool_area"  # core_nordpool: e.g. "SE4"
CONF_GRID_FEE: Final = "grid_fee"
CONF_ENERGY_TAX: Final = "energy_tax"
CONF_VAT_PERCENT: Final = "vat_percent"
CONF_EXPORT_BONUS: Final = "export_bonus"

# Grid
CONF_EXPORT_ENABLED: Final = "export_enabled"
CONF_MAX_IMPORT_KW: Final = "max_import_kw"
CONF_MAX_EXPORT_KW: Final = "max_export_kw"
CONF_IMPORT_LIMIT_KW: Final = "import_limit_kw"  # soft limit (fuse / capacity tariff); 0 = none
CONF_EXPORT_THRESHOLD: Final = "export_threshold_per_kwh"

# Battery
CONF_SOC_ENTITY: Final = "soc_entity"
CONF_BATTERY_CAPACITY: Final = "battery_capacity_kwh"
CONF_MAX_CHARGE: Final = "max_charge_kw"
CONF_MAX_DISCHARGE: Final = "max_discharge_kw"
CONF_MIN_SOC: Final = "min_soc_percent"
CONF_MAX_SOC: Final = "max_soc_percent"
CONF_CHARGE_EFFICIENCY: Final = "charge_efficiency"
CONF_DISCHARGE_EFFICIENCY: Final = "discharge_efficiency"
CONF_WEAR_COST: Final = "wear_cost_per_kwh"
CONF_RAMPING_COST: Final = "ramping_cost_per_kw"
CONF_TARGET_SOC: Final = "target_soc_percent"  # 0 = no end target (the S-index sets it later)
CONF_TARGET_PENALTY: Final = "target_penalty_per_kwh"
CONF_TERMINAL_VALUE: Final = "terminal_value_per_kwh"

# Solar
CONF_PV_SOURCE: Final = "pv_source"
PV_SOURCE_SOLCAST: Final = "solcast"  # sensors with detailedForecast (today, tomorrow, ...)
PV_SOURCE_FORECAST_SOLAR: Final = "forecast_solar"  # energy platform / forecast_solar entry
PV_SOURCE_NONE: Final = "none"
PV_SOURCES: Final = (PV_SOURCE_SOLCAST, PV_SOURCE_FORECAST_SOLAR, PV_SOURCE_NONE)
CONF_PV_ENTITIES: Final = "pv_forecast_entities"  # solcast: forecast_today, forecast_tomorrow, ...
CONF_FORECAST_SOLAR_ENTRY: Final = "forecast_solar_config_entry"

# Load
CONF_LOAD_ENTITY: Final = "load_entity"  # cumulative house energy sensor (kWh/Wh)

# Water heater
CONF_WATER_POWER: Final = "water_power_kw"
CONF_WATER_MIN_KWH: Final = "water_min_kwh_per_day"
CONF_WATER_SPACING: Final = "water_min_spacing_hours"
CONF_WATER_MAX_GAP: Final = "water_max_gap_hours"
CONF_WATER_COMFORT_PENALTY: Final = "water_comfort_penalty"
CONF_WATER_START_PENALTY: Final = "water_block_start_penalty"
CONF_WATER_DEFER: Final = "water_defer_up_to_hours"
CONF_WATER_HEATED_TODAY_ENTITY: Final = "water_heated_today_entity"  # optional, kWh today
CONF_WATER_TEMPERATURE_ENTITY: Final = "water_temperature_entity"  # optional

# Learning (the episode store and slot observations): optional cumulative energy counters
# (kWh, total_increasing) read at every slot boundary, and how long planning episodes are kept.
CONF_PV_ENERGY_ENTITY: Final = "pv_energy_entity"
CONF_IMPORT_ENERGY_ENTITY: Final = "import_energy_entity"
CONF_EXPORT_ENERGY_ENTITY: Final = "export_energy_entity"
CONF_BATTERY_CHARGE_ENERGY_ENTITY: Final = "battery_charge_energy_entity"
CONF_BATTERY_DISCHARGE_ENERGY_ENTITY: Final = "battery_discharge_energy_entity"
CONF_WATER_ENERGY_ENTITY: Final = "water_energy_entity"
COUNTER_ENTITY_KEYS: Final = (
    CONF_PV_ENERGY_ENTITY,
    CONF_IMPORT_ENERGY_ENTITY,
    CONF_EXPORT_ENERGY_ENTITY,
    CONF_BATTERY_CHARGE_ENERGY_ENTITY,
    CONF_BATTERY_DISCHARGE_ENERGY_ENTITY,
    CONF_WATER_ENERGY_ENTITY,
)
CONF_RETENTION_DAYS: Final = "retention_days"

# Advanced solver settings (options-flow section)
CONF_SOLVER: Final = "solver"
CONF_TIME_LIMIT: Final = "time_limit_s"
CONF_MIP_REL_GAP: Final = "mip_rel_gap"
CONF_MIP_ABS_GAP: Final = "mip_abs_gap"

# Defaults for every option above (the config flow starts from these).
DEFAULTS: Final[dict[str, object]] = {
    CONF_HAS_SOLAR: True,
    CONF_HAS_BATTERY: True,
    CONF_HAS_WATER_HEATER: False,
    CONF_PRICE_SOURCE: PRICE_SOURCE_HACS_NORDPOOL,
    CONF_PRICE_ATTRIBUTE: "prices",
    CONF_GRID_FEE: 0.0,
    CONF_ENERGY_TAX: 0.0,
    CONF_VAT_PERCENT: 0.0,
    CONF_EXPORT_BONUS: 0.0,
    CONF_EXPORT_ENABLED: True,
    CONF_MAX_IMPORT_KW: 16.0,
    CONF_MAX_EXPORT_KW: 10.0,
    CONF_IMPORT_LIMIT_KW: 0.0,
    CONF_EXPORT_THRESHOLD: 0.0,
    CONF_BATTERY_CAPACITY: 10.0,
    CONF_MAX_CHARGE: 5.0,
    CONF_MAX_DISCHARGE: 5.0,
    CONF_MIN_SOC: 10.0,
    CONF_MAX_SOC: 95.0,
    CONF_CHARGE_EFFICIENCY: 0.95,
    CONF_DISCHARGE_EFFICIENCY: 0.95,
    CONF_WEAR_COST: 0.0,
    CONF_RAMPING_COST: 0.0,
    CONF_TARGET_SOC: 0.0,
    CONF_TARGET_PENALTY: 0.0,
    CONF_TERMINAL_VALUE: 0.0,
    CONF_PV_SOURCE: PV_SOURCE_SOLCAST,
    CONF_WATER_POWER: 3.0,
    CONF_WATER_MIN_KWH: 6.0,
    CONF_WATER_SPACING: 5.0,
    CONF_WATER_MAX_GAP: 0.0,
    CONF_WATER_COMFORT_PENALTY: 0.0,
    CONF_WATER_START_PENALTY: 0.0,
    CONF_WATER_DEFER: 0.0,
    CONF_RETENTION_DAYS: 365,
    CONF_TIME_LIMIT: 10.0,
    CONF_MIP_REL_GAP: 1e-4,
    CONF_MIP_ABS_GAP: 0.002,
}
