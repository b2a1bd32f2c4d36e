"""`scripts/bench_planner [DIR] [--json] [--warm]`: time Kepler over a folder of scenario files.

Per family (the file name up to its first "-": battery, water, full) it prints the median and worst
time per solve including the build, the build/solve split and the objective, compared with the best
known objective when benchmarks/kepler-best-known.json has one. `--json` prints one JSON object
instead. `--warm` also measures warm-start replanning: the same day replanned every 15 minutes, each
time with the previous plan (shifted by one slot) as MIP start, against cold solves of the same runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
import json
from pathlib import Path
import statistics
import sys
import time
from typing import Any

from ..kepler import SolverOptions, plan
from ..plan import STATUS_OPTIMAL, Plan
from ..scenario import Scenario, ScenarioError, Series, load_scenario

REPO = Path(__file__).resolve().parents[4]
BEST_KNOWN = REPO / "benchmarks" / "kepler-best-known.json"


def default_dir() -> Path:
    """../shared/data/scenarios relative to the repo root, else the test fixtures."""
    shared = REPO.parent / "shared" / "data" / "scenarios"
    return shared if shared.is_dir() else REPO / "tests" / "fixtures" / "scenarios"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="bench_planner", description="Benchmark Kepler on scenario files.")
    parser.add_argument("dir", nargs="?", type=Path, default=None, help="folder of scenario JSON files")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--warm", action="store_true", help="also measure warm-start replanning")
    parser.add_argument("--replans", type=int, default=8, help="replans per scenario for --warm")
    parser.add_argument("--family", help="only files starting with this family name")
    parser.add_argument(
        "--repeat", type=int, default=1, help="solve each scenario this often, keep the fastest"
    )
    parser.add_argument("--interface", default=None, help="SolverOptions.interface")
    parser.add_argument("--formulation", default=None, help="SolverOptions.heater_formulation")
    parser.add_argument("--time-limit", type=float, default=None, help="solver time limit in seconds")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="override a SolverOptions field (JSON value), e.g. --set threads=2",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns the exit code."""
    args = parse_args(argv)
    folder = args.dir or default_dir()
    files = sorted(p for p in folder.glob("*.json") if not args.family or p.name.startswith(args.family))
    if not files:
        print(f"error: no scenario files in {folder}", file=sys.stderr)
        return 2
    options = _options(args)
    best = json.loads(BEST_KNOWN.read_text()) if BEST_KNOWN.is_file() else {}
    scenarios = []
    for path in files:
        try:
            scenarios.append((path, load_scenario(path)))
        except ScenarioError as err:
            print(f"error: {path.name}: {err}", file=sys.stderr)
            return 2
    plan(scenarios[0][1], options)  # warm up imports, not counted
    runs = []
    for path, scenario in scenarios:
        known = best.get(path.stem, {}).get("objective")
        tries = [_run(scenario, path.stem, options, known) for _ in range(max(1, args.repeat))]
        runs.append(min(tries, key=lambda r: r["total_s"]))
        print(f"  {path.stem}: {runs[-1]['status']} {runs[-1]['total_s']:.3f} s", file=sys.stderr)
    report: dict[str, Any] = {"dir": str(folder), "scenarios": runs, "families": _families(runs)}
    if args.warm:
        report["warm"] = [
            _warm(scenario, path.stem, options, args.replans)
            for path, scenario in scenarios
            if "battery" not in path.name
        ]
    print(json.dumps(report, indent=1) if args.json else _text(report))
    return 0


def _options(args: argparse.Namespace) -> SolverOptions:
    changes: dict[str, Any] = {}
    if args.interface:
        changes["interface"] = args.interface
    if args.formulation:
        changes["heater_formulation"] = args.formulation
    if args.time_limit is not None:
        changes["time_limit_s"] = args.time_limit
    for item in args.set:
        key, _, raw = item.partition("=")
        changes[key] = json.loads(raw) if raw[:1] in '[{0123456789-tfn"' else raw
    return replace(SolverOptions(), **changes)


def _run(scenario: Scenario, name: str, options: SolverOptions, best: float | None) -> dict[str, Any]:
    started, cpu_started = time.perf_counter(), time.process_time()
    result = plan(scenario, options)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    row = {
        "name": name,
        "family": name.split("-")[0],
        "status": result.status,
        "objective": result.objective,
        "build_s": round(result.build_seconds, 4),
        "solve_s": round(result.solve_seconds, 4),
        "total_s": round(total, 4),
        "cpu_s": round(cpu, 4),
        "mip_gap": result.mip_gap,
    }
    if best is not None and result.objective is not None:
        row["vs_best"] = round(result.objective - best, 6)
    return row


def _families(runs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for family in sorted({r["family"] for r in runs}):
        rows = [r for r in runs if r["family"] == family]
        totals = [r["total_s"] for r in rows]
        out[family] = {
            "count": len(rows),
            "median_s": round(statistics.median(totals), 4),
            "max_s": round(max(totals), 4),
            "median_cpu_s": round(statistics.median(r["cpu_s"] for r in rows), 4),
            "max_cpu_s": round(max(r["cpu_s"] for r in rows), 4),
            "median_build_s": round(statistics.median(r["build_s"] for r in rows), 4),
            "median_solve_s": round(statistics.median(r["solve_s"] for r in rows), 4),
            "all_optimal": all(r["status"] == STATUS_OPTIMAL for r in rows),
            "max_vs_best": max((abs(r["vs_best"]) for r in rows if "vs_best" in r), default=None),
        }
    return out


def shifted(scenario: Scenario, previous: Plan, k: int) -> Scenario:
    """The scenario `k` slots later: series shifted, SoC and a running heater block taken from `previous`."""
    s = scenario.series
    series = Series(*(v[k:] for v in (s.import_price, s.export_price, s.load_kwh, s.pv_kwh)))
    soc = previous.slots[0].soc_kwh if previous.slots else None
    battery = scenario.battery
    if soc is not None and battery.capacity_kwh > 0:
        percent = min(100.0, max(0.0, 100 * soc / battery.capacity_kwh))
        battery = replace(battery, initial_soc_percent=percent)
    heater = scenario.water_heater
    if heater is not None and previous.slots:
        dropped = previous.slots[:k]
        running = len(previous.slots) > k and dropped[-1].water_kw > 0 and previous.slots[k].water_kw > 0
        defer = timedelta(hours=heater.defer_up_to_hours)
        same_day = (scenario.slot_start(0) - defer).date() == (scenario.slot_start(k) - defer).date()
        done = sum(s.water_kw for s in dropped) * scenario.slot_hours
        heated = (heater.heated_today_kwh if same_day else 0.0) + done
        heater = replace(heater, force_on_slots=(0,) if running else (), heated_today_kwh=heated)
    start = scenario.slot_start(k)
    return replace(scenario, series=series, battery=battery, water_heater=heater, start=start)


def _warm(scenario: Scenario, name: str, options: SolverOptions, replans: int) -> dict[str, Any]:
    previous = plan(scenario, options)
    cold_times, warm_times, diffs = [], [], []
    current = scenario
    for _ in range(replans):
        if not previous.ok:
            break
        current = shifted(current, previous, 1)
        started = time.perf_counter()
        cold = plan(current, options)
        cold_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        warm = plan(current, options, warm_start=previous)
        warm_times.append(time.perf_counter() - started)
        if cold.objective is not None and warm.objective is not None:
            diffs.append(abs(cold.objective - warm.objective))
        previous = warm
    cold_med = statistics.median(cold_times) if cold_times else 0.0
    warm_med = statistics.median(warm_times) if warm_times else 0.0
    print(f"  warm {name}: cold {cold_med:.3f} s, warm {warm_med:.3f} s", file=sys.stderr)
    return {
        "name": name,
        "replans": len(warm_times),
        "cold_median_s": round(cold_med, 4),
        "warm_median_s": round(warm_med, 4),
        "speedup": round(cold_med / warm_med, 2) if warm_med else None,
        "max_objective_diff": round(max(diffs), 6) if diffs else None,
    }


def _text(report: dict[str, Any]) -> str:
    lines = [f"scenarios: {report['dir']}", ""]
    lines.append(
        f"{'scenario':24} {'status':10} {'objective':>10} {'build s':>8} {'solve s':>8} {'total s':>8} {'cpu s':>7} {'vs best':>9}"
    )
    for r in report["scenarios"]:
        obj = "-" if r["objective"] is None else f"{r['objective']:.4f}"
        vs = f"{r['vs_best']:+.4f}" if "vs_best" in r else "-"
        lines.append(
            f"{r['name']:24} {r['status']:10} {obj:>10} {r['build_s']:8.3f} {r['solve_s']:8.3f} {r['total_s']:8.3f} {r['cpu_s']:7.3f} {vs:>9}"
        )
    lines += [
        "",
        f"{'family':8} {'n':>3} {'median s':>9} {'worst s':>8} {'cpu med':>8} {'cpu max':>8} {'build s':>8} {'solve s':>8} {'optimal':>8} {'max |vs best|':>14}",
    ]
    for family, f in report["families"].items():
        vs = "-" if f["max_vs_best"] is None else f"{f['max_vs_best']:.4f}"
        lines.append(
            f"{family:8} {f['count']:3} {f['median_s']:9.3f} {f['max_s']:8.3f} {f['median_cpu_s']:8.3f} {f['max_cpu_s']:8.3f} "
            f"{f['median_build_s']:8.3f} "
            f"{f['median_solve_s']:8.3f} {f['all_optimal']!s:>8} {vs:>14}"
        )
    for w in report.get("warm", []):
        lines.append(
            f"warm {w['name']}: {w['replans']} replans, cold median {w['cold_median_s']:.3f} s, warm median "
            f"{w['warm_median_s']:.3f} s, speed-up x{w['speedup']}, max objective diff {w['max_objective_diff']}"
        )
    return "\n".join(lines)
