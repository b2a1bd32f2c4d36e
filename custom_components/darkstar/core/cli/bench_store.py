"""`scripts/bench_store [--json] [--count N]`: size and speed of the learning store.

Writes N realistic episodes (the shared scenarios and their Kepler plans, with varying ids, times,
contexts and overrides) into a fresh store, then measures single reads, reading everything, and
the file size after VACUUM.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import random
import sys
import tempfile
import time
from typing import Any

from ..scenario import STATUS_OPTIMAL, Plan, PlanSlot, Scenario, load_scenario
from ..store import Episode, EpisodeStore, make_episode

SCENARIO_DIR = Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "scenarios"
WRITE_BATCH = 1  # one episode per transaction, as the coordinator writes them
READ_SAMPLE = 300


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    parser = argparse.ArgumentParser(prog="bench_store", description="Benchmark the learning store.")
    parser.add_argument("--count", type=int, default=10_000, help="episodes to write (default 10000)")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument("--scenarios", type=Path, default=SCENARIO_DIR, help="folder of scenario JSON files")
    parser.add_argument(
        "--plans", choices=("kepler", "synthetic"), default="kepler", help="where plans come from"
    )
    parser.add_argument("--time-limit", type=float, default=10.0, help="Kepler time limit per plan (s)")
    parser.add_argument("--db", type=Path, help="write the store here (must not exist; default: a temp file)")
    return parser


def progress(message: str) -> None:
    """One progress line on stderr."""
    print(f"[bench_store] {message}", file=sys.stderr, flush=True)


def base_runs(folder: Path, source: str, time_limit: float) -> list[tuple[Scenario, Plan]]:
    """(scenario, plan) for every scenario file in `folder`."""
    files = sorted(folder.glob("*.json"))
    if not files:
        raise ValueError(f"no scenario files in {folder}")
    solver = _kepler(time_limit) if source == "kepler" else None
    runs = []
    for i, path in enumerate(files, 1):
        scenario = load_scenario(path)
        plan = solver(scenario) if solver else synthetic_plan(scenario)
        progress(f"plan {i}/{len(files)} {path.name}: {plan.status}")
        runs.append((scenario, plan))
    return runs


def _kepler(time_limit: float) -> Any:
    from ..kepler import SolverOptions, plan

    options = SolverOptions(time_limit_s=time_limit)
    return lambda scenario: plan(scenario, options)


def make_episodes(runs: list[tuple[Scenario, Plan]], count: int, seed: int = 5) -> list[Episode]:
    """`count` episodes cycling through the runs, 15 minutes apart, with varied context."""
    rng = random.Random(seed)
    start = datetime(2025, 7, 1, tzinfo=UTC)
    out = []
    for i in range(count):
        scenario, plan = runs[i % len(runs)]
        context = {
            "s_index": round(rng.uniform(0.8, 1.6), 3),
            "risk_appetite": rng.randint(1, 5),
            "vacation_mode": rng.random() < 0.05,
            "strategy": rng.choice(["default", "wide_spread", "volatile_weather"]),
            "trigger": rng.choice(["schedule", "price_update", "state_change"]),
        }
        overrides = {"target_soc_percent": rng.choice([None, 40, 50, 60])} if rng.random() < 0.3 else {}
        out.append(
            make_episode(
                scenario,
                plan,
                system_id="simulation",
                context=context,
                config_overrides=overrides,
                created_at=start + timedelta(minutes=15 * i),
            )
        )
    return out


def synthetic_plan(scenario: Scenario) -> Plan:
    """A plausible, not optimal plan (charge below the median price, discharge above): no Kepler needed."""
    b = scenario.battery
    soc = b.capacity_kwh * b.initial_soc_percent / 100
    low, high = b.capacity_kwh * b.min_soc_percent / 100, b.capacity_kwh * b.max_soc_percent / 100
    prices = scenario.series.import_price
    median = sorted(prices)[len(prices) // 2]
    slots = []
    for i in range(scenario.n_slots):
        load, pv = scenario.series.load_kwh[i], scenario.series.pv_kwh[i]
        charge = discharge = 0.0
        if prices[i] < median:
            charge = max(min(b.max_charge_kw * scenario.slot_hours, (high - soc) / b.charge_efficiency), 0.0)
        else:
            discharge = max(
                min(b.max_discharge_kw * scenario.slot_hours, (soc - low) * b.discharge_efficiency, load), 0.0
            )
        soc += charge * b.charge_efficiency - discharge / b.discharge_efficiency
        net = load - pv + charge - discharge
        slots.append(
            PlanSlot(
                start=scenario.slot_start(i),
                charge_kwh=charge,
                discharge_kwh=discharge,
                import_kwh=max(net, 0.0),
                export_kwh=max(-net, 0.0),
                soc_kwh=soc,
                water_kw=0.0,
            )
        )
    return Plan(status=STATUS_OPTIMAL, objective=0.0, solve_seconds=0.0, slots=tuple(slots))


async def measure(db: Path, episodes: list[Episode]) -> dict[str, Any]:
    """Write, read and vacuum; returns the measurements."""
    async with EpisodeStore(db) as store:
        t0 = time.perf_counter()
        for i in range(0, len(episodes), WRITE_BATCH):
            await store.add_episodes(episodes[i : i + WRITE_BATCH])
            if (i + WRITE_BATCH) % 1000 == 0:
                progress(f"wrote {i + WRITE_BATCH}/{len(episodes)}")
        write_s = time.perf_counter() - t0
        await store.vacuum()
        sample = random.Random(1).sample(episodes, min(READ_SAMPLE, len(episodes)))
        t0 = time.perf_counter()
        for episode in sample:
            if await store.get_episode(episode.episode_id) != episode:
                raise RuntimeError(f"episode {episode.episode_id} did not read back identical")
        read_s = time.perf_counter() - t0
        progress("reading all episodes")
        t0 = time.perf_counter()
        everything = await store.read_all()
        read_all_s = time.perf_counter() - t0
        stats = await store.stats()
    if len(everything) != len(episodes):
        raise RuntimeError(f"read {len(everything)} episodes, wrote {len(episodes)}")
    file_bytes = stats.file_bytes
    n = len(episodes)
    return {
        "episodes": n,
        "bytes_per_episode": round(file_bytes / n, 1),
        "stored_bytes_per_episode": round(stats.stored_bytes / n, 1),
        "raw_bytes_per_episode": round(stats.raw_bytes / n, 1),
        "compression_ratio": round(stats.raw_bytes / stats.stored_bytes, 1),
        "write_ms_per_episode": round(write_s * 1000 / n, 3),
        "read_ms_per_episode": round(read_s * 1000 / len(sample), 3),
        "read_all_s": round(read_all_s, 3),
        "file_bytes": file_bytes,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = build_parser().parse_args(argv)
    if args.count < 1:
        print("error: --count must be at least 1", file=sys.stderr)
        return 2
    if args.db is not None and args.db.exists():
        print(f"error: --db {args.db} already exists (the benchmark needs a fresh file)", file=sys.stderr)
        return 2
    try:
        runs = base_runs(args.scenarios, args.plans, args.time_limit)
    except (ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    episodes = make_episodes(runs, args.count)
    with tempfile.TemporaryDirectory(prefix="darkstar-bench-") as folder:
        db = args.db or Path(folder) / "bench.db"
        result = asyncio.run(measure(db, episodes))
    result["plans"] = args.plans
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:26} {value}")
    return 0
