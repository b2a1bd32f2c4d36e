"""Training episodes: one planning run (inputs, schedule, context, overrides) and its stored row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
import uuid

from ..plan import Plan
from ..scenario import Scenario, scenario_to_dict
from .arrays import ARRAY_PARTS, columns_as_arrays, trees_equal, with_arrays
from .codec import CODEC_FLAT, CODEC_ZJSON, DECODE_ERRORS, DEFAULT_CODEC, decode, encode_sized
from .errors import CodecError, CorruptEpisodeError, StoreError
from .flat_decode import FlatBatch
from .schedule import schedule_from_plan, schedule_to_plan

SYSTEM_IDS = ("prod", "simulation", "test")
BLOB_COLUMNS = ("inputs", "schedule", "context", "config_overrides")
# col3 rows decoded together: enough to make numpy's per-call cost negligible, few enough that the
# batch's temporary arrays stay in the CPU cache (whole batches of 2,000 were slower).
FLAT_CHUNK = 64
EPISODE_ROW = "episode_id, created_at, system_id, codec, inputs, schedule, context, config_overrides"


@dataclass(frozen=True, slots=True)
class Episode:
    """One planning run: the scenario's JSON form, the columnar schedule, context and overrides.

    `schedule` is the plan in the format of `schedule.py` (legacy rows: the per-slot plan_to_dict form);
    get a Plan back with `plan_from_episode`. Decoded episodes hold the schedule's columns as
    read-only float64 numpy arrays (see `arrays.py`; `make_episode` gives lists, encoding takes both);
    `==` compares arrays and lists by value.
    """

    episode_id: str
    created_at: datetime
    system_id: str
    inputs: dict[str, Any]
    schedule: dict[str, Any]
    context: dict[str, Any] = field(default_factory=dict)
    config_overrides: dict[str, Any] = field(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        """Field by field; numpy arrays and lists holding the same values are equal."""
        if not isinstance(other, Episode):
            return NotImplemented
        return episode_equal(self, other)

    __hash__ = None  # type: ignore[assignment]  # dict fields: never hashable


def episode_equal(a: Episode, b: Episode) -> bool:
    """True if two episodes hold the same values (arrays compared with lists via `.tolist()`)."""
    return (a.episode_id, a.created_at, a.system_id) == (b.episode_id, b.created_at, b.system_id) and all(
        trees_equal(getattr(a, name), getattr(b, name)) for name in BLOB_COLUMNS
    )


@dataclass(frozen=True)
class EpisodeInfo:
    """An episode's row without its blobs: for listings."""

    episode_id: str
    created_at: datetime
    system_id: str
    codec: str
    raw_bytes: int
    stored_bytes: int


@dataclass(frozen=True)
class EncodedEpisode:
    """An episode ready for INSERT: metadata plus one encoded blob per column."""

    episode_id: str
    created_at: str
    system_id: str
    codec: str
    blobs: tuple[bytes, bytes, bytes, bytes]
    raw_bytes: int
    stored_bytes: int


def new_episode_id() -> str:
    """A fresh random episode id (32 hex digits)."""
    return uuid.uuid4().hex


def make_episode(
    scenario: Scenario,
    plan: Plan,
    *,
    system_id: str,
    context: dict[str, Any] | None = None,
    config_overrides: dict[str, Any] | None = None,
    created_at: datetime | None = None,
    episode_id: str | None = None,
) -> Episode:
    """Build the episode of one planning run (live planner and replay simulator alike)."""
    check_system_id(system_id)
    when = datetime.now(UTC) if created_at is None else created_at
    if when.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    return Episode(
        episode_id=episode_id or new_episode_id(),
        created_at=when.astimezone(UTC),
        system_id=system_id,
        inputs=scenario_to_dict(scenario),
        schedule=schedule_from_plan(plan, slot_minutes=scenario.slot_minutes, timezone=scenario.timezone),
        context=dict(context or {}),
        config_overrides=dict(config_overrides or {}),
    )


def plan_from_episode(episode: Episode) -> Plan:
    """The Plan stored in an episode (columnar or legacy schedule); ValueError if it is inconsistent."""
    return schedule_to_plan(episode.schedule)


def check_system_id(system_id: str) -> None:
    """Raise ValueError unless `system_id` is one of SYSTEM_IDS."""
    if system_id not in SYSTEM_IDS:
        raise ValueError(f"system_id must be one of {', '.join(SYSTEM_IDS)}, got {system_id!r}")


def time_to_text(when: datetime) -> str:
    """Fixed-width UTC text of a time (sorts like the time itself)."""
    if when.tzinfo is None:
        raise ValueError("time must be timezone-aware")
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def text_to_time(text: str) -> datetime:
    """Inverse of `time_to_text` (also accepts any ISO time with an offset)."""
    when = datetime.fromisoformat(text)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def encode_episode(episode: Episode, codec: str = DEFAULT_CODEC) -> EncodedEpisode:
    """Encode an episode's four blobs; falls back to zlib JSON if the columnar codec cannot hold it."""
    check_system_id(episode.system_id)
    trees = [getattr(episode, name) for name in BLOB_COLUMNS]
    try:
        try:
            encoded = [encode_sized(tree, codec) for tree in trees]
        except CodecError:
            codec = CODEC_ZJSON
            encoded = [encode_sized(tree, codec) for tree in trees]
    except (TypeError, ValueError) as err:
        raise StoreError(f"episode {episode.episode_id!r} cannot be stored as JSON ({err})") from err
    blobs = tuple(blob for blob, _ in encoded)
    return EncodedEpisode(
        episode_id=episode.episode_id,
        created_at=time_to_text(episode.created_at),
        system_id=episode.system_id,
        codec=codec,
        blobs=blobs,  # type: ignore[arg-type]
        raw_bytes=sum(raw for _, raw in encoded),  # the length of the trees' compact JSON text
        stored_bytes=sum(len(b) for b in blobs),
    )


def episode_row(parts: Iterable[str] | None = None) -> str:
    """The SELECT list of an episode row; blobs not in `parts` (None: all) are selected as NULL."""
    if parts is None:
        return EPISODE_ROW
    wanted = {parts} if isinstance(parts, str) else set(parts)
    unknown = wanted.difference(BLOB_COLUMNS)
    if unknown:
        raise ValueError(f"parts must be among {', '.join(BLOB_COLUMNS)}; got {', '.join(sorted(unknown))}")
    blobs = ", ".join(name if name in wanted else "NULL" for name in BLOB_COLUMNS)
    return f"episode_id, created_at, system_id, codec, {blobs}"


def decode_episode(row: tuple[Any, ...]) -> Episode:
    """Decode a row (episode_id, created_at, system_id, codec, inputs, schedule, context, overrides)."""
    if row[3] == CODEC_FLAT:
        try:
            return _decode_flat_chunk([row])[0]
        except DECODE_ERRORS:
            pass  # decoded blob by blob below, for an error that names the column
    episode_id, created_at, system_id, codec = row[:4]
    flat = codec == CODEC_FLAT  # col3 makes arrays only under `key`: no with_arrays pass needed
    trees = []
    for name, blob in zip(BLOB_COLUMNS, row[4:8], strict=True):
        key = ARRAY_PARTS.get(name)
        try:
            tree = decode(blob, codec, arrays=key or False)
        except CodecError as err:
            raise CorruptEpisodeError(str(episode_id), name, str(err)) from err
        if tree is None:
            tree = {}
        if not isinstance(tree, dict):
            raise CorruptEpisodeError(
                str(episode_id), name, f"expected a JSON object, got {type(tree).__name__}"
            )
        if key is not None:
            tree = columns_as_arrays(tree, key) if flat else with_arrays(tree, key)
        trees.append(tree)
    try:
        when = text_to_time(str(created_at))
    except ValueError as err:
        raise CorruptEpisodeError(str(episode_id), "created_at", str(err)) from err
    return Episode(str(episode_id), when, str(system_id), *trees)


def decode_rows(rows: Sequence[tuple[Any, ...]]) -> list[Episode]:
    """Decode many rows (run in a worker thread); same result and errors as `decode_episode` per row.

    col3 rows are decoded together (`FlatBatch`: one set of numpy calls for all their float
    columns); if any of them fails, the rows are decoded one by one so the error names the first
    bad episode.
    """
    flat = [row for row in rows if row[3] == CODEC_FLAT]
    if not flat:
        return [decode_episode(row) for row in rows]
    try:
        decoded = iter(_decode_flat_rows(flat))
    except DECODE_ERRORS:
        return [decode_episode(row) for row in rows]
    return [next(decoded) if row[3] == CODEC_FLAT else decode_episode(row) for row in rows]


def _decode_flat_rows(rows: Sequence[tuple[Any, ...]]) -> list[Episode]:
    """Decode col3 rows, FLAT_CHUNK at a time; raises on any damage (without naming the episode)."""
    return [e for i in range(0, len(rows), FLAT_CHUNK) for e in _decode_flat_chunk(rows[i : i + FLAT_CHUNK])]


def _decode_flat_chunk(rows: Sequence[tuple[Any, ...]]) -> list[Episode]:
    """Decode col3 rows as one FlatBatch (float columns of ARRAY_PARTS as arrays, others as lists)."""
    batch = FlatBatch()
    numbers = [
        [
            None if blob is None else batch.add(blob, ARRAY_PARTS.get(name, False))
            for name, blob in zip(BLOB_COLUMNS, row[4:8], strict=True)
        ]
        for row in rows
    ]
    trees = batch.finish()
    episodes = []
    for row, blobs in zip(rows, numbers, strict=True):
        parts = [{} if n is None else trees[n] for n in blobs]
        if any(type(part) is not dict for part in parts):
            raise CodecError("a blob does not hold a JSON object")
        for at, key in _ARRAY_AT:
            columns_as_arrays(parts[at], key)
        when = text_to_time(str(row[1]))
        episodes.append(Episode(str(row[0]), when, str(row[2]), *parts))
    return episodes


_ARRAY_AT = [(BLOB_COLUMNS.index(name), key) for name, key in ARRAY_PARTS.items()]


def check_rows(rows: Sequence[tuple[Any, ...]]) -> list[tuple[str, str]]:
    """(episode_id, error) for every row that does not decode (run in a worker thread)."""
    failures = []
    for row in rows:
        try:
            decode_episode(row)
        except CorruptEpisodeError as err:
            failures.append((str(row[0]), str(err)))
    return failures


def info_from_row(row: tuple[Any, ...]) -> EpisodeInfo:
    """EpisodeInfo from (episode_id, created_at, system_id, codec, raw_bytes, stored_bytes)."""
    episode_id, created_at, system_id, codec, raw, stored = row
    return EpisodeInfo(
        str(episode_id),
        text_to_time(str(created_at)),
        str(system_id),
        str(codec or "json"),
        int(raw or 0),
        int(stored or 0),
    )
