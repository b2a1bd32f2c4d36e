"""Slot observations: what the home actually did in one slot, computed from cumulative counters.

The recorder reads the configured energy counters (cumulative kWh, HA `total_increasing`) and the
battery SoC at every slot boundary (:00/:15/:30/:45). The observation of a slot is the difference
between the readings at its end and at its start:
  * a counter that goes down by more than `jitter_kwh` was reset: the energy since the reset is its
    new value (HA's convention); a smaller decrease is sensor jitter and counts as 0;
  * readings further apart than one slot (HA was down, a boundary was missed) are a gap: the energy
    cannot be assigned to slots, so those slots get no observation (the quality check counts them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise

from ..inputs.timeline import floor_to_slot

COUNTERS = ("load", "pv", "import", "export", "battery_charge", "battery_discharge", "water_heater")
DEFAULT_JITTER_KWH = 0.01


@dataclass(frozen=True)
class SlotObservation:
    """Actual flows of one slot (kWh), SoC (%) at its start and end, and its prices; None = unknown."""

    slot_start: datetime
    load_kwh: float | None = None
    pv_kwh: float | None = None
    import_kwh: float | None = None
    export_kwh: float | None = None
    battery_charge_kwh: float | None = None
    battery_discharge_kwh: float | None = None
    soc_start_percent: float | None = None
    soc_end_percent: float | None = None
    water_heater_kwh: float | None = None
    import_price: float | None = None
    export_price: float | None = None
    slot_minutes: int = 15
    flags: tuple[str, ...] = ()


OBSERVATION_VALUES = (
    "load_kwh",
    "pv_kwh",
    "import_kwh",
    "export_kwh",
    "battery_charge_kwh",
    "battery_discharge_kwh",
    "soc_start_percent",
    "soc_end_percent",
    "water_heater_kwh",
    "import_price",
    "export_price",
)


@dataclass(frozen=True)
class MeterReading:
    """Counter values (cumulative kWh, None = unavailable) and SoC (%) read at one instant."""

    at: datetime
    counters: Mapping[str, float | None] = field(default_factory=dict)
    soc_percent: float | None = None


@dataclass(frozen=True)
class CounterDelta:
    """Energy of one counter over one slot, and whether the counter was reset in it."""

    kwh: float | None
    reset: bool = False


def counter_delta(
    before: float | None, after: float | None, *, jitter_kwh: float = DEFAULT_JITTER_KWH
) -> CounterDelta:
    """Energy between two readings of a cumulative counter, handling resets and jitter."""
    if before is None or after is None:
        return CounterDelta(None)
    change = after - before
    if change >= 0:
        return CounterDelta(change)
    if -change <= jitter_kwh:
        return CounterDelta(0.0)
    return CounterDelta(max(after, 0.0), reset=True)


def observe_slot(
    before: MeterReading,
    after: MeterReading,
    *,
    slot_minutes: int = 15,
    prices: tuple[float | None, float | None] = (None, None),
    jitter_kwh: float = DEFAULT_JITTER_KWH,
    tolerance: timedelta = timedelta(minutes=2),
) -> SlotObservation | None:
    """The observation of the slot between two boundary readings, or None if they span a gap."""
    step = timedelta(minutes=slot_minutes)
    if abs((after.at - before.at) - step) > tolerance:
        return None
    values: dict[str, float | None] = {}
    flags: list[str] = []
    for name in COUNTERS:
        delta = counter_delta(before.counters.get(name), after.counters.get(name), jitter_kwh=jitter_kwh)
        values[name] = delta.kwh
        if delta.reset:
            flags.append(f"reset:{name}")
    if values["load"] is None:
        values["load"] = derived_load(values)
        if values["load"] is not None:
            flags.append("derived:load")
    return SlotObservation(
        slot_start=floor_to_slot(before.at + step / 2, slot_minutes),
        load_kwh=values["load"],
        pv_kwh=values["pv"],
        import_kwh=values["import"],
        export_kwh=values["export"],
        battery_charge_kwh=values["battery_charge"],
        battery_discharge_kwh=values["battery_discharge"],
        soc_start_percent=before.soc_percent,
        soc_end_percent=after.soc_percent,
        water_heater_kwh=values["water_heater"],
        import_price=prices[0],
        export_price=prices[1],
        slot_minutes=slot_minutes,
        flags=tuple(flags),
    )


def derived_load(values: Mapping[str, float | None]) -> float | None:
    """House load from the energy balance (import - export + pv + discharge - charge), if all known."""
    parts = [values.get(k) for k in ("import", "export", "pv", "battery_discharge", "battery_charge")]
    if any(p is None for p in parts):
        return None
    imp, exp, pv, dis, chg = (float(p) for p in parts)  # type: ignore[arg-type]
    return max(imp - exp + pv + dis - chg, 0.0)


def observations_from_readings(
    readings: Sequence[MeterReading],
    *,
    slot_minutes: int = 15,
    prices: Mapping[datetime, tuple[float | None, float | None]] | None = None,
    jitter_kwh: float = DEFAULT_JITTER_KWH,
) -> list[SlotObservation]:
    """Observations of every slot between consecutive readings; slots inside gaps are left out."""
    ordered = sorted(readings, key=lambda r: r.at)
    out: list[SlotObservation] = []
    for before, after in pairwise(ordered):
        start = floor_to_slot(before.at + timedelta(minutes=slot_minutes) / 2, slot_minutes)
        slot_prices = (prices or {}).get(start, (None, None))
        obs = observe_slot(
            before, after, slot_minutes=slot_minutes, prices=slot_prices, jitter_kwh=jitter_kwh
        )
        if obs is not None:
            out.append(obs)
    return out
