"""The replay's home file: the integration's tariff keys, SE4 defaults, clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from custom_components.darkstar.core.scenario import ScenarioError
from custom_components.darkstar.core.simulation.home import Home, home_from_dict


def test_default_tariff_is_se4():
    tariff = Home().tariff
    assert tariff.import_price(np.array([1.0]))[0] == pytest.approx(1.25 * (1.0 + 0.06))
    assert tariff.export_price(np.array([1.0]))[0] == pytest.approx(1.005)


def test_tariff_takes_the_integration_keys_and_keeps_the_rest():
    home = home_from_dict({"tariff": {"vat": 0.0, "energy_tax": 0.04}})
    assert home.tariff.grid_fee == 0.06  # SE4 default kept
    assert home.tariff.import_price(np.array([0.1]))[0] == pytest.approx(0.1 + 0.06 + 0.04)


@pytest.mark.parametrize("tariff", [{"import_multiplier": 1.25}, {"vat": "a lot"}])
def test_bad_tariff_names_the_field(tariff):
    with pytest.raises(ScenarioError, match="tariff"):
        home_from_dict({"tariff": tariff})
