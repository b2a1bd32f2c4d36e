"""The columnar episode schedule: format, exact Plan round trips, DST, legacy per-slot rows, parts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import shutil

import pytest

from custom_components.darkstar.core.cli.bench_store import synthetic_plan
from custom_components.darkstar.core.plan import STATUS_INFEASIBLE, Plan, plan_from_dict, plan_to_dict
from custom_components.darkstar.core.scenario import Scenario, load_scenario
from custom_components.darkstar.core.store import (
    SCHEDULE_FORMAT,
    SLOT_COLUMNS,
    Episode,
    EpisodeStore,
    is_columnar,
    make_episode,
    plan_from_episode,
    schedule_columns,
    schedule_to_plan,
    slot_starts,
    trees_equal,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PLAN_DICT = json.loads((FIXTURES / "store" / "kepler-plan-full-2025-07-08.json").read_text())
T0 = datetime(2025, 7, 8, 0, 5, tzinfo=UTC)


def scenario() -> Scenario:
    """The 48-hour fixture scenario."""
    return load_scenario(FIXTURES / "scenarios" / "full-2025-07-08.json")


def episode_of(plan: Plan, sc: Scenario | None = None, episode_id: str = "e") -> Episode:
    """An episode of `plan`."""
    return make_episode(sc or scenario(), plan, system_id="test", created_at=T0, episode_id=episode_id)


def assert_plan_round_trip(plan: Plan, schedule: dict, *, in_dst_fold: bool = False) -> None:
    """The stored schedule gives back exactly what plan_to_dict/plan_from_dict would."""
    back = schedule_to_plan(schedule)
    assert plan_to_dict(back) == plan_to_dict(plan)  # values, slot times and their UTC offsets
    if not in_dst_fold:  # Python never calls a time in a DST fold equal to one in another tzinfo
        assert back == plan_from_dict(plan_to_dict(plan))


def test_schedule_is_columns_without_per_slot_fields() -> None:
    plan = plan_from_dict(PLAN_DICT)
    schedule = episode_of(plan).schedule
    assert schedule["format"] == SCHEDULE_FORMAT
    assert is_columnar(schedule)
    assert "slots" not in schedule
    assert "starts" not in schedule  # regular slots: times follow from start + slot_minutes
    assert (schedule["start"], schedule["slot_minutes"], schedule["timezone"]) == (
        "2025-07-08T00:00:00+02:00",
        15,
        "Europe/Stockholm",
    )
    assert list(schedule["columns"]) == list(SLOT_COLUMNS)
    assert all(len(c) == 192 and all(type(v) is float for v in c) for c in schedule["columns"].values())
    header = {k: v for k, v in PLAN_DICT.items() if k != "slots"}
    assert {k: schedule[k] for k in header} == header
    assert schedule["columns"]["soc_kwh"] == [s["soc_kwh"] for s in PLAN_DICT["slots"]]
    assert_plan_round_trip(plan, schedule)
    assert plan_from_episode(episode_of(plan)) == plan


def test_dst_change_inside_the_horizon() -> None:
    sc = scenario()
    # Europe/Stockholm leaves summer time on Oct 26 (a fixed-offset start, as scenario_from_dict gives)
    sc = replace(sc, start=datetime.fromisoformat("2025-10-25T12:00:00+02:00"))
    plan = synthetic_plan(sc)
    schedule = episode_of(plan, sc).schedule
    assert "starts" not in schedule
    offsets = {t.utcoffset() for t in slot_starts(schedule)}
    assert offsets == {timedelta(hours=2), timedelta(hours=1)}
    assert [t.isoformat() for t in slot_starts(schedule)] == [s.start.isoformat() for s in plan.slots]
    assert slot_starts(schedule) == [s.start for s in plan.slots]  # the scenario's zone, folds included
    assert_plan_round_trip(plan, schedule, in_dst_fold=True)


def test_irregular_slot_times_are_kept_explicitly() -> None:
    plan = plan_from_dict(PLAN_DICT)
    slots = list(plan.slots)
    slots[5] = replace(slots[5], start=slots[5].start + timedelta(minutes=1))
    odd = replace(plan, slots=tuple(slots))
    schedule = episode_of(odd).schedule
    assert schedule["starts"][5] == slots[5].start.isoformat()
    assert_plan_round_trip(odd, schedule)


def test_plan_without_slots() -> None:
    plan = Plan(status=STATUS_INFEASIBLE, objective=None, solve_seconds=0.5, reason="no feasible plan")
    schedule = episode_of(plan).schedule
    assert schedule["start"] is None
    assert all(c == [] for c in schedule["columns"].values())
    assert_plan_round_trip(plan, schedule)


def test_inconsistent_columns_raise_value_error() -> None:
    schedule = episode_of(plan_from_dict(PLAN_DICT)).schedule
    bad = {**schedule, "columns": {**schedule["columns"], "soc_kwh": [1.0]}}
    with pytest.raises(ValueError, match="soc_kwh"):
        schedule_to_plan(bad)
    older = {**schedule, "columns": {k: v for k, v in schedule["columns"].items() if k != "curtail_kwh"}}
    assert all(s.curtail_kwh == 0.0 for s in schedule_to_plan(older).slots)  # a field added later
    with pytest.raises(ValueError, match="water_kw"):
        schedule_to_plan(
            {**schedule, "columns": {k: v for k, v in schedule["columns"].items() if k != "water_kw"}}
        )
    with pytest.raises(ValueError, match="time zone"):
        schedule_to_plan({**schedule, "timezone": "Mars/Olympus"})


def test_legacy_per_slot_schedule_reads() -> None:
    assert not is_columnar(PLAN_DICT)
    assert schedule_to_plan(PLAN_DICT) == plan_from_dict(PLAN_DICT)
    columns = schedule_columns(PLAN_DICT)
    assert columns["water_kw"].tolist() == [s["water_kw"] for s in PLAN_DICT["slots"]]
    assert slot_starts(PLAN_DICT)[1] == datetime.fromisoformat(PLAN_DICT["slots"][1]["start"])
    assert trees_equal(schedule_columns(episode_of(plan_from_dict(PLAN_DICT)).schedule), columns)


async def test_store_written_by_the_per_slot_version_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "store" / "legacy-per-slot-v1.db", path)
    new = episode_of(plan_from_dict(PLAN_DICT), episode_id="new")
    async with EpisodeStore(path) as store:
        await store.add_episode(replace(new, created_at=T0 + timedelta(hours=1)))
        old = await store.get_episode("legacy-col1")
        assert old is not None
        assert [i.codec for i in await store.list_episodes()] == ["col3", "col1"]
        assert await store.check_episodes() == []
        both = await store.read_all()
    assert old.schedule == PLAN_DICT  # kept exactly as it was stored
    assert (old.inputs["start"], old.inputs["series"]) == (new.inputs["start"], new.inputs["series"])
    assert old.context == {"s_index": 1.2}
    assert [e.episode_id for e in both] == ["legacy-col1", "new"]
    assert plan_from_episode(both[0]) == plan_from_episode(both[1]) == plan_from_dict(PLAN_DICT)


async def test_read_only_some_parts(tmp_path: Path) -> None:
    eps = [
        replace(episode_of(plan_from_dict(PLAN_DICT), episode_id=f"e{n}"), context={"n": n}) for n in range(3)
    ]
    async with EpisodeStore(tmp_path / "s.db") as store:
        await store.add_episodes(eps)
        inputs_only = await store.read_all(parts=("inputs",))
        assert [e.inputs for e in inputs_only] == [e.inputs for e in eps]
        assert all(e.schedule == {} and e.context == {} for e in inputs_only)
        streamed = [e async for e in store.iter_episodes(parts=["schedule", "context"], batch=2)]
        assert trees_equal(
            [[e.schedule, e.context, e.inputs] for e in streamed], [[e.schedule, e.context, {}] for e in eps]
        )
        assert streamed == [replace(e, inputs={}, config_overrides={}) for e in eps]
        assert await store.read_all(parts="context") == [replace(e, inputs={}, schedule={}) for e in eps]
        with pytest.raises(ValueError, match="parts"):
            await store.read_all(parts=("plan",))
