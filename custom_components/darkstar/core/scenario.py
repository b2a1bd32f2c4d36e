"""The planning scenario format, version 1: dataclasses, validation and JSON in/out (input side;
the plan, its output, is in plan.py).

A scenario is everything the planner needs for one run. The format is specified in
../shared/docs/scenario-format.md (next to this repository, with units, defaults and an example);
the dataclasses and checks below implement it.
Nothing here imports Home Assistant.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
import json
import math
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SCENARIO_VERSION = 1
SERIES_NAMES = ("import_price", "export_price", "load_kwh", "pv_kwh")


class ScenarioError(ValueError):
    """Invalid scenario input; `field` names the offending field (dotted path), `message` what is wrong."""

    def __init__(self, field_name: str, message: str) -> None:
        """Build the error for one field."""
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Battery:
    """A home battery; capacity 0 means no battery."""

    capacity_kwh: float
    initial_soc_percent: float
    min_soc_percent: float
    max_soc_percent: float
    max_charge_kw: float
    max_discharge_kw: float
    charge_efficiency: float = 0.95
    discharge_efficiency: float = 0.95
    wear_cost_per_kwh: float = 0.0
    ramping_cost_per_kw: float = 0.0


@dataclass(frozen=True)
class Grid:
    """The grid connection: hard limits, soft import limit, export switch."""

    export_enabled: bool = True
    max_import_kw: float = 16.0
    max_export_kw: float = 10.0
    import_limit_kw: float | None = None
    export_threshold_per_kwh: float = 0.0


@dataclass(frozen=True)
class WaterHeater:
    """A deferrable water heater heating at `power_kw` in whole slots.

    `off_slots_before` is the heater's history: how many slots it has been off immediately before
    the horizon (0 = it was on in the slot just before slot 0, so a running block may simply
    continue; None = unknown or off long enough). A new block may start at slot t only if the
    heater was off in all of the spacing's slots before t, counting these history slots, so with
    k < S spacing slots no block may start before slot S - k. `force_on_slots` containing slot 0
    means a block is running, so it needs `off_slots_before` null or 0.
    """

    power_kw: float
    min_kwh_per_day: float
    heated_today_kwh: float = 0.0
    min_spacing_hours: float = 0.0
    max_gap_hours: float = 0.0
    comfort_penalty: float = 0.0
    block_start_penalty: float = 0.0
    defer_up_to_hours: float = 0.0
    force_on_slots: tuple[int, ...] = ()
    off_slots_before: int | None = None

    def spacing_slots(self, slot_minutes: int) -> int:
        """`min_spacing_hours` in whole slots, rounded up: S = ceil(min_spacing_hours / slot length)."""
        return math.ceil(self.min_spacing_hours * 60 / slot_minutes - 1e-9)


@dataclass(frozen=True)
class Target:
    """End-of-horizon SoC target (soft, two-sided) and terminal value of stored energy."""

    soc_percent: float | None = None
    penalty_per_kwh: float = 0.0
    terminal_value_per_kwh: float = 0.0


@dataclass(frozen=True)
class Series:
    """Per-slot inputs: prices in currency/kWh, energies in kWh per slot."""

    import_price: tuple[float, ...]
    export_price: tuple[float, ...]
    load_kwh: tuple[float, ...]
    pv_kwh: tuple[float, ...]


@dataclass(frozen=True)
class Scenario:
    """One planning problem."""

    start: datetime
    slot_minutes: int
    timezone: str
    series: Series
    battery: Battery
    grid: Grid = field(default_factory=Grid)
    water_heater: WaterHeater | None = None
    target: Target = field(default_factory=Target)
    name: str = ""
    version: int = SCENARIO_VERSION

    @property
    def n_slots(self) -> int:
        """Number of slots in the horizon."""
        return len(self.series.import_price)

    @property
    def slot_hours(self) -> float:
        """Length of one slot in hours."""
        return self.slot_minutes / 60.0

    @property
    def tz(self) -> ZoneInfo:
        """The scenario's local time zone."""
        return ZoneInfo(self.timezone)

    def slot_start(self, index: int) -> datetime:
        """Start of slot `index`, in the scenario's local time zone."""
        return (self.start + timedelta(minutes=self.slot_minutes * index)).astimezone(self.tz)


# ---------------------------------------------------------------------------------------------
# Validation helpers


def _require(data: dict[str, Any], key: str, path: str) -> Any:
    if not isinstance(data, dict):
        raise ScenarioError(path or "scenario", "must be an object")
    if key not in data:
        raise ScenarioError(_join(path, key), "is missing")
    return data[key]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _number(value: Any, path: str, *, minimum: float | None = None, maximum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(path, f"must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(path, f"must be finite, got {value!r}")
    if minimum is not None and number < minimum:
        raise ScenarioError(path, f"must be >= {minimum:g}, got {number:g}")
    if maximum is not None and number > maximum:
        raise ScenarioError(path, f"must be <= {maximum:g}, got {number:g}")
    return number


def _optional_number(data: dict[str, Any], key: str, path: str, default: float, **bounds: float) -> float:
    if data.get(key) is None:
        return default
    return _number(data[key], _join(path, key), **bounds)


def _series(data: dict[str, Any], path: str) -> Series:
    values: dict[str, tuple[float, ...]] = {}
    for name in SERIES_NAMES:
        raw = _require(data, name, path)
        where = _join(path, name)
        if not isinstance(raw, list) or not raw:
            raise ScenarioError(where, "must be a non-empty list of numbers")
        values[name] = tuple(_number(v, f"{where}[{i}]") for i, v in enumerate(raw))
    lengths = {name: len(v) for name, v in values.items()}
    if len(set(lengths.values())) != 1:
        detail = ", ".join(f"{k}={v}" for k, v in lengths.items())
        raise ScenarioError(path, f"all series must have the same length ({detail})")
    for name in ("load_kwh", "pv_kwh"):
        for i, v in enumerate(values[name]):
            if v < 0:
                raise ScenarioError(f"{path}.{name}[{i}]", f"must be >= 0, got {v:g}")
    return Series(**values)


def _battery(data: dict[str, Any]) -> Battery:
    path = "battery"
    if not isinstance(data, dict):
        raise ScenarioError(path, "must be an object")
    req = {
        k: _require(data, k, path)
        for k in (
            "capacity_kwh",
            "initial_soc_percent",
            "min_soc_percent",
            "max_soc_percent",
            "max_charge_kw",
            "max_discharge_kw",
        )
    }
    battery = Battery(
        capacity_kwh=_number(req["capacity_kwh"], "battery.capacity_kwh", minimum=0),
        initial_soc_percent=_number(
            req["initial_soc_percent"], "battery.initial_soc_percent", minimum=0, maximum=100
        ),
        min_soc_percent=_number(req["min_soc_percent"], "battery.min_soc_percent", minimum=0, maximum=100),
        max_soc_percent=_number(req["max_soc_percent"], "battery.max_soc_percent", minimum=0, maximum=100),
        max_charge_kw=_number(req["max_charge_kw"], "battery.max_charge_kw", minimum=0),
        max_discharge_kw=_number(req["max_discharge_kw"], "battery.max_discharge_kw", minimum=0),
        charge_efficiency=_optional_number(data, "charge_efficiency", path, 0.95, minimum=0.01, maximum=1),
        discharge_efficiency=_optional_number(
            data, "discharge_efficiency", path, 0.95, minimum=0.01, maximum=1
        ),
        wear_cost_per_kwh=_optional_number(data, "wear_cost_per_kwh", path, 0.0, minimum=0),
        ramping_cost_per_kw=_optional_number(data, "ramping_cost_per_kw", path, 0.0, minimum=0),
    )
    if battery.min_soc_percent > battery.max_soc_percent:
        raise ScenarioError("battery.min_soc_percent", "must not exceed battery.max_soc_percent")
    return battery


def _grid(data: dict[str, Any]) -> Grid:
    path = "grid"
    if not isinstance(data, dict):
        raise ScenarioError(path, "must be an object")
    export_enabled = data.get("export_enabled", True)
    if not isinstance(export_enabled, bool):
        raise ScenarioError("grid.export_enabled", f"must be true or false, got {export_enabled!r}")
    limit = data.get("import_limit_kw")
    return Grid(
        export_enabled=export_enabled,
        max_import_kw=_optional_number(data, "max_import_kw", path, 16.0, minimum=0),
        max_export_kw=_optional_number(data, "max_export_kw", path, 10.0, minimum=0),
        import_limit_kw=None if limit is None else _number(limit, "grid.import_limit_kw", minimum=0),
        export_threshold_per_kwh=_optional_number(data, "export_threshold_per_kwh", path, 0.0, minimum=0),
    )


def _water_heater(data: dict[str, Any] | None, n_slots: int) -> WaterHeater | None:
    if data is None:
        return None
    path = "water_heater"
    if not isinstance(data, dict):
        raise ScenarioError(path, "must be an object or null")
    forced = data.get("force_on_slots") or []
    if not isinstance(forced, list):
        raise ScenarioError("water_heater.force_on_slots", "must be a list of slot indices")
    for i, slot in enumerate(forced):
        if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot < n_slots:
            raise ScenarioError(
                f"water_heater.force_on_slots[{i}]", f"must be a slot index in 0..{n_slots - 1}, got {slot!r}"
            )
    off_before = _off_slots_before(data.get("off_slots_before"), forced)
    return WaterHeater(
        power_kw=_number(_require(data, "power_kw", path), "water_heater.power_kw", minimum=0),
        min_kwh_per_day=_number(
            _require(data, "min_kwh_per_day", path), "water_heater.min_kwh_per_day", minimum=0
        ),
        heated_today_kwh=_optional_number(data, "heated_today_kwh", path, 0.0, minimum=0),
        min_spacing_hours=_optional_number(data, "min_spacing_hours", path, 0.0, minimum=0),
        max_gap_hours=_optional_number(data, "max_gap_hours", path, 0.0, minimum=0),
        comfort_penalty=_optional_number(data, "comfort_penalty", path, 0.0, minimum=0),
        block_start_penalty=_optional_number(data, "block_start_penalty", path, 0.0, minimum=0),
        defer_up_to_hours=_optional_number(data, "defer_up_to_hours", path, 0.0, minimum=0, maximum=24),
        force_on_slots=tuple(sorted(set(forced))),
        off_slots_before=off_before,
    )


def _off_slots_before(raw: Any, forced: list[int]) -> int | None:
    """Validate `water_heater.off_slots_before`: null or a whole number >= 0, consistent with forcing."""
    where = "water_heater.off_slots_before"
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise ScenarioError(where, f"must be a whole number of slots >= 0 or null, got {raw!r}")
    if raw > 0 and 0 in forced:
        raise ScenarioError(
            where, f"must be 0 or null when slot 0 is in force_on_slots (a running block), got {raw}"
        )
    return raw


def _target(data: dict[str, Any] | None) -> Target:
    if data is None:
        return Target()
    path = "target"
    if not isinstance(data, dict):
        raise ScenarioError(path, "must be an object")
    soc = data.get("soc_percent")
    return Target(
        soc_percent=None if soc is None else _number(soc, "target.soc_percent", minimum=0, maximum=100),
        penalty_per_kwh=_optional_number(data, "penalty_per_kwh", path, 0.0, minimum=0),
        terminal_value_per_kwh=_optional_number(data, "terminal_value_per_kwh", path, 0.0),
    )


def _start(data: dict[str, Any]) -> datetime:
    raw = _require(data, "start", "")
    if isinstance(raw, datetime):
        start = raw
    elif isinstance(raw, str):
        try:
            start = datetime.fromisoformat(raw)
        except ValueError as err:
            raise ScenarioError("start", f"must be an ISO 8601 time, got {raw!r}") from err
    else:
        raise ScenarioError("start", f"must be an ISO 8601 time, got {raw!r}")
    if start.tzinfo is None:
        raise ScenarioError("start", "must include a UTC offset, e.g. 2025-07-18T00:00:00+02:00")
    return start


def scenario_from_dict(data: dict[str, Any]) -> Scenario:
    """Validate a scenario given as plain JSON data; raises ScenarioError naming the field."""
    if not isinstance(data, dict):
        raise ScenarioError("scenario", "must be a JSON object")
    version = data.get("version", SCENARIO_VERSION)
    if version != SCENARIO_VERSION:
        raise ScenarioError("version", f"unsupported version {version!r}, expected {SCENARIO_VERSION}")
    slot_minutes = _require(data, "slot_minutes", "")
    if (
        isinstance(slot_minutes, bool)
        or not isinstance(slot_minutes, int)
        or slot_minutes <= 0
        or 1440 % slot_minutes
    ):
        raise ScenarioError(
            "slot_minutes", f"must be a whole number of minutes dividing a day, got {slot_minutes!r}"
        )
    timezone = data.get("timezone", "UTC")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ScenarioError("timezone", f"unknown time zone {timezone!r}") from err
    series = _series(_require(data, "series", ""), "series")
    return Scenario(
        version=SCENARIO_VERSION,
        name=str(data.get("name", "")),
        start=_start(data),
        slot_minutes=slot_minutes,
        timezone=str(timezone),
        series=series,
        battery=_battery(_require(data, "battery", "")),
        grid=_grid(data.get("grid") or {}),
        water_heater=_water_heater(data.get("water_heater"), len(series.import_price)),
        target=_target(data.get("target")),
    )


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """Turn a scenario back into the JSON form of the format."""
    data = asdict(scenario)
    data["start"] = scenario.start.isoformat()
    data["series"] = {k: list(v) for k, v in data["series"].items()}
    if scenario.water_heater is not None:
        data["water_heater"]["force_on_slots"] = list(scenario.water_heater.force_on_slots)
    order = [
        "version",
        "name",
        "start",
        "slot_minutes",
        "timezone",
        "series",
        "battery",
        "grid",
        "water_heater",
        "target",
    ]
    return {k: data[k] for k in order}


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario JSON file."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ScenarioError("scenario", f"is not valid JSON ({err.msg} at line {err.lineno})") from err
    return scenario_from_dict(data)
