"""The heater DP (MIP-start heuristic) against brute force on small heater-only problems."""

from __future__ import annotations

import itertools

import pytest

from custom_components.darkstar.core.kepler import kepler_data
from custom_components.darkstar.core.kepler.heater_bounds import slot_bounds
from custom_components.darkstar.core.kepler.heater_dp import best_schedule

from .kepler_factory import heater, make_scenario


def brute_force(d, costs, slot=None, on=None):
    """Cheapest schedule by enumerating all 2^n on/off patterns, following data.py's rules.

    With `slot` and `on`, only schedules with heat[slot] == on count (None if there are none).
    """
    patterns = itertools.product((0, 1), repeat=d.n)
    found = (schedule_cost(d, costs, heat) for heat in patterns if slot is None or heat[slot] == on)
    return min((c for c in found if c is not None), default=None)


def schedule_cost(d, costs, heat):
    """The cost of one schedule under data.py's rules, or None if it breaks a hard rule."""
    h = d.heater
    n = d.n
    if any(not heat[t] for t in h.forced):
        return None
    history = {h.last_on_before} if h.last_on_before is not None else ({-1} if h.running_at_start else set())
    starts = 0
    for t in range(n):
        prev = heat[t - 1] if t > 0 else int(-1 in history)
        if heat[t] and not prev:
            starts += 1
            earlier = [heat[k] if k >= 0 else int(k in history) for k in range(t - h.spacing_slots, t)]
            if any(earlier):
                return None
    gaps = sum(1 for g in h.gap_slots for w in range(n - g + 1) if not any(heat[w : w + g]))
    short = sum(max(0.0, day.need_kwh - h.block_kwh * sum(heat[t] for t in day.slots)) for day in h.days)
    cost = sum(c * x for c, x in zip(costs, heat, strict=True)) + h.start_penalty * starts
    return cost + h.comfort_penalty * gaps + d.big_penalty * short


CASES = [
    {"min_kwh_per_day": 4.0, "min_spacing_hours": 3.0},
    {"min_kwh_per_day": 2.0, "max_gap_hours": 4.0, "comfort_penalty": 0.05, "block_start_penalty": 0.1},
    {"min_kwh_per_day": 6.0, "min_spacing_hours": 2.0, "force_on_slots": [0]},
    {"min_kwh_per_day": 4.0, "defer_up_to_hours": 3.0, "heated_today_kwh": 1.0, "min_spacing_hours": 1.0},
    {"min_kwh_per_day": 4.0, "min_spacing_hours": 5.0, "off_slots_before": 0},
    {"min_kwh_per_day": 4.0, "min_spacing_hours": 5.0, "off_slots_before": 1, "block_start_penalty": 0.1},
    {
        "min_kwh_per_day": 2.0,
        "min_spacing_hours": 4.0,
        "off_slots_before": 3,
        "max_gap_hours": 3.0,
        "comfort_penalty": 0.05,
    },
    {"min_kwh_per_day": 6.0, "min_spacing_hours": 2.0, "force_on_slots": [0, 1], "off_slots_before": 0},
]
PRICES = [0.3, 0.1, 0.25, 0.05, 0.4, 0.2, 0.15, 0.35, 0.1, 0.3, 0.05, 0.2]


def heater_case(fields):
    """Kepler data of a 12-slot heater scenario and the heating cost per slot."""
    sc = make_scenario(
        n=len(PRICES), start="2025-07-08T18:00:00+02:00", import_price=PRICES, water_heater=heater(**fields)
    )
    d = kepler_data(sc)
    return d, [p * d.heater.block_kwh for p in PRICES]


@pytest.mark.parametrize("fields", CASES)
def test_dp_matches_brute_force(fields):
    n = len(PRICES)
    d, costs = heater_case(fields)
    cost, heat = best_schedule(d.heater, costs, d.big_penalty)
    assert cost == pytest.approx(brute_force(d, costs))
    assert schedule_cost(d, costs, heat) == pytest.approx(cost)  # the schedule itself obeys the rules
    assert len(heat) == n


@pytest.mark.parametrize("fields", CASES)
def test_slot_bounds_match_brute_force(fields):
    """The forward/backward DP gives, per slot, the cheapest schedule with the heater on and off."""
    d, costs = heater_case(fields)
    bounds = slot_bounds(d.heater, costs, d.big_penalty)
    assert bounds.best == pytest.approx(brute_force(d, costs))
    for t in range(d.n):
        for on, got in ((1, bounds.on[t]), (0, bounds.off[t])):
            want = brute_force(d, costs, slot=t, on=on)
            if want is None:
                assert got >= 1e17, (t, on)  # impossible (a forced slot, or spacing after the history)
            else:
                assert got == pytest.approx(want), (t, on)
