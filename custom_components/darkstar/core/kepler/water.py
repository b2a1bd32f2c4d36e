"""The water heater: whole-slot blocks, daily minimum, hard spacing, comfort gaps and block starts.

Variables: `heat[t]` (binary, on at `power_kw` for the whole slot), `start[t]` (1 when a block starts
at t; continuous in [0, 1] with start >= heat[t]-heat[t-1], so it equals max(0, heat[t]-heat[t-1])
whenever `heat` is integral and nothing rewards a larger start).

"tight" formulation (default):
- Spacing in Rajan-Takriti min-down-time form: for every t, `sum(start[t-S+1..t]) <= 1 - heat[t-S]`.
  Heat before the horizon is the history (data.py): 0, except heat[-(k+1)] = 1 with
  `off_slots_before` = k (heat[-1] = 1 when a block is running at slot 0). If the heater was on at
  t-S, nothing may start in t-S+1..t, so a start needs S off slots before it; the row for
  t = S-k-1 is the boundary that forbids starts in 0..S-k-1 after a recent block.
- Comfort windows are covered by starts: a window [w, w+G-1] holds heating iff heat[w] = 1 or a
  block starts inside (w, w+G-1], so `gap[w] >= 1 - heat[w] - sum(start[w+1..w+G-1])`. Smeared
  fractional heating gets no credit without paying for starts, which makes the relaxation tighter.
  With comfort windows, starts are tied down both ways (start <= heat[t], start <= 1-heat[t-1]);
  without them only start >= heat[t]-heat[t-1] is needed.
Variants (flags joined by "-", measured in benchmarks/kepler-formulations.md): "tight-daycut" adds
`heat[first] + sum(start in day) + short/need >= 1` per day (tighter LP, but slower in HiGHS),
"tight-ties" always ties starts down, "direct" is the slow baseline: big-M spacing
`sum(heat[t-S..t-1]) + S*start[t] <= S` and windows `gap[w] >= 1 - sum(heat[w..w+G-1])`.
Daily minimum: `block_kwh * sum(heat[t] for t in day) + short[day] >= need` (soft, see data.py).
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from .data import HeaterData, KeplerData


def add_water(m: Any, d: KeplerData, h: HeaterData, formulation: str = "tight") -> dict[str, Any]:
    """Add the heater's variables and rules to `m`; return its objective terms."""
    T = m.T
    forced = h.forced
    m.heat = pyo.Var(T, domain=pyo.Binary, bounds=lambda m, t: (1, 1) if t in forced else (0, 1))
    before = h.history(-1)

    def heat(t: int) -> Any:
        """heat[t], with the history before the horizon as constants."""
        return m.heat[t] if t >= 0 else h.history(t)

    m.start = pyo.Var(T, bounds=lambda m, t: (0, 0) if (t == 0 and before) else (0, 1))
    m.start_up = pyo.Constraint(T, rule=lambda m, t: m.start[t] >= m.heat[t] - heat(t - 1))
    flags = set(formulation.split("-"))
    if "tight" in flags:
        if "noties" not in flags and ("ties" in flags or h.gap_slots):
            # only needed where a larger start could help (covering comfort windows)
            m.start_on = pyo.Constraint(T, rule=lambda m, t: m.start[t] <= m.heat[t])
            m.start_off = pyo.Constraint(T, rule=lambda m, t: m.start[t] <= 1 - heat(t - 1))
        _add_tight_spacing_and_gaps(m, d, h, heat, cumulative="cum" in flags, pair="t2pair" in flags)
        if "sbin" in flags:
            m.start.domain = pyo.Binary
    else:
        m.start.domain = pyo.Binary
        _add_direct_spacing_and_gaps(m, d, h, heat)
    terms: dict[str, Any] = {}
    if h.start_penalty > 0:
        terms["water_starts"] = h.start_penalty * pyo.quicksum(m.start[t] for t in T)
    if h.gap_slots:
        terms["water_gap"] = h.comfort_penalty * pyo.quicksum(v for v in m.gap.values())
    _add_daily_minimum(m, d, h, terms, day_cut="daycut" in flags)
    return terms


def _add_tight_spacing_and_gaps(
    m: Any, d: KeplerData, h: HeaterData, heat: Any, cumulative: bool, pair: bool = False
) -> None:
    starts_between = _starts_between(m, d) if cumulative else _sum_of_starts(m)
    S = h.spacing_slots
    if S > 0:

        def spacing(m: Any, t: int) -> Any:
            return starts_between(max(0, t - S + 1), t) <= 1 - heat(t - S)

        m.spacing = pyo.Constraint(m.T, rule=spacing)
    windows = _windows(d.n, h.gap_slots)
    m.gap = pyo.Var(windows, bounds=(0.0, 1.0))

    def covered(m: Any, tier: int, w: int) -> Any:
        G = h.gap_slots[tier]
        if pair and tier == 1 and 2 * h.gap_slots[0] >= G:
            # the long window is the union of two short ones: empty iff both are empty
            return m.gap[1, w] >= m.gap[0, w] + m.gap[0, w + G - h.gap_slots[0]] - 1
        return m.gap[tier, w] + m.heat[w] + starts_between(w + 1, w + G - 1) >= 1

    m.gap_covered = pyo.Constraint(windows, rule=covered)


def _sum_of_starts(m: Any) -> Any:
    """starts_between(a, b) = start[a] + ... + start[b], written out."""
    return lambda a, b: pyo.quicksum(m.start[k] for k in range(a, b + 1))


def _starts_between(m: Any, d: KeplerData) -> Any:
    """starts_between(a, b) as a difference of cumulative starts (sparse rows)."""
    m.starts_so_far = pyo.Var(m.T, bounds=(0.0, None))
    m.count_starts = pyo.Constraint(
        m.T,
        rule=lambda m, t: m.starts_so_far[t] == (m.starts_so_far[t - 1] if t > 0 else 0) + m.start[t],
    )
    return lambda a, b: m.starts_so_far[b] - (m.starts_so_far[a - 1] if a > 0 else 0)


def _add_direct_spacing_and_gaps(m: Any, d: KeplerData, h: HeaterData, heat: Any) -> None:
    S = h.spacing_slots
    if S > 0:

        def spacing(m: Any, t: int) -> Any:
            if t - S < 0 and h.last_on_before is not None and h.last_on_before >= t - S:
                return m.start[t] == 0  # the history's last block ended less than S slots before t
            earlier = [heat(k) for k in range(max(0, t - S), t)]
            if not earlier:
                return pyo.Constraint.Skip
            return pyo.quicksum(earlier) + S * m.start[t] <= S

        m.spacing = pyo.Constraint(m.T, rule=spacing)
    windows = _windows(d.n, h.gap_slots)
    m.gap = pyo.Var(windows, bounds=(0.0, 1.0))

    def covered(m: Any, tier: int, w: int) -> Any:
        return m.gap[tier, w] + pyo.quicksum(m.heat[k] for k in range(w, w + h.gap_slots[tier])) >= 1

    m.gap_covered = pyo.Constraint(windows, rule=covered)


def _windows(n: int, gap_slots: tuple[int, ...]) -> list[tuple[int, int]]:
    return [(tier, w) for tier, G in enumerate(gap_slots) for w in range(n - G + 1)]


def _add_daily_minimum(m: Any, d: KeplerData, h: HeaterData, terms: dict[str, Any], day_cut: bool) -> None:
    days = [i for i, day in enumerate(h.days) if day.need_kwh > 0]
    if not days:
        return
    m.water_short = pyo.Var(days, bounds=lambda m, i: (0.0, h.days[i].need_kwh))

    def minimum(m: Any, i: int) -> Any:
        day = h.days[i]
        return h.block_kwh * pyo.quicksum(m.heat[t] for t in day.slots) + m.water_short[i] >= day.need_kwh

    m.water_minimum = pyo.Constraint(days, rule=minimum)
    terms["water_shortfall"] = d.big_penalty * pyo.quicksum(m.water_short[i] for i in days)
    if not day_cut:
        return

    def day_started(m: Any, i: int) -> Any:
        first, *rest = h.days[i].slots
        starts = pyo.quicksum(m.start[t] for t in rest)
        return m.heat[first] + starts + m.water_short[i] / h.days[i].need_kwh >= 1

    m.water_day_started = pyo.Constraint(days, rule=day_started)


def water_kwh(m: Any, h: HeaterData | None) -> Any:
    """A function t -> the heater's energy in slot t (an expression, or 0 without a heater)."""
    if h is None:
        return lambda t: 0.0
    return lambda t: h.block_kwh * m.heat[t]
