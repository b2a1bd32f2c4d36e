"""The simulated home: battery, grid, water heater (scenario-format terms) and the tariff.

Defaults are the home of the shared `water-*` scenarios: a 10 kWh battery, a 3 kW water heater
needing 6 kWh a day with 5 h spacing, and the SE4 tariff import = (spot + 0.06) × 1.25,
export = spot + 0.005 (currency per kWh, whatever the spot prices are in). The tariff is the
integration's own `inputs.tariff.Tariff`, so a HOME.json takes the same keys as the options
(`grid_fee`, `energy_tax`, `vat`, `export_bonus`); missing keys keep the SE4 values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
import json
from pathlib import Path
from typing import Any

from ..inputs.tariff import Tariff
from ..scenario import Battery, Grid, ScenarioError, WaterHeater, scenario_from_dict

DEFAULT_BATTERY = Battery(
    capacity_kwh=10.0,
    initial_soc_percent=40.0,
    min_soc_percent=15.0,
    max_soc_percent=95.0,
    max_charge_kw=5.0,
    max_discharge_kw=5.0,
    charge_efficiency=0.95,
    discharge_efficiency=0.95,
    wear_cost_per_kwh=0.005,
)
DEFAULT_WATER = WaterHeater(power_kw=3.0, min_kwh_per_day=6.0, min_spacing_hours=5.0)


# The SE4 tariff: import = (spot + 0.06) × 1.25, export = spot + 0.005 (the integration's own Tariff).
SE4_TARIFF = Tariff(grid_fee=0.06, vat=0.25, export_bonus=0.005)


@dataclass(frozen=True)
class Home:
    """Everything about the home that the simulation needs besides the series."""

    battery: Battery = DEFAULT_BATTERY
    grid: Grid = field(default_factory=Grid)
    water_heater: WaterHeater | None = DEFAULT_WATER
    tariff: Tariff = SE4_TARIFF
    timezone: str = "Europe/Stockholm"
    prices_published_hour: int = 13

    @property
    def soc_min_kwh(self) -> float:
        """Lowest allowed stored energy."""
        return self.battery.capacity_kwh * self.battery.min_soc_percent / 100.0

    @property
    def soc_max_kwh(self) -> float:
        """Highest allowed stored energy."""
        return self.battery.capacity_kwh * self.battery.max_soc_percent / 100.0

    @property
    def initial_soc_kwh(self) -> float:
        """Stored energy at the start of a replay."""
        return self.battery.capacity_kwh * self.battery.initial_soc_percent / 100.0


def home_from_dict(data: dict[str, Any]) -> Home:
    """Build a home from JSON: scenario-format `battery`/`grid`/`water_heater` plus `tariff`, `timezone`."""
    default = Home()
    probe = {
        "start": "2025-01-01T00:00:00+00:00",
        "slot_minutes": 15,
        "timezone": data.get("timezone", default.timezone),
        "series": {k: [0.0] for k in ("import_price", "export_price", "load_kwh", "pv_kwh")},
        "battery": data.get("battery", _battery_dict(default.battery)),
        "grid": data.get("grid") or {},
        "water_heater": data.get("water_heater", _water_dict(default.water_heater)),
    }
    scenario = scenario_from_dict(probe)
    tariff_data = data.get("tariff") or {}
    try:
        tariff = replace(SE4_TARIFF, **{k: float(v) for k, v in tariff_data.items()})
    except (TypeError, ValueError) as err:
        raise ScenarioError("tariff", f"bad tariff ({err})") from err
    hour = data.get("prices_published_hour", default.prices_published_hour)
    if not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ScenarioError("prices_published_hour", f"must be an hour 0..23, got {hour!r}")
    return Home(
        battery=scenario.battery,
        grid=scenario.grid,
        water_heater=scenario.water_heater,
        tariff=tariff,
        timezone=scenario.timezone,
        prices_published_hour=hour,
    )


def load_home(path: str | Path) -> Home:
    """Read a home JSON file (see `home_from_dict`)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ScenarioError("home", f"cannot read {path} ({err.strerror})") from err
    except json.JSONDecodeError as err:
        raise ScenarioError("home", f"is not valid JSON ({err.msg} at line {err.lineno})") from err
    if not isinstance(data, dict):
        raise ScenarioError("home", "must be a JSON object")
    return home_from_dict(data)


def _battery_dict(battery: Battery) -> dict[str, Any]:
    return dict(battery.__dict__)


def _water_dict(heater: WaterHeater | None) -> dict[str, Any] | None:
    if heater is None:
        return None
    data = dict(heater.__dict__)
    data["force_on_slots"] = list(heater.force_on_slots)
    return data
