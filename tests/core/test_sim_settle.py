"""Settlement: conservation of energy every slot, physical SoC, money."""

from __future__ import annotations

from dataclasses import replace
import random

import pytest

from custom_components.darkstar.core.scenario import Grid
from custom_components.darkstar.core.simulation.home import Home
from custom_components.darkstar.core.simulation.settle import Action, SlotActuals, balance_error, settle_slot


@pytest.mark.parametrize("export_enabled", [True, False])
def test_energy_in_equals_energy_out_every_slot(export_enabled: bool) -> None:
    home = replace(Home(), grid=Grid(export_enabled=export_enabled, max_export_kw=2.0))
    rng = random.Random(7)
    soc = home.initial_soc_kwh
    for _ in range(2000):
        actuals = SlotActuals(
            rng.uniform(0, 2), rng.choice([0.0, rng.uniform(0, 3)]), 0.2, rng.uniform(-0.05, 0.1)
        )
        action = Action(
            battery_kwh=rng.uniform(-3, 3),
            water_on=rng.random() < 0.3,
            curtail_kwh=rng.choice([0.0, rng.uniform(0, 1)]),
            self_consumption=rng.random() < 0.3,
        )
        result = settle_slot(home, soc, actuals, action, 0.25)
        assert balance_error(actuals, result) == pytest.approx(0.0, abs=1e-12)
        assert home.soc_min_kwh - 1e-9 <= result.soc_end_kwh <= home.soc_max_kwh + 1e-9
        assert result.curtail_kwh <= actuals.pv_kwh + 1e-12
        assert result.export_kwh <= (0.5 if export_enabled else 0.0) + 1e-12
        assert min(result.import_kwh, result.export_kwh) == 0.0
        soc = result.soc_end_kwh


def test_money_and_battery_physics() -> None:
    home = Home()
    actuals = SlotActuals(load_kwh=0.5, pv_kwh=0.0, import_price=0.3, export_price=0.1)
    result = settle_slot(home, 4.0, actuals, Action(battery_kwh=1.0), 0.25)
    assert result.charge_kwh == pytest.approx(1.0)
    assert result.soc_end_kwh == pytest.approx(4.0 + 0.95)
    assert result.import_kwh == pytest.approx(1.5)
    assert result.cost == pytest.approx(1.5 * 0.3 + 0.005 * 1.0)
    # A request beyond the power limit (5 kW = 1.25 kWh per slot) is clipped and reported.
    clipped = settle_slot(home, 4.0, actuals, Action(battery_kwh=3.0), 0.25)
    assert clipped.charge_kwh == pytest.approx(1.25)
    assert clipped.battery_clipped_kwh == pytest.approx(1.75)
    # Discharge stops at min SoC (1.5 kWh): only (1.6 - 1.5) * 0.95 kWh comes out.
    low = settle_slot(home, 1.6, actuals, Action(battery_kwh=-1.0), 0.25)
    assert low.discharge_kwh == pytest.approx(0.1 * 0.95)
    assert low.soc_end_kwh == pytest.approx(1.5)


def test_self_consumption_covers_load_and_stores_surplus() -> None:
    home = Home()
    night = settle_slot(home, 5.0, SlotActuals(0.4, 0.0, 0.3, 0.1), Action(self_consumption=True), 0.25)
    assert night.discharge_kwh == pytest.approx(0.4)
    assert night.import_kwh == 0.0
    sunny = settle_slot(home, 5.0, SlotActuals(0.1, 0.6, 0.3, 0.1), Action(self_consumption=True), 0.25)
    assert sunny.charge_kwh == pytest.approx(0.5)
    assert sunny.export_kwh == 0.0


def test_self_consumption_direction_limits() -> None:
    home = Home()
    deficit = SlotActuals(0.4, 0.0, 0.3, 0.1)
    surplus = SlotActuals(0.1, 0.6, 0.3, 0.1)
    charge_only = Action(self_consumption=True, direction=1)
    discharge_only = Action(self_consumption=True, direction=-1)
    assert settle_slot(home, 5.0, deficit, charge_only, 0.25).discharge_kwh == 0.0
    assert settle_slot(home, 5.0, surplus, charge_only, 0.25).charge_kwh == pytest.approx(0.5)
    assert settle_slot(home, 5.0, surplus, discharge_only, 0.25).charge_kwh == 0.0
    assert settle_slot(home, 5.0, deficit, discharge_only, 0.25).discharge_kwh == pytest.approx(0.4)
