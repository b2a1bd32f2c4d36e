"""Turn a config entry's options (plain data) into the planner's settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .inputs.tariff import Tariff
from .options import (
    CONF_BATTERY_CAPACITY,
    CONF_CHARGE_EFFICIENCY,
    CONF_DISCHARGE_EFFICIENCY,
    CONF_ENERGY_TAX,
    CONF_EXPORT_BONUS,
    CONF_EXPORT_ENABLED,
    CONF_EXPORT_THRESHOLD,
    CONF_GRID_FEE,
    CONF_HAS_BATTERY,
    CONF_HAS_WATER_HEATER,
    CONF_IMPORT_LIMIT_KW,
    CONF_MAX_CHARGE,
    CONF_MAX_DISCHARGE,
    CONF_MAX_EXPORT_KW,
    CONF_MAX_IMPORT_KW,
    CONF_MAX_SOC,
    CONF_MIN_SOC,
    CONF_MIP_ABS_GAP,
    CONF_MIP_REL_GAP,
    CONF_RAMPING_COST,
    CONF_TARGET_PENALTY,
    CONF_TARGET_SOC,
    CONF_TERMINAL_VALUE,
    CONF_TIME_LIMIT,
    CONF_VAT_PERCENT,
    CONF_WATER_COMFORT_PENALTY,
    CONF_WATER_DEFER,
    CONF_WATER_MAX_GAP,
    CONF_WATER_MIN_KWH,
    CONF_WATER_POWER,
    CONF_WATER_SPACING,
    CONF_WATER_START_PENALTY,
    CONF_WEAR_COST,
    DEFAULTS,
)
from .scenario import Battery, Grid, Target, WaterHeater

# With no battery, the model still needs a battery description: one that holds nothing.
NO_BATTERY = Battery(0.0, 0.0, 0.0, 100.0, 0.0, 0.0)


@dataclass(frozen=True)
class SolverSettings:
    """Solver limits from the options' advanced section."""

    time_limit_s: float = 10.0
    mip_rel_gap: float = 1e-4
    mip_abs_gap: float = 0.002


@dataclass(frozen=True)
class PlannerSettings:
    """The home's fixed description, from the config entry's options."""

    battery: Battery
    grid: Grid = field(default_factory=Grid)
    water_heater: WaterHeater | None = None
    target: Target = field(default_factory=Target)
    tariff: Tariff = field(default_factory=Tariff)
    solver: SolverSettings = field(default_factory=SolverSettings)
    timezone: str = "UTC"
    slot_minutes: int = 15


def _get(options: Mapping[str, Any], key: str) -> Any:
    value = options.get(key)
    return DEFAULTS.get(key) if value is None else value


def _f(options: Mapping[str, Any], key: str) -> float:
    return float(_get(options, key))


def _battery(options: Mapping[str, Any]) -> Battery:
    if not _get(options, CONF_HAS_BATTERY):
        return NO_BATTERY
    return Battery(
        capacity_kwh=_f(options, CONF_BATTERY_CAPACITY),
        initial_soc_percent=_f(options, CONF_MIN_SOC),  # replaced by the measured SoC each cycle
        min_soc_percent=_f(options, CONF_MIN_SOC),
        max_soc_percent=_f(options, CONF_MAX_SOC),
        max_charge_kw=_f(options, CONF_MAX_CHARGE),
        max_discharge_kw=_f(options, CONF_MAX_DISCHARGE),
        charge_efficiency=_f(options, CONF_CHARGE_EFFICIENCY),
        discharge_efficiency=_f(options, CONF_DISCHARGE_EFFICIENCY),
        wear_cost_per_kwh=_f(options, CONF_WEAR_COST),
        ramping_cost_per_kw=_f(options, CONF_RAMPING_COST),
    )


def _grid(options: Mapping[str, Any]) -> Grid:
    limit = _f(options, CONF_IMPORT_LIMIT_KW)
    return Grid(
        export_enabled=bool(_get(options, CONF_EXPORT_ENABLED)),
        max_import_kw=_f(options, CONF_MAX_IMPORT_KW),
        max_export_kw=_f(options, CONF_MAX_EXPORT_KW),
        import_limit_kw=limit if limit > 0 else None,
        export_threshold_per_kwh=_f(options, CONF_EXPORT_THRESHOLD),
    )


def _water_heater(options: Mapping[str, Any]) -> WaterHeater | None:
    if not _get(options, CONF_HAS_WATER_HEATER):
        return None
    return WaterHeater(
        power_kw=_f(options, CONF_WATER_POWER),
        min_kwh_per_day=_f(options, CONF_WATER_MIN_KWH),
        min_spacing_hours=_f(options, CONF_WATER_SPACING),
        max_gap_hours=_f(options, CONF_WATER_MAX_GAP),
        comfort_penalty=_f(options, CONF_WATER_COMFORT_PENALTY),
        block_start_penalty=_f(options, CONF_WATER_START_PENALTY),
        defer_up_to_hours=_f(options, CONF_WATER_DEFER),
    )


def _target(options: Mapping[str, Any]) -> Target:
    soc = _f(options, CONF_TARGET_SOC)
    return Target(
        soc_percent=soc if soc > 0 else None,
        penalty_per_kwh=_f(options, CONF_TARGET_PENALTY),
        terminal_value_per_kwh=_f(options, CONF_TERMINAL_VALUE),
    )


def planner_settings(options: Mapping[str, Any], timezone: str, slot_minutes: int = 15) -> PlannerSettings:
    """The planner settings that a config entry's options describe (missing keys take defaults)."""
    return PlannerSettings(
        battery=_battery(options),
        grid=_grid(options),
        water_heater=_water_heater(options),
        target=_target(options),
        tariff=Tariff(
            grid_fee=_f(options, CONF_GRID_FEE),
            energy_tax=_f(options, CONF_ENERGY_TAX),
            vat=_f(options, CONF_VAT_PERCENT) / 100.0,
            export_bonus=_f(options, CONF_EXPORT_BONUS),
        ),
        solver=SolverSettings(
            time_limit_s=_f(options, CONF_TIME_LIMIT),
            mip_rel_gap=_f(options, CONF_MIP_REL_GAP),
            mip_abs_gap=_f(options, CONF_MIP_ABS_GAP),
        ),
        timezone=timezone,
        slot_minutes=slot_minutes,
    )
