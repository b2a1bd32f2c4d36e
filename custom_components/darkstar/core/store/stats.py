"""Store statistics: row counts, sizes, compression ratio."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import aiosqlite

from .schema import SCHEMA_VERSION


@dataclass(frozen=True)
class StoreStats:
    """What the store holds and how big it is."""

    episodes: int
    episodes_by_system: dict[str, int] = field(default_factory=dict)
    raw_bytes: int = 0
    stored_bytes: int = 0
    observations: int = 0
    quality_days: int = 0
    oldest_episode: str | None = None
    newest_episode: str | None = None
    file_bytes: int = 0
    schema_version: int = SCHEMA_VERSION

    @property
    def compression_ratio(self) -> float | None:
        """raw / stored bytes of the episode blobs (None when empty)."""
        return self.raw_bytes / self.stored_bytes if self.stored_bytes else None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able form, including the ratio."""
        data = asdict(self)
        ratio = self.compression_ratio
        data["compression_ratio"] = None if ratio is None else round(ratio, 2)
        return data


async def _one(db: aiosqlite.Connection, sql: str) -> tuple[Any, ...]:
    async with db.execute(sql) as cur:
        row = await cur.fetchone()
    return tuple(row) if row else ()


async def gather_stats(db: aiosqlite.Connection, path: Path) -> StoreStats:
    """Collect StoreStats from an open connection."""
    count, raw, stored, oldest, newest = await _one(
        db,
        "SELECT COUNT(*), TOTAL(raw_bytes), TOTAL(stored_bytes), MIN(created_at), MAX(created_at) FROM training_episodes",
    )
    async with db.execute(
        "SELECT system_id, COUNT(*) FROM training_episodes GROUP BY system_id ORDER BY system_id"
    ) as cur:
        by_system = {str(s): int(n) for s, n in await cur.fetchall()}
    (observations,) = await _one(db, "SELECT COUNT(*) FROM slot_observations")
    (days,) = await _one(db, "SELECT COUNT(*) FROM data_quality_daily")
    (pages,) = await _one(db, "PRAGMA page_count")
    (page_size,) = await _one(db, "PRAGMA page_size")
    (version,) = await _one(db, "PRAGMA user_version")
    return StoreStats(
        episodes=int(count),
        episodes_by_system=by_system,
        raw_bytes=int(raw),
        stored_bytes=int(stored),
        observations=int(observations),
        quality_days=int(days),
        oldest_episode=oldest,
        newest_episode=newest,
        file_bytes=int(pages) * int(page_size),
        schema_version=int(version),
    )
