"""scripts/bench_planner run in-process: a bad scenario file is a one-line error with exit code 2."""

from __future__ import annotations

import json

import pytest

from custom_components.darkstar.core.cli import bench_planner

from .kepler_factory import scenario_dict


@pytest.mark.parametrize("bad_name", ["a-bad.json", "z-bad.json"])
def test_bad_file_one_line_error_exit_2(tmp_path, capsys, bad_name):
    """Whether the bad file comes first (the warm-up solve) or later, nothing is solved or timed."""
    (tmp_path / "m-good.json").write_text(json.dumps(scenario_dict()))
    (tmp_path / bad_name).write_text("{not json")
    assert bench_planner.main([str(tmp_path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().splitlines() == [
        f"error: {bad_name}: scenario: is not valid JSON (Expecting property name enclosed in double quotes at line 1)"
    ]


def test_invalid_first_scenario_names_the_field(tmp_path, capsys):
    data = scenario_dict()
    del data["battery"]["capacity_kwh"]
    (tmp_path / "a-bad.json").write_text(json.dumps(data))
    assert bench_planner.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("error: a-bad.json: battery.capacity_kwh")


def test_empty_folder_exit_2(tmp_path, capsys):
    assert bench_planner.main([str(tmp_path)]) == 2
    assert "no scenario files" in capsys.readouterr().err
