"""`scripts/inspect_episodes DB list|show|export|stats|check`: look into a learning store safely.

The database is copied to a temporary directory first (SQLite's online backup through a read-only
connection: a consistent snapshot of the last commit, rows still in the -wal file included) and
only the copy is opened, so a running Home Assistant is never locked and its data never changes.
Like any reader of a WAL database, the backup creates the empty -wal and -shm files if they are missing.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from contextlib import closing
from dataclasses import asdict
import json
from pathlib import Path
import sqlite3
import sys
import tempfile
from typing import Any

from ..plan import plan_to_dict
from ..store import SYSTEM_IDS, Episode, EpisodeStore, StoreError, plain, plan_from_episode
from ..store.connection import as_store_error


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    parser = argparse.ArgumentParser(
        prog="inspect_episodes", description="Inspect a Darkstar learning store (on a copy)."
    )
    parser.add_argument("db", type=Path, help="the store's SQLite file")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", help="id, time, system, raw and stored size (newest first)")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--system-id", choices=SYSTEM_IDS)
    show = sub.add_parser("show", help="print one episode as JSON")
    show.add_argument("episode_id")
    export = sub.add_parser("export", help="write one episode as JSON to a file")
    export.add_argument("episode_id")
    export.add_argument("-o", "--output", type=Path, required=True)
    for command in (show, export):
        command.add_argument(
            "--plan", action="store_true", help="give the schedule as a plan (one record per slot)"
        )
    stats = sub.add_parser("stats", help="rows, total sizes, compression ratio")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    sub.add_parser("check", help="verify that every row decodes (exit 1 if not)")
    return parser


def copy_database(db: Path, folder: Path) -> Path:
    """Back the database up into `folder` (read-only on `db`); returns the copy's path. Raises StoreError."""
    target = folder / db.name
    try:
        source = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        with closing(source), closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
    except sqlite3.Error as err:
        raise as_store_error(err, db, "copy the database") from err
    return target


async def copy_and_run(args: argparse.Namespace, folder: Path) -> int:
    """Copy the database into `folder` (in a worker thread) and run the sub-command on the copy."""
    return await run(args, await asyncio.to_thread(copy_database, args.db, folder))


def episode_json(episode: Episode, *, as_plan: bool = False) -> dict[str, Any]:
    """The JSON form of a decoded episode; `as_plan` turns the schedule into plan_to_dict form."""
    data = plain(asdict(episode))  # decoded schedule columns are numpy arrays: JSON wants lists
    data["created_at"] = episode.created_at.isoformat()
    if as_plan:
        data["schedule"] = plan_to_dict(plan_from_episode(episode))
    return data


async def run(args: argparse.Namespace, copy: Path) -> int:
    """Run one sub-command on the copy; returns the exit code."""
    async with EpisodeStore(copy) as store:
        if args.command == "list":
            return await _list(store, args.limit, args.system_id)
        if args.command in ("show", "export"):
            episode = await store.get_episode(args.episode_id)
            if episode is None:
                print(f"error: no episode with id {args.episode_id!r}", file=sys.stderr)
                return 2
            try:
                text = json.dumps(episode_json(episode, as_plan=args.plan), indent=1)
            except (ValueError, KeyError, TypeError) as err:
                print(f"error: episode {args.episode_id!r} has no readable plan ({err})", file=sys.stderr)
                return 2
            if args.command == "show":
                print(text)
            else:
                args.output.write_text(text + "\n", encoding="utf-8")
                print(f"wrote {args.output}")
            return 0
        if args.command == "stats":
            return await _stats(store, args.json)
        return await _check(store)


async def _list(store: EpisodeStore, limit: int, system_id: str | None) -> int:
    print(
        f"{'episode_id':32}  {'created_at (UTC)':19}  {'system':10}  {'codec':5}  {'raw':>8}  {'stored':>7}"
    )
    for info in await store.list_episodes(limit, system_id):
        when = info.created_at.strftime("%Y-%m-%d %H:%M:%S")
        print(
            f"{info.episode_id:32}  {when:19}  {info.system_id:10}  {info.codec:5}  {info.raw_bytes:8d}  {info.stored_bytes:7d}"
        )
    return 0


async def _stats(store: EpisodeStore, as_json: bool) -> int:
    data = (await store.stats()).as_dict()
    if as_json:
        print(json.dumps(data))
        return 0
    for key, value in data.items():
        print(f"{key:20} {value}")
    if data["episodes"]:
        print(f"{'stored_per_episode':20} {data['stored_bytes'] / data['episodes']:.0f} bytes")
    return 0


async def _check(store: EpisodeStore) -> int:
    stats = await store.stats()
    failures = await store.check_episodes()
    for _, message in failures:
        print(message)
    print(f"{stats.episodes - len(failures)} of {stats.episodes} episodes decode")
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, copy the database, run the command."""
    args = build_parser().parse_args(argv)
    if not args.db.is_file():
        print(f"error: database file not found: {args.db}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="darkstar-inspect-") as folder:
        try:
            return asyncio.run(copy_and_run(args, Path(folder)))
        except StoreError as err:  # errors of the store name the copy
            copy = str(Path(folder) / args.db.name)
            print(f"error: {str(err).replace(copy, f'{args.db} (copy)')}", file=sys.stderr)
            return 2
