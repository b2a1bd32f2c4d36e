"""Tariff: turn spot prices into import and export prices (all in the prices' currency per kWh).

import = (spot + grid_fee + energy_tax) * (1 + vat);  export = spot + export_bonus.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .timeline import Interval


@dataclass(frozen=True)
class Tariff:
    """Price components per kWh; `vat` is a fraction (0.25 = 25 %)."""

    grid_fee: float = 0.0
    energy_tax: float = 0.0
    vat: float = 0.0
    export_bonus: float = 0.0

    def import_price(self, spot: float) -> float:
        """Price paid for one imported kWh at this spot price."""
        return (spot + self.grid_fee + self.energy_tax) * (1.0 + self.vat)

    def export_price(self, spot: float) -> float:
        """Price received for one exported kWh at this spot price."""
        return spot + self.export_bonus


def import_prices(spot: Sequence[Interval], tariff: Tariff) -> list[Interval]:
    """Import-price intervals from spot-price intervals."""
    return [Interval(iv.start, iv.end, tariff.import_price(iv.value)) for iv in spot]


def export_prices(spot: Sequence[Interval], tariff: Tariff) -> list[Interval]:
    """Export-price intervals from spot-price intervals."""
    return [Interval(iv.start, iv.end, tariff.export_price(iv.value)) for iv in spot]
