"""One planning cycle as a pure function: raw inputs + settings in, plan result out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .heater_history import off_slots_before
from .inputs.assemble import MAX_HORIZON_HOURS, build_scenario
from .inputs.tariff import export_prices, import_prices
from .inputs.timeline import EXTENSIVE, InputError, floor_to_slot, resample
from .plan import Plan, PlanSlot
from .raw_inputs import NormalisedInputs, RawInputs, normalise
from .scenario import Scenario
from .settings import PlannerSettings


@dataclass(frozen=True)
class PlanResult:
    """A plan together with the scenario it solved, when it was made, and any degradation."""

    scenario: Scenario
    plan: Plan
    created_at: datetime
    notes: tuple[str, ...] = ()
    pv_p10_kwh: tuple[float, ...] = ()
    pv_p90_kwh: tuple[float, ...] = ()
    input_issues: tuple[str, ...] = ()

    def index_at(self, when: datetime) -> int | None:
        """Index of the slot containing `when`, or None outside the horizon."""
        offset = (when - self.scenario.start) // timedelta(minutes=self.scenario.slot_minutes)
        return offset if 0 <= offset < self.scenario.n_slots else None

    def slot_at(self, when: datetime) -> PlanSlot | None:
        """The planned slot containing `when`."""
        index = self.index_at(when)
        return None if index is None or index >= len(self.plan.slots) else self.plan.slots[index]

    @property
    def horizon_end(self) -> datetime:
        """End of the planned horizon."""
        return self.scenario.start + timedelta(minutes=self.scenario.slot_minutes * self.scenario.n_slots)

    @property
    def degraded(self) -> bool:
        """True when this is an older plan kept because the latest inputs were bad."""
        return bool(self.input_issues)

    def with_issues(self, issues: tuple[str, ...]) -> PlanResult:
        """The same plan, flagged with the input problems that kept it from being replaced."""
        return replace(self, input_issues=issues)


def scenario_for(
    raw: RawInputs, inputs: NormalisedInputs, settings: PlannerSettings
) -> tuple[Scenario, list[str]]:
    """Assemble the scenario for this cycle; raises InputError when the inputs cannot make one."""
    start = floor_to_slot(raw.now, settings.slot_minutes)  # where build_scenario starts the horizon
    water = settings.water_heater
    if water is not None:
        heated = water.heated_today_kwh if raw.heated_today_kwh is None else max(raw.heated_today_kwh, 0.0)
        water = replace(
            water,
            heated_today_kwh=heated,
            off_slots_before=off_slots_before(raw.heater_last_on, start, settings.slot_minutes),
        )
    soc = settings.battery.initial_soc_percent if raw.soc_percent is None else raw.soc_percent
    assembled = build_scenario(
        raw.now,
        import_prices=import_prices(inputs.spot_prices, settings.tariff),
        export_prices=export_prices(inputs.spot_prices, settings.tariff),
        pv_kwh=None if inputs.pv is None else inputs.pv.estimate,
        load_kwh=inputs.load_profile.forecast(start, int(MAX_HORIZON_HOURS * 60 // settings.slot_minutes)),
        soc_percent=min(max(soc, 0.0), 100.0),
        battery=settings.battery,
        timezone=settings.timezone,
        load_profile=inputs.load_profile,
        grid=settings.grid,
        water_heater=water,
        target=settings.target,
        slot_minutes=settings.slot_minutes,
        name=f"darkstar-{raw.now.isoformat(timespec='minutes')}",
    )
    return assembled.scenario, assembled.notes


def _band(inputs: NormalisedInputs, scenario: Scenario) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """PV p10/p90 per slot of the scenario (empty when the source has no quantiles)."""
    if inputs.pv is None or not inputs.pv.p10:
        return (), ()
    n, step = scenario.n_slots, scenario.slot_minutes
    p10 = resample(inputs.pv.p10, scenario.start, n, EXTENSIVE, step)
    p90 = resample(inputs.pv.p90, scenario.start, n, EXTENSIVE, step)
    return tuple(v or 0.0 for v in p10), tuple(v or 0.0 for v in p90)


def run_cycle(raw: RawInputs, settings: PlannerSettings) -> PlanResult:
    """Normalise, assemble and plan once (CPU-bound: call it in an executor thread).

    Raises InputError when an input cannot be used; the caller keeps its last good plan.
    """
    from .kepler import SolverOptions, plan as solve

    inputs = normalise(raw, settings.timezone, settings.slot_minutes)
    scenario, notes = scenario_for(raw, inputs, settings)
    options = SolverOptions(
        time_limit_s=settings.solver.time_limit_s,
        mip_rel_gap=settings.solver.mip_rel_gap,
        mip_abs_gap=settings.solver.mip_abs_gap,
    )
    p10, p90 = _band(inputs, scenario)
    return PlanResult(
        scenario=scenario,
        plan=solve(scenario, options),
        created_at=raw.now,
        notes=tuple(notes),
        pv_p10_kwh=p10,
        pv_p90_kwh=p90,
    )


__all__ = ["InputError", "PlanResult", "RawInputs", "run_cycle"]
