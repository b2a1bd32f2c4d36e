"""The ``col2`` rewriting: like `columns` (col1), but each float column is dictionary-coded.

A 48-hour episode holds ~2,300 floats but only a few hundred distinct ones (hourly prices repeat
four times, most flows are 0.0). col2 stores, per float column, its distinct scaled integers in
order of first appearance plus one uint8 index per value; the decoder builds each column from one
shared float object per distinct value. Decoding 10,000 episodes then allocates about a third of
the memory col1 needs (Python float objects, not lists, dominated), which is what made bulk reads
slow. Columns with more than 256 distinct values, or with no repeats, are stored plainly.

`pack2(tree)` -> (skeleton, layout, int64 deltas, index bytes); layout is [k, n, u] per float column
(k decimals, n values, u stored integers; u == n means plain). The skeleton is that of col1 (records,
timestamps and other nodes are handled by `columns.Packer`). Decoding needs no second walk over the
tree: the layout is read first, then the skeleton is parsed with `SharedUnpacker.hook` as json's
object_hook, which replaces each rewritten node as soon as it is parsed (json calls it in document
order, the order in which `pack2` collected the columns).
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

import numpy as np

from .columns import MARK, Packer, _decimals, build_records, negative_zero_positions, unpack_times
from .errors import CodecError

MAX_DISTINCT = 256  # one uint8 index per value


class SharedPacker(Packer):
    """Collects dictionary-coded float columns while rewriting a tree."""

    def __init__(self) -> None:
        """Start with no columns."""
        super().__init__()
        self.layout: list[int] = []
        self.indexes: list[bytes] = []

    def _floats(self, values: list[float]) -> dict[str, Any] | None:
        array = np.array(values, dtype=np.float64)
        k = _decimals(array)
        if k is None:
            return None
        node: dict[str, Any] = {MARK: "f"}
        negative_zeros = negative_zero_positions(values)
        if negative_zeros:
            node["z"] = negative_zeros
        ints = np.rint(array * 10.0**k).astype(np.int64)
        distinct, first, inverse = np.unique(ints, return_index=True, return_inverse=True)
        if len(distinct) == len(ints) or len(distinct) > MAX_DISTINCT:
            self.columns.append(ints)
            self.layout += [k, len(ints), len(ints)]
            return node
        order = np.argsort(first, kind="stable")  # distinct values in order of first appearance
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        self.columns.append(distinct[order])
        self.indexes.append(rank[inverse.reshape(-1)].astype(np.uint8).tobytes())
        self.layout += [k, len(ints), len(distinct)]
        return node


def pack2(tree: Any) -> tuple[Any, list[int], np.ndarray, bytes]:
    """(skeleton, layout [k, n, u per column], int64 deltas of the stored integers, index bytes)."""
    packer = SharedPacker()
    skeleton = packer.pack(tree)
    return skeleton, packer.layout, packer.integers(), b"".join(packer.indexes)


class SharedUnpacker:
    """Rebuilds the rewritten nodes of a tree packed by `pack2` (see `hook`)."""

    def __init__(self, layout: list[int], deltas: np.ndarray, index: bytes) -> None:
        """Decode all stored integers at once; columns are assembled as the skeleton is parsed.

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
        self.values: list[float] = []
        self.position = 0
        if stored:
            factors = np.repeat(np.power(10.0, np.asarray(scales, dtype=np.float64)), stored)
            self.values = (np.cumsum(deltas, dtype=np.int64) / factors).tolist()

    def hook(self, node: dict[str, Any]) -> Any:
        """json object_hook: a rewritten node becomes its value, any other object stays as it is."""
        kind = node.get(MARK)
        if kind is None:
            return node
        if kind == "f":
            return self._floats(node)
        if kind == "t":
            return build_records(node["k"], node["n"], node["c"])
        if kind == "s":
            return unpack_times(node)
        raise CodecError(f"unknown node kind {kind!r}")

    def _floats(self, node: dict[str, Any]) -> list[float]:
        shape = next(self.shapes, None)
        if shape is None:
            raise CodecError("more float columns than the layout holds")
        count, stored = shape
        start = self.position
        self.position += stored
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

    def finish(self) -> None:
        """Raise CodecError unless every stored value and index was used."""
        if self.position != len(self.values) or self.index_position != len(self.index):
            raise CodecError("float data left over after decoding")
