"""Reading the ``col1`` rewriting of JSON trees (rows written before col2; also col2's skeleton).

A col1 tree is a JSON skeleton plus one integer array (`unpack(skeleton, layout, deltas)`):
  * ``{MARK: "f"[, "z": [i, ...]]}`` is a list of floats: integers n scaled by 10**k (layout holds
    [k, count] per column), all columns of a tree concatenated and delta-encoded into one array;
    "z" lists the positions of -0.0,
  * ``{MARK: "t", "n": n, "k": [key, ...], "c": [column, ...]}`` is a list of n records with those keys,
  * ``{MARK: "s", "t": epoch, "p": step, "n": n, "o": [[count, utc_offset_s], ...]}`` is a list of n
    ISO timestamps every `step` seconds from `epoch`, shown at runs of UTC offsets.
Floats come back exactly as they were written (see `scaled`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from itertools import repeat
from typing import Any

import numpy as np

from .errors import CodecError

MARK = "\x00"  # key of a rewritten node
MAX_FAST_KEYS = 64  # tables with more keys use the slower generic record builder


class Unpacker:
    """Rebuilds a tree from its skeleton, the float layout and the integer deltas."""

    def __init__(self, layout: list[int], deltas: np.ndarray) -> None:
        """Decode all float columns at once (one cumsum, one division, one tolist)."""
        scales, counts = layout[0::2], layout[1::2]
        if len(scales) != len(counts) or sum(counts) != len(deltas):
            raise CodecError(f"float data holds {len(deltas)} values, layout expects {sum(counts)}")
        self.counts = iter(counts)
        self.values: list[float] = []
        self.position = 0
        if counts:
            factors = np.repeat(np.power(10.0, np.asarray(scales, dtype=np.float64)), counts)
            self.values = (np.cumsum(deltas, dtype=np.int64) / factors).tolist()

    def unpack(self, tree: Any) -> Any:
        """The tree of a skeleton: rewritten nodes decoded, float columns taken in document order."""
        if type(tree) is dict:
            kind = tree.get(MARK)
            if kind is None:
                return {k: self.unpack(v) if type(v) in _CONTAINERS else v for k, v in tree.items()}
            if kind == "f":
                return self._floats(tree)
            if kind == "t":
                return self._table(tree)
            if kind == "s":
                return unpack_times(tree)
            raise CodecError(f"unknown node kind {kind!r}")
        if type(tree) is list:
            return [self.unpack(v) if type(v) in _CONTAINERS else v for v in tree]
        return tree

    def _floats(self, node: dict[str, Any]) -> list[float]:
        start = self.position
        count = next(self.counts, None)
        if count is None:
            raise CodecError("more float columns than the layout holds")
        self.position += count
        values = self.values[start : self.position]
        for i in node.get("z", ()):
            values[i] = -0.0
        return values

    def _table(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        return build_records(node["k"], node["n"], [self.unpack(c) for c in node["c"]])


def build_records(keys: list[str], n: int, columns: list[Any]) -> list[dict[str, Any]]:
    """The list of `n` records with `keys` from one decoded column per key."""
    if any(type(c) is not list or len(c) != n for c in columns):
        raise CodecError("table column length mismatch")
    if not keys:
        return [{} for _ in range(n)]
    if len(keys) > MAX_FAST_KEYS:
        return list(map(dict, map(zip, repeat(keys), zip(*columns, strict=True))))
    return list(map(_record_builder(tuple(keys)), *columns, strict=True))


_CONTAINERS = (dict, list)


def unpack(skeleton: Any, layout: list[int], deltas: np.ndarray) -> Any:
    """The tree of a col1 skeleton, its float layout [k0, n0, k1, n1, ...] and the integer deltas."""
    unpacker = Unpacker(layout, deltas)
    tree = unpacker.unpack(skeleton)
    if unpacker.position != len(unpacker.values):
        raise CodecError("float data left over after decoding")
    return tree


@lru_cache(maxsize=64)
def _record_builder(keys: tuple[str, ...]) -> Callable[..., dict[str, Any]]:
    """A function (a0, a1, ...) -> {keys[0]: a0, ...}; about twice as fast as dict(zip(...)).

    The generated source holds only `repr()` of the string keys, which is always a plain literal.
    """
    if not all(type(k) is str for k in keys):
        raise CodecError("table keys must be strings")
    args = ",".join(f"a{i}" for i in range(len(keys)))
    body = ",".join(f"{k!r}:a{i}" for i, k in enumerate(keys))
    return eval(f"lambda {args}: {{{body}}}")


# -- timestamps ---------------------------------------------------------------------------------


def unpack_times(node: dict[str, Any]) -> list[str]:
    start, step = int(node["t"]), int(node["p"])
    out: list[str] = []
    for count, offset in node["o"]:
        out.extend(_time_texts(start + len(out) * step, int(count), step, int(offset)))
    if len(out) != node["n"]:
        raise CodecError("timestamp column length mismatch")
    return out


# (step, offset) -> (first epoch, ISO texts every `step` seconds): a "tape" of slot times that
# consecutive episodes (planned minutes apart, horizons overlapping) slice instead of re-formatting.
_TAPES: dict[tuple[int, int], tuple[int, list[str]]] = {}
_TAPE_BEFORE_S = 86_400
_TAPE_AFTER_S = 7 * 86_400
_MAX_TAPES = 32


def _time_texts(first: int, count: int, step: int, offset: int) -> list[str]:
    """ISO texts of `count` instants from epoch `first` every `step` s, at a fixed UTC offset."""
    tape = _TAPES.get((step, offset))
    if tape is not None:
        index, rest = divmod(first - tape[0], step)
        if not rest and index >= 0 and index + count <= len(tape[1]):
            return tape[1][index : index + count]
    before = max(_TAPE_BEFORE_S // step, 0)
    begin = first - before * step
    total = before + count + max(_TAPE_AFTER_S // step, 0)
    texts = list(map(_iso, range(begin, begin + total * step, step), repeat(offset)))
    if len(_TAPES) >= _MAX_TAPES:
        _TAPES.clear()
    _TAPES[(step, offset)] = (begin, texts)
    return texts[before : before + count]


def _iso(epoch: int, offset_seconds: int) -> str:
    """ISO text of a UTC epoch shown at a fixed UTC offset."""
    tz = UTC if offset_seconds == 0 else timezone(timedelta(seconds=offset_seconds))
    return datetime.fromtimestamp(epoch, tz).isoformat()
