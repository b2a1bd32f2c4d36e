"""Normalising Home Assistant inputs (prices, PV, load, state) into the planner's slot series.

Pure functions on plain data; the HA shell reads states/actions/statistics and calls these.
"""

from .assemble import AssembledScenario, build_scenario
from .health import InputIssue, InputReport, InputStatus, check_numeric_state
from .load import LoadProfile, build_profile, hourly_energy
from .prices import (
    parse_core_nordpool,
    parse_epex_spot,
    parse_generic_prices,
    parse_hacs_nordpool,
    parse_tibber,
)
from .pv import PvForecast, no_solar, parse_forecast_solar, parse_solcast
from .tariff import Tariff, export_prices, import_prices
from .timeline import (
    EXTENSIVE,
    INTENSIVE,
    InputError,
    Interval,
    floor_to_slot,
    merge_intervals,
    parse_time,
    resample,
    to_slot_intervals,
)

__all__ = [
    "EXTENSIVE",
    "INTENSIVE",
    "AssembledScenario",
    "InputError",
    "InputIssue",
    "InputReport",
    "InputStatus",
    "Interval",
    "LoadProfile",
    "PvForecast",
    "Tariff",
    "build_profile",
    "build_scenario",
    "check_numeric_state",
    "export_prices",
    "floor_to_slot",
    "hourly_energy",
    "import_prices",
    "merge_intervals",
    "no_solar",
    "parse_core_nordpool",
    "parse_epex_spot",
    "parse_forecast_solar",
    "parse_generic_prices",
    "parse_hacs_nordpool",
    "parse_solcast",
    "parse_tibber",
    "parse_time",
    "resample",
    "to_slot_intervals",
]
