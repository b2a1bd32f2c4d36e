"""The episode codecs: exact round trips, legacy rows (col1/col2 blobs the old encoders wrote), corrupt blobs, size."""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
import math
from pathlib import Path
import random
import struct
from typing import Any
import zlib
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from custom_components.darkstar.core.plan import plan_from_dict
from custom_components.darkstar.core.scenario import load_scenario
from custom_components.darkstar.core.store import (
    CorruptEpisodeError,
    decode,
    decode_episode,
    encode,
    encode_episode,
    make_episode,
    plain,
)
from custom_components.darkstar.core.store.columns import MARK, unpack
from custom_components.darkstar.core.store.errors import CodecError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SCENARIOS = sorted((FIXTURES / "scenarios").glob("*.json"))
PLAN = json.loads((FIXTURES / "store" / "kepler-plan-full-2025-07-08.json").read_text())
# col1 and col2 are only read now: these are blobs their encoders wrote (tests/fixtures/store/README.md)
OLD_CODECS = ("col1", "col2")
OLD_BLOBS = json.loads((FIXTURES / "store" / "old-codec-blobs.json").read_text())


def old_blob(codec: str, name: str) -> bytes:
    """The blob the `codec` (col1 or col2) encoder wrote of the tree `name`."""
    return base64.b64decode(OLD_BLOBS[codec][name])


def same(a: Any, b: Any) -> bool:
    """Deep equality that also compares types, float bits (-0.0, NaN) and key order.

    A read-only float64 array (the decoded form of schedule columns) matches a list of floats or an
    array holding the same bits.
    """
    if type(a) is np.ndarray or type(b) is np.ndarray:
        return _same_column(a, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _same_column(a: Any, b: Any) -> bool:
    arrays = [x for x in (a, b) if type(x) is np.ndarray]
    if any(x.dtype != np.float64 or x.flags.writeable for x in arrays):
        return False
    if any(type(x) is not np.ndarray and not all(type(v) is float for v in x) for x in (a, b)):
        return False
    return np.asarray(a, np.float64).tobytes() == np.asarray(b, np.float64).tobytes()


def roundtrip(tree: Any, codec: str = "col3") -> Any:
    """Encode and decode a tree."""
    return decode(encode(tree, codec), codec)


def real_episode() -> Any:
    """The fixture scenario with its Kepler plan, as an episode."""
    scenario = load_scenario(FIXTURES / "scenarios" / "full-2025-07-08.json")
    return make_episode(
        scenario,
        plan_from_dict(PLAN),
        system_id="prod",
        context={"s_index": 1.2, "vacation_mode": False},
        config_overrides={"target_soc_percent": 50},
        created_at=datetime(2025, 7, 8, 0, 5, tzinfo=UTC),
    )


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_inputs_round_trip_bit_exact(path: Path) -> None:
    data = json.loads(path.read_text())
    assert same(roundtrip(data), data)


def test_kepler_plan_round_trip_bit_exact_and_small() -> None:
    episode = real_episode()
    encoded = encode_episode(episode)
    row = (encoded.episode_id, encoded.created_at, encoded.system_id, encoded.codec, *encoded.blobs)
    back = decode_episode(row)
    assert back == episode
    assert same(back.schedule, episode.schedule)
    assert same(back.inputs, episode.inputs)
    assert json.dumps(plain(back.schedule)) == json.dumps(episode.schedule)
    assert encoded.codec == "col3"
    assert encoded.stored_bytes <= 8 * 1024
    assert encoded.raw_bytes > 4 * encoded.stored_bytes


def awkward_tree() -> dict[str, Any]:
    """Values every codec must keep bit for bit (-0.0, NaN, non-finite, records, times...)."""
    rng = random.Random(3)
    return {
        "six_decimals": [round(rng.uniform(-50, 50), 6) for _ in range(300)],
        "raw_floats": [rng.random() for _ in range(50)],
        "negative_zero": [0.0, -0.0, 1.5, -0.0, 2.25],
        "non_finite": [1.0, math.inf, -math.inf, 2.0],
        "nan": [float("nan")] * 4,
        "huge": [1e300, 2.5, 3.5, 4.5],
        "ints": [1, 2, 3, 4, 5],
        "mixed": [1, 2.0, 3, 4.5, None, "x"],
        "bools": [True, False, True, True],
        "texts": ["a", "b", "c", "d"],
        "times_dst": [f"2025-10-26T0{h}:00:00+0{2 if h < 3 else 1}:00" for h in range(5)],
        "times_z": [
            "2025-01-01T00:00:00Z",
            "2025-01-01T00:15:00Z",
            "2025-01-01T00:30:00Z",
            "2025-01-01T00:45:00Z",
        ],
        "times_irregular": [f"2025-01-01T00:{m:02d}:00+00:00" for m in (0, 15, 45, 50)],
        "records": [{"a": float(i) / 3, "b": i, "c": None} for i in range(10)],
        "records_mixed_keys": [{"a": 1.0}, {"b": 2.0}, {"a": 3.0}],
        "empty": [],
        "empty_records": [{}, {}, {}],
        "nested": {"deep": [[0.1, 0.2, 0.3, 0.4], [{"x": [0.5] * 8}] * 3]},
        "unicode": "Ström ⚡",
        "repeats_with_negative_zero": [0.0, -0.0, 0.5, 0.5, -0.0, 0.0, 0.5, 0.25],
        "many_distinct": [i / 1000 for i in range(300)] + [0.001] * 20,
        "one_value": [2.5] * 7,
        "short": [0.5, 0.5],
    }


@pytest.mark.parametrize("codec", ["col3", "col2", "col1", "zjson", "json"])
def test_awkward_values_round_trip_bit_exact(codec: str) -> None:
    tree = awkward_tree()
    back = decode(old_blob(codec, "awkward"), codec) if codec in OLD_CODECS else roundtrip(tree, codec)
    assert same(back, tree)
    if codec == "col2":  # float columns as arrays: plain (too many distinct) and coded ones mixed
        assert same(decode(old_blob(codec, "awkward"), codec, arrays=True), tree)


@pytest.mark.parametrize("codec", ["col1", "col2", "col3"])
def test_dst_timestamps_are_reconstructed_exactly(codec: str) -> None:
    times = [f"2025-10-26T02:{m:02d}:00+02:00" for m in (0, 15, 30, 45)]
    times += [f"2025-10-26T02:{m:02d}:00+01:00" for m in (0, 15, 30, 45)]
    back = decode(old_blob(codec, "dst"), codec) if codec in OLD_CODECS else roundtrip({"t": times})
    assert same(back, {"t": times})


def test_old_codecs_are_only_read() -> None:
    tree = {"x": [0.5, 1.5, 2.5, 3.5]}
    for codec in OLD_CODECS:
        with pytest.raises(CodecError, match="cannot write"):
            encode(tree, codec)
        assert decode(old_blob(codec, "four_distinct"), codec) == tree


def test_col3_takes_any_string_key() -> None:
    odd = replace(real_episode(), context={"\x00": "reserved", "k": [0.5] * 5})  # col1/col2's marker key
    encoded = encode_episode(odd)
    assert encoded.codec == "col3"
    assert decode_episode((encoded.episode_id, encoded.created_at, "prod", "col3", *encoded.blobs)) == odd


def test_non_string_keys_fall_back_to_zlib_json() -> None:
    odd = replace(real_episode(), context={1: "one", "k": [0.5] * 5})
    encoded = encode_episode(odd)
    assert encoded.codec == "zjson"
    back = decode_episode((encoded.episode_id, encoded.created_at, "prod", "zjson", *encoded.blobs))
    assert back.context == {"1": "one", "k": [0.5] * 5}  # as JSON has it


def test_legacy_plain_json_rows_decode() -> None:
    episode = real_episode()
    text_row = (
        "legacy-1",
        "2024-01-02T03:04:05",
        "prod",
        None,
        json.dumps(episode.inputs),
        json.dumps(episode.schedule).encode(),
        None,
        "{}",
    )
    back = decode_episode(text_row)
    assert back.episode_id == "legacy-1"
    assert back.created_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert same(back.schedule, episode.schedule)
    assert back.context == {}
    zrow = ("legacy-2", "2024-01-02T03:04:05+00:00", "prod", "zjson", *(zlib.compress(b'{"a": 1}'),) * 4)
    assert decode_episode(zrow).inputs == {"a": 1}


@pytest.mark.parametrize(
    ("codec", "blob"),
    [
        ("col1", b"not zlib at all"),
        ("col1", zlib.compress(b"\x05\x00\x00\x00{}")),
        ("col1", zlib.compress(struct.pack("<I", 2) + b"{}" + b"\x03" + b"\x00")),
        ("col2", b"not zlib at all"),
        ("col2", zlib.compress(struct.pack("<I", 2) + b"{}" + b"\x03" + b"\x00")),
        ("col2", zlib.compress(struct.pack("<I", 14) + b"[{},[6,4,4,1]]" + b"\x01" + b"\x00" * 4)),
        ("zjson", zlib.compress(b"{not json")),
        ("json", b"\xff\xfe"),
        ("json", "[1, 2]"),
        ("brotli", b"x"),
    ],
)
def test_corrupt_blob_names_the_episode(codec: str, blob: bytes | str) -> None:
    good = {"zjson": encode({}, "zjson"), "json": b"{}"}.get(codec)  # codecs that can write one
    first = blob if good is None else good
    row = ("ep-42", "2025-01-01T00:00:00+00:00", "test", codec, first, blob, blob, blob)
    with pytest.raises(CorruptEpisodeError, match="ep-42") as info:
        decode_episode(row)
    assert info.value.episode_id == "ep-42"
    assert info.value.column == ("inputs" if good is None else "schedule")
    if isinstance(blob, str):  # valid JSON, but not an object
        assert info.value.__cause__ is None
        assert "expected a JSON object" in str(info.value)
    else:  # whatever the decoder raised (zlib.error, struct.error, JSONDecodeError...) became a CodecError
        assert isinstance(info.value.__cause__, CodecError)


@pytest.mark.parametrize("codec", ["col1", "col2"])
@pytest.mark.parametrize("values", [[0.5, 1.5, 2.5, 3.5], [0.5, 0.5, 1.5, 0.5, 0.5, 1.5]])
def test_truncated_float_data_is_detected(codec: str, values: list[float]) -> None:
    payload = zlib.decompress(old_blob(codec, "four_distinct" if len(values) == 4 else "two_distinct"))
    assert decode(zlib.compress(payload), codec) == {"x": values}
    for cut in (payload[:-1], payload + b"\x00"):
        with pytest.raises(CorruptEpisodeError, match="e1"):
            decode_episode(
                ("e1", "2025-01-01T00:00:00+00:00", "test", codec, zlib.compress(cut), None, None, None)
            )


def test_col2_shares_repeated_floats() -> None:
    back = decode(old_blob("col2", "schedule"), "col2")
    assert same(back, real_episode().schedule)
    values = back["columns"]["curtail_kwh"]
    assert len({id(v) for v in values}) == 1  # one float object per distinct value of a column


def _slot_table(times: list[str]) -> dict[str, Any]:
    """The col1/col2 skeleton of [{"start": t} for t in times]: a table whose column is a time node."""
    moments = [datetime.fromisoformat(t) for t in times]
    runs: list[list[int]] = []
    for moment in moments:
        offset = int(moment.utcoffset().total_seconds())  # type: ignore[union-attr]
        if runs and runs[-1][1] == offset:
            runs[-1][0] += 1
        else:
            runs.append([1, offset])
    step = int((moments[1] - moments[0]).total_seconds())
    node = {MARK: "s", "t": int(moments[0].timestamp()), "p": step, "n": len(times), "o": runs}
    return {"slots": {MARK: "t", "n": len(times), "k": ["start"], "c": [node]}}


def test_slot_times_of_consecutive_and_distant_episodes_decode() -> None:
    zone = ZoneInfo("Europe/Stockholm")
    starts = [datetime(2025, 10, 24, tzinfo=UTC) + timedelta(minutes=15 * i) for i in range(0, 400, 7)]
    starts += [datetime(2025, 3, 29, 12, tzinfo=UTC), datetime(2019, 1, 1, tzinfo=UTC), starts[0]]
    for start in starts:
        times = [(start + timedelta(minutes=15 * j)).astimezone(zone).isoformat() for j in range(192)]
        back = unpack(_slot_table(times), [], np.zeros(0, dtype=np.int64))
        assert back == {"slots": [{"start": t} for t in times]}
