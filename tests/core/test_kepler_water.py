"""Kepler behaviour: the water heater's daily minimum, spacing, deferral, forcing, gaps and starts."""

from __future__ import annotations

import pytest

from custom_components.darkstar.core.kepler import SolverOptions, kepler_data, plan
from custom_components.darkstar.core.plan import STATUS_OPTIMAL

from .kepler_evaluator import evaluate
from .kepler_factory import heater, make_scenario

NO_BATTERY = {"capacity_kwh": 0.0}


def heated(sc, **kwargs):
    """Plan (checked by the evaluator) and return the list of slots where the heater is on."""
    result = plan(sc, **kwargs)
    assert result.status == STATUS_OPTIMAL, result.reason
    ev = evaluate(sc, result)
    assert ev.violations == []
    assert result.objective == pytest.approx(ev.objective, abs=1e-6)
    return [t for t, s in enumerate(result.slots) if s.water_kw > 0]


def prices_with(cheap: dict[int, float], n: int = 24, base: float = 0.5) -> list[float]:
    """Flat `base` prices with some cheaper slots."""
    return [cheap.get(t, base) for t in range(n)]


def test_daily_minimum_in_cheapest_slots():
    prices = prices_with({4: 0.1, 9: 0.12, 15: 0.2, 20: 0.15})
    sc = make_scenario(
        n=24, import_price=prices, battery=NO_BATTERY, water_heater=heater(min_kwh_per_day=4.0)
    )
    assert heated(sc) == [4, 9]


def test_spacing_is_never_violated():
    prices = prices_with({3: 0.1, 5: 0.1, 6: 0.3})
    free = make_scenario(
        n=24, import_price=prices, battery=NO_BATTERY, water_heater=heater(min_kwh_per_day=4.0)
    )
    assert heated(free) == [3, 5]
    spaced = make_scenario(
        n=24,
        import_price=prices,
        battery=NO_BATTERY,
        water_heater=heater(min_kwh_per_day=4.0, min_spacing_hours=3.0),
    )
    on = heated(spaced)
    assert len(on) == 2
    assert on in ([3, 4], [4, 5], [5, 6])


def test_spacing_after_a_block_running_at_start():
    prices = prices_with({2: 0.01, 3: 0.01})
    sc = make_scenario(
        n=24,
        import_price=prices,
        battery=NO_BATTERY,
        water_heater=heater(min_kwh_per_day=2.0, min_spacing_hours=2.0, force_on_slots=[0]),
    )
    on = heated(sc)
    assert on[0] == 0
    assert not ({2, 3} & set(on)) or 1 in on  # restarting at 2 or 3 would break the spacing after slot 0


def test_heated_today_reduces_first_day_need():
    sc = make_scenario(n=24, battery=NO_BATTERY, water_heater=heater(min_kwh_per_day=6.0))
    assert len(heated(sc)) == 3
    done = make_scenario(
        n=24, battery=NO_BATTERY, water_heater=heater(min_kwh_per_day=6.0, heated_today_kwh=4.0)
    )
    assert len(heated(done)) == 1


def test_deferral_moves_early_morning_heating_to_previous_day():
    # horizon 18:00 -> 18:00 next day; the night (slots 6-11 = 00:00-06:00) is cheap
    prices = [0.5] * 6 + [0.05] * 6 + [0.5] * 12
    parts = {"n": 24, "start": "2025-07-08T18:00:00+02:00", "import_price": prices, "battery": NO_BATTERY}
    strict = heated(make_scenario(water_heater=heater(min_kwh_per_day=2.0), **parts))
    assert any(t < 6 for t in strict)  # today's need must be met before midnight
    deferred = heated(make_scenario(water_heater=heater(min_kwh_per_day=2.0, defer_up_to_hours=6.0), **parts))
    assert not any(t < 6 for t in deferred)  # the night heating counts for the evening's day
    assert any(6 <= t < 12 for t in deferred)


def test_forced_on_slots_stay_on():
    prices = prices_with({10: 0.01}, base=0.9)
    sc = make_scenario(
        n=24,
        import_price=prices,
        battery=NO_BATTERY,
        water_heater=heater(min_kwh_per_day=2.0, force_on_slots=[0, 1]),
    )
    on = heated(sc)
    assert on[:2] == [0, 1]


def test_unreachable_daily_minimum_is_reported_not_infeasible():
    sc = make_scenario(n=4, battery=NO_BATTERY, water_heater=heater(min_kwh_per_day=100.0))
    result = plan(sc)
    assert result.status == STATUS_OPTIMAL
    assert "water heater misses its daily minimum" in (result.reason or "")


def test_comfort_gaps_and_start_penalty():
    prices = prices_with({2: 0.1, 3: 0.11})
    base = {"min_kwh_per_day": 2.0}
    sc_free = make_scenario(n=24, import_price=prices, battery=NO_BATTERY, water_heater=heater(**base))
    assert heated(sc_free) == [2]
    gaps = heater(**base, max_gap_hours=6.0, comfort_penalty=1.0)
    on = heated(make_scenario(n=24, import_price=prices, battery=NO_BATTERY, water_heater=gaps))
    off_runs = _off_runs(on, 24)
    assert max(off_runs) < 6
    starts = heater(**base, max_gap_hours=6.0, comfort_penalty=1.0, block_start_penalty=5.0)
    fewer = heated(make_scenario(n=24, import_price=prices, battery=NO_BATTERY, water_heater=starts))
    assert _blocks(fewer) < _blocks(on)


def _off_runs(on: list[int], n: int) -> list[int]:
    runs, current = [], 0
    for t in range(n):
        if t in on:
            runs.append(current)
            current = 0
        else:
            current += 1
    return [*runs, current]


def _blocks(on: list[int]) -> int:
    return sum(1 for i, t in enumerate(on) if i == 0 or on[i - 1] != t - 1)


def test_warm_start_from_previous_plan_gives_same_objective():
    prices = prices_with({4: 0.1, 9: 0.12, 15: 0.2, 20: 0.15})
    sc = make_scenario(
        n=24, import_price=prices, water_heater=heater(min_kwh_per_day=4.0, min_spacing_hours=3.0)
    )
    cold = plan(sc)
    warm = plan(sc, warm_start=cold)
    assert warm.objective == pytest.approx(cold.objective, abs=0.002)


def test_short_horizon_does_not_force_a_block_for_a_fraction_of_a_day():
    # 15 minutes of a day with 6 kWh to heat: the share (1/96) rounds down to no block
    sc = make_scenario(
        n=1,
        slot_minutes=15,
        battery=NO_BATTERY,
        water_heater=heater(min_kwh_per_day=6.0, block_start_penalty=0.3),
    )
    result = plan(sc)
    assert result.status == STATUS_OPTIMAL
    assert result.reason is None
    assert result.slots[0].water_kw == 0


def test_seven_day_horizon_with_heater_returns_a_plan():
    prices = [0.1 + 0.1 * ((t // 4) % 24 >= 17) for t in range(672)]
    wh = heater(min_kwh_per_day=4.0, min_spacing_hours=3.0)
    sc = make_scenario(n=672, slot_minutes=15, import_price=prices, load_kwh=[0.1] * 672, water_heater=wh)
    result = plan(sc)
    assert result.ok
    assert evaluate(sc, result).violations == []


def _history_scenario(off_slots_before, prices=None, **fields):
    """Hourly slots, 4 h spacing, one block a day; slot 1 is by far the cheapest, slot 6 next."""
    prices = prices or prices_with({1: 0.01, 6: 0.2})
    wh = heater(min_kwh_per_day=2.0, min_spacing_hours=4.0, off_slots_before=off_slots_before, **fields)
    return make_scenario(n=24, import_price=prices, battery=NO_BATTERY, water_heater=wh)


@pytest.mark.parametrize("formulation", ["tight", "direct"])
def test_recent_block_before_the_horizon_forbids_an_early_start(formulation):
    options = SolverOptions(heater_formulation=formulation)
    # off for 2 slots before the horizon, spacing 4: no start before slot 2; slot 1 is too early
    assert heated(_history_scenario(2), options=options) == [6]
    assert heated(_history_scenario(1), options=options) == [6]


@pytest.mark.parametrize("formulation", ["tight", "direct"])
def test_start_allowed_once_the_spacing_has_elapsed(formulation):
    options = SolverOptions(heater_formulation=formulation)
    assert heated(_history_scenario(3), options=options) == [1]  # 3 + 1 off slots before slot 1
    assert heated(_history_scenario(10), options=options) == [1]


def test_unknown_history_keeps_the_old_behaviour():
    assert heated(_history_scenario(None)) == [1]
    assert kepler_data(_history_scenario(None)).heater.last_on_before is None


def test_history_without_heuristic_start_gives_the_same_plan():
    options = SolverOptions(heuristic_start=False, use_warm_start=False)
    assert heated(_history_scenario(2), options=options) == [6]


def test_on_just_before_the_horizon_may_continue_but_not_restart():
    # on in the slot before the horizon (k = 0), spacing 4: heating at slot 0 continues that
    # block (no start), while a new start at the cheapest slot 2 is forbidden
    prices = prices_with({0: 0.3, 2: 0.01})
    assert heated(_history_scenario(None, prices)) == [2]
    assert heated(_history_scenario(0, prices)) == [0]
    # the continuation pays no start penalty (`heated` checks the objective against the evaluator)
    penalised = _history_scenario(0, prices, block_start_penalty=0.3)
    assert heated(penalised) == [0]
    assert evaluate(penalised, plan(penalised)).terms["water_starts"] == 0.0


def test_history_and_a_running_block_give_the_same_model_rules():
    forced = make_scenario(
        n=24, battery=NO_BATTERY, water_heater=heater(min_spacing_hours=4.0, force_on_slots=[0])
    )
    both = make_scenario(
        n=24,
        battery=NO_BATTERY,
        water_heater=heater(min_spacing_hours=4.0, force_on_slots=[0], off_slots_before=0),
    )
    assert kepler_data(forced).heater == kepler_data(both).heater
    assert kepler_data(both).heater.running_at_start
