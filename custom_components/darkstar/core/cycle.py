"""One planning cycle as a pure function: input snapshot + settings in, plan result out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .plan_view import slot_at
from .scenario import Battery, Grid, Plan, PlanSlot, Scenario, Series, Target, WaterHeater


@dataclass(frozen=True)
class PlannerSettings:
    """The home's fixed description, from the config entry's options."""

    battery: Battery
    grid: Grid = field(default_factory=Grid)
    water_heater: WaterHeater | None = None
    target: Target = field(default_factory=Target)
    timezone: str = "UTC"
    slot_minutes: int = 15


@dataclass(frozen=True)
class InputSnapshot:
    """Everything read from Home Assistant for one cycle, already on the slot grid."""

    start: datetime
    import_price: tuple[float, ...]
    export_price: tuple[float, ...]
    load_kwh: tuple[float, ...]
    pv_kwh: tuple[float, ...]
    soc_percent: float
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanResult:
    """A plan together with the scenario it solved and when it was made."""

    scenario: Scenario
    plan: Plan
    created_at: datetime
    notes: tuple[str, ...] = ()

    def slot_at(self, when: datetime) -> PlanSlot | None:
        """The planned slot containing `when`."""
        return slot_at(self.plan, when, self.scenario.slot_minutes)

    @property
    def horizon_end(self) -> datetime:
        """End of the planned horizon."""
        return self.scenario.start + timedelta(minutes=self.scenario.slot_minutes * self.scenario.n_slots)


def build_scenario(snapshot: InputSnapshot, settings: PlannerSettings) -> Scenario:
    """Combine a snapshot with the home's settings into a scenario."""
    battery = settings.battery
    soc = battery.initial_soc_percent if snapshot.soc_percent is None else snapshot.soc_percent
    return Scenario(
        name=f"darkstar-{snapshot.start.isoformat()}",
        start=snapshot.start,
        slot_minutes=settings.slot_minutes,
        timezone=settings.timezone,
        series=Series(snapshot.import_price, snapshot.export_price, snapshot.load_kwh, snapshot.pv_kwh),
        battery=Battery(**{**battery.__dict__, "initial_soc_percent": min(max(soc, 0.0), 100.0)}),
        grid=settings.grid,
        water_heater=settings.water_heater,
        target=settings.target,
    )


def run_cycle(snapshot: InputSnapshot, settings: PlannerSettings, now: datetime) -> PlanResult:
    """Plan once (CPU-bound: call it in an executor thread)."""
    from .kepler import plan as solve

    scenario = build_scenario(snapshot, settings)
    return PlanResult(scenario=scenario, plan=solve(scenario), created_at=now, notes=snapshot.notes)
