"""Independent evaluator for Kepler plans: re-checks feasibility and recomputes the objective.

Written from the scenario format and Kepler's documented conventions only (no model code reused),
so a modelling bug shows up as a disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
import math

from custom_components.darkstar.core.plan import Plan
from custom_components.darkstar.core.scenario import Scenario

TOL = 1e-5


@dataclass
class Evaluation:
    """Violations found (empty when feasible) and the recomputed objective terms."""

    violations: list[str] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)

    @property
    def objective(self) -> float:
        """Sum of the recomputed terms."""
        return sum(self.terms.values())


def big_penalty(sc: Scenario) -> float:
    """The convention's large penalty: 10 x the largest absolute price, at least 0.1."""
    prices = [abs(p) for p in sc.series.import_price + sc.series.export_price]
    return max(0.1, 10 * max(prices))


def evaluate(sc: Scenario, plan: Plan) -> Evaluation:
    """Check `plan` against the scenario rules and recompute its objective."""
    ev = Evaluation()
    n, dt = sc.n_slots, sc.slot_hours
    if len(plan.slots) != n:
        ev.violations.append(f"plan has {len(plan.slots)} slots, scenario {n}")
        return ev
    _check_slots(sc, plan, ev)
    heat = [1 if s.water_kw > 0 else 0 for s in plan.slots]
    if sc.water_heater is not None:
        _check_heater(sc, heat, ev)
    _money_terms(sc, plan, ev)
    _soft_terms(sc, plan, ev)
    if sc.water_heater is not None:
        _heater_terms(sc, heat, ev)
    del dt
    return ev


def _check_slots(sc: Scenario, plan: Plan, ev: Evaluation) -> None:
    b, g, s = sc.battery, sc.grid, sc.series
    dt = sc.slot_hours
    soc = b.capacity_kwh * b.initial_soc_percent / 100
    wh = sc.water_heater
    for t, slot in enumerate(plan.slots):
        checks = {
            "charge": (slot.charge_kwh, b.max_charge_kw * dt if b.capacity_kwh > 0 else 0.0),
            "discharge": (slot.discharge_kwh, b.max_discharge_kw * dt if b.capacity_kwh > 0 else 0.0),
            "import": (slot.import_kwh, g.max_import_kw * dt),
            "export": (slot.export_kwh, g.max_export_kw * dt if g.export_enabled else 0.0),
            "curtail": (slot.curtail_kwh, s.pv_kwh[t]),
        }
        for name, (value, upper) in checks.items():
            if value < -TOL or value > upper + TOL:
                ev.violations.append(f"slot {t}: {name} {value} outside [0, {upper}]")
        if slot.charge_kwh > TOL and slot.discharge_kwh > TOL:
            ev.violations.append(f"slot {t}: charges and discharges at once")
        water = slot.water_kw * dt
        if wh is not None and slot.water_kw not in (0.0, wh.power_kw):
            ev.violations.append(f"slot {t}: water_kw {slot.water_kw} is not 0 or {wh.power_kw}")
        uses = s.load_kwh[t] + water + slot.charge_kwh + slot.export_kwh + slot.curtail_kwh
        sources = s.pv_kwh[t] + slot.discharge_kwh + slot.import_kwh
        if abs(uses - sources) > TOL:
            ev.violations.append(f"slot {t}: energy balance off by {uses - sources}")
        soc = soc + slot.charge_kwh * b.charge_efficiency - slot.discharge_kwh / b.discharge_efficiency
        if abs(soc - slot.soc_kwh) > 1e-4:
            ev.violations.append(f"slot {t}: soc {slot.soc_kwh} but dynamics give {soc}")
        if soc < -TOL or soc > b.capacity_kwh + TOL:
            ev.violations.append(f"slot {t}: soc {soc} outside [0, capacity]")


def _check_heater(sc: Scenario, heat: list[int], ev: Evaluation) -> None:
    wh = sc.water_heater
    assert wh is not None
    for t in wh.force_on_slots:
        if not heat[t]:
            ev.violations.append(f"slot {t}: forced on but off")
    spacing = math.ceil(wh.min_spacing_hours / sc.slot_hours - 1e-9)
    past = history(sc)
    for t in range(sc.n_slots):
        before = heat[t - 1] if t > 0 else int(-1 in past)
        if heat[t] and not before:
            # all of t-spacing..t-1 must be off, the slots before the horizon included
            earlier = [heat[k] if k >= 0 else int(k in past) for k in range(t - spacing, t)]
            if any(earlier):
                ev.violations.append(f"slot {t}: block starts within the minimum spacing")


def history(sc: Scenario) -> set[int]:
    """Slots before the horizon (negative) where the heater was on, as far as the rules can tell."""
    wh = sc.water_heater
    assert wh is not None
    if wh.off_slots_before is not None:  # off for k slots, on just before them
        return {-wh.off_slots_before - 1}
    return {-1} if 0 in wh.force_on_slots else set()  # a block running at slot 0


def _money_terms(sc: Scenario, plan: Plan, ev: Evaluation) -> None:
    s, b, g = sc.series, sc.battery, sc.grid
    slots = plan.slots
    ev.terms["import_cost"] = sum(p * x.import_kwh for p, x in zip(s.import_price, slots, strict=True))
    ev.terms["export_revenue"] = -sum(
        (p - g.export_threshold_per_kwh) * x.export_kwh for p, x in zip(s.export_price, slots, strict=True)
    )
    ev.terms["curtailment"] = 0.1 * sum(x.curtail_kwh for x in slots)
    ev.terms["wear"] = b.wear_cost_per_kwh * sum(x.charge_kwh + x.discharge_kwh for x in slots)
    net = [(x.charge_kwh - x.discharge_kwh) / sc.slot_hours for x in slots]
    ev.terms["ramping"] = b.ramping_cost_per_kw * sum(abs(net[t] - net[t - 1]) for t in range(1, len(net)))
    end = slots[-1].soc_kwh
    ev.terms["terminal_value"] = -sc.target.terminal_value_per_kwh * end
    if sc.target.soc_percent is not None:
        target = b.capacity_kwh * sc.target.soc_percent / 100
        ev.terms["end_target"] = sc.target.penalty_per_kwh * abs(end - target)


def _soft_terms(sc: Scenario, plan: Plan, ev: Evaluation) -> None:
    b, g = sc.battery, sc.grid
    big = big_penalty(sc)
    lo = b.capacity_kwh * b.min_soc_percent / 100
    hi = b.capacity_kwh * b.max_soc_percent / 100
    ev.terms["soc_shortfall"] = big * sum(max(0.0, lo - x.soc_kwh) for x in plan.slots)
    ev.terms["soc_excess"] = big * sum(max(0.0, x.soc_kwh - hi) for x in plan.slots)
    if g.import_limit_kw is not None:
        limit = g.import_limit_kw * sc.slot_hours
        ev.terms["import_breach"] = big * sum(max(0.0, x.import_kwh - limit) for x in plan.slots)


def _heater_terms(sc: Scenario, heat: list[int], ev: Evaluation) -> None:
    wh = sc.water_heater
    assert wh is not None
    dt, n = sc.slot_hours, sc.n_slots
    running = -1 in history(sc)
    starts = sum(1 for t in range(n) if heat[t] and not (heat[t - 1] if t > 0 else running))
    ev.terms["water_starts"] = wh.block_start_penalty * starts
    gap = 0.0
    if wh.max_gap_hours > 0:
        for hours in (wh.max_gap_hours, 1.5 * wh.max_gap_hours):
            size = max(1, round(hours / dt))
            gap += wh.comfort_penalty * sum(1 for w in range(n - size + 1) if not any(heat[w : w + size]))
    ev.terms["water_gap"] = gap
    short = 0.0
    for need, slots in accounting_days(sc):
        short += max(0.0, need - wh.power_kw * dt * sum(heat[t] for t in slots))
    ev.terms["water_shortfall"] = big_penalty(sc) * short


def accounting_days(sc: Scenario) -> list[tuple[float, list[int]]]:
    """(need kWh, slots) per heater day: date of (slot start - defer), need pro-rated by coverage in whole blocks."""
    wh = sc.water_heater
    assert wh is not None
    defer = timedelta(hours=wh.defer_up_to_hours)
    groups: dict[object, list[int]] = {}
    for t in range(sc.n_slots):
        groups.setdefault((sc.slot_start(t) - defer).date(), []).append(t)
    h_start = sc.start
    h_end = sc.start + timedelta(minutes=sc.slot_minutes * sc.n_slots)
    out = []
    for i, (day, slots) in enumerate(groups.items()):
        w0 = datetime(day.year, day.month, day.day, tzinfo=sc.tz) + defer
        w1 = datetime(day.year, day.month, day.day, tzinfo=sc.tz) + timedelta(days=1) + defer
        avail = (w1 - max(w0, h_start)).total_seconds()
        covered = (min(w1, h_end) - max(w0, h_start)).total_seconds()
        need = max(0.0, wh.min_kwh_per_day - (wh.heated_today_kwh if i == 0 else 0.0))
        if covered < avail:  # horizon ends inside the day: pro-rated share in whole blocks, rounded down
            block = wh.power_kw * sc.slot_hours
            need = math.floor(need * covered / avail / block + 1e-9) * block if block > 0 else need
        out.append((need, slots))
    return out
