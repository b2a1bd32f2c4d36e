"""Turn the replay's planning steps into learning-store episodes (system_id "simulation")."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from ..plan import Plan
from ..quality import DayQuality
from ..scenario import Scenario

SYSTEM_ID = "simulation"


@dataclass
class EpisodeRecorder:
    """Collects one episode per planning step, in exactly the live format (`make_episode`)."""

    context: dict[str, Any] = field(default_factory=dict)
    episodes: list[Any] = field(default_factory=list)

    def __call__(self, scenario: Scenario, plan: Plan, wall_seconds: float) -> None:
        """Plan hook for `MpcPolicy(on_plan=...)`."""
        from ..store import make_episode

        context = {**self.context, "wall_seconds": round(wall_seconds, 4)}
        self.episodes.append(
            make_episode(
                scenario,
                plan,
                system_id=SYSTEM_ID,
                context=context,
                created_at=scenario.start.astimezone(UTC),
            )
        )

    def write(self, path: str | Path, quality: list[DayQuality]) -> int:
        """Write the episodes and the day-quality rows to the store at `path`; returns episodes written."""
        from ..store import EpisodeStore
        from ..store.sync import SYNC_BATCH

        async def run() -> int:
            written = 0
            async with EpisodeStore(path) as store:  # opened once for both
                for i in range(0, len(self.episodes), SYNC_BATCH):
                    written += await store.add_episodes(self.episodes[i : i + SYNC_BATCH])
                for q in quality:
                    await store.set_day_quality(q)
            return written

        return asyncio.run(run())
