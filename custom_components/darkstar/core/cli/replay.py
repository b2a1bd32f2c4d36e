"""`scripts/replay SERIES.csv [--forecast perfect|naive] [--replan-every N] [--days FROM:TO]
[--home HOME.json] [--record DB] [--plot report.png] [--json]`: replay history, report savings.

`--forecast aurora` is accepted but not available yet: it exits 2 with a one-line reason."""

from __future__ import annotations

import argparse
from datetime import date
import json
import sys
import time

from ..scenario import ScenarioError
from ..simulation.engine import ReplaySettings, replay
from ..simulation.forecasts import KNOWN_MODES, make_forecaster
from ..simulation.home import Home, load_home
from ..simulation.mpc import EXECUTORS
from ..simulation.progress import ProgressBar
from ..simulation.record import EpisodeRecorder
from ..simulation.report import build_report, format_table
from ..simulation.series import SeriesError, load_series_csv


class UsageError(ValueError):
    """Bad command-line input."""


def parse_days(text: str | None) -> tuple[date | None, date | None]:
    """`FROM:TO` (ISO dates, either side may be empty) -> (first, last)."""
    if not text:
        return None, None
    if ":" not in text:
        raise UsageError(f"--days: expected FROM:TO, got {text!r}")
    lo, hi = text.split(":", 1)
    try:
        first = date.fromisoformat(lo) if lo else None
        last = date.fromisoformat(hi) if hi else None
    except ValueError as err:
        raise UsageError(f"--days: {err}") from err
    if first and last and first > last:
        raise UsageError(f"--days: {first} is after {last}")
    return first, last


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    p = argparse.ArgumentParser(prog="replay", description="Replay a home's history through Darkstar.")
    p.add_argument("series", help="CSV with utc, spot_<cur>_mwh, load_kwh, pv_kwh")
    p.add_argument(
        "--forecast",
        default="perfect",
        choices=KNOWN_MODES,
        help="load/PV forecast the planner sees (default perfect; aurora is not available yet)",
    )
    p.add_argument("--replan-every", type=int, default=4, metavar="N", help="slots between plans (default 4)")
    p.add_argument("--days", metavar="FROM:TO", help="local days to replay, e.g. 2025-07-10:2025-07-20")
    p.add_argument(
        "--home", metavar="HOME.json", help="battery/grid/water_heater/tariff (default: water-* home)"
    )
    p.add_argument("--record", metavar="DB", help="write every MPC planning step to this learning store")
    p.add_argument("--plot", metavar="PNG", help="write cumulative savings and an example week")
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.add_argument(
        "--executor",
        default="modes",
        choices=EXECUTORS,
        help="how MPC executes a plan slot: inverter modes (default) or the planned battery energy (see mpc.py)",
    )
    p.add_argument("--warm-start", action="store_true", help="warm-start each MPC plan from the previous one")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return p


def _settings(args: argparse.Namespace) -> ReplaySettings:
    if args.replan_every < 1:
        raise UsageError(f"--replan-every must be >= 1, got {args.replan_every}")
    first, last = parse_days(args.days)
    return ReplaySettings(
        forecast=args.forecast,
        replan_every=args.replan_every,
        first_day=first,
        last_day=last,
        executor=args.executor,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the replay; print the table (or JSON); 2 on bad input."""
    args = build_parser().parse_args(argv)
    try:
        settings = _settings(args)
        home = load_home(args.home) if args.home else Home()
        series = load_series_csv(args.series)
        forecaster = make_forecaster(settings.forecast, series)
    except (UsageError, SeriesError, ScenarioError, ValueError) as err:
        print(f"replay: {err}", file=sys.stderr)
        return 2
    recorder = (
        EpisodeRecorder(context={"source": "replay", "forecast": settings.forecast}) if args.record else None
    )
    started = time.perf_counter()
    result = replay(
        series,
        home,
        settings,
        forecaster=forecaster,
        on_plan=recorder,
        progress=None if args.no_progress else ProgressBar(),
        warm_start=args.warm_start,
    )
    if not result.segments:
        print("replay: no usable days in the selected range", file=sys.stderr)
        return 2
    report = build_report(result)
    report["settings"]["series"] = args.series
    report["settings"]["wall_seconds"] = round(time.perf_counter() - started, 1)
    if recorder is not None:
        written = recorder.write(args.record, result.quality)
        report["recorded_episodes"] = written
        print(f"recorded {written} episodes to {args.record}", file=sys.stderr)
    if args.plot:
        from ..simulation.plot import plot_report

        plot_report(result, args.plot)
    print(json.dumps(report, indent=1) if args.json else format_table(report))
    return 0
