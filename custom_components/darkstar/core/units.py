"""Unit handling for readings taken from Home Assistant states (plain strings in, floats out)."""

from __future__ import annotations

from .inputs.health import check_numeric_state

ENERGY_TO_KWH = {"wh": 0.001, "kwh": 1.0, "mwh": 1000.0}


def number(state: str | None) -> float | None:
    """A state as a finite number, or None (missing, unavailable, unknown, text)."""
    value = check_numeric_state("state", state)
    return value if isinstance(value, float) else None


def energy_kwh(state: str | None, unit: str | None) -> float | None:
    """A state in Wh/kWh/MWh as kWh; None when it is not a number or the unit is not energy."""
    factor = ENERGY_TO_KWH.get((unit or "").strip().lower())
    value = number(state)
    return None if value is None or factor is None else value * factor
