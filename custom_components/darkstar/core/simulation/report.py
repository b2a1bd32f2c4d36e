"""The savings report: per month and in total, per strategy; as a dict (for --json) and a table.

Per strategy: `cost` (import − export revenue + battery wear, in the prices' currency),
`savings` (no_battery cost − cost), `captured` (savings / perfect-foresight savings, None when the
latter is not positive), `cycles` (discharged kWh / capacity), energies, `heater_violations`
(daily minimum or spacing broken in what was executed; must be 0), `water_blocked` (heater starts
the executor refused because of the spacing rule), `solves` and `mean_solve_s` (wall time per
planner call, including model build).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict
from typing import Any
from zoneinfo import ZoneInfo

from .engine import ReplayResult, Trace
from .rules import heater_violations

COLUMNS = ("cost", "savings", "captured", "cycles", "heater_violations", "mean_solve_s")


def _month_of_slot(result: ReplayResult, tz: ZoneInfo) -> dict[int, str]:
    slots = {t for trace in result.traces.values() for t in trace.slots}
    return {t: result.series.time(t).astimezone(tz).strftime("%Y-%m") for t in slots}


def _sums(trace: Trace, months: dict[int, str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for t, r in zip(trace.slots, trace.results, strict=True):
        for key in ("", months[t]):
            row = out[key]
            row["cost"] += r.cost
            row["import_kwh"] += r.import_kwh
            row["export_kwh"] += r.export_kwh
            row["charge_kwh"] += r.charge_kwh
            row["discharge_kwh"] += r.discharge_kwh
            row["water_kwh"] += r.water_kwh
            row["curtail_kwh"] += r.curtail_kwh
            row["wear_cost"] += r.wear_cost
    return out


def _solves(trace: Trace, tz: ZoneInfo) -> dict[str, list[float]]:
    out: dict[str, list[float]] = defaultdict(list)
    for when, seconds in zip(trace.solve_times, trace.solve_seconds, strict=True):
        out[""].append(seconds)
        out[when.astimezone(tz).strftime("%Y-%m")].append(seconds)
    return out


def _row(sums: dict[str, float], base: float, best: float, capacity: float) -> dict[str, Any]:
    savings = base - sums["cost"]
    pf_savings = base - best
    row: dict[str, Any] = {k: round(v, 6) for k, v in sums.items()}
    row["savings"] = round(savings, 6)
    row["captured"] = round(savings / pf_savings, 6) if pf_savings > 1e-9 else None
    row["cycles"] = round(sums["discharge_kwh"] / capacity, 3) if capacity > 0 else 0.0
    return row


def build_report(result: ReplayResult) -> dict[str, Any]:
    """The report as one JSON-ready dict: settings, strategies (total), months, skipped days."""
    tz = ZoneInfo(result.home.timezone)
    months = _month_of_slot(result, tz)
    sums = {name: _sums(trace, months) for name, trace in result.traces.items()}
    keys = ["", *sorted(set(months.values()))]
    tables: dict[str, dict[str, Any]] = {}
    from .calendar import build_calendar

    calendar = build_calendar(result.series, result.home.timezone, result.home.prices_published_hour)
    for name, trace in result.traces.items():
        water = [r.water_kwh for r in trace.results]
        violations = heater_violations(result.home, calendar, trace.slots, water, result.series.slot_minutes)
        solves = _solves(trace, tz)
        for key in keys:
            base = sums.get("no_battery", sums[name])[key]["cost"]
            best = sums.get("perfect_foresight", sums[name])[key]["cost"]
            row = _row(sums[name][key], base, best, result.home.battery.capacity_kwh)
            row["heater_violations"] = sum(1 for t, _ in violations if key in ("", months.get(t)))
            row["solves"] = len(solves[key])
            row["mean_solve_s"] = round(sum(solves[key]) / len(solves[key]), 4) if solves[key] else None
            if key == "":
                row["water_blocked"] = trace.water_blocked
                row["fallbacks"] = trace.fallbacks
                row["violation_details"] = [msg for _, msg in violations[:20]]
            tables.setdefault(key, {})[name] = row
    return {
        "settings": _settings(result),
        "strategies": tables.get("", {}),
        "months": [{"month": key, "strategies": tables[key]} for key in keys[1:]],
        "skipped_days": [
            {"day": q.day.isoformat(), "class": q.cls, "reasons": list(q.reasons)}
            for q in result.quality
            if not q.usable
        ],
    }


def _settings(result: ReplayResult) -> dict[str, Any]:
    s = asdict(result.settings)
    s["first_day"] = s["first_day"].isoformat() if s["first_day"] else None
    s["last_day"] = s["last_day"].isoformat() if s["last_day"] else None
    used = [q.day for q in result.quality if q.usable]
    s["days_replayed"] = len(used)
    s["period"] = f"{used[0]}:{used[-1]}" if used else None
    s["slot_minutes"] = result.series.slot_minutes
    s["perfect_foresight_includes"] = (
        "battery and water heater scheduled jointly with hindsight: actual load and PV, all prices of each run, "
        f"{s['pf_window_days'] + s['pf_overlap_days']}-day MILP windows executed {s['pf_window_days']} days at a time, "
        "same settlement (physics, money, wear) as the other strategies"
    )
    s["baselines_heater"] = (
        "no_battery and self_consumption heat in the cheapest contiguous block of each day"
    )
    home = result.home
    s["home"] = {
        "battery": asdict(home.battery),
        "water_heater": None
        if home.water_heater is None
        else {**asdict(home.water_heater), "force_on_slots": []},
        "tariff": asdict(home.tariff),
        "timezone": home.timezone,
        "prices_published_hour": home.prices_published_hour,
    }
    return s


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_table(report: dict[str, Any]) -> str:
    """The report as a plain-text table per month and in total."""
    lines = []
    blocks = [(m["month"], m["strategies"]) for m in report["months"]] + [("total", report["strategies"])]
    header = f"{'period':<8} {'strategy':<18}" + "".join(f"{c:>18}" for c in COLUMNS)
    for label, table in blocks:
        lines.append(header)
        for name, row in table.items():
            lines.append(f"{label:<8} {name:<18}" + "".join(f"{_fmt(row.get(c)):>18}" for c in COLUMNS))
        lines.append("")
    skipped = report["skipped_days"]
    lines.append(f"skipped days: {len(skipped)}")
    lines.extend(f"  {d['day']} ({d['class']}): {'; '.join(d['reasons'])}" for d in skipped)
    return "\n".join(lines)
