"""EpisodeStore: the async (aiosqlite) learning store of one config entry.

One EpisodeStore is the single writer of its file; any number of other connections may read at the
same time (WAL mode). Writes are serialised by an asyncio lock, run as one `BEGIN IMMEDIATE`
transaction each, and are retried with backoff while another process holds the lock. Encoding and
decoding of blobs run in a worker thread so the event loop never waits for zlib or JSON.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from datetime import UTC, date, datetime
import json
from pathlib import Path
import sqlite3
from types import TracebackType
from typing import Any, Self

import aiosqlite

from .connection import as_store_error, connect, disconnect, migrate, move_aside, quick_check, with_retries
from .episodes import (
    EPISODE_ROW,
    Episode,
    EpisodeInfo,
    check_rows,
    check_system_id,
    decode_episode,
    decode_rows,
    encode_episode,
    episode_row,
    info_from_row,
    time_to_text,
)
from .errors import CorruptStoreError, StoreError
from .observations import SlotObservation
from .retention import VACUUM_MIN_ROWS, cutoff_text
from .rows import (
    OBSERVATION_COLUMNS,
    DayQuality,
    check_quality_class,
    observation_from_row,
    observation_row,
    quality_from_row,
    slot_text,
)
from .stats import StoreStats, gather_stats

CLEAR_TABLES = {
    "episodes": "training_episodes",
    "observations": "slot_observations",
    "quality": "data_quality_daily",
}
READ_BATCH = 500


class EpisodeStore:
    """The learning store: training episodes, slot observations and daily data quality."""

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        busy_timeout: float = 5.0,
        retry_attempts: int = 5,
        retry_delay: float = 0.2,
    ) -> None:
        """Configure the store; nothing is opened until `open()`."""
        self.path = Path(path)
        self.read_only = read_only
        self._busy_timeout = busy_timeout
        self._attempts = retry_attempts
        self._delay = retry_delay
        self._db: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()

    # -- lifecycle ------------------------------------------------------------------------------

    async def open(self, *, check: bool = False) -> Self:
        """Open the file (creating it), switch to WAL and migrate; `check` runs PRAGMA quick_check."""
        if self._db is not None:
            return self
        try:
            self._db = await connect(self.path, busy_timeout=self._busy_timeout, read_only=self.read_only)
            if check:
                await quick_check(self._db)
            if not self.read_only:
                await self._retry("migrate", lambda: migrate(self._conn))
        except sqlite3.Error as err:
            await self.close()
            raise as_store_error(err, self.path, "open the store") from err
        except StoreError:
            await self.close()
            raise
        except ValueError as err:
            await self.close()
            raise StoreError(f"{self.path}: {err}") from err
        return self

    async def close(self) -> None:
        """Close the connection (idempotent)."""
        db, self._db = self._db, None
        if db is not None:
            await disconnect(db)

    async def __aenter__(self) -> Self:
        """Open on entering `async with`."""
        return await self.open()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close on leaving `async with`."""
        await self.close()

    @classmethod
    async def open_or_recover(cls, path: str | Path, **options: Any) -> tuple[EpisodeStore, Path | None]:
        """Open with an integrity check; a damaged file is moved aside (its new path is returned)."""
        store = cls(path, **options)
        try:
            return await store.open(check=True), None
        except CorruptStoreError:
            moved = await asyncio.to_thread(move_aside, store.path)
            return await cls(path, **options).open(), moved

    async def recover(self) -> Path:
        """After a CorruptStoreError while running: close, move the file aside, reopen empty.

        Returns where the damaged file went (for the repair issue).
        """
        await self.close()
        moved = await asyncio.to_thread(move_aside, self.path)
        await self.open()
        return moved

    @property
    def _conn(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StoreError(f"{self.path}: store is not open")
        return self._db

    # -- transactions ---------------------------------------------------------------------------

    async def _retry[T](self, action: str, attempt: Callable[[], Awaitable[T]]) -> T:
        """Run `attempt`, retried while the database is locked; sqlite3 errors become StoreErrors."""
        return await with_retries(
            attempt, attempts=self._attempts, base_delay=self._delay, path=self.path, action=action
        )

    async def _write[T](self, action: str, work: Callable[[aiosqlite.Connection], Awaitable[T]]) -> T:
        """Run `work` in one IMMEDIATE transaction, retried while the database is locked."""
        if self.read_only:
            raise StoreError(f"{self.path}: store was opened read-only, cannot {action}")

        async def attempt() -> T:
            db = self._conn
            await db.execute("BEGIN IMMEDIATE")
            try:
                result = await work(db)
                await db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    await db.execute("ROLLBACK")
                raise
            return result

        async with self._write_lock:
            return await self._retry(action, attempt)

    async def _read(self, action: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Fetch all rows of one query, retried while the database is locked."""

        async def attempt() -> list[tuple[Any, ...]]:
            async with self._conn.execute(sql, params) as cur:
                return [tuple(r) for r in await cur.fetchall()]

        return await self._retry(action, attempt)

    async def _insert(self, action: str, sql: str, rows: list[tuple[Any, ...]]) -> int:
        """Run `sql` for each of `rows` in one transaction; returns how many rows."""

        async def work(db: aiosqlite.Connection) -> int:
            await db.executemany(sql, rows)
            return len(rows)

        return await self._write(action, work) if rows else 0

    async def _pages(
        self,
        action: str,
        columns: str,
        system_id: str | None = None,
        *,
        since: datetime | None = None,
        batch: int = READ_BATCH,
    ) -> AsyncIterator[list[tuple[Any, ...]]]:
        """Episode rows (`columns` start with episode_id, created_at) oldest first, `batch` per query.

        Each page is its own query after the last row of the previous one: no long-held read.
        """
        after = ("", "") if since is None else (time_to_text(since), "")
        system, params = _system_filter(system_id)
        cond = " AND ".join(filter(None, ("(created_at, episode_id) > (?, ?)", system)))
        sql = f"SELECT {columns} FROM training_episodes WHERE {cond} ORDER BY created_at, episode_id LIMIT ?"
        while rows := await self._read(action, sql, (*after, *params, batch)):
            yield rows
            after = (rows[-1][1], rows[-1][0])

    # -- episodes -------------------------------------------------------------------------------

    async def add_episode(self, episode: Episode) -> None:
        """Store one episode (replacing one with the same id)."""
        await self.add_episodes([episode])

    async def add_episodes(self, episodes: Iterable[Episode]) -> int:
        """Store several episodes in one transaction; returns how many."""
        encoded = await asyncio.to_thread(lambda: [encode_episode(e) for e in episodes])
        rows = [
            (e.episode_id, e.created_at, e.system_id, e.codec, *e.blobs, e.raw_bytes, e.stored_bytes)
            for e in encoded
        ]
        sql = (
            "INSERT OR REPLACE INTO training_episodes (episode_id, created_at, system_id, codec, inputs, schedule,"
            " context, config_overrides, raw_bytes, stored_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        return await self._insert("add episodes", sql, rows)

    async def get_episode(self, episode_id: str) -> Episode | None:
        """The decoded episode, or None if there is none with this id."""
        rows = await self._read(
            "read an episode",
            f"SELECT {EPISODE_ROW} FROM training_episodes WHERE episode_id = ?",
            (episode_id,),
        )
        return await asyncio.to_thread(decode_episode, rows[0]) if rows else None

    async def list_episodes(
        self, limit: int | None = 100, system_id: str | None = None, *, newest_first: bool = True
    ) -> list[EpisodeInfo]:
        """Episode metadata (no blobs), newest first, optionally only one system_id."""
        system, params = _system_filter(system_id)
        where = f" WHERE {system}" if system else ""
        order = "DESC" if newest_first else "ASC"
        sql = f"SELECT episode_id, created_at, system_id, codec, raw_bytes, stored_bytes FROM training_episodes{where} ORDER BY created_at {order}, episode_id {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params = (*params, int(limit))
        return [info_from_row(r) for r in await self._read("list episodes", sql, params)]

    async def iter_episodes(
        self,
        system_id: str | None = None,
        *,
        since: datetime | None = None,
        batch: int = READ_BATCH,
        parts: Iterable[str] | None = None,
    ) -> AsyncIterator[Episode]:
        """Yield decoded episodes oldest first, in batches (no long-held read transaction).

        `parts` (a subset of BLOB_COLUMNS, e.g. ("inputs",)) reads and decodes only those blobs;
        the others are left empty ({}) in the yielded episodes.
        """
        pages = self._pages("read episodes", episode_row(parts), system_id, since=since, batch=batch)
        async for rows in pages:
            for episode in await asyncio.to_thread(decode_rows, rows):
                yield episode

    async def read_all(
        self,
        system_id: str | None = None,
        *,
        since: datetime | None = None,
        parts: Iterable[str] | None = None,
    ) -> list[Episode]:
        """Every episode (optionally of one system_id, after `since`, only `parts`), decoded, oldest first."""
        return [e async for e in self.iter_episodes(system_id, since=since, batch=2000, parts=parts)]

    async def check_episodes(self) -> list[tuple[str, str]]:
        """Decode every row; returns (episode_id, error) for those that fail."""
        failures: list[tuple[str, str]] = []
        async for rows in self._pages("check episodes", EPISODE_ROW):
            failures += await asyncio.to_thread(check_rows, rows)
        return failures

    async def delete_older_than(
        self, days: float, *, now: datetime | None = None, vacuum: bool = True
    ) -> int:
        """Retention: delete episodes older than `days`; VACUUM after a large delete. Returns the count."""
        cutoff = cutoff_text(days, now)

        async def work(db: aiosqlite.Connection) -> int:
            cur = await db.execute("DELETE FROM training_episodes WHERE created_at < ?", (cutoff,))
            return int(cur.rowcount)

        deleted = await self._write("delete old episodes", work)
        if vacuum and deleted >= VACUUM_MIN_ROWS:
            await self.vacuum()
        return deleted

    # -- observations and data quality ----------------------------------------------------------

    async def upsert_observation(self, obs: SlotObservation) -> None:
        """Store one slot observation; re-recording the same slot replaces it."""
        await self.upsert_observations([obs])

    async def upsert_observations(self, observations: Iterable[SlotObservation]) -> int:
        """Store several slot observations (upsert by slot start); returns how many."""
        now = datetime.now(UTC)
        rows = [observation_row(o, now) for o in observations]
        marks = ", ".join("?" * len(OBSERVATION_COLUMNS))
        sql = f"INSERT OR REPLACE INTO slot_observations ({', '.join(OBSERVATION_COLUMNS)}) VALUES ({marks})"
        return await self._insert("store observations", sql, rows)

    async def observations(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> list[SlotObservation]:
        """Observations with start <= slot_start < end (open ends allowed), oldest first."""
        lo = "" if start is None else slot_text(start)
        hi = "9999" if end is None else slot_text(end)
        sql = f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM slot_observations WHERE slot_start >= ? AND slot_start < ? ORDER BY slot_start"
        return [observation_from_row(r) for r in await self._read("read observations", sql, (lo, hi))]

    async def set_day_quality(self, quality: DayQuality) -> None:
        """Store (replace) the data-quality class of one local day."""
        check_quality_class(quality.cls)
        params = (
            quality.day.isoformat(),
            quality.cls,
            json.dumps([str(r) for r in quality.reasons]),
            datetime.now(UTC).isoformat(timespec="seconds"),
        )

        async def work(db: aiosqlite.Connection) -> None:
            await db.execute(
                "INSERT OR REPLACE INTO data_quality_daily (day, class, reasons, updated_at) VALUES (?, ?, ?, ?)",
                params,
            )

        await self._write("store day quality", work)

    async def day_quality(self, start: date | None = None, end: date | None = None) -> list[DayQuality]:
        """Quality rows with start <= day <= end (open ends allowed), oldest first."""
        lo = "" if start is None else start.isoformat()
        hi = "9999" if end is None else end.isoformat()
        sql = "SELECT day, class, reasons FROM data_quality_daily WHERE day >= ? AND day <= ? ORDER BY day"
        return [quality_from_row(r) for r in await self._read("read day quality", sql, (lo, hi))]

    # -- maintenance ----------------------------------------------------------------------------

    async def stats(self) -> StoreStats:
        """Row counts, sizes and compression ratio."""
        return await self._retry("read statistics", lambda: gather_stats(self._conn, self.path))

    async def clear(self, what: str = "all") -> dict[str, int]:
        """Delete learned data: 'episodes', 'observations', 'quality' or 'all'; VACUUMs; returns counts."""
        names = list(CLEAR_TABLES) if what == "all" else [what]
        if any(n not in CLEAR_TABLES for n in names):
            raise ValueError(f"clear: what must be one of all, {', '.join(CLEAR_TABLES)}; got {what!r}")

        async def work(db: aiosqlite.Connection) -> dict[str, int]:
            counts = {}
            for name in names:
                cur = await db.execute(f"DELETE FROM {CLEAR_TABLES[name]}")
                counts[name] = int(cur.rowcount)
            return counts

        counts = await self._write("clear learned data", work)
        await self.vacuum()
        return counts

    async def vacuum(self) -> None:
        """Rebuild the file to release free pages, then truncate the WAL."""

        async def attempt() -> None:
            await self._conn.execute("VACUUM")
            await self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

        async with self._write_lock:
            await self._retry("vacuum", attempt)


def _system_filter(system_id: str | None) -> tuple[str, tuple[Any, ...]]:
    """The SQL condition (empty: none) and parameters that keep only `system_id`'s episodes."""
    if system_id is None:
        return "", ()
    check_system_id(system_id)
    return "system_id = ?", (system_id,)
