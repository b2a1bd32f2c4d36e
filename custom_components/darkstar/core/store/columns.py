"""Exact, compact rewriting of JSON trees: lists of floats and lists of records become columns.

`pack(tree)` returns a JSON skeleton plus one integer array:
  * a list of records with identical keys becomes a table of columns,
  * a list of floats becomes integers scaled by 10**k (k <= 6, the smallest exact one); all float
    columns of a tree are concatenated and delta-encoded into one array (numpy, fast to decode),
  * a list of ISO timestamps on a regular step becomes start + step + runs of UTC offsets.
`unpack(*pack(tree)) == tree` bit for bit (same types, same float bits incl. -0.0, same key order):
every rewrite is verified while encoding, and values that would not come back exactly stay as they are.
Exactness of floats: for |n| < 2**53, n and 10**k are exact doubles, so n / 10**k is the correctly
rounded quotient in numpy and in Python alike; the encoder keeps a column only if that quotient
reproduces every value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from itertools import pairwise, repeat
import math
from typing import Any

import numpy as np

from .errors import CodecError

MARK = "\x00"  # key of a rewritten node; original dicts must not use it
MIN_COLUMN = 4  # shorter lists are left as they are
MAX_DECIMALS = 6
MAX_FAST_KEYS = 64  # tables with more keys use the slower generic record builder
_EXACT_LIMIT = 2.0**53


class Packer:
    """Collects the float columns of one tree while rewriting it."""

    def __init__(self) -> None:
        """Start with no columns."""
        self.scales: list[int] = []
        self.columns: list[np.ndarray] = []

    def pack(self, tree: Any) -> Any:
        """Rewrite a JSON tree into its compact, exactly reversible form."""
        if isinstance(tree, dict):
            _check_keys(tree)
            return {k: self.pack(v) for k, v in tree.items()}
        if isinstance(tree, list):
            return self._list(tree)
        if isinstance(tree, np.ndarray | np.generic):  # decoded episodes hold float64 arrays
            return self.pack(tree.tolist())
        return tree

    def integers(self) -> np.ndarray:
        """Delta encoding of all float columns, concatenated (int64)."""
        if not self.columns:
            return np.zeros(0, dtype=np.int64)
        ints = np.concatenate(self.columns)
        return np.diff(ints, prepend=np.int64(0))

    def _list(self, values: list[Any]) -> Any:
        if len(values) >= MIN_COLUMN:
            first = type(values[0])
            if first is float and all(type(v) is float for v in values):
                packed = self._floats(values)
                if packed is not None:
                    return packed
            elif first is str and all(type(v) is str for v in values):
                packed = _pack_times(values)
                if packed is not None:
                    return packed
        if len(values) >= 2 and all(type(v) is dict for v in values):
            keys = list(values[0])
            if all(list(row) == keys for row in values):
                _check_keys(values[0])
                columns = [self._list([row[k] for row in values]) for k in keys]
                return {MARK: "t", "n": len(values), "k": keys, "c": columns}
        return [self.pack(v) for v in values]

    def _floats(self, values: list[float]) -> dict[str, Any] | None:
        array = np.array(values, dtype=np.float64)
        k = _decimals(array)
        if k is None:
            return None
        node: dict[str, Any] = {MARK: "f"}
        negative_zeros = negative_zero_positions(values)
        if negative_zeros:
            node["z"] = negative_zeros
        self.scales.append(k)
        self.columns.append(np.rint(array * 10.0**k).astype(np.int64))
        return node


def negative_zero_positions(values: list[float]) -> list[int]:
    """Indexes of the -0.0 values (scaled integers cannot tell them from 0.0)."""
    return [i for i, v in enumerate(values) if v == 0.0 and math.copysign(1.0, v) < 0]


def _decimals(array: np.ndarray) -> int | None:
    """The smallest k <= MAX_DECIMALS with rint(v * 10**k) / 10**k == v for every value, or None."""
    if not np.isfinite(array).all() or np.abs(array).max() * 10.0**MAX_DECIMALS >= _EXACT_LIMIT:
        return None
    finest = np.rint(array * 10.0**MAX_DECIMALS)
    candidate = MAX_DECIMALS
    while candidate > 0 and not (finest % 10 ** (MAX_DECIMALS - candidate + 1)).any():
        candidate -= 1
    for k in range(candidate, MAX_DECIMALS + 1):  # verify; usually the first k holds
        scale = 10.0**k
        if np.array_equal(np.rint(array * scale) / scale, array):
            return k
    return None


def _check_keys(tree: dict[Any, Any]) -> None:
    if any(isinstance(k, str) and k.startswith(MARK) for k in tree):
        raise CodecError(f"dict key starting with {MARK!r} cannot be packed")


def pack(tree: Any) -> tuple[Any, list[int], np.ndarray]:
    """(skeleton, layout, int64 deltas) of a tree; layout is [k0, n0, k1, n1, ...] per float column."""
    packer = Packer()
    skeleton = packer.pack(tree)
    layout = [x for k, column in zip(packer.scales, packer.columns, strict=True) for x in (k, len(column))]
    return skeleton, layout, packer.integers()


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
        """Invert `Packer.pack`, in the same traversal order."""
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
    """Invert `pack`."""
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


def _pack_times(values: list[str]) -> dict[str, Any] | None:
    if not ("T" in values[0] and values[0][:4].isdigit()):
        return None
    try:
        times = [datetime.fromisoformat(v) for v in values]
    except ValueError:
        return None
    if any(t.tzinfo is None or t.microsecond for t in times):
        return None
    epochs = [int(t.timestamp()) for t in times]
    step = epochs[1] - epochs[0]
    if step <= 0 or any(b - a != step for a, b in pairwise(epochs)):
        return None
    offsets = _run_lengths([_offset_seconds(t) for t in times])
    node = {MARK: "s", "t": epochs[0], "p": step, "n": len(values), "o": offsets}
    return node if unpack_times(node) == values else None


def _offset_seconds(t: datetime) -> int:
    offset = t.utcoffset()
    return 0 if offset is None else int(offset.total_seconds())


def _run_lengths(items: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for item in items:
        if runs and runs[-1][1] == item:
            runs[-1][0] += 1
        else:
            runs.append([1, item])
    return runs


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
