"""scripts/replay in-process: JSON report, bad input, and episodes recorded with system_id."""

from __future__ import annotations

import asyncio
from datetime import date
import json

import pytest

from custom_components.darkstar.core.cli.replay import main
from custom_components.darkstar.core.scenario import scenario_from_dict
from custom_components.darkstar.core.store import EpisodeStore, read_episodes_sync

from .test_sim_helpers import FIXTURE


def test_json_report_and_recorded_episodes(tmp_path, capsys) -> None:
    db = tmp_path / "episodes.db"
    code = main(
        [
            str(FIXTURE),
            "--days",
            "2025-07-07:2025-07-08",
            "--replan-every",
            "32",
            "--executor",
            "follow",
            "--json",
            "--record",
            str(db),
            "--no-progress",
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    for name in ("no_battery", "self_consumption", "mpc", "perfect_foresight"):
        row = report["strategies"][name]
        assert {"cost", "savings", "captured"} <= set(row)
        assert row["heater_violations"] == 0
    assert 0.0 <= report["strategies"]["mpc"]["captured"] <= 1.0 + 1e-6
    assert report["settings"]["forecast"] == "perfect"
    assert report["settings"]["replan_every"] == 32
    assert report["settings"]["executor"] == "follow"
    assert report["skipped_days"] == [
        {
            "day": "2025-07-07",
            "class": "exclude",
            "reasons": ["missing 8 of 96 slots", "gap of 2 h from 21:00"],
        }
    ]
    assert report["recorded_episodes"] == 3
    episodes = read_episodes_sync(db)
    assert len(episodes) == 3
    assert {e.system_id for e in episodes} == {"simulation"}
    scenario = scenario_from_dict(episodes[0].inputs)  # same format as live episodes
    assert scenario.start.date() == date(2025, 7, 8)
    assert episodes[0].schedule["status"] in ("optimal", "time_limit")

    async def quality():
        async with EpisodeStore(db, read_only=True) as store:
            return await store.day_quality()

    rows = asyncio.run(quality())
    assert [(str(r.day), r.cls) for r in rows] == [("2025-07-07", "exclude"), ("2025-07-08", "clean")]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["/nonexistent.csv"], "cannot read"),
        ([str(FIXTURE), "--days", "2025-07-08"], "--days: expected FROM:TO"),
        ([str(FIXTURE), "--replan-every", "0"], "--replan-every must be >= 1"),
        ([str(FIXTURE), "--forecast", "aurora"], "not available yet"),
        ([str(FIXTURE), "--days", "2025-07-07:2025-07-07"], "no usable days"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys) -> None:
    assert main([*argv, "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err
    assert "\n" not in err
