"""EpisodeStore durability: concurrent writer + reader, locks, crashes, corrupt files."""

from __future__ import annotations

import asyncio
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
import os
from pathlib import Path
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from custom_components.darkstar.core.plan import plan_from_dict
from custom_components.darkstar.core.scenario import load_scenario
from custom_components.darkstar.core.store import (
    CorruptStoreError,
    Episode,
    EpisodeStore,
    StoreLockedError,
    make_episode,
    trees_equal,
)

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
T0 = datetime(2025, 7, 8, tzinfo=UTC)


def base_episode() -> Episode:
    """An episode of the fixture scenario and its Kepler plan."""
    scenario = load_scenario(FIXTURES / "scenarios" / "full-2025-07-08.json")
    plan = plan_from_dict(json.loads((FIXTURES / "store" / "kepler-plan-full-2025-07-08.json").read_text()))
    return make_episode(scenario, plan, system_id="test", created_at=T0, episode_id="base")


def numbered(base: Episode, n: int) -> Episode:
    """A copy of `base` with its own id and time."""
    return replace(
        base, episode_id=f"ep-{n:05d}", created_at=T0 + timedelta(minutes=15 * n), context={"n": n}
    )


async def test_concurrent_writer_and_reader(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    base = base_episode()
    total = 40
    seen_counts: list[int] = []
    async with EpisodeStore(path) as writer, EpisodeStore(path, read_only=True) as reader:

        async def write() -> None:
            for n in range(total):
                await writer.add_episode(numbered(base, n))
                await asyncio.sleep(0)

        async def read() -> None:
            while not seen_counts or seen_counts[-1] < total:
                episodes = await reader.read_all()
                ids = [e.episode_id for e in episodes]
                assert ids == [f"ep-{n:05d}" for n in range(len(ids))]  # a prefix, never a gap
                assert all(trees_equal(e.schedule, base.schedule) for e in episodes)
                seen_counts.append(len(episodes))
                await asyncio.sleep(0.001)

        await asyncio.wait_for(asyncio.gather(write(), read()), timeout=60)
    assert seen_counts[-1] == total
    assert seen_counts == sorted(seen_counts)


def _hold_lock(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, timeout=0)
    db.execute("BEGIN EXCLUSIVE")
    return db


async def test_locked_database_is_retried_then_reported(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    async with EpisodeStore(path, busy_timeout=0.01, retry_attempts=3, retry_delay=0.01) as store:
        blocker = _hold_lock(path)
        try:
            with pytest.raises(StoreLockedError, match="locked"):
                await store.add_episode(numbered(base_episode(), 1))
        finally:
            blocker.rollback()
            blocker.close()
        assert await store.list_episodes() == []


async def test_locked_database_succeeds_once_released(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    async with EpisodeStore(path, busy_timeout=0.01, retry_attempts=8, retry_delay=0.02) as store:
        blocker = _hold_lock(path)
        release = asyncio.get_running_loop().call_later(0.05, blocker.rollback)
        try:
            await store.add_episode(numbered(base_episode(), 1))
        finally:
            release.cancel()
            blocker.close()
        assert [i.episode_id for i in await store.list_episodes()] == ["ep-00001"]


CHILD = textwrap.dedent(
    """
    import asyncio, sys
    sys.path.insert(0, {repo!r})
    from custom_components.darkstar.core.store import EpisodeStore
    from tests.core.test_store_durability import base_episode, numbered

    async def main():
        base = base_episode()
        async with EpisodeStore({db!r}) as store:
            n = 0
            while True:
                await store.add_episodes([numbered(base, n + i) for i in range(5)])
                n += 5
                print(n, flush=True)

    asyncio.run(main())
    """
)


def test_crash_mid_write_loses_no_committed_rows(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    code = CHILD.format(repo=str(REPO), db=str(path))
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=REPO)
    committed = 0
    try:
        assert child.stdout is not None
        for line in child.stdout:
            committed = int(line)
            if committed >= 30:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert committed >= 30

    async def reopen() -> tuple[int, list[tuple[str, str]], str]:
        async with EpisodeStore(path) as store:
            stats = await store.stats()
            failures = await store.check_episodes()
        with closing(sqlite3.connect(path)) as db, db:
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        return stats.episodes, failures, integrity

    count, failures, integrity = asyncio.run(reopen())
    assert count >= committed
    assert count % 5 == 0  # whole transactions only
    assert failures == []
    assert integrity == "ok"


def test_uncommitted_transaction_is_rolled_back_after_kill(tmp_path: Path) -> None:
    path = tmp_path / "s.db"

    async def seed() -> None:
        async with EpisodeStore(path) as store:
            await store.add_episodes([numbered(base_episode(), n) for n in range(3)])

    asyncio.run(seed())
    code = textwrap.dedent(
        f"""
        import sqlite3, sys, time
        db = sqlite3.connect({str(path)!r}, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM training_episodes")
        db.execute("INSERT INTO training_episodes (episode_id, created_at, system_id) VALUES ('half', 'x', 'test')")
        print("inside", flush=True)
        time.sleep(60)
        """
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "inside"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()

    async def ids() -> list[str]:
        async with EpisodeStore(path) as store:
            return [i.episode_id for i in await store.list_episodes(newest_first=False)]

    assert asyncio.run(ids()) == ["ep-00000", "ep-00001", "ep-00002"]


async def test_corrupt_file_is_moved_aside_and_a_fresh_store_starts(tmp_path: Path) -> None:
    path = tmp_path / "darkstar_entry.db"
    path.write_bytes(b"this is not a database, just garbage " * 200)
    with pytest.raises(CorruptStoreError, match="damaged"):
        await EpisodeStore(path).open()
    store, moved = await EpisodeStore.open_or_recover(path)
    try:
        assert moved is not None
        assert moved.name.startswith("darkstar_entry.db.corrupt-")
        assert moved.read_bytes().startswith(b"this is not a database")
        await store.add_episode(numbered(base_episode(), 1))
        assert len(await store.read_all()) == 1
    finally:
        await store.close()
    again, moved_again = await EpisodeStore.open_or_recover(path)
    await again.close()
    assert moved_again is None


async def test_damaged_pages_are_detected_by_recovery(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    async with EpisodeStore(path) as store:
        await store.add_episodes([numbered(base_episode(), n) for n in range(50)])
        await store.vacuum()
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data) - 4096, 4096):
        data[offset : offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))
    store, moved = await EpisodeStore.open_or_recover(path)
    await store.close()
    assert moved is not None
    assert moved.exists()


def damage_tables(path: Path) -> None:
    """Overwrite the b-tree page header of every page but the first (the schema stays readable)."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for start in range(page_size, len(data), page_size):
        data[start : start + 8] = b"\xa5" * 8
    path.write_bytes(bytes(data))


async def test_reading_a_damaged_file_raises_corrupt_store_error(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    async with EpisodeStore(path) as store:
        await store.add_episodes([numbered(base_episode(), n) for n in range(20)])
        await store.vacuum()
    damage_tables(path)
    async with EpisodeStore(path) as store:  # opens: without check=True nothing reads the tables
        for read in (store.stats, store.check_episodes, store.list_episodes):
            with pytest.raises(CorruptStoreError, match="damaged"):
                await read()


async def test_recover_while_running(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    async with EpisodeStore(path) as store:
        await store.add_episode(numbered(base_episode(), 1))
        moved = await store.recover()
        assert moved.exists()
        assert await store.list_episodes() == []
        await store.add_episode(numbered(base_episode(), 2))
        assert [i.episode_id for i in await store.list_episodes()] == ["ep-00002"]
    async with EpisodeStore(moved, read_only=True) as old:
        assert [i.episode_id for i in await old.list_episodes()] == ["ep-00001"]
