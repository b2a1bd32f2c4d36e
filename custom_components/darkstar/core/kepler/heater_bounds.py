"""The heater DP in both directions: the cheapest schedule with the heater on (or off) in each slot.

Same rules and state as heater_dp.py (`r`: 0 = on in the slot, k = off for the last k slots, capped
at K; `e`: heated slots so far in the accounting day, capped at its need). The forward pass gives
the cheapest cost of slots 0..t ending in each state after slot t, the backward pass the cheapest
cost of slots t+1..n-1 from each state after slot t. Their sum, minimised over the states that are
"on" (or "off") after slot t, is the cheapest schedule with heat[t] = 1 (or 0), for every t at the
price of two DP passes. fixing.py turns these into exact variable fixings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import HeaterData
from .heater_dp import INF, HeaterRules


@dataclass(frozen=True)
class SlotBounds:
    """`best` is the cheapest schedule's cost; `on[t]` / `off[t]` the cheapest with heat[t] = 1 / 0."""

    best: float
    on: np.ndarray
    off: np.ndarray


def slot_bounds(h: HeaterData, slot_cost: np.ndarray, big: float) -> SlotBounds:
    """Forward and backward DP over the heater's states; see the module docstring."""
    rules = HeaterRules(h, len(slot_cost), big)
    forward = _forward(rules, slot_cost)
    backward = _backward(rules, slot_cost)
    on = np.array([np.min(f[0] + b[0]) for f, b in zip(forward, backward, strict=True)])
    off = np.array([np.min(f[1:] + b[1:]) for f, b in zip(forward, backward, strict=True)])
    best = float(min(on.min(), off.min())) if len(on) else 0.0
    return SlotBounds(best=best, on=np.minimum(on, INF), off=np.minimum(off, INF))


def _forward(rules: HeaterRules, slot_cost: np.ndarray) -> list[np.ndarray]:
    """Per slot t: the cheapest cost of slots 0..t for each state (r, e) after slot t."""
    K, E = rules.K, rules.E
    value = np.full((K + 1, E), INF)
    value[rules.r0, 0] = 0.0
    out = []
    for t in range(rules.n):
        if rules.new_day(t):
            closed = (value + rules.shortfall[rules.day[t - 1]][None, :]).min(axis=1)
            value = np.full((K + 1, E), INF)
            value[:, 0] = closed
        new = np.full((K + 1, E), INF)
        if t not in rules.h.forced:
            cost = rules.off_cost[t]
            new[1] = value[0] + cost[1]
            new[2:] = value[1:K] + cost[2:, None]
            new[K] = np.minimum(new[K], value[K] + cost[K])
        on = np.minimum(value[0], value[rules.lo :].min(axis=0) + rules.h.start_penalty) + slot_cost[t]
        np.minimum.at(new[0], rules.on_target[t], on)
        out.append(new)
        value = new
    return out


def _backward(rules: HeaterRules, slot_cost: np.ndarray) -> list[np.ndarray]:
    """Per slot t: the cheapest cost of slots t+1..n-1 from each state (r, e) after slot t."""
    K, n = rules.K, rules.n
    after = rules.shortfall[rules.day[n - 1]][None, :].repeat(K + 1, axis=0)
    out = [after]
    for t in range(n - 1, 0, -1):
        step = _step_back(rules, t, slot_cost[t], after)
        if rules.new_day(t):
            step = rules.shortfall[rules.day[t - 1]][None, :] + step[:, :1]
        after = step
        out.append(after)
    out.reverse()
    return out


def _step_back(rules: HeaterRules, t: int, cost_on: float, after: np.ndarray) -> np.ndarray:
    """The cheapest cost of slots t..n-1 from each state (r, e) before slot t."""
    K = rules.K
    best = np.full_like(after, INF)
    if t not in rules.h.forced:
        cost = rules.off_cost[t]
        nxt = np.minimum(np.arange(K + 1) + 1, K)
        best = after[nxt] + cost[nxt][:, None]
    on = cost_on + after[0][rules.on_target[t]]
    best[0] = np.minimum(best[0], on)
    best[rules.lo :] = np.minimum(best[rules.lo :], on[None, :] + rules.h.start_penalty)
    return best
