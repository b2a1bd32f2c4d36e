"""Kepler behaviour: battery, grid, prices and end-of-horizon rules on small hand-made scenarios."""

from __future__ import annotations

import pytest

from custom_components.darkstar.core.kepler import plan
from custom_components.darkstar.core.plan import STATUS_INFEASIBLE, STATUS_OPTIMAL

from .kepler_evaluator import evaluate
from .kepler_factory import make_scenario


def checked(sc):
    """Plan and assert the evaluator agrees on feasibility and objective."""
    result = plan(sc)
    assert result.status == STATUS_OPTIMAL, result.reason
    ev = evaluate(sc, result)
    assert ev.violations == []
    assert result.objective == pytest.approx(ev.objective, abs=1e-6)
    return result


def test_arbitrage_charges_cheap_and_discharges_dear():
    prices = [0.05, 0.05, 0.05, 0.05, 0.5, 0.5, 0.5, 0.5]
    result = checked(make_scenario(import_price=prices, export_price=[p - 0.01 for p in prices]))
    assert sum(s.charge_kwh for s in result.slots[:4]) > 3.0
    assert sum(s.discharge_kwh for s in result.slots[4:]) > 3.0
    assert all(s.charge_kwh == 0 for s in result.slots[4:])


def test_no_grid_charging_when_spread_does_not_pay():
    # 0.10 -> 0.105: round trip 0.9025 and wear 0.01/kWh make storing a loss
    prices = [0.10] * 4 + [0.105] * 4
    sc = make_scenario(import_price=prices, battery={"initial_soc_percent": 10.0, "wear_cost_per_kwh": 0.01})
    result = checked(sc)
    assert all(s.charge_kwh == 0 for s in result.slots)


def test_respects_soc_and_power_limits():
    prices = [0.01] * 6 + [1.0] * 2
    exports = [0.0] * 6 + [0.9] * 2
    slow_in = checked(
        make_scenario(import_price=prices, export_price=exports, battery={"max_charge_kw": 0.5})
    )
    assert [s.charge_kwh for s in slow_in.slots[:6]] == pytest.approx([0.5] * 6)
    slow_out = checked(
        make_scenario(import_price=prices, export_price=exports, battery={"max_discharge_kw": 2.0})
    )
    assert [s.discharge_kwh for s in slow_out.slots[6:]] == pytest.approx([2.0, 2.0])
    fast = checked(
        make_scenario(import_price=prices, export_price=exports, battery={"max_discharge_kw": 5.0})
    )
    assert all(1.0 - 1e-9 <= s.soc_kwh <= 9.0 + 1e-9 for s in fast.slots)
    assert max(s.soc_kwh for s in fast.slots) == pytest.approx(9.0)
    assert fast.slots[-1].soc_kwh == pytest.approx(1.0)


def test_export_off_means_zero_export():
    sc = make_scenario(export_price=[1.0] * 8, pv_kwh=[3.0] * 8, grid={"export_enabled": False})
    result = checked(sc)
    assert all(s.export_kwh == 0 for s in result.slots)
    on = checked(make_scenario(export_price=[1.0] * 8, pv_kwh=[3.0] * 8))
    assert sum(s.export_kwh for s in on.slots) > 10


def test_soft_import_limit_held_when_possible():
    load = [0.5, 0.5, 0.5, 0.5, 4.0, 4.0, 0.5, 0.5]
    sc = make_scenario(load_kwh=load, grid={"import_limit_kw": 2.5})
    result = checked(sc)
    assert all(s.import_kwh <= 2.5 + 1e-6 for s in result.slots)
    assert result.objective_terms.get("import_breach", 0.0) == pytest.approx(0.0)
    assert sum(s.discharge_kwh for s in result.slots[4:6]) > 2.9


def test_soft_import_limit_breached_and_reported_when_impossible():
    sc = make_scenario(load_kwh=[6.0] * 8, battery={"capacity_kwh": 0.0}, grid={"import_limit_kw": 2.0})
    result = checked(sc)
    assert result.objective_terms["import_breach"] > 0
    assert "soft import limit exceeded" in (result.reason or "")


def test_terminal_value_makes_it_keep_energy():
    flat = make_scenario(export_price=[0.09] * 8)
    valued = make_scenario(export_price=[0.09] * 8, target={"terminal_value_per_kwh": 0.2})
    assert checked(flat).slots[-1].soc_kwh == pytest.approx(1.0)
    assert checked(valued).slots[-1].soc_kwh == pytest.approx(9.0)


def test_end_target_pulls_soc():
    sc = make_scenario(target={"soc_percent": 80.0, "penalty_per_kwh": 0.5})
    result = checked(sc)
    assert result.slots[-1].soc_kwh == pytest.approx(8.0)
    low = checked(make_scenario(import_price=[0.5] * 8, target={"soc_percent": 20.0, "penalty_per_kwh": 0.5}))
    assert low.slots[-1].soc_kwh == pytest.approx(2.0)


def test_infeasible_input_returns_infeasible_with_reason():
    sc = make_scenario(
        load_kwh=[1.0, 1.0, 30.0, 1.0], n=4, battery={"capacity_kwh": 0.0}, grid={"max_import_kw": 5.0}
    )
    result = plan(sc)
    assert result.status == STATUS_INFEASIBLE
    assert result.slots == ()
    assert "slot(s) 2" in (result.reason or "")


def test_energy_infeasibility_found_by_solver_has_reason():
    # each slot alone could be served with the battery's power, but not with its energy
    sc = make_scenario(
        load_kwh=[6.0] * 8,
        grid={"max_import_kw": 2.0},
        battery={"initial_soc_percent": 20.0, "min_soc_percent": 0.0},
    )
    result = plan(sc)
    assert result.status == STATUS_INFEASIBLE
    assert result.reason


@pytest.mark.parametrize("wear", [0.0, 0.01])
def test_no_simultaneous_charge_and_discharge_at_negative_prices(wear):
    prices = [-0.5] * 8
    sc = make_scenario(import_price=prices, export_price=prices, battery={"wear_cost_per_kwh": wear})
    result = checked(sc)
    assert not any(s.charge_kwh > 1e-9 and s.discharge_kwh > 1e-9 for s in result.slots)
    assert not any(s.import_kwh > 1e-9 and s.export_kwh > 1e-9 for s in result.slots)


def test_curtailment_bounded_by_pv_at_negative_prices():
    pv = [0.0, 1.0, 3.0, 5.0, 3.0, 1.0, 0.0, 0.0]
    sc = make_scenario(import_price=[-1.0] * 8, export_price=[-1.0] * 8, pv_kwh=pv)
    result = checked(sc)
    assert all(s.curtail_kwh <= p + 1e-9 for s, p in zip(result.slots, pv, strict=True))
    assert result.objective is not None
    assert result.objective > -1000


def test_initial_soc_below_min_is_planned_back_not_infeasible():
    sc = make_scenario(battery={"initial_soc_percent": 2.0, "min_soc_percent": 20.0, "max_charge_kw": 1.0})
    result = checked(sc)
    assert result.slots[-1].soc_kwh >= 2.0 - 1e-6
    assert "min SoC cannot be held in slots 0" in (result.reason or "")


def test_initial_soc_above_max_is_planned_back():
    sc = make_scenario(battery={"initial_soc_percent": 100.0, "max_soc_percent": 80.0})
    result = checked(sc)
    assert result.slots[-1].soc_kwh <= 8.0 + 1e-6


def test_ramping_cost_smooths_battery_power():
    prices = [0.05, 0.5, 0.05, 0.5, 0.05, 0.5, 0.05, 0.5]
    free = checked(make_scenario(import_price=prices))
    ramped = checked(make_scenario(import_price=prices, battery={"ramping_cost_per_kw": 1.0}))
    assert ramped.objective_terms["ramping"] >= 0
    moves = sum(s.charge_kwh + s.discharge_kwh for s in ramped.slots)
    assert moves < sum(s.charge_kwh + s.discharge_kwh for s in free.slots)


def test_export_threshold_stops_marginal_export():
    sc = make_scenario(
        pv_kwh=[2.0] * 8,
        export_price=[0.05] * 8,
        grid={"export_threshold_per_kwh": 0.2},
        battery={"initial_soc_percent": 90.0},
    )
    result = checked(sc)
    assert sum(s.export_kwh for s in result.slots) == pytest.approx(0.0)


@pytest.mark.parametrize(("slot_minutes", "n"), [(15, 1), (15, 96), (30, 48), (60, 24), (60, 168), (15, 672)])
def test_slot_sizes_and_horizons(slot_minutes, n):
    prices = [0.05 + 0.2 * ((t * slot_minutes // 60) % 24 >= 17) for t in range(n)]
    sc = make_scenario(
        n=n,
        slot_minutes=slot_minutes,
        import_price=prices,
        export_price=[p * 0.5 for p in prices],
        load_kwh=[0.3 * slot_minutes / 60] * n,
    )
    result = checked(sc)
    assert len(result.slots) == n
    assert result.slots[0].start == sc.start
