"""Kepler's conventions: every number the model uses, derived once from a Scenario.

Conventions (copied to the README):

- Units: energies in kWh per slot, prices in the scenario's currency per kWh, `dt` = slot hours.
- Battery: `charge` and `discharge` are AC-side energies; `soc[t] = soc[t-1] + charge*eta_c -
  discharge/eta_d` with `soc[-1]` the initial SoC; `soc[t]` is the state at the END of slot t and is
  physically kept in [0, capacity]. Min/max SoC are soft: every kWh below min (or above max) at the
  end of a slot costs `big_penalty` (so an initial SoC outside [min, max] is planned back into range
  and a min SoC that cannot be held is reported, never infeasible). When the initial SoC is in range
  and no slot needs the battery to serve its load, holding [min, max] is always possible and the
  bounds are written as plain variable bounds (same optimum, smaller model).
- Wear cost applies to throughput on both sides: `wear_cost_per_kwh * (charge + discharge)`.
- Ramping cost: `ramping_cost_per_kw * |net_kw[t] - net_kw[t-1]|` with `net_kw = (charge -
  discharge)/dt`, for t >= 1 (the first slot is not charged).
- Grid: import <= max_import_kw*dt and export <= max_export_kw*dt are hard (export 0 when
  disabled). The soft import limit costs `big_penalty` per kWh imported above import_limit_kw*dt.
  Export earns `export_price - export_threshold_per_kwh`.
- `big_penalty` = 10 x the largest absolute import/export price of the scenario (at least 0.1):
  large enough that breaching the soft limit, leaving the SoC range or missing the heater's daily
  minimum never pays when avoidable, and still in the scenario's own currency.
- Curtailment: 0 <= curtail <= pv, cost 0.1 per kWh (scenario format).
- Terminal value: `-terminal_value_per_kwh * soc[N-1]`; end target: `penalty_per_kwh * |soc[N-1] -
  target|` (two-sided).
- Water heater (on/off in whole slots at `power_kw`; `heat[t]` binary):
  - History before the horizon (`last_on_before`, a negative slot index or None): with
    `off_slots_before` = k the heater was last on in slot -(k+1) and off in -k..-1; with k null it
    is off for long enough, unless slot 0 is in `force_on_slots`, which means a block is already
    running (last on in slot -1). When it was on in slot -1 (k = 0, or slot 0 forced with k null)
    heating at slot 0 continues that block: no start, no start penalty; the block may go on for as
    long as the plan likes (forced slots say how long it must), and once it stops the spacing
    applies as usual. With k > 0, heating at slot 0 is a new start (so slot 0 may not be forced,
    see scenario.py).
  - Spacing: `S = ceil(min_spacing_hours / dt)` slots; a block may start at t only if the heater was
    off in all of t-S..t-1, history included (hard). So with k < S no block starts before S - k;
    k >= S is the same as null.
  - Daily minimum: slot t counts toward the local date of (slot start - defer_up_to_hours), so the
    first `defer` hours after midnight belong to the previous day. The first such day (the one
    slot 0 belongs to) needs `min_kwh_per_day - heated_today_kwh`, every other day
    `min_kwh_per_day`. The remaining need of a day is spread evenly over the rest of its window: the
    horizon must deliver the share of the window (from max(window start, horizon start) to the
    window end) that it covers, rounded DOWN to whole heater blocks when the horizon ends inside
    the window (the rest can still be heated after the horizon). So a partial last day needs a
    pro-rated amount, a 15-minute horizon does not force a block for a 1/96 share, and a horizon
    that covers the rest of a day needs all of it. Missing it is soft: `big_penalty` per kWh short.
  - Comfort gaps: with max_gap_hours > 0, `G1 = round(max_gap_hours/dt)` and `G2 = round(1.5 *
    max_gap_hours/dt)` slots; every window of G1 (tier 1) and of G2 (tier 2) slots lying inside the
    horizon without any heating costs `comfort_penalty` (each tier separately).
  - Each block start inside the horizon costs `block_start_penalty`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import math

from ..scenario import Scenario, WaterHeater

CURTAIL_COST_PER_KWH = 0.1
BIG_PENALTY_FACTOR = 10.0
BIG_PENALTY_MIN = 0.1


@dataclass(frozen=True)
class HeaterDay:
    """One accounting day of the water heater: its slots and the energy they must deliver."""

    label: str
    slots: tuple[int, ...]
    need_kwh: float


@dataclass(frozen=True)
class HeaterData:
    """The water heater's derived parameters, in slots and kWh per slot."""

    block_kwh: float
    spacing_slots: int
    gap_slots: tuple[int, ...]
    comfort_penalty: float
    start_penalty: float
    forced: frozenset[int]
    running_at_start: bool
    days: tuple[HeaterDay, ...]
    last_on_before: int | None = None

    def history(self, t: int) -> int:
        """1 if the heater was on in slot t < 0 before the horizon (as far as the rules care), else 0."""
        return 1 if t == self.last_on_before else 0


@dataclass(frozen=True)
class KeplerData:
    """All numbers the model needs, per slot where they vary."""

    n: int
    dt: float
    import_price: tuple[float, ...]
    export_value: tuple[float, ...]
    load: tuple[float, ...]
    pv: tuple[float, ...]
    capacity: float
    soc0: float
    soc_min: float
    soc_max: float
    charge_max: float
    discharge_max: float
    eta_c: float
    eta_d: float
    wear: float
    ramping_per_kw: float
    import_max: float
    export_max: float
    soft_import: float | None
    big_penalty: float
    terminal_value: float
    target_soc: float | None
    target_penalty: float
    heater: HeaterData | None


def kepler_data(scenario: Scenario) -> KeplerData:
    """Derive the model's numbers from a scenario, following the conventions above."""
    s, b, g, tgt = scenario.series, scenario.battery, scenario.grid, scenario.target
    dt = scenario.slot_hours
    cap = b.capacity_kwh
    prices = [abs(p) for p in (*s.import_price, *s.export_price)]
    return KeplerData(
        n=scenario.n_slots,
        dt=dt,
        import_price=s.import_price,
        export_value=tuple(p - g.export_threshold_per_kwh for p in s.export_price),
        load=s.load_kwh,
        pv=s.pv_kwh,
        capacity=cap,
        soc0=cap * b.initial_soc_percent / 100.0,
        soc_min=cap * b.min_soc_percent / 100.0,
        soc_max=cap * b.max_soc_percent / 100.0,
        charge_max=b.max_charge_kw * dt if cap > 0 else 0.0,
        discharge_max=b.max_discharge_kw * dt if cap > 0 else 0.0,
        eta_c=b.charge_efficiency,
        eta_d=b.discharge_efficiency,
        wear=b.wear_cost_per_kwh,
        ramping_per_kw=b.ramping_cost_per_kw,
        import_max=g.max_import_kw * dt,
        export_max=g.max_export_kw * dt if g.export_enabled else 0.0,
        soft_import=None if g.import_limit_kw is None else g.import_limit_kw * dt,
        big_penalty=max(BIG_PENALTY_MIN, BIG_PENALTY_FACTOR * max(prices)),
        terminal_value=tgt.terminal_value_per_kwh,
        target_soc=None if tgt.soc_percent is None else cap * tgt.soc_percent / 100.0,
        target_penalty=tgt.penalty_per_kwh,
        heater=_heater_data(scenario),
    )


def _heater_data(scenario: Scenario) -> HeaterData | None:
    wh = scenario.water_heater
    if wh is None:
        return None
    dt = scenario.slot_hours
    gap_slots: tuple[int, ...] = ()
    if wh.max_gap_hours > 0 and wh.comfort_penalty > 0:
        gap_slots = tuple(max(1, round(h / dt)) for h in (wh.max_gap_hours, 1.5 * wh.max_gap_hours))
    last_on = _last_on_before(wh)
    return HeaterData(
        block_kwh=wh.power_kw * dt,
        spacing_slots=wh.spacing_slots(scenario.slot_minutes),
        gap_slots=gap_slots,
        comfort_penalty=wh.comfort_penalty,
        start_penalty=wh.block_start_penalty,
        forced=frozenset(wh.force_on_slots),
        running_at_start=last_on == -1,
        days=heater_days(scenario),
        last_on_before=last_on,
    )


def _last_on_before(wh: WaterHeater) -> int | None:
    """The slot before the horizon (-1, -2, ...) where the heater was last on; None = long ago."""
    if wh.off_slots_before is not None:
        return -(wh.off_slots_before + 1)
    return -1 if 0 in wh.force_on_slots else None


def heater_days(scenario: Scenario) -> tuple[HeaterDay, ...]:
    """Group slots into the heater's accounting days and give each its (pro-rated) need."""
    wh = scenario.water_heater
    if wh is None:
        return ()
    defer = timedelta(hours=wh.defer_up_to_hours)
    tz = scenario.tz
    by_day: dict[str, list[int]] = {}
    for t in range(scenario.n_slots):
        by_day.setdefault((scenario.slot_start(t) - defer).date().isoformat(), []).append(t)
    horizon_start = scenario.start
    horizon_end = scenario.start + timedelta(minutes=scenario.slot_minutes * scenario.n_slots)
    days = []
    for index, (label, slots) in enumerate(by_day.items()):
        day = datetime.fromisoformat(label)
        window_start = day.replace(tzinfo=tz) + defer
        window_end = (day + timedelta(days=1)).replace(tzinfo=tz) + defer
        available = (window_end - max(window_start, horizon_start)).total_seconds()
        covered = (min(window_end, horizon_end) - max(window_start, horizon_start)).total_seconds()
        base = wh.min_kwh_per_day - (wh.heated_today_kwh if index == 0 else 0.0)
        need = max(0.0, base)
        if 0 < covered < available and wh.power_kw > 0:
            # the horizon ends inside this day: its share, in whole blocks (rounded down)
            block = wh.power_kw * scenario.slot_hours
            need = math.floor(need * covered / available / block + 1e-9) * block
        days.append(HeaterDay(label=label, slots=tuple(slots), need_kwh=need))
    return tuple(days)
