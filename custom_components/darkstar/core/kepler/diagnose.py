"""Pre-checks and human-readable reasons: proven infeasibility, and degraded (soft-violating) plans."""

from __future__ import annotations

from collections.abc import Iterable

from .data import KeplerData

TOL = 1e-6


def forced_water(d: KeplerData, t: int) -> float:
    """Heater energy that slot t must take because it is forced on."""
    h = d.heater
    return h.block_kwh if h is not None and t in h.forced else 0.0


def slot_shortage(d: KeplerData, t: int) -> float:
    """kWh by which slot t's must-serve load exceeds PV + max import + max battery discharge."""
    need = d.load[t] + forced_water(d, t)
    return need - (d.pv[t] + d.import_max + d.discharge_max)


def precheck_infeasible(d: KeplerData) -> str | None:
    """A reason if the hard limits are provably impossible in some slot, else None."""
    short = [t for t in range(d.n) if slot_shortage(d, t) > TOL]
    if not short:
        return None
    t = short[0]
    return (
        f"load{' + forced heater' if forced_water(d, t) else ''} exceeds PV + max import + max battery "
        f"discharge by {slot_shortage(d, t):.3f} kWh in slot(s) {slot_ranges(short)}"
    )


def needs_battery_support(d: KeplerData) -> bool:
    """True if some slot cannot be served by PV + import alone (the battery must discharge)."""
    return any(d.load[t] + forced_water(d, t) - d.pv[t] > d.import_max + TOL for t in range(d.n))


def soc_in_range(d: KeplerData) -> bool:
    """True if the initial SoC lies within [min, max]."""
    return d.soc_min - TOL <= d.soc0 <= d.soc_max + TOL


def explain_infeasible(d: KeplerData) -> str:
    """Best-effort reason for a model the solver proved infeasible."""
    if needs_battery_support(d):
        return (
            "the battery cannot store enough energy to cover the slots where load exceeds PV + max "
            "import (max_import_kw too low for the load)"
        )
    if d.heater is not None and d.heater.forced and d.heater.spacing_slots:
        return "forced-on heater slots conflict with the hard minimum spacing between blocks"
    return "the hard limits (grid import/export, battery power and capacity, forced heater slots) conflict"


def degraded_reasons(d: KeplerData, values: dict[str, list[float]], shortfall: dict[str, float]) -> list[str]:
    """Describe the soft rules a plan breaks: SoC range, soft import limit, heater daily minimum."""
    reasons = []
    under = [t for t, v in enumerate(values.get("soc_under", [])) if v > TOL]
    if under:
        reasons.append(f"min SoC cannot be held in slots {slot_ranges(under)}")
    over = [t for t, v in enumerate(values.get("soc_over", [])) if v > TOL]
    if over:
        reasons.append(f"SoC is above max SoC in slots {slot_ranges(over)}")
    breach = [t for t, v in enumerate(values.get("import_breach", [])) if v > TOL]
    if breach:
        reasons.append(f"soft import limit exceeded in slots {slot_ranges(breach)}")
    reasons.extend(
        f"water heater misses its daily minimum on {day} by {kwh:.2f} kWh"
        for day, kwh in shortfall.items()
        if kwh > TOL
    )
    return reasons


def slot_ranges(slots: Iterable[int]) -> str:
    """Compress slot indices into ranges, e.g. [0, 1, 2, 5] -> "0-2, 5"."""
    parts: list[str] = []
    run: list[int] = []
    for t in sorted(slots):
        if run and t == run[-1] + 1:
            run.append(t)
            continue
        if run:
            parts.append(_run(run))
        run = [t]
    if run:
        parts.append(_run(run))
    return ", ".join(parts)


def _run(run: list[int]) -> str:
    return str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}"
