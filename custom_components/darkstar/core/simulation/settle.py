"""Settle one slot: physics (battery, water heater, grid balance) and money.

Shared by the replay engine and the Gym-style environment, so both account identically.
Conventions:
- An action asks for a signed battery energy (kWh in the slot, + = charge) or the
  self-consumption rule (charge from PV surplus, discharge to cover load and heater; `direction`
  +1/−1 restricts it to charging/discharging). The request
  is clipped to the power limits and to the SoC window [min, max]; SoC follows
  soc' = soc + charge·η_c − discharge/η_d.
- The heater draws power_kw × slot hours when on.
- Balance: load + water + charge + export + curtail = pv + discharge + import, every slot.
  A deficit is imported (a hard import limit is not enforced physically; `import_over_limit_kwh`
  reports it). A surplus is exported up to max_export_kw; the action's `curtail_kwh` (what the
  plan chose) is curtailed first, and PV that can be neither exported nor stored is curtailed
  too. If even that leaves a surplus (battery discharge that cannot go anywhere), the discharge
  is reduced.
- Money: cost = import × import_price − export × export_price + wear_cost_per_kwh × (charge +
  discharge). Curtailment costs no money (the planner's curtailment penalty is a model term).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .home import Home

EPS = 1e-9


@dataclass(frozen=True)
class SlotActuals:
    """What really happened in a slot outside our control."""

    load_kwh: float
    pv_kwh: float
    import_price: float
    export_price: float


@dataclass(frozen=True)
class Action:
    """A controller's decision for one slot."""

    battery_kwh: float = 0.0
    water_on: bool = False
    curtail_kwh: float = 0.0
    self_consumption: bool = False
    direction: int = 0  # with self_consumption: +1 only charge from surplus, -1 only cover load


@dataclass(frozen=True)
class SlotResult:
    """Settled flows (kWh in the slot), SoC before/after and money for one slot."""

    charge_kwh: float
    discharge_kwh: float
    import_kwh: float
    export_kwh: float
    curtail_kwh: float
    water_kwh: float
    soc_start_kwh: float
    soc_end_kwh: float
    import_cost: float
    export_revenue: float
    wear_cost: float
    battery_clipped_kwh: float
    import_over_limit_kwh: float

    @property
    def cost(self) -> float:
        """Money spent in the slot: import − export revenue + battery wear."""
        return self.import_cost - self.export_revenue + self.wear_cost

    def as_dict(self) -> dict[str, Any]:
        """Plain dict of the fields plus `cost`."""
        data = asdict(self)
        data["cost"] = self.cost
        return data


def battery_limits(home: Home, soc_kwh: float, hours: float) -> tuple[float, float]:
    """Largest charge and discharge energy (kWh, at the AC side) possible in one slot."""
    bat = home.battery
    if bat.capacity_kwh <= 0:
        return 0.0, 0.0
    charge = min(bat.max_charge_kw * hours, max(0.0, home.soc_max_kwh - soc_kwh) / bat.charge_efficiency)
    discharge = min(
        bat.max_discharge_kw * hours, max(0.0, soc_kwh - home.soc_min_kwh) * bat.discharge_efficiency
    )
    return max(0.0, charge), max(0.0, discharge)


def _battery_request(action: Action, net_load: float) -> float:
    if not action.self_consumption:
        return action.battery_kwh
    if action.direction > 0:
        return max(-net_load, 0.0)
    if action.direction < 0:
        return min(-net_load, 0.0)
    return -net_load


def settle_slot(home: Home, soc_kwh: float, actuals: SlotActuals, action: Action, hours: float) -> SlotResult:
    """Apply one action to one slot of actuals, returning flows, new SoC and money."""
    water = home.water_heater.power_kw * hours if (action.water_on and home.water_heater) else 0.0
    request = _battery_request(action, actuals.load_kwh + water - actuals.pv_kwh)
    max_charge, max_discharge = battery_limits(home, soc_kwh, hours)
    charge = min(max(request, 0.0), max_charge)
    discharge = min(max(-request, 0.0), max_discharge)
    net = actuals.load_kwh + water + charge - actuals.pv_kwh - discharge
    imported = max(net, 0.0)
    surplus = max(-net, 0.0)
    curtail = min(max(action.curtail_kwh, 0.0), surplus, actuals.pv_kwh)
    export_cap = home.grid.max_export_kw * hours if home.grid.export_enabled else 0.0
    exported = min(surplus - curtail, export_cap)
    extra = min(surplus - curtail - exported, actuals.pv_kwh - curtail)
    curtail += max(extra, 0.0)
    leftover = surplus - curtail - exported
    if leftover > EPS:
        discharge = max(0.0, discharge - leftover)
    bat = home.battery
    soc_end = (
        soc_kwh
        + charge * bat.charge_efficiency
        - (discharge / bat.discharge_efficiency if discharge else 0.0)
    )
    over = max(0.0, imported - home.grid.max_import_kw * hours)
    return SlotResult(
        charge_kwh=charge,
        discharge_kwh=discharge,
        import_kwh=imported,
        export_kwh=exported,
        curtail_kwh=curtail,
        water_kwh=water,
        soc_start_kwh=soc_kwh,
        soc_end_kwh=soc_end,
        import_cost=imported * actuals.import_price,
        export_revenue=exported * actuals.export_price,
        wear_cost=bat.wear_cost_per_kwh * (charge + discharge),
        battery_clipped_kwh=abs(request - (charge - discharge)) if not action.self_consumption else 0.0,
        import_over_limit_kwh=over,
    )


def balance_error(actuals: SlotActuals, result: SlotResult) -> float:
    """Energy in minus energy out of the home's bus for a settled slot (0 when conserved)."""
    into = actuals.pv_kwh + result.discharge_kwh + result.import_kwh
    out = actuals.load_kwh + result.water_kwh + result.charge_kwh + result.export_kwh + result.curtail_kwh
    return into - out
