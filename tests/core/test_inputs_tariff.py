"""Tests for core.inputs.tariff: import/export prices from spot prices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path

import pytest

from custom_components.darkstar.core.inputs.prices import parse_hacs_nordpool
from custom_components.darkstar.core.inputs.tariff import Tariff, export_prices, import_prices
from custom_components.darkstar.core.inputs.timeline import INTENSIVE, Interval, resample
from custom_components.darkstar.core.scenario import load_scenario

FIXTURES = Path(__file__).parents[1] / "fixtures"
SHARED_TARIFF = Tariff(grid_fee=0.022, energy_tax=0.038, vat=0.25, export_bonus=0.005)


def test_formula() -> None:
    """import = (spot + fee + tax) * (1 + vat); export = spot + bonus."""
    tariff = Tariff(grid_fee=0.1, energy_tax=0.2, vat=0.5, export_bonus=0.03)
    assert tariff.import_price(1.0) == pytest.approx(1.95)
    assert tariff.export_price(1.0) == pytest.approx(1.03)
    assert tariff.import_price(-0.4) == pytest.approx(-0.15)


def test_defaults_are_plain_spot() -> None:
    """With the default tariff both prices are the spot price."""
    assert Tariff().import_price(0.42) == 0.42
    assert Tariff().export_price(0.42) == 0.42


def test_interval_helpers_keep_times() -> None:
    """The interval helpers map values only."""
    t0 = datetime(2025, 7, 8, tzinfo=UTC)
    spot = [Interval(t0, t0 + timedelta(hours=1), 0.1)]
    assert import_prices(spot, SHARED_TARIFF) == [Interval(t0, t0 + timedelta(hours=1), pytest.approx(0.2))]
    assert export_prices(spot, SHARED_TARIFF)[0].value == pytest.approx(0.105)


def test_reproduces_the_shared_scenario_tariff() -> None:
    """The shared scenarios use import = 1.25 (spot + 0.022 + 0.038), export = spot + 0.005."""
    scenario = load_scenario(FIXTURES / "scenarios" / "full-2025-07-08.json")
    attrs = json.loads(
        (FIXTURES / "inputs" / "hacs_nordpool_hourly_no_tomorrow.json").read_text(encoding="utf-8")
    )
    spot = parse_hacs_nordpool(attrs)
    assert spot[0].start == scenario.start
    imp = resample(import_prices(spot, SHARED_TARIFF), scenario.start, 96, INTENSIVE)
    exp = resample(export_prices(spot, SHARED_TARIFF), scenario.start, 96, INTENSIVE)
    assert imp == pytest.approx(list(scenario.series.import_price[:96]), abs=1e-5)
    assert exp == pytest.approx(list(scenario.series.export_price[:96]), abs=1e-5)
