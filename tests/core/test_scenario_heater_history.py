"""The scenario field water_heater.off_slots_before: validation and round trip."""

from __future__ import annotations

import pytest

from custom_components.darkstar.core.scenario import ScenarioError, scenario_from_dict, scenario_to_dict

from .kepler_factory import heater, scenario_dict


def _load(**fields):
    return scenario_from_dict(scenario_dict(water_heater=heater(**fields)))


def test_default_is_unknown_history():
    assert _load().water_heater.off_slots_before is None
    assert _load(off_slots_before=None).water_heater.off_slots_before is None


@pytest.mark.parametrize("value", [0, 3, 500])
def test_whole_numbers_round_trip(value):
    sc = _load(off_slots_before=value)
    assert sc.water_heater.off_slots_before == value
    data = scenario_to_dict(sc)
    assert data["water_heater"]["off_slots_before"] == value
    assert scenario_from_dict(data) == sc


@pytest.mark.parametrize("value", [-1, 1.5, True, "2"])
def test_bad_values_name_the_field(value):
    with pytest.raises(ScenarioError) as err:
        _load(off_slots_before=value)
    assert err.value.field == "water_heater.off_slots_before"


def test_a_running_block_contradicts_off_slots():
    assert _load(force_on_slots=[0, 1], off_slots_before=0).water_heater.off_slots_before == 0
    with pytest.raises(ScenarioError) as err:
        _load(force_on_slots=[0], off_slots_before=2)
    assert err.value.field == "water_heater.off_slots_before"


@pytest.mark.parametrize(
    ("hours", "slot_minutes", "slots"),
    [(0.0, 15, 0), (5.0, 15, 20), (5.0, 60, 5), (0.7, 60, 1), (1.01, 15, 5), (0.1 + 0.2, 6, 3)],
)
def test_spacing_slots_rounds_up_but_not_float_noise(hours, slot_minutes, slots):
    wh = _load(min_spacing_hours=hours).water_heater
    assert wh.spacing_slots(slot_minutes) == slots
