"""`scripts/plan SCENARIO.json [-o PLAN.json] [--table] [--plot plan.png]`: run Kepler on a scenario file.

Writes the plan JSON (to -o, or to stdout when neither -o nor --table is given). Exit codes: 0 for a
plan (optimal or time_limit), 1 for an infeasible scenario (the plan JSON still carries the reason),
2 for bad input (one line naming the field).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
import json
from pathlib import Path
import sys

from ..kepler import SolverOptions, plan
from ..plan import Plan, plan_to_dict
from ..scenario import Scenario, ScenarioError, load_scenario


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="plan", description="Plan a scenario with Kepler.")
    parser.add_argument("scenario", help="scenario JSON file (scenario format version 1)")
    parser.add_argument("-o", "--output", help="write the plan JSON here")
    parser.add_argument("--table", action="store_true", help="print a per-hour summary")
    parser.add_argument("--plot", metavar="PNG", help="draw the plan into this image")
    parser.add_argument("--time-limit", type=float, default=10.0, help="solver time limit in seconds")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the planner CLI; returns the exit code."""
    args = parse_args(argv)
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as err:
        print(f"error: {args.scenario}: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: {args.scenario}: {err.strerror or err}", file=sys.stderr)
        return 2
    result = plan(scenario, SolverOptions(time_limit_s=args.time_limit))
    text = json.dumps(plan_to_dict(result), indent=1)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    elif not args.table:
        print(text)
    if args.table:
        print(hourly_table(scenario, result))
    if args.plot and result.ok:
        draw_plan(scenario, result, args.plot)
    summary = f"{result.status}: objective {result.objective}, build {result.build_seconds:.3f} s, solve {result.solve_seconds:.3f} s"
    print(summary + (f" ({result.reason})" if result.reason else ""), file=sys.stderr)
    return 0 if result.ok else 1


def hourly_table(scenario: Scenario, result: Plan) -> str:
    """A readable per-hour summary: price, load, PV, battery, SoC, water heater, grid cost."""
    if not result.ok:
        return f"{result.status}: {result.reason}"
    s = scenario.series
    rows: dict[str, list[float]] = {}
    for t, slot in enumerate(result.slots):
        hour = slot.start.strftime("%a %H:00")
        row = rows.setdefault(hour, [0.0] * 8)
        row[0] += s.import_price[t]
        row[1] += 1
        row[2] += s.load_kwh[t]
        row[3] += s.pv_kwh[t]
        row[4] += slot.charge_kwh - slot.discharge_kwh
        row[5] = slot.soc_kwh
        row[6] += slot.water_kw * scenario.slot_hours
        row[7] += slot.import_kwh * s.import_price[t] - slot.export_kwh * s.export_price[t]
    head = f"{'hour':10} {'price':>7} {'load':>6} {'pv':>6} {'batt':>6} {'soc':>6} {'water':>6} {'cost':>8}"
    lines = [head, "-" * len(head)]
    for hour, r in rows.items():
        lines.append(
            f"{hour:10} {r[0] / r[1]:7.3f} {r[2]:6.2f} {r[3]:6.2f} {r[4]:+6.2f} {r[5]:6.2f} {r[6]:6.2f} {r[7]:8.3f}"
        )
    total = sum(r[7] for r in rows.values())
    lines.append(f"{'total':10} {'':>7} {'':>6} {'':>6} {'':>6} {'':>6} {'':>6} {total:8.3f}")
    lines.append(f"objective {result.objective:.4f} ({result.status})")
    return "\n".join(lines)


def draw_plan(scenario: Scenario, result: Plan, path: str) -> None:
    """Price, battery power, SoC, water heating and grid over the horizon, into a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    times = [slot.start for slot in result.slots]
    dt = scenario.slot_hours
    fig, axes = plt.subplots(5, 1, figsize=(12, 11), sharex=True)
    axes[0].step(times, scenario.series.import_price, where="post", label="import")
    axes[0].step(times, scenario.series.export_price, where="post", label="export")
    axes[0].set_ylabel("price / kWh")
    axes[1].bar(
        times, [(s.charge_kwh - s.discharge_kwh) / dt for s in result.slots], width=dt / 24, label="battery"
    )
    axes[1].set_ylabel("battery kW (+charge)")
    axes[2].plot(times, [s.soc_kwh for s in result.slots])
    axes[2].set_ylabel("SoC kWh")
    axes[3].bar(times, [s.water_kw for s in result.slots], width=dt / 24, color="tab:red")
    axes[3].set_ylabel("water kW")
    axes[4].bar(
        times, [(s.import_kwh - s.export_kwh) / dt for s in result.slots], width=dt / 24, color="tab:gray"
    )
    axes[4].set_ylabel("grid kW (+import)")
    for ax in axes:
        ax.grid(alpha=0.3)
    axes[0].legend()
    axes[0].set_title(f"{scenario.name or 'plan'}: {result.status}, objective {result.objective:.4f}")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
