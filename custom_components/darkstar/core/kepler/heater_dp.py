"""Exact dynamic program for the water heater alone, given a cost per slot for heating.

Solves min sum(slot_cost[t] * heat[t]) + start penalties + comfort-gap penalties + big_penalty *
daily shortfall over all schedules that obey the spacing and the forced slots: the heater rules of
water.py, with the energy balance priced by `slot_cost`. Used as a primal heuristic (its schedule,
completed by the LP, is the MIP start).

State after slot t: `r` (0 = on in slot t, k >= 1 = off for the last k slots, capped at K) and `e`
(heated slots so far in the current accounting day, capped at the slots its need requires). The
state before slot 0 comes from the history (`off_slots_before`), so a start before the spacing has
elapsed since the last block before the horizon is never chosen.
"""

from __future__ import annotations

import math

import numpy as np

from .data import HeaterData

INF = 1e18


class HeaterRules:
    """The DP's states and transition costs for one horizon, precomputed per slot.

    States: `r` in 0..K, `e` in 0..E-1 (see the module docstring). `lo` is the smallest `r` a block
    may start from (the spacing). `off_cost[t][r]` is the comfort penalty of reaching state r by
    staying off in slot t (windows inside the horizon only), `on_target[t][e]` the count after
    heating in slot t (capped at that day's need), `shortfall[day][e]` the daily-minimum penalty.
    """

    def __init__(self, h: HeaterData, n: int, big: float) -> None:
        self.h, self.n = h, n
        self.K = max(1, h.spacing_slots, *h.gap_slots)
        self.lo = max(1, h.spacing_slots)
        self.day = np.zeros(n, dtype=np.int64)
        for i, d in enumerate(h.days):
            self.day[list(d.slots)] = i
        caps = [math.ceil(d.need_kwh / h.block_kwh - 1e-9) if h.block_kwh > 0 else 0 for d in h.days]
        self.E = max(caps, default=0) + 1
        e = np.arange(self.E)
        self.shortfall = [big * np.maximum(0.0, d.need_kwh - e * h.block_kwh) for d in h.days]
        r = np.arange(self.K + 1)
        self.r0 = initial_state(h, self.K)
        self.off_cost = [
            sum((h.comfort_penalty * (np.minimum(r, t + 1) >= g) for g in h.gap_slots), np.zeros(self.K + 1))
            for t in range(n)
        ]
        self.on_target = [np.minimum(e + 1, caps[self.day[t]]) for t in range(n)]

    def new_day(self, t: int) -> bool:
        """True if slot t starts a new accounting day."""
        return t > 0 and self.day[t] != self.day[t - 1]


def best_schedule(h: HeaterData, slot_cost: list[float], big: float) -> tuple[float, list[int]]:
    """The cheapest heater schedule for these slot costs: (cost, heat per slot)."""
    n = len(slot_cost)
    rules = HeaterRules(h, n, big)
    K, E = rules.K, rules.E
    e_idx = np.arange(E)
    r_idx = np.arange(K + 1)
    value = np.full((K + 1, E), INF)
    value[rules.r0, 0] = 0.0
    pred: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
    for t in range(n):
        reset_e = None
        if rules.new_day(t):
            closed = value + rules.shortfall[rules.day[t - 1]][None, :]
            reset_e = closed.argmin(axis=1)
            value = np.full((K + 1, E), INF)
            value[:, 0] = closed.min(axis=1)
        new = np.full((K + 1, E), INF)
        pr = np.zeros((K + 1, E), dtype=np.int64)
        pe = np.tile(e_idx, (K + 1, 1))
        if t not in h.forced:
            off_cost = rules.off_cost[t]
            new[1], pr[1] = value[0] + off_cost[1], 0
            new[2:], pr[2:] = value[1:K] + off_cost[2:, None], r_idx[1:K, None]
            stay = value[K] + off_cost[K]
            better = stay < new[K]
            new[K] = np.where(better, stay, new[K])
            pr[K] = np.where(better, K, pr[K])
        starters = value[rules.lo :] + h.start_penalty
        best_r = starters.argmin(axis=0) + rules.lo
        best_start = starters.min(axis=0)
        keep = value[0] <= best_start
        on_cost = np.where(keep, value[0], best_start) + slot_cost[t]
        on_r = np.where(keep, 0, best_r)
        for e, target in enumerate(rules.on_target[t]):
            if on_cost[e] < new[0, target]:
                new[0, target], pr[0, target], pe[0, target] = on_cost[e], on_r[e], e
        pred.append((pr, pe, reset_e))
        value = new
    final = value + rules.shortfall[rules.day[n - 1]][None, :]
    r, e = (int(x) for x in np.unravel_index(int(final.argmin()), final.shape))
    cost = float(final[r, e])
    heat = [0] * n
    for t in range(n - 1, -1, -1):
        heat[t] = 1 if r == 0 else 0
        pr, pe, reset_e = pred[t]
        r, e = int(pr[r, e]), int(pe[r, e])
        if reset_e is not None:
            e = int(reset_e[r])
    return cost, heat


def initial_state(h: HeaterData, K: int) -> int:
    """The state before slot 0 from the history: 0 = on in slot -1, k = off for k slots (capped)."""
    if h.last_on_before is None:
        return 0 if h.running_at_start else K
    return min(K, -h.last_on_before - 1)
