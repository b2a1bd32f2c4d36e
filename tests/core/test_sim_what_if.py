"""Export what-if: allocation to the highest prices, realised export and the money effect."""

from __future__ import annotations

from datetime import date
import json

import pytest

from custom_components.darkstar.core.cli.what_if_export import main
from custom_components.darkstar.core.simulation.home import Home
from custom_components.darkstar.core.simulation.series import load_series_csv
from custom_components.darkstar.core.simulation.what_if import export_what_if

from .test_sim_helpers import FIXTURE

DAY = date(2025, 7, 8)


def test_export_what_if_against_the_baseline_plan() -> None:
    series = load_series_csv(FIXTURE)
    result = export_what_if(series, Home(), DAY, 2.0)
    assert result.allocated_kwh == pytest.approx(2.0)
    assert 0.0 < result.realised_kwh <= result.allocated_kwh + 1e-9
    prices = [s.export_price for s in result.slots]
    first, end = series.day_bounds(DAY, "Europe/Stockholm")
    day_export_prices = sorted(Home().tariff.export_price(series.spot[first:end]), reverse=True)
    assert max(prices) == pytest.approx(day_export_prices[0])
    nothing = export_what_if(series, Home(), DAY, 0.0)
    assert nothing.slots == ()
    assert nothing.net_effect == pytest.approx(0.0, abs=1e-9)


def test_cli_json_and_bad_input(capsys) -> None:
    assert main([str(FIXTURE), "--day", "2025-07-08", "--kwh", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"realised_export_kwh", "net_effect", "baseline_cost", "what_if_cost"} <= set(data)
    assert main([str(FIXTURE), "--day", "2025-07-07", "--kwh", "1"]) == 2
    assert "missing data" in capsys.readouterr().err
    assert main([str(FIXTURE), "--day", "2025-08-01", "--kwh", "1"]) == 2
    assert "not in the series" in capsys.readouterr().err
