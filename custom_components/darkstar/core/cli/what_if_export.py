"""`scripts/what_if_export SERIES.csv --day YYYY-MM-DD --kwh X [--soc PERCENT] [--home HOME.json] [--json]`:
export X kWh more at the day's highest export prices; report realised export and the money effect."""

from __future__ import annotations

import argparse
from datetime import date
import json
import sys

from ..scenario import ScenarioError
from ..simulation.home import Home, load_home
from ..simulation.series import SeriesError, load_series_csv
from ..simulation.what_if import WhatIfResult, export_what_if, what_if_to_dict


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    p = argparse.ArgumentParser(prog="what_if_export", description="Export what-if for one day.")
    p.add_argument("series", help="CSV with utc, spot_<cur>_mwh, load_kwh, pv_kwh")
    p.add_argument("--day", required=True, help="local day, YYYY-MM-DD")
    p.add_argument("--kwh", required=True, type=float, help="extra energy to export (kWh)")
    p.add_argument("--soc", type=float, help="SoC at the start of the day in percent (default: the home's)")
    p.add_argument(
        "--home", metavar="HOME.json", help="battery/grid/water_heater/tariff (default: water-* home)"
    )
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    return p


def format_result(result: WhatIfResult) -> str:
    """The result as plain text."""
    lines = [f"export what-if for {result.day}: {result.requested_kwh:g} kWh requested"]
    lines.append(f"{'slot':<26}{'export price':>14}{'allocated kWh':>15}{'realised kWh':>14}")
    lines.extend(
        f"{s.start.isoformat():<26}{s.export_price:>14.4f}{s.allocated_kwh:>15.3f}{s.realised_kwh:>14.3f}"
        for s in result.slots
    )
    lines.append(
        f"allocated export: {result.allocated_kwh:.3f} kWh, realised export: {result.realised_kwh:.3f} kWh"
    )
    lines.append(f"day cost: baseline {result.baseline_cost:.4f}, what-if {result.what_if_cost:.4f}")
    lines.append(f"net money effect: {result.net_effect:+.4f} (positive = the export pays)")
    lines.append(
        f"end-of-day SoC: baseline {result.baseline_end_soc_kwh:.2f} kWh, what-if {result.what_if_end_soc_kwh:.2f} kWh"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the what-if; 2 on bad input."""
    args = build_parser().parse_args(argv)
    try:
        day = date.fromisoformat(args.day)
        if args.kwh < 0:
            raise ValueError(f"--kwh must be >= 0, got {args.kwh:g}")
        home = load_home(args.home) if args.home else Home()
        series = load_series_csv(args.series)
        if day not in series.local_days(home.timezone):
            raise ValueError(f"--day {day} is not in the series")
        if args.soc is not None and not 0 <= args.soc <= 100:
            raise ValueError(f"--soc must be 0..100, got {args.soc:g}")
        soc = None if args.soc is None else home.battery.capacity_kwh * args.soc / 100
        if not series.is_complete_day(day, home.timezone):
            raise ValueError(f"--day {day} has missing data")
    except (SeriesError, ScenarioError, ValueError) as err:
        print(f"what_if_export: {err}", file=sys.stderr)
        return 2
    result = export_what_if(series, home, day, args.kwh, soc_kwh=soc)
    print(json.dumps(what_if_to_dict(result), indent=1) if args.json else format_result(result))
    return 0
