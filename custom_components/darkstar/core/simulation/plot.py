"""The report figure: cumulative savings by strategy, and one example week's SoC and prices."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .engine import ReplayResult

COLORS = {
    "no_battery": "black",
    "self_consumption": "tab:blue",
    "mpc": "tab:orange",
    "perfect_foresight": "tab:green",
}


def _cumulative_savings(result: ReplayResult, name: str) -> tuple[list[object], np.ndarray]:
    base = {
        t: r.cost
        for t, r in zip(result.traces["no_battery"].slots, result.traces["no_battery"].results, strict=True)
    }
    trace = result.traces[name]
    times = [result.series.time(t) for t in trace.slots]
    savings = np.cumsum([base[t] - r.cost for t, r in zip(trace.slots, trace.results, strict=True)])
    return times, savings


def plot_report(result: ReplayResult, path: str | Path, week_start: int | None = None) -> None:
    """Write the figure to `path` (PNG); the example week starts `week_start` slots into the run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 8))
    for name in result.traces:
        if name != "no_battery" and "no_battery" in result.traces:
            times, savings = _cumulative_savings(result, name)
            top.plot(times, savings, label=name, color=COLORS.get(name))
    top.set_title("Cumulative savings against no battery")
    top.set_ylabel("currency")
    top.legend()
    week = 7 * 24 * 60 // result.series.slot_minutes
    mpc = result.traces.get("mpc") or next(iter(result.traces.values()))
    first = week_start if week_start is not None else max(0, len(mpc.slots) // 2 - week // 2)
    for name in ("mpc", "perfect_foresight", "self_consumption"):
        trace = result.traces.get(name)
        if trace is None:
            continue
        part = slice(first, first + week)
        times = [result.series.time(t) for t in trace.slots[part]]
        socs = [r.soc_end_kwh for r in trace.results[part]]
        bottom.plot(times, socs, label=f"SoC {name}", color=COLORS.get(name))
    bottom.set_ylabel("kWh")
    prices = bottom.twinx()
    slots = mpc.slots[first : first + week]
    prices.plot(
        [result.series.time(t) for t in slots],
        result.home.tariff.import_price(result.series.spot[slots]),
        color="grey",
        alpha=0.5,
        label="import price",
    )
    prices.set_ylabel("price per kWh")
    bottom.set_title("Example week: state of charge and import price")
    bottom.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
