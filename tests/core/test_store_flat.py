"""The col3 codec: exact round trips, batched decoding equal to one-by-one, damage named, old files read."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
import hashlib
import json
from pathlib import Path
import shutil
import sqlite3
import struct
from typing import Any
import zlib

import numpy as np
import pytest

from custom_components.darkstar.core.plan import plan_from_dict
from custom_components.darkstar.core.scenario import load_scenario
from custom_components.darkstar.core.store import (
    BLOB_COLUMNS,
    CorruptEpisodeError,
    Episode,
    EpisodeStore,
    decode,
    decode_episode,
    encode,
    encode_episode,
    make_episode,
)
from custom_components.darkstar.core.store.codec import encode_sized
from custom_components.darkstar.core.store.episodes import EPISODE_ROW, FLAT_CHUNK, decode_rows
from custom_components.darkstar.core.store.flat_decode import read_payload
from custom_components.darkstar.core.store.flat_dictionary import ZDICT
from custom_components.darkstar.core.store.json_text import to_json

from .test_store_codec import awkward_tree, same

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PLAN = plan_from_dict(json.loads((FIXTURES / "store" / "kepler-plan-full-2025-07-08.json").read_text()))
SCENARIO = load_scenario(FIXTURES / "scenarios" / "full-2025-07-08.json")
T0 = datetime(2025, 7, 8, 0, 5, tzinfo=UTC)


def episode(n: int = 0, **changes: Any) -> Episode:
    """The fixture scenario and plan as episode `ep-n`, planned n quarter-hours after T0."""
    ep = make_episode(
        SCENARIO,
        PLAN,
        system_id="test",
        context={"s_index": 1.2, "n": n},
        config_overrides={"target_soc_percent": 50} if n % 2 else {},
        created_at=T0 + timedelta(minutes=15 * n),
        episode_id=f"ep-{n}",
    )
    return replace(ep, **changes)


def row(ep: Episode, codec: str = "col3") -> tuple[Any, ...]:
    """The stored row of an episode."""
    encoded = encode_episode(ep, codec)
    assert encoded.codec == codec
    return (ep.episode_id, encoded.created_at, ep.system_id, codec, *encoded.blobs)


def legacy_col2() -> tuple[Episode, tuple[Any, ...], int]:
    """The episode of col2-columnar-v2.db (written by the store before col3), its row and stored bytes."""
    expected = make_episode(
        SCENARIO,
        PLAN,
        system_id="prod",
        context={"s_index": 1.2},
        config_overrides={"target_soc_percent": 50},
        created_at=T0,
        episode_id="legacy-col2",
    )
    uri = f"{(FIXTURES / 'store' / 'col2-columnar-v2.db').as_uri()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        *stored_row, stored = db.execute(
            f"SELECT {EPISODE_ROW}, stored_bytes FROM training_episodes"
        ).fetchone()
    return expected, tuple(stored_row), stored


def odd_episodes() -> list[Episode]:
    """Episodes with -0.0, short columns, a float list beside the array columns, empty blobs."""
    base = episode(1)
    columns = {name: list(values) for name, values in base.schedule["columns"].items()}
    columns["charge_kwh"][5] = -0.0
    columns["soc_kwh"] = columns["soc_kwh"][:3]  # too short to be a column: stays JSON
    series = {**base.inputs["series"], "pv_kwh": [-0.0, *base.inputs["series"]["pv_kwh"][1:]]}
    return [
        replace(base, episode_id="odd-1", schedule={**base.schedule, "columns": columns}),
        replace(base, episode_id="odd-2", inputs={**base.inputs, "series": series}),
        replace(base, episode_id="odd-3", schedule={**base.schedule, "extra": [0.5, -0.0, 0.5, 0.25]}),
        replace(base, episode_id="odd-4", context={"weights": [0.1, 0.2, 0.3, 0.4]}, config_overrides={}),
    ]


def test_zdict_never_changes() -> None:
    # The preset dictionary is part of the stored format: rows written with it need it to read.
    assert (
        hashlib.sha256(ZDICT).hexdigest()
        == "8b32b7006f63b030b912ac8730a5552a206e560339c638d2e4ac810ad4028d85"
    )


def test_small_trees_stay_plain_and_large_ones_need_the_dictionary() -> None:
    ep = episode()
    assert encode(ep.context, "col3")[:1] == b"P"
    blob = encode(ep.schedule, "col3")
    assert blob[:1] == b"Z"
    with pytest.raises(zlib.error, match="Error 2"):  # Z_NEED_DICT
        zlib.decompress(blob[1:])
    encoded = encode_episode(ep)
    assert encoded.raw_bytes > 6 * encoded.stored_bytes
    old, _, col2_bytes = legacy_col2()
    assert encode_episode(old).stored_bytes < 0.8 * col2_bytes


def test_raw_size_is_the_length_of_the_json_text() -> None:
    trees: list[Any] = [
        awkward_tree(),
        {"small_and_large": [0.00001, 0.000012, -0.000005, 123456.5, 0.0001, 1e-06, -0.0, 7.0]},
        {"columns": {"x": [0.5] * 4}, "mixed": [0.25, 1, 0.5, 0.75]},
        {},
    ]
    decoded = decode_rows([row(ep) for ep in [episode(2), *odd_episodes()]])  # arrays in the schedules
    trees += [getattr(ep, name) for ep in [episode(1), *odd_episodes(), *decoded] for name in BLOB_COLUMNS]
    for tree in trees:
        for codec in ("col3", "zjson", "json"):
            assert encode_sized(tree, codec)[1] == len(to_json(tree)), (codec, tree)


@pytest.mark.parametrize("arrays", [False, True])
def test_wide_and_long_columns_round_trip(arrays: bool) -> None:
    tree = {
        "many_distinct": [i / 1000 for i in range(700)],  # uint16 ranks
        "long_runs": [0.0] * 600 + [1.5] * 300 + [0.0] * 5,  # runs longer than 255
        "big": [123456789.123456, -987654321.5, 0.000001, 1e9],  # int64 deltas
        "negative": [-0.25, -0.5, -0.25, -0.75],
        "constant": [2.5] * 9,
        "nested": [{"x": [0.5, 0.25, 0.125, 0.0625]}, [[1.5, 2.5, 3.5, 4.5]]],
        "ints": [1, 2, 3, 4],
    }
    back = decode(encode(tree, "col3"), "col3", arrays=arrays)
    assert type(back["long_runs"]) is (np.ndarray if arrays else list)
    assert type(back["ints"]) is list
    assert same(back, tree)


def test_only_the_columns_under_the_key_become_arrays() -> None:
    tree = {
        "columns": {"a": [0.5, 1.5, 0.5, 0.5]},
        "b": [0.5, 1.5, 0.5, 0.5],
        "c": {"columns": {"d": [1.0] * 4}},
    }
    back = decode(encode(tree, "col3"), "col3", arrays="columns")
    assert type(back["columns"]["a"]) is np.ndarray
    assert not back["columns"]["a"].flags.writeable
    assert type(back["b"]) is list
    assert type(back["c"]["columns"]["d"]) is list
    assert same(back, tree)


def test_batch_decoding_equals_decoding_one_by_one() -> None:
    episodes = [episode(n) for n in range(FLAT_CHUNK + 20)] + odd_episodes()
    rows = [row(ep) for ep in episodes]
    episodes[3], rows[3], _ = legacy_col2()  # old codecs mixed in
    rows[70] = row(episodes[70], "json")
    rows[71] = (*row(episodes[71])[:5], None, None, None)  # only the inputs read
    batch = decode_rows(rows)
    single = [decode_episode(r) for r in rows]
    for got, one, ep in zip(batch, single, episodes, strict=True):
        for name in ("inputs", "schedule", "context", "config_overrides"):
            assert same(getattr(got, name), getattr(one, name)), (ep.episode_id, name)
        assert got == one
    assert batch[:71] == episodes[:71]
    assert batch[71] == replace(episodes[71], schedule={}, context={}, config_overrides={})
    assert batch[72:] == episodes[72:]
    assert np.signbit(batch[-4].schedule["columns"]["charge_kwh"][5])
    assert np.signbit(batch[-3].inputs["series"]["pv_kwh"][0])
    assert type(batch[-4].schedule["columns"]["soc_kwh"]) is np.ndarray  # short: still an array
    assert type(batch[-2].schedule["extra"]) is list  # outside "columns": a list


def test_each_schedule_owns_its_read_only_buffer() -> None:
    back = decode_rows([row(episode(n)) for n in range(5)])
    bases = [{id(c.base) for c in ep.schedule["columns"].values()} for ep in back]
    assert all(len(b) == 1 for b in bases)
    assert len(set().union(*bases)) == 5
    column = back[0].schedule["columns"]["soc_kwh"]
    assert column.base.nbytes == 8 * len(column) * len(back[0].schedule["columns"])
    assert not column.base.flags.writeable
    assert not column.flags.writeable
    prices = back[0].inputs["series"]["import_price"]
    assert type(prices) is list
    assert prices[0] is prices[1]


def _repack(payload: bytes, change: Callable[[list[Any]], None]) -> bytes:
    (size,) = struct.unpack_from("<I", payload)
    header = json.loads(payload[4 : 4 + size])
    change(header)
    head = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<I", len(head)) + head + payload[4 + size :]


def _set(index: int, value: Any) -> Callable[[list[Any]], None]:
    def change(header: list[Any]) -> None:
        header[index] = value

    return change


def _poke(offset_from_end: int, value: int) -> Callable[[bytes], bytes]:
    def damage(payload: bytes) -> bytes:
        data = bytearray(payload)
        data[len(data) - offset_from_end] = value
        return bytes(data)

    return damage


def _layout(position: int, value: Any) -> Callable[[list[Any]], None]:
    def change(header: list[Any]) -> None:
        header[2][position] = value

    return change


def _shift_distinct(header: list[Any]) -> None:
    """One distinct value moves from the first column to the second: the first's top rank is out of range."""
    header[2][2] -= 1
    header[2][6] += 1


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "header length": lambda p: struct.pack("<I", len(p)) + p[4:],
    "header not a list": lambda p: _repack(p, lambda h: h.__setitem__(slice(None), [{}, 1])),
    "header not JSON": lambda p: p[:4] + b"{" + p[5:],
    "float in layout": lambda p: _repack(p, _layout(1, 192.0)),
    "scale out of range": lambda p: _repack(p, _layout(0, 9)),
    "empty column": lambda p: _repack(p, _layout(5, 0)),
    "bad widths": lambda p: _repack(p, _set(3, [3, 1])),
    "-0.0 outside": lambda p: _repack(p, _set(4, [[0, [500]]])),
    "-0.0 column": lambda p: _repack(p, _set(4, [[99, [1]]])),
    "no place": lambda p: _repack(p, lambda h: h[1][0][1].__setitem__(0, "status")),
    "bad path": lambda p: _repack(p, lambda h: h[1][0].__setitem__(0, ["nowhere"])),
    "run too long": _poke(1, 250),
    "rank out of range": lambda p: _repack(p, _shift_distinct),
    "data too long": lambda p: p + b"\x00",
    "data too short": lambda p: p[:-1],
}


def _blobs(payload: bytes) -> dict[str, bytes]:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS, 9, zlib.Z_DEFAULT_STRATEGY, ZDICT)
    stream = packer.compress(payload) + packer.flush()
    return {
        "bad marker": b"X" + payload,
        "truncated stream": b"Z" + stream[:-6],
        "data after the stream": b"Z" + stream + b"junk",
        "flipped byte": b"Z" + stream[:40] + bytes([stream[40] ^ 0xFF]) + stream[41:],
    }


def _damaged() -> list[tuple[str, bytes]]:
    payload = read_payload(encode(episode().schedule, "col3"))
    cases = [(name, b"P" + damage(payload)) for name, damage in DAMAGE.items()]
    return cases + list(_blobs(payload).items())


@pytest.mark.parametrize(("name", "blob"), _damaged(), ids=[name for name, _ in _damaged()])
def test_damaged_blob_names_the_episode_and_column(name: str, blob: bytes) -> None:
    good = [row(episode(n)) for n in range(3)]
    bad = (*good[1][:5], blob, *good[1][6:])
    with pytest.raises(CorruptEpisodeError, match="ep-1") as info:
        decode_episode(bad)
    assert info.value.column == "schedule"
    with pytest.raises(CorruptEpisodeError, match="ep-1"):
        decode_rows([good[0], bad, good[2]])
    assert decode_rows([good[0], good[2]]) == [episode(0), episode(2)]


async def test_store_written_with_col2_still_reads(tmp_path: Path) -> None:
    # col2-columnar-v2.db: written by the store before col3 (see tests/fixtures/store/README.md).
    path = tmp_path / "col2.db"
    shutil.copy(FIXTURES / "store" / "col2-columnar-v2.db", path)
    expected, _, _ = legacy_col2()
    new = episode(4)
    async with EpisodeStore(path) as store:
        await store.add_episode(new)
        assert await store.get_episode("legacy-col2") == expected
        assert [i.codec for i in await store.list_episodes()] == ["col3", "col2"]
        assert await store.check_episodes() == []
        assert await store.read_all() == [expected, new]
