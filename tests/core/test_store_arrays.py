"""Decoded schedule columns are read-only float64 numpy arrays: exact, from every codec, re-encodable."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
import json
from pathlib import Path
import struct
import zlib

import numpy as np
import pytest

from custom_components.darkstar.core.plan import plan_from_dict, plan_to_dict
from custom_components.darkstar.core.scenario import load_scenario, scenario_from_dict
from custom_components.darkstar.core.store import (
    BLOB_COLUMNS,
    CODECS,
    CorruptEpisodeError,
    Episode,
    decode_episode,
    encode,
    encode_episode,
    episode_equal,
    make_episode,
    plain,
    plan_from_episode,
    schedule_columns,
    trees_equal,
)
from custom_components.darkstar.core.store.episodes import time_to_text

from .test_store_codec import OLD_CODECS, old_blob

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PLAN = plan_from_dict(json.loads((FIXTURES / "store" / "kepler-plan-full-2025-07-08.json").read_text()))
SCENARIO = load_scenario(FIXTURES / "scenarios" / "full-2025-07-08.json")


def episode() -> Episode:
    """The fixture scenario and its Kepler plan as an episode (lists, as make_episode builds it).

    old-codec-blobs.json holds the col1/col2 blobs of exactly this episode.
    """
    return make_episode(
        SCENARIO, PLAN, system_id="test", created_at=datetime(2025, 7, 8, tzinfo=UTC), episode_id="ep-7"
    )


def stored(ep: Episode, codec: str, schedule: str = "schedule") -> Episode:
    """`ep` written with `codec` and decoded again.

    col1 and col2 are only read: their blobs are those the old encoders wrote of `episode()`, with
    the schedule named `schedule` in old-codec-blobs.json.
    """
    if codec in OLD_CODECS:
        blobs = [old_blob(codec, schedule if name == "schedule" else name) for name in BLOB_COLUMNS]
    else:
        blobs = list(encode_episode(ep, codec).blobs)
    return decode_episode((ep.episode_id, time_to_text(ep.created_at), ep.system_id, codec, *blobs))


def bits(values: object) -> bytes:
    """The float64 bytes of a column (list or array)."""
    return np.asarray(values, dtype=np.float64).tobytes()


@pytest.mark.parametrize("codec", CODECS)
def test_columns_decode_as_read_only_float64_arrays_bit_exact(codec: str) -> None:
    ep = episode()
    back = stored(ep, codec)
    for name, values in ep.schedule["columns"].items():
        column = back.schedule["columns"][name]
        assert type(column) is np.ndarray
        assert column.dtype == np.float64
        assert not column.flags.writeable
        assert bits(column) == bits(values)
        assert column.tolist() == values
    with pytest.raises(ValueError, match="read-only"):
        back.schedule["columns"]["soc_kwh"][0] = 1.0
    assert plan_from_episode(back) == plan_from_episode(ep)
    assert plan_to_dict(plan_from_episode(back)) == plan_to_dict(PLAN)
    assert json.loads(json.dumps(plain(back.schedule))) == ep.schedule
    assert back == ep
    assert episode_equal(back, ep)


@pytest.mark.parametrize("codec", ["col2", "col3"])
def test_inputs_stay_plain_json_for_scenario_from_dict(codec: str) -> None:
    back = stored(episode(), codec)
    assert all(type(v) is list for v in back.inputs["series"].values())
    assert scenario_from_dict(back.inputs) == SCENARIO


def test_negative_zero_and_short_columns_come_back_as_arrays() -> None:
    ep = episode()
    columns = {name: list(values) for name, values in ep.schedule["columns"].items()}
    columns["charge_kwh"][3] = -0.0
    odd = replace(ep, schedule={**ep.schedule, "columns": columns})
    short = replace(ep, schedule={**ep.schedule, "columns": {k: v[:2] for k, v in columns.items()}})
    for codec in CODECS:
        back = stored(odd, codec, "schedule_negative_zero")
        assert back == odd
        assert bits(back.schedule["columns"]["charge_kwh"]) == bits(columns["charge_kwh"])
        assert np.signbit(back.schedule["columns"]["charge_kwh"][3])
        few = stored(short, codec, "schedule_short")
        assert few == short
        assert all(type(c) is np.ndarray and len(c) == 2 for c in few.schedule["columns"].values())


@pytest.mark.parametrize("codec", ["col1", "col2", "col3"])
def test_decoded_episode_re_encodes_to_the_same_bytes(codec: str) -> None:
    ep = episode()
    back = stored(ep, codec)
    again = encode_episode(back)
    assert again.blobs == encode_episode(ep).blobs
    assert again.raw_bytes == encode_episode(ep).raw_bytes
    assert encode(schedule_columns(back.schedule), "zjson") == encode(ep.schedule["columns"], "zjson")


@pytest.mark.parametrize("codec", ["col2", "col3"])
def test_episode_equality_sees_a_changed_value(codec: str) -> None:
    ep = episode()
    back = stored(ep, codec)
    columns = {name: list(values) for name, values in ep.schedule["columns"].items()}
    columns["soc_kwh"][10] += 0.001
    assert back != replace(ep, schedule={**ep.schedule, "columns": columns})
    assert not trees_equal(back.schedule, {**ep.schedule, "columns": columns})


def test_corrupt_index_in_array_decoding_names_the_episode() -> None:
    payload = bytearray(
        zlib.decompress(old_blob("col2", "index"))
    )  # {"columns": {"x": [0.5, 0.5, 1.5, 0.5]}}
    payload[-1] = 9  # index of a value the column does not store
    row = ("ep-9", "2025-01-01T00:00:00+00:00", "test", "col2", None, zlib.compress(payload), None, None)
    with pytest.raises(CorruptEpisodeError, match="ep-9") as info:
        decode_episode(row)
    assert "index out of range" in str(info.value)
    layout = struct.unpack_from("<I", payload)[0]
    truncated = bytes(payload[: 4 + layout + 4 + 1])  # header cut inside the skeleton
    with pytest.raises(CorruptEpisodeError, match="ep-9"):
        decode_episode((*row[:5], zlib.compress(truncated), None, None))
