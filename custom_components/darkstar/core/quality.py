"""Day-quality classification of a home's measured data: clean, mask_battery or exclude.

Pure function of one local day's per-slot values (NaN = missing slot):
- `exclude`: load or PV missing in any slot ("missing N of M slots", "gap of H h from HH:MM"),
  or a load/PV value outside physical limits ("load spike ...", "negative pv ...");
- `mask_battery`: load and PV are fine but the battery's SoC is missing, out of range or jumps
  more than the battery can move in one slot ("soc ...") — usable for load/PV learning, not for
  battery learning;
- `clean`: none of the above.
The learning store stores the result; the replay simulator skips `exclude` days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

CLEAN = "clean"
MASK_BATTERY = "mask_battery"
EXCLUDE = "exclude"
QUALITY_CLASSES = (CLEAN, MASK_BATTERY, EXCLUDE)


@dataclass(frozen=True)
class QualityLimits:
    """Physical limits used to flag spikes and SoC anomalies."""

    max_load_kw: float = 25.0
    max_pv_kw: float = 25.0
    max_soc_step_percent: float = 30.0


@dataclass(frozen=True)
class DayQuality:
    """The class of one local day and the reasons behind it."""

    day: date
    cls: str
    reasons: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        """True unless the day must be excluded."""
        return self.cls != EXCLUDE


def _clock(first: datetime | None, index: int, slot_minutes: int) -> str:
    if first is None:
        return f"slot {index}"
    return (first + timedelta(minutes=slot_minutes * index)).strftime("%H:%M")


def _missing_reasons(missing: np.ndarray, slot_minutes: int, first: datetime | None) -> list[str]:
    if not missing.any():
        return []
    reasons = [f"missing {int(missing.sum())} of {len(missing)} slots"]
    run_start = None
    for i, flag in enumerate([*missing.tolist(), False]):
        if flag and run_start is None:
            run_start = i
        elif not flag and run_start is not None:
            hours = (i - run_start) * slot_minutes / 60
            if hours >= 1.0:
                reasons.append(f"gap of {hours:g} h from {_clock(first, run_start, slot_minutes)}")
            run_start = None
    return reasons


def _spike_reasons(name: str, values: np.ndarray, limit_kwh: float) -> list[str]:
    finite = np.where(np.isnan(values), 0.0, values)
    reasons = []
    negative = np.flatnonzero(finite < 0)
    if negative.size:
        reasons.append(f"negative {name} in {negative.size} slots (first slot {negative[0]})")
    high = np.flatnonzero(finite > limit_kwh)
    if high.size:
        reasons.append(f"{name} spike {finite[high[0]]:g} kWh in slot {high[0]} (limit {limit_kwh:g})")
    return reasons


def _soc_reasons(soc: np.ndarray, limits: QualityLimits) -> list[str]:
    reasons = []
    if np.isnan(soc).any():
        reasons.append(f"soc missing in {int(np.isnan(soc).sum())} slots")
    finite = soc[~np.isnan(soc)]
    if finite.size and ((finite < 0).any() or (finite > 100).any()):
        reasons.append("soc outside 0..100 %")
    steps = np.abs(np.diff(soc))
    steps = steps[~np.isnan(steps)]
    if steps.size and steps.max() > limits.max_soc_step_percent:
        reasons.append(f"soc jump of {steps.max():g} % in one slot")
    return reasons


def classify_day(
    day: date,
    load_kwh: Sequence[float] | np.ndarray,
    pv_kwh: Sequence[float] | np.ndarray,
    soc_percent: Sequence[float] | np.ndarray | None = None,
    *,
    slot_minutes: int = 15,
    first_slot: datetime | None = None,
    limits: QualityLimits | None = None,
) -> DayQuality:
    """Classify one local day from its per-slot values (NaN = missing); `first_slot` names gap times."""
    limits = limits or QualityLimits()
    load = np.asarray(load_kwh, dtype=float)
    pv = np.asarray(pv_kwh, dtype=float)
    hours = slot_minutes / 60
    bad = _missing_reasons(np.isnan(load) | np.isnan(pv), slot_minutes, first_slot)
    bad += _spike_reasons("load", load, limits.max_load_kw * hours)
    bad += _spike_reasons("pv", pv, limits.max_pv_kw * hours)
    if bad:
        return DayQuality(day, EXCLUDE, tuple(bad))
    if soc_percent is not None:
        soc = _soc_reasons(np.asarray(soc_percent, dtype=float), limits)
        if soc:
            return DayQuality(day, MASK_BATTERY, tuple(soc))
    return DayQuality(day, CLEAN, ())
