"""Opening the SQLite file: WAL mode, migrations, lock retries and moving a corrupt file aside."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
import sqlite3

import aiosqlite

from .errors import CorruptStoreError, StoreError, StoreLockedError
from .schema import SCHEMA_VERSION, pending_migrations

_LOCK_WORDS = ("locked", "busy")
# Episode rows are ~2.1 KB: a 4 KB page holds only one of them (~3.1 KB per row on disk), a 16 KB
# page seven (~2.3 KB per row). Existing files keep their page size.
PAGE_SIZE = 16384


def is_locked_error(err: BaseException) -> bool:
    """True for SQLite's 'database is locked' / 'busy' errors."""
    return isinstance(err, sqlite3.OperationalError) and any(w in str(err).lower() for w in _LOCK_WORDS)


def as_store_error(err: sqlite3.Error, path: Path, action: str) -> StoreError:
    """Translate a sqlite3 error into the store's error types, naming the file and the action."""
    if is_locked_error(err):
        return StoreLockedError(f"{path}: database stayed locked while trying to {action} ({err})")
    if isinstance(err, sqlite3.DatabaseError) and not isinstance(
        err, sqlite3.OperationalError | sqlite3.IntegrityError
    ):
        return CorruptStoreError(f"{path}: database file is damaged ({err})")
    return StoreError(f"{path}: could not {action} ({err})")


async def with_retries[T](
    work: Callable[[], Awaitable[T]], *, attempts: int, base_delay: float, path: Path, action: str
) -> T:
    """Run `work`, retrying with exponential backoff while the database is locked."""
    for attempt in range(attempts):
        try:
            return await work()
        except sqlite3.Error as err:
            if not is_locked_error(err) or attempt == attempts - 1:
                raise as_store_error(err, path, action) from err
            await asyncio.sleep(base_delay * 2**attempt)
    raise StoreLockedError(f"{path}: no attempts to {action}")  # attempts < 1


async def connect(path: Path, *, busy_timeout: float, read_only: bool = False) -> aiosqlite.Connection:
    """Open a connection in autocommit mode (transactions are explicit) with WAL journaling."""
    if read_only:
        target, uri = f"file:{path}?mode=ro", True
    else:
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        target, uri = str(path), False
    db = await aiosqlite.connect(target, timeout=busy_timeout, isolation_level=None, uri=uri)
    try:
        if not read_only:
            await db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # only takes effect on a new file
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        await db.close()
        raise
    return db


async def disconnect(db: aiosqlite.Connection, limit_s: float = 2.0) -> None:
    """Close a connection and wait (without blocking the loop) until its worker thread has exited.

    `Connection.close()` returns once aiosqlite's thread is told to stop; the thread ends a moment
    later. Waiting keeps "no lingering threads" checks (e.g. Home Assistant's test harness) reliable.
    """
    await db.close()
    thread = getattr(db, "_thread", None)
    if thread is not None and thread.is_alive():
        await asyncio.to_thread(thread.join, limit_s)


async def schema_version(db: aiosqlite.Connection) -> int:
    """The database's `PRAGMA user_version`."""
    async with db.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def migrate(db: aiosqlite.Connection) -> int:
    """Bring the schema up to SCHEMA_VERSION, one transaction per step; returns the version."""
    for version, statements in pending_migrations(await schema_version(db)):
        await db.execute("BEGIN IMMEDIATE")
        try:
            for sql in statements:
                await db.execute(sql)
            await db.execute(f"PRAGMA user_version={int(version)}")
            await db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                await db.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION


async def quick_check(db: aiosqlite.Connection) -> None:
    """Raise sqlite3.DatabaseError unless `PRAGMA quick_check` reports ok."""
    async with db.execute("PRAGMA quick_check") as cur:
        rows = await cur.fetchall()
    if [tuple(r) for r in rows] != [("ok",)]:
        raise sqlite3.DatabaseError(f"quick_check: {'; '.join(str(r[0]) for r in rows[:3])}")


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a damaged database (and its -wal/-shm files) to NAME.corrupt-TIME; returns the new path."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    if path.exists():
        path.rename(target)
    return target


__all__ = ["SCHEMA_VERSION", "connect", "disconnect", "migrate", "move_aside", "quick_check", "with_retries"]
