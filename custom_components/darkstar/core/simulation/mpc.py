"""Receding-horizon (MPC) controller: plan with the planner, execute the first slots, replan.

Every `replan_every` slots (and whenever the executor refused a heater start) it builds a
Scenario from the observation — published prices, the forecaster's load/PV, the SoC — and calls
the planner (default: Kepler's `plan`, imported lazily). The heater state is carried across
replans: `heated_today_kwh` so far today, `force_on_slots` for the rest of a block that is
running at the replan time, and `off_slots_before` from the executed history (0 when the heater
ran in the previous slot, the off slots since the last block while the spacing lockout lasts,
null once it is over), so no plan starts a block the executor would refuse. If the planner returns no usable plan, the controller falls back to
the self-consumption rule for that slot and counts a fallback.
The same class with an 8-day horizon, all prices visible and perfect forecasts, replanning
weekly, is the perfect-foresight baseline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
import time
from typing import Any

from ..plan import Plan, PlanSlot
from ..scenario import Scenario, Series
from .home import Home
from .settle import Action

Planner = Callable[[Scenario], Plan]
PlanHook = Callable[[Scenario, Plan, float], None]


def default_planner() -> Planner:
    """Kepler's `plan`, imported on first use."""
    from ..kepler import plan

    return plan


def _floats(values: Any, n: int) -> tuple[float, ...]:
    return tuple(float(v) for v in values[:n])


def scenario_from_observation(
    home: Home, obs: dict[str, Any], now: datetime, slot_minutes: int, force_on: tuple[int, ...] = ()
) -> Scenario:
    """The planning problem at `now`: the observation's prices, forecasts and state."""
    n = int(obs["horizon"])
    cap = home.battery.capacity_kwh
    soc_percent = min(100.0, max(0.0, 100.0 * obs["soc_kwh"] / cap)) if cap > 0 else 0.0
    heater = home.water_heater
    if heater is not None:
        heater = replace(
            heater,
            heated_today_kwh=float(obs["heated_today_kwh"]),
            force_on_slots=tuple(i for i in force_on if i < n),
            off_slots_before=observed_off_slots(obs, heater.spacing_slots(slot_minutes)),
        )
    series = Series(
        import_price=_floats(obs["import_price"], n),
        export_price=_floats(obs["export_price"], n),
        load_kwh=tuple(max(0.0, v) for v in _floats(obs["load_forecast"], n)),
        pv_kwh=tuple(max(0.0, v) for v in _floats(obs["pv_forecast"], n)),
    )
    return Scenario(
        start=now,
        slot_minutes=slot_minutes,
        timezone=home.timezone,
        series=series,
        battery=replace(home.battery, initial_soc_percent=soc_percent),
        grid=home.grid,
        water_heater=heater,
        name=f"replay-{now.isoformat()}",
    )


def observed_off_slots(obs: dict[str, Any], spacing_slots: int) -> int | None:
    """The scenario's `off_slots_before` from the executed history (None = off long enough)."""
    if obs.get("water_on"):
        return 0
    lockout = int(obs.get("water_lockout_slots", 0))
    if lockout <= 0:
        return None
    return max(0, spacing_slots - lockout)


EXECUTORS = ("follow", "modes")
TOL = 1e-6


def action_from_slot(slot: PlanSlot, executor: str = "follow") -> Action:
    """Turn a plan slot into an action.

    "follow" executes the planned battery energy. "modes" reads the slot as an inverter mode the
    way a real executor does: a slot that only covers load from the battery (no grid flow)
    becomes "discharge to cover the actual load", a slot that only stores PV surplus becomes
    "charge from the actual surplus"; anything else (grid charging, forced export, idle) follows
    the planned energy. With perfect forecasts both are the same.
    """
    water = slot.water_kw > 0
    no_grid = slot.import_kwh <= TOL and slot.export_kwh <= TOL
    if executor == "modes" and no_grid and slot.discharge_kwh > TOL:
        return Action(water_on=water, curtail_kwh=slot.curtail_kwh, self_consumption=True, direction=-1)
    if executor == "modes" and no_grid and slot.charge_kwh > TOL:
        return Action(water_on=water, curtail_kwh=slot.curtail_kwh, self_consumption=True, direction=1)
    return Action(
        battery_kwh=slot.charge_kwh - slot.discharge_kwh, water_on=water, curtail_kwh=slot.curtail_kwh
    )


class MpcPolicy:
    """Plans every `replan_every` slots and follows the plan in between."""

    def __init__(
        self,
        home: Home,
        planner: Planner | None = None,
        *,
        replan_every: int = 4,
        slot_minutes: int = 15,
        on_plan: PlanHook | None = None,
        warm_start: bool = False,
        executor: str = "modes",
    ) -> None:
        """Set up the controller; `on_plan(scenario, plan, wall_seconds)` sees every plan.

        With `warm_start`, the planner is called as `planner(scenario, warm_start=previous_plan)`.
        """
        self.home = home
        self.planner = planner
        self.replan_every = max(1, replan_every)
        self.slot_minutes = slot_minutes
        self.on_plan = on_plan
        self.warm_start = warm_start
        if executor not in EXECUTORS:
            raise ValueError(f"unknown executor {executor!r} (choose from {', '.join(EXECUTORS)})")
        self.executor = executor
        self.solve_seconds: list[float] = []
        self.solve_times: list[datetime] = []
        self.fallbacks = 0
        self.reset()

    def reset(self) -> None:
        """Forget the current plan (start of a new run)."""
        self._plan: Plan | None = None
        self._age = 0

    def _running_block(self, obs: dict[str, Any]) -> tuple[int, ...]:
        if not obs["water_on"] or self._plan is None:
            return ()
        slots = self._plan.slots[self._age :]
        count = 0
        while count < len(slots) and slots[count].water_kw > 0:
            count += 1
        return tuple(range(count))

    def _replan(self, obs: dict[str, Any], now: datetime) -> None:
        if self.planner is None:
            self.planner = default_planner()
        scenario = scenario_from_observation(self.home, obs, now, self.slot_minutes, self._running_block(obs))
        started = time.perf_counter()
        if self.warm_start and self._plan is not None:
            plan = self.planner(scenario, warm_start=self._plan)  # type: ignore[call-arg]
        else:
            plan = self.planner(scenario)
        wall = time.perf_counter() - started
        self.solve_seconds.append(wall)
        self.solve_times.append(now)
        if self.on_plan is not None:
            self.on_plan(scenario, plan, wall)
        self._plan = plan if plan.ok else None
        self._age = 0

    def act(self, obs: dict[str, Any], info: dict[str, Any]) -> Action:
        """The action for the current slot."""
        stale = self._plan is None or self._age >= min(self.replan_every, len(self._plan.slots))
        if stale or info.get("water_blocked"):
            self._replan(obs, info["time"])
        if self._plan is None:
            self.fallbacks += 1
            return Action(self_consumption=True, water_on=False)
        slot = self._plan.slots[self._age]
        self._age += 1
        return action_from_slot(slot, self.executor)
