"""Synchronous helpers for scripts (e.g. the replay simulator's --record DB)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from .episodes import Episode
from .store import EpisodeStore

SYNC_BATCH = 500


def record_episodes_sync(path: str | Path, episodes: Iterable[Episode], *, batch: int = SYNC_BATCH) -> int:
    """Write episodes to the store at `path` (created if missing); returns how many were written."""

    async def run() -> int:
        written = 0
        iterator = iter(episodes)
        async with EpisodeStore(path) as store:
            while chunk := list(islice(iterator, batch)):
                written += await store.add_episodes(chunk)
        return written

    return asyncio.run(run())


def read_episodes_sync(
    path: str | Path, system_id: str | None = None, *, parts: Iterable[str] | None = None
) -> list[Episode]:
    """Every episode of the store at `path`, oldest first (read-only); `parts` as in `read_all`."""

    async def run() -> list[Episode]:
        async with EpisodeStore(path, read_only=True) as store:
            return await store.read_all(system_id, parts=parts)

    return asyncio.run(run())
