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
        node: dict[str, Any] = {MARK: "f", "k": k, "n": len(values)}
        negative_zeros = [i for i, v in enumerate(values) if v == 0.0 and math.copysign(1.0, v) < 0]
        if negative_zeros:
            node["z"] = negative_zeros
        self.scales.append(k)
        self.columns.append(np.rint(array * 10.0**k).astype(np.int64))
        return node


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


def pack(tree: Any) -> tuple[Any, np.ndarray]:
    """(skeleton, int64 deltas) of a tree; see the module docstring."""
    packer = Packer()
    skeleton = packer.pack(tree)
    return skeleton, packer.integers()


class Unpacker:
    """Rebuilds a tree from its skeleton and the decoded float values."""

    def __init__(self, deltas: np.ndarray, skeleton: Any) -> None:
        """Decode all float columns at once (one cumsum, one division)."""
        nodes = _float_nodes(skeleton)
        counts = [int(node["n"]) for node in nodes]
        if sum(counts) != len(deltas):
            raise CodecError(f"float data holds {len(deltas)} values, skeleton expects {sum(counts)}")
        self.values: list[float] = []
        self.position = 0
        if counts:
            scales = np.repeat(np.array([10.0 ** int(node["k"]) for node in nodes], dtype=np.float64), counts)
            self.values = (np.cumsum(deltas, dtype=np.int64) / scales).tolist()

    def unpack(self, tree: Any) -> Any:
        """Invert `Packer.pack`, in the same traversal order."""
        if isinstance(tree, dict):
            kind = tree.get(MARK)
            if kind is None:
                return {k: self.unpack(v) for k, v in tree.items()}
            if kind == "f":
                return self._floats(tree)
            if kind == "t":
                return self._table(tree)
            if kind == "s":
                return _unpack_times(tree)
            raise CodecError(f"unknown node kind {kind!r}")
        if isinstance(tree, list):
            return [self.unpack(v) for v in tree]
        return tree

    def _floats(self, node: dict[str, Any]) -> list[float]:
        start = self.position
        self.position += int(node["n"])
        values = self.values[start : self.position]
        for i in node.get("z", ()):
            values[i] = -0.0
        return values

    def _table(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        keys, n = node["k"], node["n"]
        columns = [self.unpack(c) for c in node["c"]]
        if any(not isinstance(c, list) or len(c) != n for c in columns):
            raise CodecError("table column length mismatch")
        if not keys:
            return [{} for _ in range(n)]
        if len(keys) > MAX_FAST_KEYS:
            return list(map(dict, map(zip, repeat(keys), zip(*columns, strict=True))))
        return list(map(_record_builder(tuple(keys)), *columns, strict=True))


def unpack(skeleton: Any, deltas: np.ndarray) -> Any:
    """Invert `pack`."""
    return Unpacker(deltas, skeleton).unpack(skeleton)


def _float_nodes(tree: Any) -> list[dict[str, Any]]:
    """The float nodes of a skeleton in traversal order."""
    out: list[dict[str, Any]] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get(MARK) == "f":
                out.append(node)
            elif node.get(MARK) == "t":
                stack.extend(reversed(node["c"]))
            elif node.get(MARK) is None:
                stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return out


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
    return node if _unpack_times(node) == values else None


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


def _unpack_times(node: dict[str, Any]) -> list[str]:
    start, step = int(node["t"]), int(node["p"])
    out: list[str] = []
    for count, offset in node["o"]:
        first = start + len(out) * step
        out.extend(map(_iso, range(first, first + int(count) * step, step), repeat(int(offset))))
    if len(out) != node["n"]:
        raise CodecError("timestamp column length mismatch")
    return out


@lru_cache(maxsize=16384)
def _iso(epoch: int, offset_seconds: int) -> str:
    """ISO text of a UTC epoch shown at a fixed UTC offset (cached: consecutive episodes share slots)."""
    tz = UTC if offset_seconds == 0 else timezone(timedelta(seconds=offset_seconds))
    return datetime.fromtimestamp(epoch, tz).isoformat()
