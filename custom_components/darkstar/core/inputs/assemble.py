"""Assemble normalised inputs into one planning `Scenario`.

The horizon starts at the slot containing `now` and stops where the import or export prices stop
(or at their first gap): prices are never invented. It is at most `max_hours` long. Inside the
horizon a missing PV slot counts as 0 kWh and a missing load slot takes the load profile's value;
every such fill and every truncation is reported in `notes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from ..scenario import (
    Battery,
    Grid,
    Scenario,
    Series,
    Target,
    WaterHeater,
    scenario_from_dict,
    scenario_to_dict,
)
from .load import LoadProfile
from .timeline import EXTENSIVE, INTENSIVE, InputError, Interval, floor_to_slot, resample

MAX_HORIZON_HOURS = 48


class AssembledScenario(NamedTuple):
    """The scenario plus human-readable notes about truncation and filled gaps."""

    scenario: Scenario
    notes: list[str]


def build_scenario(
    now: datetime,
    *,
    import_prices: Sequence[Interval],
    export_prices: Sequence[Interval],
    pv_kwh: Sequence[Interval] | None,
    load_kwh: Sequence[Interval],
    soc_percent: float,
    battery: Battery,
    timezone: str,
    load_profile: LoadProfile | None = None,
    grid: Grid | None = None,
    water_heater: WaterHeater | None = None,
    target: Target | None = None,
    slot_minutes: int = 15,
    max_hours: float = MAX_HORIZON_HOURS,
    name: str = "",
) -> AssembledScenario:
    """Build a validated Scenario from price/PV/load intervals (pv_kwh None = no solar)."""
    tz = ZoneInfo(timezone)
    start = floor_to_slot(now, slot_minutes)
    n_max = int(max_hours * 60 // slot_minutes)
    notes: list[str] = []
    imp = resample(import_prices, start, n_max, INTENSIVE, slot_minutes)
    exp = resample(export_prices, start, n_max, INTENSIVE, slot_minutes)
    n = _priced_slots(imp, exp, start, slot_minutes, tz, notes)
    pv = [0.0] * n if pv_kwh is None else _fill_pv(resample(pv_kwh, start, n, EXTENSIVE, slot_minutes), notes)
    load = _fill_load(
        resample(load_kwh, start, n, EXTENSIVE, slot_minutes), start, slot_minutes, load_profile, notes
    )
    scenario = Scenario(
        name=name,
        start=start.astimezone(tz),
        slot_minutes=slot_minutes,
        timezone=timezone,
        series=Series(_known(imp[:n]), _known(exp[:n]), tuple(load), tuple(pv)),
        battery=replace(battery, initial_soc_percent=soc_percent),
        grid=grid or Grid(),
        water_heater=_fit_water_heater(water_heater, n, notes),
        target=target or Target(),
    )
    return AssembledScenario(scenario_from_dict(scenario_to_dict(scenario)), notes)


def _priced_slots(
    imp: list[float | None],
    exp: list[float | None],
    start: datetime,
    slot_minutes: int,
    tz: ZoneInfo,
    notes: list[str],
) -> int:
    priced = [a is not None and b is not None for a, b in zip(imp, exp, strict=True)]
    n = priced.index(False) if False in priced else len(priced)
    if n == 0:
        raise InputError(
            "prices", f"no import/export price for the current slot {start.astimezone(tz).isoformat()}"
        )
    if n < len(priced):
        stop = (start + timedelta(minutes=slot_minutes * n)).astimezone(tz).isoformat()
        why = "a gap in the prices; later prices ignored" if any(priced[n:]) else "no prices after that"
        notes.append(f"horizon truncated to {n} slots ({n * slot_minutes / 60:g} h) at {stop}: {why}")
    return n


def _known(values: list[float | None]) -> tuple[float, ...]:
    """The values of a run already checked to hold no gaps."""
    return tuple(v for v in values if v is not None)


def _fill_pv(values: list[float | None], notes: list[str]) -> list[float]:
    missing = values.count(None)
    if missing:
        notes.append(f"PV forecast missing for {missing} slot(s): assumed 0 kWh")
    return [0.0 if v is None else v for v in values]


def _fill_load(
    values: list[float | None],
    start: datetime,
    slot_minutes: int,
    profile: LoadProfile | None,
    notes: list[str],
) -> list[float]:
    missing = [i for i, v in enumerate(values) if v is None]
    if not missing:
        return [v for v in values if v is not None]
    if profile is None or profile.mean is None:
        raise InputError(
            "load", f"load forecast missing for {len(missing)} slot(s) and no load profile to fill them"
        )
    notes.append(f"load forecast missing for {len(missing)} slot(s): filled from the load profile")
    step = timedelta(minutes=slot_minutes)
    return [v if v is not None else (profile.value_at(start + i * step) or 0.0) for i, v in enumerate(values)]


def _fit_water_heater(heater: WaterHeater | None, n: int, notes: list[str]) -> WaterHeater | None:
    if heater is None:
        return None
    kept = tuple(s for s in heater.force_on_slots if s < n)
    if len(kept) < len(heater.force_on_slots):
        notes.append(
            f"dropped {len(heater.force_on_slots) - len(kept)} forced water-heater slot(s) beyond the horizon"
        )
    return replace(heater, force_on_slots=kept)
