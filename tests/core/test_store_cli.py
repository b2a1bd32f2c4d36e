"""scripts/inspect_episodes and scripts/bench_store, run in-process."""

from __future__ import annotations

import asyncio
from contextlib import closing
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import sqlite3

import pytest

from custom_components.darkstar.core.cli import bench_store, inspect_episodes
from custom_components.darkstar.core.plan import plan_from_dict
from custom_components.darkstar.core.scenario import load_scenario
from custom_components.darkstar.core.store import EpisodeStore, make_episode

from .test_store_durability import damage_tables

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
T0 = datetime(2025, 7, 8, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store with three episodes (two prod, one test)."""
    scenario = load_scenario(FIXTURES / "scenarios" / "full-2025-07-08.json")
    plan = plan_from_dict(json.loads((FIXTURES / "store" / "kepler-plan-full-2025-07-08.json").read_text()))
    episodes = [
        make_episode(
            scenario,
            plan,
            system_id=system,
            context={"n": n},
            created_at=T0 + timedelta(hours=n),
            episode_id=f"ep{n}",
        )
        for n, system in enumerate(("prod", "test", "prod"))
    ]
    path = tmp_path / "darkstar.db"

    async def fill() -> None:
        async with EpisodeStore(path) as store:
            await store.add_episodes(episodes)

    asyncio.run(fill())
    return path


def test_list(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert inspect_episodes.main([str(db), "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["episode_id", "created_at", "(UTC)"]
    assert [line.split()[0] for line in lines[1:]] == ["ep2", "ep1", "ep0"]
    assert inspect_episodes.main([str(db), "list", "--system-id", "prod", "--limit", "1"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert [r.split()[0] for r in rows] == ["ep2"]
    assert rows[0].split()[3:5] == ["prod", "col3"]


def test_show_and_export(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert inspect_episodes.main([str(db), "show", "ep1"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["episode_id"] == "ep1"
    assert shown["system_id"] == "test"
    assert shown["created_at"] == "2025-07-08T01:00:00+00:00"
    assert shown["schedule"]["format"] == "columns/1"
    assert len(shown["schedule"]["columns"]["soc_kwh"]) == 192
    out = tmp_path / "ep1.json"
    assert inspect_episodes.main([str(db), "export", "ep1", "-o", str(out)]) == 0
    assert json.loads(out.read_text()) == shown
    capsys.readouterr()
    assert inspect_episodes.main([str(db), "show", "ep1", "--plan"]) == 0
    as_plan = json.loads(capsys.readouterr().out)["schedule"]
    plan = json.loads((FIXTURES / "store" / "kepler-plan-full-2025-07-08.json").read_text())
    assert as_plan == plan  # the per-slot form, slot times included, exactly as plan_to_dict wrote it


def test_stats(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert inspect_episodes.main([str(db), "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["episodes"] == 3
    assert stats["episodes_by_system"] == {"prod": 2, "test": 1}
    assert stats["compression_ratio"] > 4
    assert inspect_episodes.main([str(db), "stats"]) == 0
    assert "compression_ratio" in capsys.readouterr().out


def test_check_reports_corrupt_rows(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert inspect_episodes.main([str(db), "check"]) == 0
    assert "3 of 3 episodes decode" in capsys.readouterr().out
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE training_episodes SET inputs = x'00ff' WHERE episode_id = 'ep0'")
    assert inspect_episodes.main([str(db), "check"]) == 1
    out = capsys.readouterr().out
    assert "'ep0'" in out
    assert "inputs" in out
    assert "2 of 3 episodes decode" in out


def _keep_wal(db: sqlite3.Connection) -> sqlite3.Connection:
    """`db`, which leaves the -wal file as it is on closing (as a killed or running writer does)."""
    db.setconfig(sqlite3.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, True)
    return db


def test_works_on_a_copy(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [db, db.with_name(db.name + "-wal")]
    with closing(_keep_wal(sqlite3.connect(db, isolation_level=None))) as writer:
        writer.execute("DELETE FROM training_episodes WHERE episode_id = 'ep1'")  # committed, only in the WAL
    before = [f.read_bytes() for f in files]
    holder = _keep_wal(sqlite3.connect(db, isolation_level=None))
    holder.execute("BEGIN IMMEDIATE")  # a live writer in the middle of a transaction
    holder.execute("DELETE FROM training_episodes")
    try:
        assert inspect_episodes.main([str(db), "list"]) == 0
    finally:
        holder.rollback()
        holder.close()
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]] == ["ep2", "ep0"]
    # Alone with the file, a connection to it would checkpoint the WAL into it on closing.
    assert inspect_episodes.main([str(db), "check"]) == 0
    assert "2 of 2 episodes decode" in capsys.readouterr().out
    assert [f.read_bytes() if f.exists() else None for f in files] == before


def test_bad_input(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert inspect_episodes.main([str(tmp_path / "missing.db"), "list"]) == 2
    assert "not found" in capsys.readouterr().err
    assert inspect_episodes.main([str(db), "show", "nope"]) == 2
    assert "no episode" in capsys.readouterr().err
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"x" * 5000)
    assert inspect_episodes.main([str(garbage), "stats"]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err
    assert str(garbage) in err


@pytest.mark.parametrize("command", ["stats", "check", "list"])
def test_damaged_tables_are_reported(db: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    damage_tables(db)
    assert inspect_episodes.main([str(db), command]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "damaged" in err
    assert str(db) in err


def test_bench_store_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_store.main(["--count", "20", "--plans", "synthetic", "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    for key in (
        "bytes_per_episode",
        "write_ms_per_episode",
        "read_ms_per_episode",
        "read_all_s",
        "file_bytes",
    ):
        assert result[key] > 0
    assert result["episodes"] == 20
    assert "[bench_store]" in captured.err
    assert bench_store.main(["--count", "0"]) == 2
