"""The planner and benchmark command lines, run in-process."""

from __future__ import annotations

import json

from custom_components.darkstar.core.cli import bench_planner, plan as plan_cli

from .kepler_factory import FIXTURES, heater, scenario_dict


def write(tmp_path, data, name="s.json"):
    """Write scenario data to a file and return its path as a string."""
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def test_plan_writes_plan_json(tmp_path):
    out = tmp_path / "plan.json"
    code = plan_cli.main([write(tmp_path, scenario_dict(water_heater=heater())), "-o", str(out)])
    assert code == 0
    data = json.loads(out.read_text())
    assert data["status"] == "optimal"
    assert len(data["slots"]) == 8
    assert {"start", "charge_kwh", "soc_kwh", "water_kw"} <= set(data["slots"][0])


def test_plan_table(tmp_path, capsys):
    assert plan_cli.main([write(tmp_path, scenario_dict()), "--table"]) == 0
    out = capsys.readouterr().out
    assert "price" in out
    assert "objective" in out


def test_plan_plot(tmp_path):
    png = tmp_path / "plan.png"
    assert (
        plan_cli.main([write(tmp_path, scenario_dict()), "--plot", str(png), "-o", str(tmp_path / "p.json")])
        == 0
    )
    assert png.stat().st_size > 1000


def bad_inputs():
    """(mutation, field expected in the message) pairs."""
    missing = scenario_dict()
    del missing["battery"]["capacity_kwh"]
    short = scenario_dict()
    short["series"]["load_kwh"] = [0.5] * 3
    nan = scenario_dict()
    nan["series"]["import_price"][2] = float("nan")
    negative = scenario_dict()
    negative["battery"]["capacity_kwh"] = -1
    return [
        (missing, "battery.capacity_kwh"),
        (short, "series"),
        (nan, "series.import_price[2]"),
        (negative, "battery.capacity_kwh"),
    ]


def test_bad_input_one_line_error_exit_2(tmp_path, capsys):
    for i, (data, field) in enumerate(bad_inputs()):
        path = tmp_path / f"bad{i}.json"
        path.write_text(json.dumps(data).replace("NaN", "NaN"))
        assert plan_cli.main([str(path)]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1
        assert field in err


def test_missing_file_exit_2(tmp_path, capsys):
    assert plan_cli.main([str(tmp_path / "nope.json")]) == 2
    assert "nope.json" in capsys.readouterr().err


def test_infeasible_exit_1_with_reason(tmp_path):
    data = scenario_dict(
        n=4, load_kwh=[1, 1, 30, 1], battery={"capacity_kwh": 0.0}, grid={"max_import_kw": 5.0}
    )
    out = tmp_path / "plan.json"
    assert plan_cli.main([write(tmp_path, data), "-o", str(out)]) == 1
    assert "slot(s) 2" in json.loads(out.read_text())["reason"]


def test_bench_json(tmp_path, capsys):
    for path in sorted(FIXTURES.glob("battery-*.json"))[:2]:
        (tmp_path / path.name).write_text(path.read_text())
    assert bench_planner.main([str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in report["scenarios"]] == ["battery-2025-07-08", "battery-2025-07-18"]
    assert {"name", "status", "objective", "build_s", "solve_s", "total_s"} <= set(report["scenarios"][0])
    assert {"median_s", "max_s"} <= set(report["families"]["battery"])
