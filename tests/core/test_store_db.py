"""EpisodeStore: episodes, system_id filter, retention, observations, quality, stats, clear, schema."""

from __future__ import annotations

from contextlib import closing
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
import json
from pathlib import Path
import sqlite3

import numpy as np
import pytest

from custom_components.darkstar.core.plan import plan_from_dict
from custom_components.darkstar.core.scenario import load_scenario
from custom_components.darkstar.core.store import (
    SCHEMA_VERSION,
    CorruptEpisodeError,
    DayQuality,
    Episode,
    EpisodeStore,
    SlotObservation,
    StoreError,
    make_episode,
    read_episodes_sync,
    record_episodes_sync,
    schema,
    trees_equal,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
T0 = datetime(2025, 7, 8, tzinfo=UTC)


def episode(n: int = 0, system_id: str = "prod", created_at: datetime | None = None) -> Episode:
    """An episode of the fixture scenario and its Kepler plan."""
    scenario = load_scenario(FIXTURES / "scenarios" / "full-2025-07-08.json")
    plan = plan_from_dict(json.loads((FIXTURES / "store" / "kepler-plan-full-2025-07-08.json").read_text()))
    return make_episode(
        scenario,
        plan,
        system_id=system_id,
        context={"n": n, "vacation_mode": False},
        created_at=created_at or T0 + timedelta(minutes=15 * n),
        episode_id=f"ep-{n:04d}",
    )


async def test_add_get_round_trip_and_wal(tmp_path: Path) -> None:
    ep = episode(1)
    async with EpisodeStore(tmp_path / "s.db") as store:
        await store.add_episode(ep)
        assert await store.get_episode("ep-0001") == ep
        assert await store.get_episode("nope") is None
    with closing(sqlite3.connect(tmp_path / "s.db")) as db, db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        raw, stored, codec = db.execute(
            "SELECT raw_bytes, stored_bytes, codec FROM training_episodes"
        ).fetchone()
    assert codec == "col3"
    assert raw > 4 * stored


async def test_make_episode_validates() -> None:
    with pytest.raises(ValueError, match="system_id"):
        episode(system_id="staging")
    with pytest.raises(ValueError, match="timezone"):
        episode(created_at=datetime(2025, 1, 1))


async def test_system_id_filter(tmp_path: Path) -> None:
    eps = [episode(i, system_id=("prod", "simulation", "test")[i % 3]) for i in range(9)]
    async with EpisodeStore(tmp_path / "s.db") as store:
        assert await store.add_episodes(eps) == 9
        sims = await store.list_episodes(limit=None, system_id="simulation")
        assert [i.episode_id for i in sims] == ["ep-0007", "ep-0004", "ep-0001"]
        assert all(i.system_id == "simulation" for i in sims)
        assert [e.episode_id for e in await store.read_all("prod")] == ["ep-0000", "ep-0003", "ep-0006"]
        assert len(await store.list_episodes(limit=2)) == 2
        with pytest.raises(ValueError, match="system_id"):
            await store.list_episodes(system_id="prod' OR 1=1 --")


async def test_iter_in_batches_and_since(tmp_path: Path) -> None:
    eps = [episode(i) for i in range(7)]
    async with EpisodeStore(tmp_path / "s.db") as store:
        await store.add_episodes(reversed(eps))
        assert [e async for e in store.iter_episodes(batch=2)] == eps
        later = await store.read_all(since=eps[4].created_at)
        assert [e.episode_id for e in later] == ["ep-0004", "ep-0005", "ep-0006"]  # since is inclusive


async def test_retention_deletes_only_old_episodes(tmp_path: Path) -> None:
    now = datetime(2026, 7, 1, tzinfo=UTC)
    old = [episode(i, created_at=now - timedelta(days=400 + i)) for i in range(3)]
    new = [episode(10 + i, created_at=now - timedelta(days=30 * i)) for i in range(3)]
    obs = SlotObservation(slot_start=now - timedelta(days=500), load_kwh=0.3)
    async with EpisodeStore(tmp_path / "s.db") as store:
        await store.add_episodes(old + new)
        await store.upsert_observation(obs)
        assert await store.delete_older_than(365, now=now) == 3
        assert {e.episode_id for e in await store.read_all()} == {e.episode_id for e in new}
        assert await store.observations() == [obs]
        assert await store.delete_older_than(365, now=now) == 0


async def test_large_delete_vacuums(tmp_path: Path) -> None:
    now = datetime(2026, 7, 1, tzinfo=UTC)
    path = tmp_path / "s.db"
    base = episode(0)
    many = [replace(base, episode_id=f"x{i}", created_at=now - timedelta(days=500)) for i in range(600)]
    async with EpisodeStore(path) as store:
        await store.add_episodes(many)
        await store.vacuum()
        full = (await store.stats()).file_bytes
        assert await store.delete_older_than(365, now=now) == 600
        assert (await store.stats()).file_bytes < full / 4


async def test_observations_upsert_and_range(tmp_path: Path) -> None:
    first = SlotObservation(slot_start=T0, load_kwh=0.4, pv_kwh=0.0, import_price=0.1, flags=("reset:pv",))
    again = replace(first, load_kwh=0.5)
    other = SlotObservation(
        slot_start=T0 + timedelta(minutes=15), soc_start_percent=40.0, soc_end_percent=41.5
    )
    async with EpisodeStore(tmp_path / "s.db") as store:
        await store.upsert_observations([first, other])
        await store.upsert_observation(again)
        assert await store.observations() == [again, other]
        assert await store.observations(T0 + timedelta(minutes=1)) == [other]
        assert await store.observations(end=T0 + timedelta(minutes=15)) == [again]
        local = T0.astimezone(load_scenario(FIXTURES / "scenarios" / "full-2025-07-08.json").tz)
        assert await store.observations(local, local + timedelta(minutes=15)) == [again]


async def test_day_quality(tmp_path: Path) -> None:
    async with EpisodeStore(tmp_path / "s.db") as store:
        await store.set_day_quality(DayQuality(date(2025, 7, 8), "clean"))
        await store.set_day_quality(DayQuality(date(2025, 7, 9), "mask_battery", ("soc_anomaly: 12 slots",)))
        await store.set_day_quality(DayQuality(date(2025, 7, 8), "exclude", ("missing_slots: 20",)))
        rows = await store.day_quality()
        assert [(r.day, r.cls, r.reasons) for r in rows] == [
            (date(2025, 7, 8), "exclude", ("missing_slots: 20",)),
            (date(2025, 7, 9), "mask_battery", ("soc_anomaly: 12 slots",)),
        ]
        assert [r.day for r in await store.day_quality(date(2025, 7, 9))] == [date(2025, 7, 9)]
        with pytest.raises(ValueError, match="quality class"):
            await store.set_day_quality(DayQuality(date(2025, 7, 10), "dirty"))


async def test_stats_and_clear(tmp_path: Path) -> None:
    async with EpisodeStore(tmp_path / "s.db") as store:
        await store.add_episodes([episode(0), episode(1, system_id="test")])
        await store.upsert_observation(SlotObservation(slot_start=T0, load_kwh=1.0))
        await store.set_day_quality(DayQuality(date(2025, 7, 8), "clean"))
        stats = await store.stats()
        assert (stats.episodes, stats.observations, stats.quality_days) == (2, 1, 1)
        assert stats.episodes_by_system == {"prod": 1, "test": 1}
        assert stats.compression_ratio is not None
        assert stats.compression_ratio > 4
        assert await store.clear("observations") == {"observations": 1}
        assert await store.clear() == {"episodes": 2, "observations": 0, "quality": 1}
        assert (await store.stats()).episodes == 0
        with pytest.raises(ValueError, match="clear"):
            await store.clear("everything")


async def test_corrupt_blob_in_store_names_episode(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    async with EpisodeStore(path) as store:
        await store.add_episodes([episode(0), episode(1)])
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("UPDATE training_episodes SET schedule = ? WHERE episode_id = 'ep-0001'", (b"garbage",))
    async with EpisodeStore(path) as store:
        with pytest.raises(CorruptEpisodeError, match=r"ep-0001.*schedule"):
            await store.get_episode("ep-0001")
        failures = await store.check_episodes()
        assert [f[0] for f in failures] == ["ep-0001"]
        assert await store.get_episode("ep-0000") == episode(0)


async def test_legacy_rows_in_store(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    ep = episode(3)
    async with EpisodeStore(path):
        pass
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "INSERT INTO training_episodes (episode_id, created_at, system_id, inputs, schedule, context, config_overrides)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                "old",
                "2025-07-08T00:45:00+00:00",
                "prod",
                json.dumps(ep.inputs),
                json.dumps(ep.schedule),
                "{}",
                "{}",
            ),
        )
    async with EpisodeStore(path) as store:
        got = await store.get_episode("old")
        assert got is not None
        assert got.created_at == ep.created_at
        assert got.inputs == ep.inputs
        assert trees_equal(got.schedule, ep.schedule)  # columns decode as arrays, also from JSON rows
        assert all(type(c) is np.ndarray for c in got.schedule["columns"].values())
        assert (await store.list_episodes())[0].codec == "json"


async def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        await EpisodeStore(path).open()


async def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    async with EpisodeStore(path) as store:
        await store.add_episode(episode(0))
    async with EpisodeStore(path, read_only=True) as reader:
        assert len(await reader.read_all()) == 1
        with pytest.raises(StoreError, match="read-only"):
            await reader.add_episode(episode(1))


async def test_closed_store_raises() -> None:
    store = EpisodeStore("/nonexistent/never-opened.db")
    with pytest.raises(StoreError, match="not open"):
        await store.list_episodes()


def test_sync_helpers(tmp_path: Path) -> None:
    path = tmp_path / "sim.db"
    eps = [episode(i, system_id="simulation") for i in range(5)]
    assert record_episodes_sync(path, iter(eps), batch=2) == 5
    assert read_episodes_sync(path, "simulation") == eps
    assert read_episodes_sync(path, "prod") == []


async def test_unserialisable_episode_is_a_store_error(tmp_path: Path) -> None:
    bad = replace(episode(0), context={"when": datetime(2025, 1, 1, tzinfo=UTC)})
    async with EpisodeStore(tmp_path / "s.db") as store:
        with pytest.raises(StoreError, match="ep-0000"):
            await store.add_episode(bad)
        assert await store.list_episodes() == []


async def test_older_schema_is_migrated_step_by_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.db"
    async with EpisodeStore(path) as store:
        await store.add_episode(episode(0))
    step = ("ALTER TABLE slot_observations ADD COLUMN note TEXT",)
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, step))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    async with EpisodeStore(path) as store:
        assert await store.get_episode("ep-0000") == episode(0)
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert "note" in [r[1] for r in db.execute("PRAGMA table_info(slot_observations)")]
