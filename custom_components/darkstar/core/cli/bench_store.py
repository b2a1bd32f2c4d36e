"""`scripts/bench_store [--json] [--count N]`: size and speed of the learning store.

Writes N realistic episodes (the shared scenarios and their Kepler plans, with varying ids, times,
contexts and overrides) into a fresh store, then measures single reads, reading everything, and
the file size after VACUUM. Times are wall-clock; the *_cpu_s figures are this process's CPU time
(all threads), which is the fairer number on a shared machine. `read_all_s` decodes every episode
into memory at once (per 48-hour episode ~2,300 floats: the schedule's as read-only numpy arrays,
the inputs' series as lists whose runs of equal values share one float object); `stream_all_s`
walks them in batches with `iter_episodes`; `read_inputs_s` reads only the inputs (`parts=("inputs",)`).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
import random
import sqlite3
import sys
import tempfile
import time
from typing import Any

from ..plan import STATUS_OPTIMAL, Plan, PlanSlot
from ..scenario import Scenario, load_scenario
from ..store import Episode, EpisodeStore, make_episode
from ..store.episodes import EPISODE_ROW

SCENARIO_DIR = Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "scenarios"
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


def make_episodes(runs: list[tuple[Scenario, Plan]], count: int, seed: int = 5) -> Iterator[Episode]:
    """`count` episodes cycling through the runs, each planned 15 minutes after the previous one.

    Each episode's horizon is moved to its own planning time (inputs start and slot times), so no
    two episodes are byte-identical, as in a real store; contexts and overrides vary too.
    """
    rng = random.Random(seed)
    for i in range(count):
        scenario, plan = runs[i % len(runs)]
        shift = timedelta(minutes=15 * i)
        base = make_episode(
            scenario,
            plan,
            system_id="simulation",
            context=_context(rng),
            config_overrides={"target_soc_percent": rng.choice([40, 50, 60])} if rng.random() < 0.3 else {},
            created_at=BENCH_START + shift,
        )
        yield replace(
            base,
            inputs=_shifted_inputs(base.inputs, scenario, shift),
            schedule=_shifted_schedule(base.schedule, scenario, shift),
        )


BENCH_START = datetime(2025, 7, 1, tzinfo=UTC)


def _context(rng: random.Random) -> dict[str, Any]:
    return {
        "s_index": round(rng.uniform(0.8, 1.6), 3),
        "risk_appetite": rng.randint(1, 5),
        "vacation_mode": rng.random() < 0.05,
        "strategy": rng.choice(["default", "wide_spread", "volatile_weather"]),
        "trigger": rng.choice(["schedule", "price_update", "state_change"]),
    }


def _start(scenario: Scenario, shift: timedelta) -> datetime:
    """Where the shifted horizon starts: the bench's start plus the shift, in the scenario's zone."""
    return (BENCH_START + shift).astimezone(scenario.tz)


def _shifted_inputs(inputs: dict[str, Any], scenario: Scenario, shift: timedelta) -> dict[str, Any]:
    return {**inputs, "start": _start(scenario, shift).isoformat()}


def _shifted_schedule(schedule: dict[str, Any], scenario: Scenario, shift: timedelta) -> dict[str, Any]:
    """The columnar schedule moved to the shifted horizon (its slot times follow from `start`)."""
    if schedule.get("start") is None:
        return schedule
    if "starts" in schedule:
        raise ValueError("bench plans must have regular slot times")
    return {**schedule, "start": _start(scenario, shift).isoformat()}


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


def fetch_all_rows(db: Path) -> int:
    """Read every episode row without decoding it (the SQL part of `read_all`); returns how many."""
    sql = f"SELECT {EPISODE_ROW} FROM training_episodes ORDER BY created_at, episode_id"
    with closing(sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return len(conn.execute(sql).fetchall())


async def measure(db: Path, episodes: Iterator[Episode], count: int) -> dict[str, Any]:
    """Write, read and vacuum; returns the measurements.

    Episodes are generated while writing and only a sample is kept for the read-back check, so the
    benchmark process does not hold thousands of decoded episodes (which slows Python's GC).
    """
    sampled = set(random.Random(1).sample(range(count), min(READ_SAMPLE, count)))
    sample: list[Episode] = []
    async with EpisodeStore(db) as store:
        t0 = time.perf_counter()
        for i, episode in enumerate(episodes):
            await store.add_episode(episode)
            if i in sampled:
                sample.append(episode)
            if (i + 1) % 1000 == 0:
                progress(f"wrote {i + 1}/{count}")
        write_s = time.perf_counter() - t0
        await store.vacuum()
        t0 = time.perf_counter()
        for episode in sample:
            if await store.get_episode(episode.episode_id) != episode:
                raise RuntimeError(f"episode {episode.episode_id} did not read back identical")
        read_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        await asyncio.to_thread(fetch_all_rows, db)
        fetch_s = time.perf_counter() - t0
        progress("streaming all episodes")
        t0, c0 = time.perf_counter(), time.process_time()
        streamed = sum([1 async for _ in store.iter_episodes()])
        stream_s, stream_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        progress("reading all episodes into memory")
        t0, c0 = time.perf_counter(), time.process_time()
        everything = await store.read_all()
        read_all_s, read_all_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        read_count = len(everything)
        del everything
        progress("reading only the inputs of all episodes")
        t0, c0 = time.perf_counter(), time.process_time()
        inputs_only = len(await store.read_all(parts=("inputs",)))
        inputs_s, inputs_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        stats = await store.stats()
    n = count
    if read_count != n or streamed != n or inputs_only != n:
        raise RuntimeError(f"read {read_count} / streamed {streamed} / {inputs_only} inputs, wrote {n}")
    file_bytes = stats.file_bytes
    return {
        "episodes": n,
        "bytes_per_episode": round(file_bytes / n, 1),
        "stored_bytes_per_episode": round(stats.stored_bytes / n, 1),
        "raw_bytes_per_episode": round(stats.raw_bytes / n, 1),
        "compression_ratio": round(stats.raw_bytes / stats.stored_bytes, 1),
        "write_ms_per_episode": round(write_s * 1000 / n, 3),
        "read_ms_per_episode": round(read_s * 1000 / len(sample), 3),
        "fetch_all_rows_s": round(fetch_s, 3),
        "read_all_s": round(read_all_s, 3),
        "read_all_cpu_s": round(read_all_cpu_s, 3),
        "stream_all_s": round(stream_s, 3),
        "stream_all_cpu_s": round(stream_cpu_s, 3),
        "read_inputs_s": round(inputs_s, 3),
        "read_inputs_cpu_s": round(inputs_cpu_s, 3),
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
    with tempfile.TemporaryDirectory(prefix="darkstar-bench-") as folder:
        db = args.db or Path(folder) / "bench.db"
        result = asyncio.run(measure(db, make_episodes(runs, args.count), args.count))
    result["plans"] = args.plans
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:26} {value}")
    return 0
