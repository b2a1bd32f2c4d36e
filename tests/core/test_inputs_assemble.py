"""Tests for core.inputs.assemble: building a Scenario from normalised inputs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from custom_components.darkstar.core.inputs.assemble import AssembledScenario, build_scenario
from custom_components.darkstar.core.inputs.load import build_profile, hourly_energy
from custom_components.darkstar.core.inputs.prices import parse_hacs_nordpool
from custom_components.darkstar.core.inputs.pv import parse_solcast
from custom_components.darkstar.core.inputs.tariff import Tariff, export_prices, import_prices
from custom_components.darkstar.core.inputs.timeline import InputError, Interval
from custom_components.darkstar.core.scenario import Battery, ScenarioError, WaterHeater

FIXTURES = Path(__file__).parents[1] / "fixtures" / "inputs"
TZ_NAME = "Europe/Stockholm"
STOCKHOLM = ZoneInfo(TZ_NAME)
Q = timedelta(minutes=15)
H = timedelta(hours=1)
TARIFF = Tariff(grid_fee=0.022, energy_tax=0.038, vat=0.25, export_bonus=0.005)
BATTERY = Battery(10.0, 0.0, 15.0, 95.0, 5.0, 5.0)


def spot(name: str = "hacs_nordpool_hourly_no_tomorrow.json") -> list[Interval]:
    """Spot prices from a HACS nordpool sample."""
    return parse_hacs_nordpool(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def flat(start: datetime, hours: int, value: float, step: timedelta = Q) -> list[Interval]:
    """A constant series of `step` intervals."""
    n = int(hours * H / step)
    return [Interval(start + i * step, start + (i + 1) * step, value) for i in range(n)]


def build(now: datetime, prices: list[Interval], **kwargs: object) -> AssembledScenario:
    """build_scenario with sensible defaults for the tests."""
    args: dict[str, object] = {
        "import_prices": import_prices(prices, TARIFF),
        "export_prices": export_prices(prices, TARIFF),
        "pv_kwh": None,
        "load_kwh": flat(now - 2 * H, 72, 0.1),
        "soc_percent": 42.0,
        "battery": BATTERY,
        "timezone": TZ_NAME,
    }
    args.update(kwargs)
    return build_scenario(now, **args)  # type: ignore[arg-type]


def test_horizon_starts_at_current_slot_and_stops_where_prices_stop() -> None:
    """At 10:07 local without tomorrow's prices: 10:00 .. 24:00 = 56 slots, with a note."""
    now = datetime(2025, 7, 8, 10, 7, tzinfo=STOCKHOLM)
    scenario, notes = build(now, spot())
    assert scenario.start == datetime(2025, 7, 8, 10, tzinfo=STOCKHOLM)
    assert scenario.n_slots == 56
    assert scenario.timezone == TZ_NAME
    assert scenario.battery.initial_soc_percent == 42.0
    assert scenario.series.pv_kwh == (0.0,) * 56
    assert scenario.series.load_kwh == pytest.approx((0.1,) * 56)
    assert scenario.series.import_price[0] == pytest.approx(TARIFF.import_price(spot()[10].value))
    assert len(notes) == 1
    assert "truncated to 56 slots (14 h)" in notes[0]
    assert "2025-07-09T00:00:00+02:00" in notes[0]
    assert "no prices after that" in notes[0]


def test_horizon_is_at_most_48_hours() -> None:
    """With 48 h of 15-minute prices from midnight, a run at 00:00 gets 192 slots and no note."""
    now = datetime(2025, 7, 8, tzinfo=STOCKHOLM)
    scenario, notes = build(now, spot("hacs_nordpool_15min.json"), load_kwh=flat(now, 60, 0.1))
    assert scenario.n_slots == 192
    assert notes == []
    later, _ = build(now + 3 * H, spot("hacs_nordpool_15min.json"), load_kwh=flat(now, 60, 0.1), max_hours=24)
    assert later.n_slots == 96


def test_price_gap_truncates_and_later_prices_are_ignored() -> None:
    """A hole in the prices ends the horizon; nothing is bridged."""
    prices = spot()
    del prices[12]
    now = datetime(2025, 7, 8, 10, tzinfo=STOCKHOLM)
    scenario, notes = build(now, prices)
    assert scenario.n_slots == 8
    assert "gap in the prices" in notes[0]


def test_export_gap_also_truncates() -> None:
    """Both import and export prices must exist for a slot."""
    now = datetime(2025, 7, 8, 10, tzinfo=STOCKHOLM)
    prices = spot()
    scenario, _ = build(now, prices, export_prices=export_prices(prices[:12], TARIFF))
    assert scenario.n_slots == 8


def test_no_price_for_the_current_slot_is_an_error() -> None:
    """Prices that start later (or are empty) cannot give a scenario."""
    with pytest.raises(InputError, match="no import/export price for the current slot"):
        build(datetime(2025, 7, 7, 23, tzinfo=STOCKHOLM), spot())
    with pytest.raises(InputError, match="prices"):
        build(datetime(2025, 7, 8, 10, tzinfo=STOCKHOLM), [])


def test_pv_from_solcast_and_missing_pv_is_zero() -> None:
    """Solcast kW becomes kWh per slot; slots beyond the PV forecast are 0 with a note."""
    solcast = json.loads((FIXTURES / "solcast_forecast_today.json").read_text(encoding="utf-8"))
    pv = parse_solcast(solcast).estimate
    now = datetime(2025, 7, 8, 12, tzinfo=STOCKHOLM)
    noon_kw = next(
        i["pv_estimate"]
        for i in solcast["detailedForecast"]
        if i["period_start"].startswith("2025-07-08T12:00")
    )
    scenario, notes = build(now, spot(), pv_kwh=list(pv[:30]))  # PV only until 15:00 local
    assert scenario.series.pv_kwh[0] == pytest.approx(noon_kw * 0.25)
    assert scenario.series.pv_kwh[12:] == (0.0,) * 36
    assert any("PV forecast missing for 36 slot(s)" in n for n in notes)


def test_missing_load_is_filled_from_the_profile() -> None:
    """Load slots without a forecast take the profile's value; with no profile it is an error."""
    rows = json.loads((FIXTURES / "statistics_house_load_7d.json").read_text(encoding="utf-8"))
    profile = build_profile(hourly_energy(rows), TZ_NAME)
    now = datetime(2025, 7, 17, 10, tzinfo=STOCKHOLM)
    scenario, notes = build(now, spot_shifted(), load_kwh=flat(now, 1, 0.5), load_profile=profile)
    assert scenario.series.load_kwh[:4] == pytest.approx((0.5,) * 4)
    assert scenario.series.load_kwh[4] == pytest.approx(profile.by_minute[11 * 60])
    assert any("filled from the load profile" in n for n in notes)
    with pytest.raises(InputError, match="load forecast missing"):
        build(now, spot_shifted(), load_kwh=flat(now, 1, 0.5))


def spot_shifted() -> list[Interval]:
    """The 2025-07-08 prices moved to 2025-07-17."""
    return [Interval(iv.start + timedelta(days=9), iv.end + timedelta(days=9), iv.value) for iv in spot()]


def test_water_heater_forced_slots_beyond_horizon_are_dropped() -> None:
    """Forced slots outside a truncated horizon are dropped with a note; others kept."""
    heater = WaterHeater(power_kw=3.0, min_kwh_per_day=6.0, force_on_slots=(2, 60))
    now = datetime(2025, 7, 8, 10, tzinfo=STOCKHOLM)
    scenario, notes = build(now, spot(), water_heater=heater)
    assert scenario.water_heater is not None
    assert scenario.water_heater.force_on_slots == (2,)
    assert any("dropped 1 forced water-heater slot" in n for n in notes)


def test_garbage_is_rejected_by_scenario_validation() -> None:
    """A SoC outside 0..100 or negative PV never reaches the planner."""
    now = datetime(2025, 7, 8, 10, tzinfo=STOCKHOLM)
    with pytest.raises(ScenarioError, match="initial_soc_percent"):
        build(now, spot(), soc_percent=140.0)
    with pytest.raises(ScenarioError, match="pv_kwh"):
        build(now, spot(), pv_kwh=flat(now, 20, -1.0))


def test_dst_autumn_day_has_100_slots() -> None:
    """Prices for the 25-hour 2025-10-26 give a 100-slot scenario starting at local midnight."""
    prices = spot("hacs_nordpool_dst_2025-10-26.json")
    now = datetime(2025, 10, 26, tzinfo=STOCKHOLM)
    scenario, _ = build(now, prices, load_kwh=flat(now.astimezone(UTC), 30, 0.1))
    assert scenario.n_slots == 100
    assert scenario.slot_start(99) == datetime(2025, 10, 26, 23, 45, tzinfo=STOCKHOLM)
