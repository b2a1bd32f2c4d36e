"""Small hand-made scenarios for Kepler's tests, built with scenario_from_dict."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from custom_components.darkstar.core.scenario import Scenario, scenario_from_dict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios"


def scenario_dict(n: int = 8, slot_minutes: int = 60, **parts: Any) -> dict[str, Any]:
    """A scenario as JSON data: flat prices 0.1/0.05, load 0.5 kWh, no PV, a 10 kWh battery at 50%.

    Keyword parts are merged into the default sections (battery, grid, target, water_heater) or
    replace series (import_price, export_price, load_kwh, pv_kwh) or top-level fields.
    """
    data: dict[str, Any] = {
        "version": 1,
        "name": "test",
        "start": "2025-07-08T00:00:00+02:00",
        "slot_minutes": slot_minutes,
        "timezone": "Europe/Stockholm",
        "series": {
            "import_price": [0.1] * n,
            "export_price": [0.05] * n,
            "load_kwh": [0.5] * n,
            "pv_kwh": [0.0] * n,
        },
        "battery": {
            "capacity_kwh": 10.0,
            "initial_soc_percent": 50.0,
            "min_soc_percent": 10.0,
            "max_soc_percent": 90.0,
            "max_charge_kw": 5.0,
            "max_discharge_kw": 5.0,
            "charge_efficiency": 0.95,
            "discharge_efficiency": 0.95,
            "wear_cost_per_kwh": 0.0,
        },
        "grid": {
            "export_enabled": True,
            "max_import_kw": 16.0,
            "max_export_kw": 10.0,
            "import_limit_kw": None,
        },
        "water_heater": None,
        "target": {"soc_percent": None, "penalty_per_kwh": 0.0, "terminal_value_per_kwh": 0.0},
    }
    for key, value in parts.items():
        if key in data["series"]:
            data["series"][key] = list(value)
        elif isinstance(data.get(key), dict) and isinstance(value, dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = copy.deepcopy(value)
    return data


def make_scenario(n: int = 8, slot_minutes: int = 60, **parts: Any) -> Scenario:
    """A validated Scenario built from `scenario_dict`."""
    return scenario_from_dict(scenario_dict(n, slot_minutes, **parts))


def heater(**fields: Any) -> dict[str, Any]:
    """A water heater section: 2 kW, 2 kWh/day, no spacing/gaps/penalties unless given."""
    return {
        "power_kw": 2.0,
        "min_kwh_per_day": 2.0,
        "heated_today_kwh": 0.0,
        "min_spacing_hours": 0.0,
        "max_gap_hours": 0.0,
        "comfort_penalty": 0.0,
        "block_start_penalty": 0.0,
        "defer_up_to_hours": 0.0,
        **fields,
    }
