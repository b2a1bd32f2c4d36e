"""The planner's output (the scenario format's plan): status, objective, per-slot decisions, JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

STATUS_OPTIMAL = "optimal"
STATUS_TIME_LIMIT = "time_limit"
STATUS_INFEASIBLE = "infeasible"


@dataclass(frozen=True)
class PlanSlot:
    """Decisions for one slot; `soc_kwh` is the state of charge at the end of the slot."""

    start: datetime
    charge_kwh: float
    discharge_kwh: float
    import_kwh: float
    export_kwh: float
    soc_kwh: float
    water_kw: float
    curtail_kwh: float = 0.0
    import_breach_kwh: float = 0.0


@dataclass(frozen=True)
class Plan:
    """The planner's answer: status, objective, per-slot decisions and timings."""

    status: str
    objective: float | None
    solve_seconds: float
    slots: tuple[PlanSlot, ...] = ()
    reason: str | None = None
    build_seconds: float = 0.0
    mip_gap: float | None = None
    objective_terms: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the plan holds usable slots."""
        return self.status in (STATUS_OPTIMAL, STATUS_TIME_LIMIT) and bool(self.slots)


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """Turn a plan into the JSON form of the format's output."""
    data: dict[str, Any] = {
        "status": plan.status,
        "objective": None if plan.objective is None else round(plan.objective, 6),
        "solve_seconds": round(plan.solve_seconds, 4),
        "build_seconds": round(plan.build_seconds, 4),
    }
    if plan.reason:
        data["reason"] = plan.reason
    if plan.mip_gap is not None:
        data["mip_gap"] = plan.mip_gap
    if plan.objective_terms:
        data["objective_terms"] = {k: round(v, 6) for k, v in plan.objective_terms.items()}
    data["slots"] = [
        {
            "start": s.start.isoformat(),
            "charge_kwh": round(s.charge_kwh, 6),
            "discharge_kwh": round(s.discharge_kwh, 6),
            "import_kwh": round(s.import_kwh, 6),
            "export_kwh": round(s.export_kwh, 6),
            "soc_kwh": round(s.soc_kwh, 6),
            "water_kw": round(s.water_kw, 6),
            "curtail_kwh": round(s.curtail_kwh, 6),
            "import_breach_kwh": round(s.import_breach_kwh, 6),
        }
        for s in plan.slots
    ]
    return data


def plan_from_dict(data: dict[str, Any]) -> Plan:
    """Read a plan back from its JSON form."""
    slots = tuple(
        PlanSlot(
            start=datetime.fromisoformat(s["start"]),
            charge_kwh=float(s["charge_kwh"]),
            discharge_kwh=float(s["discharge_kwh"]),
            import_kwh=float(s["import_kwh"]),
            export_kwh=float(s["export_kwh"]),
            soc_kwh=float(s["soc_kwh"]),
            water_kw=float(s["water_kw"]),
            curtail_kwh=float(s.get("curtail_kwh", 0.0)),
            import_breach_kwh=float(s.get("import_breach_kwh", 0.0)),
        )
        for s in data.get("slots", [])
    )
    return Plan(
        status=str(data["status"]),
        objective=None if data.get("objective") is None else float(data["objective"]),
        solve_seconds=float(data.get("solve_seconds", 0.0)),
        slots=slots,
        reason=data.get("reason"),
        build_seconds=float(data.get("build_seconds", 0.0)),
        mip_gap=data.get("mip_gap"),
        objective_terms=dict(data.get("objective_terms", {})),
    )
