"""Reading the ``col2`` rewriting (rows written before col3): `columns` with dictionary-coded floats.

A 48-hour episode holds ~2,300 floats but only a few hundred distinct ones (hourly prices repeat
four times, most flows are 0.0). col2 stored, per float column, its distinct scaled integers in
order of first appearance plus one uint8 index per value; the decoder builds each column from one
shared float object per distinct value. Columns with more than 256 distinct values, or with no
repeats, were stored plainly.

A col2 tree is a skeleton (that of col1: records, timestamps and ``{MARK: "f"}`` nodes, see
`columns`), a layout [k, n, u] per float column (k decimals, n values, u stored integers; u == n
means plain), int64 deltas of the stored integers and the index bytes. Decoding needs no second
walk over the tree: the layout is read first, then the skeleton is parsed with
`SharedUnpacker.hook` as json's object_hook, which replaces each rewritten node as soon as it is
parsed (json calls it in document order, the order in which the encoder collected the columns).
"""

from __future__ import annotations

from itertools import accumulate
from operator import itemgetter
from typing import Any

import numpy as np

from .columns import MARK, build_records, unpack_times
from .errors import CodecError


class SharedUnpacker:
    """Rebuilds the rewritten nodes of a col2 tree (see `hook`)."""

    def __init__(self, layout: list[int], deltas: np.ndarray, index: bytes, *, arrays: bool = False) -> None:
        """Decode all stored integers at once; columns are assembled as the skeleton is parsed.

        `arrays`: float columns become read-only float64 numpy arrays instead of lists of floats
        (no Python float per value; plain columns are views of one shared buffer).
        Shapes are checked per column in `_floats` and the totals by `finish`.
        """
        if len(layout) % 3:
            raise CodecError("float layout is not a list of [decimals, values, stored] triples")
        scales, counts, stored = layout[0::3], layout[1::3], layout[2::3]
        if sum(stored) != len(deltas):
            raise CodecError(f"float data holds {len(deltas)} values, layout expects {sum(stored)}")
        self.shapes = iter(zip(counts, stored, strict=True))
        self.index = index
        self.index_position = 0
        self.arrays = arrays
        self.values: list[float] | np.ndarray = []
        self.position = 0
        if stored:
            factors = np.repeat([10.0**k for k in scales], stored)
            decoded = np.cumsum(deltas, dtype=np.int64) / factors
            self.values = decoded if arrays else decoded.tolist()
        self.array_position = 0
        if arrays:
            self.expanded, self.index_position = expand_columns(self.values, counts, stored, index)
            self.expanded.flags.writeable = False

    def hook(self, node: dict[str, Any]) -> Any:
        """json object_hook: a rewritten node becomes its value, any other object stays as it is."""
        kind = node.get(MARK)
        if kind is None:
            return node
        if kind == "f":
            return self._floats(node)
        if kind == "t":  # records hold plain floats, also when columns are decoded as arrays
            columns = [c.tolist() if type(c) is np.ndarray else c for c in node["c"]]
            return build_records(node["k"], node["n"], columns)
        if kind == "s":
            return unpack_times(node)
        raise CodecError(f"unknown node kind {kind!r}")

    def _floats(self, node: dict[str, Any]) -> list[float] | np.ndarray:
        shape = next(self.shapes, None)
        if shape is None:
            raise CodecError("more float columns than the layout holds")
        count, stored = shape
        start = self.position
        self.position += stored
        if self.arrays:
            return self._array(node, count)
        values = self.values[start : self.position]
        if stored < count:
            begin = self.index_position
            self.index_position += count
            if stored == 1:  # a constant column (all zeros, say): no gather needed
                if self.index.count(0, begin, self.index_position) != count:
                    raise CodecError("float column index out of range")
                values = values * count
            else:
                values = list(itemgetter(*self.index[begin : self.index_position])(values))
        elif stored != count:
            raise CodecError(f"float column stores {stored} values for {count}")
        for i in node.get("z", ()):
            values[i] = -0.0
        return values

    def _array(self, node: dict[str, Any], count: int) -> np.ndarray:
        """One float column as a read-only float64 array: a view of the expanded columns."""
        start = self.array_position
        self.array_position += count
        values = self.expanded[start : self.array_position]
        negative_zeros = node.get("z", ())
        if negative_zeros:
            values = values.copy()
            values[list(negative_zeros)] = -0.0
            values.flags.writeable = False
        return values

    def finish(self) -> None:
        """Raise CodecError unless every stored value and index was used."""
        if self.position != len(self.values) or self.index_position != len(self.index):
            raise CodecError("float data left over after decoding")


def expand_columns(
    values: np.ndarray | list[float], counts: list[int], stored: list[int], index: bytes
) -> tuple[np.ndarray, int]:
    """(all float columns one after another, index bytes used): coded columns gathered by index.

    One gather for all columns of a tree: numpy's per-call overhead, not the data, dominates here.
    """
    values = np.asarray(values, dtype=np.float64)
    if any(u > n for n, u in zip(counts, stored, strict=True)):
        raise CodecError("a float column stores more values than it holds")
    coded = [u < n for n, u in zip(counts, stored, strict=True)]
    if not any(coded):
        return values, 0
    used = sum(n for n, c in zip(counts, coded, strict=True) if c)
    if used > len(index):
        raise CodecError("float column index data truncated")
    ranks = np.frombuffer(index, np.uint8, used)
    starts = list(accumulate(stored, initial=0))[:-1]
    if all(coded):  # the usual case: every column has repeats
        firsts = list(accumulate(counts, initial=0))[:-1]
        highest = np.maximum.reduceat(ranks, firsts).tolist()
        if any(m >= u for m, u in zip(highest, stored, strict=True)):
            raise CodecError("float column index out of range")
        return values[np.repeat(starts, counts) + ranks], used
    pieces, position = [], 0
    for n, u, start, is_coded in zip(counts, stored, starts, coded, strict=True):
        if not is_coded:
            pieces.append(np.arange(start, start + n, dtype=np.int64))
            continue
        column = ranks[position : position + n]
        position += n
        if int(column.max()) >= u:
            raise CodecError("float column index out of range")
        pieces.append(column.astype(np.int64) + start)
    return values[np.concatenate(pieces)], used
