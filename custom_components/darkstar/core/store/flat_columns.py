"""The ``col3`` payload: a JSON skeleton plus every float column of the tree in one binary block.

col2 rewrote each float column into a marker object that json's object_hook replaced while parsing
(one Python call per object and several numpy calls per blob). col3 keeps the tree as it is and
only cuts the float columns out: the skeleton holds ``null`` where a column was, and the header
says where the columns go (parent path and keys). Decoding (`flat_decode`) is one JSON parse per
blob, a few vectorised numpy calls for the columns of many blobs at once, and one assignment per
column. Nothing else of the tree is rewritten (timestamps and records stay JSON, which zlib packs).

    blob    = "P" payload (payloads under PLAIN_BELOW bytes)
            | "Z" zlib stream of the payload, compressed with the preset dictionary
              `flat_dictionary.ZDICT` (the keys every header repeats)
    payload = uint32 LE header length | header JSON | deltas | run ranks | run lengths
    header  = [skeleton]                                    (no float columns)
            | [skeleton, groups, layout, [width, rank_width], zeros]
    groups  = [[parent path, [key, ...]], ...]   columns in order; a path is a list of dict keys
                                                 (str) and list indexes (int) from the root
    layout  = [k, n, u, r, ...] per column: k decimals, n values, u distinct values, r runs
    zeros   = [[column, [position, ...]], ...]   where a column holds -0.0
    deltas  = the distinct values of every column (scaled by 10**k, in order of first appearance),
              concatenated and delta-coded: sum(u) little-endian integers of `width` bytes
    ranks   = per value, the index of its distinct value within its column, run-length coded
              (prices repeat four times an hour, flows stay 0.0 for hours): per run its rank,
              sum(r) uint8 (uint16 LE when rank_width is 2), then its length, sum(r) uint8

A float column is a list of at least MIN_COLUMN finite floats that round-trip exactly through
n / 10**k (see `scaled.decimals`), with at most MAX_DISTINCT distinct values. Decoded values are
bit-exact (-0.0 included).
"""

from __future__ import annotations

from operator import mul
import struct
from typing import Any
import zlib

import numpy as np

from .errors import CodecError
from .flat_dictionary import ZDICT
from .json_text import to_json
from .scaled import INT_WIDTHS, RANK_WIDTHS, decimals, int_width

MIN_COLUMN = 4  # shorter lists stay in the skeleton
MAX_DISTINCT = 65_536  # uint16 ranks
MAX_RUN = 255  # uint8 run lengths
ZLIB_LEVEL = 9  # also for zjson
PLAIN_BELOW = 256  # smaller payloads (context, overrides) are stored as they are: cheaper to read
_FLOAT_ONLY = {float}


class FlatPacker:
    """Cuts the float columns out of one tree (see the module docstring)."""

    def __init__(self) -> None:
        """Start with no columns."""
        self.groups: list[list[Any]] = []
        self.layout: list[int] = []
        self.zeros: list[list[Any]] = []
        self.distinct: list[np.ndarray] = []
        self.runs: list[np.ndarray] = []
        self.lengths: list[np.ndarray] = []
        self.text_bytes = 0  # JSON text of the columns but their numbers, less the "null" each leaves

    def skeleton(self, node: Any, path: list[Any]) -> Any:
        """`node` with its float columns replaced by None (recorded in path order)."""
        if type(node) is dict:
            if any(type(k) is not str for k in node):
                raise CodecError("col3 needs string keys")
            return {k: self._child(v, path, k) for k, v in node.items()}
        if type(node) is list:
            return [self._child(v, path, i) for i, v in enumerate(node)]
        if isinstance(node, np.ndarray | np.generic):  # decoded episodes hold float64 arrays
            return self.skeleton(node.tolist(), path)
        return node

    def _child(self, value: Any, path: list[Any], key: str | int) -> Any:
        if type(value) is np.ndarray:
            value = value.tolist()
        if type(value) is list and len(value) >= MIN_COLUMN and self._column(value, path, key):
            return None
        if type(value) in (dict, list) or isinstance(value, np.generic):
            return self.skeleton(value, [*path, key])
        return value

    def _column(self, values: list[Any], path: list[Any], key: str | int) -> bool:
        """Record `values` as a float column if it is one; False leaves it in the skeleton."""
        if set(map(type, values)) != _FLOAT_ONLY:
            return False
        array = np.array(values, dtype=np.float64)
        k = decimals(array)
        if k is None:
            return False
        ints = np.rint(array * 10.0**k).astype(np.int64)
        distinct, first, inverse = np.unique(ints, return_index=True, return_inverse=True)
        if len(distinct) > MAX_DISTINCT:
            return False
        order = np.argsort(first, kind="stable")  # distinct values in order of first appearance
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        column = len(self.layout) // 4
        negative = np.flatnonzero(np.signbit(array) & (array == 0.0))
        if len(negative):
            self.zeros.append([column, negative.tolist()])
        if self.groups and self.groups[-1][0] == path:
            self.groups[-1][1].append(key)
        else:
            self.groups.append([path, [key]])
        runs, lengths = runs_of(rank[inverse.reshape(-1)])
        self.text_bytes += len(values) + 1 + len(negative) - len("null")  # brackets, commas, "-0.0"
        self.layout += [k, len(values), len(distinct), len(runs)]
        self.distinct.append(distinct[order])
        self.runs.append(runs)
        self.lengths.append(lengths)
        return True

    def numbers(self) -> tuple[list[int], bytes, int]:
        """([integer width, rank width], deltas + run ranks + run lengths, JSON text length) of all columns.

        The text length is that of the columns' JSON (`to_json`), less the "null" each leaves in the
        skeleton: a float is written as its repr, so per distinct value its repr's length times how
        often it occurs (runs: most values repeat).
        """
        ints = np.concatenate(self.distinct)
        deltas = np.diff(ints, prepend=np.int64(0))
        width = int_width(deltas)
        runs = np.concatenate(self.runs)
        lengths = np.concatenate(self.lengths)
        rank_width = 1 if int(runs.max()) < 256 else 2
        body = deltas.astype(INT_WIDTHS[width]).tobytes() + runs.astype(RANK_WIDTHS[rank_width]).tobytes()
        scales, stored, counts = self.layout[0::4], self.layout[2::4], self.layout[3::4]
        firsts = np.repeat(np.cumsum(stored) - stored, counts)  # where each run's column starts in `ints`
        occurrences = np.bincount(runs + firsts, weights=lengths, minlength=len(ints)).astype(np.int64)
        values = (ints / np.repeat(10.0 ** np.array(scales), stored)).tolist()  # the floats, bit for bit
        texts = sum(map(mul, occurrences.tolist(), map(len, map(repr, values)), strict=True))
        return [width, rank_width], body + lengths.astype(np.uint8).tobytes(), self.text_bytes + texts


def runs_of(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rank, length) of each run of equal ranks; runs longer than MAX_RUN are split."""
    starts = np.flatnonzero(np.diff(ranks, prepend=ranks[0] - 1))
    lengths = np.diff(starts, append=len(ranks))
    pieces = (lengths + MAX_RUN - 1) // MAX_RUN
    if (pieces == 1).all():
        return ranks[starts], lengths
    split = np.full(int(pieces.sum()), MAX_RUN)
    split[np.cumsum(pieces) - 1] = lengths - MAX_RUN * (pieces - 1)
    return np.repeat(ranks[starts], pieces), split


def flat_blob(tree: Any) -> tuple[bytes, int]:
    """A col3 blob and the length of `to_json(tree)` (the raw size), found without writing that text.

    The blob is ``P`` and a small payload as it is, or ``Z`` and the payload deflated with ZDICT.
    The columns' text is not written: its length follows from their distinct values (`numbers`).
    """
    packer = FlatPacker()
    skeleton = to_json(packer.skeleton(tree, []))
    if packer.layout:
        widths, body, columns = packer.numbers()
        rest = to_json([packer.groups, packer.layout, widths, packer.zeros])
        head = b"[" + skeleton + b"," + rest[1:]  # the JSON of [skeleton, groups, layout, widths, zeros]
    else:
        head, body, columns = b"[" + skeleton + b"]", b"", 0
    raw = len(skeleton) + columns
    payload = struct.pack("<I", len(head)) + head + body
    if len(payload) < PLAIN_BELOW:
        return b"P" + payload, raw
    deflater = zlib.compressobj(ZLIB_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS, 9, zlib.Z_DEFAULT_STRATEGY, ZDICT)
    return b"Z" + deflater.compress(payload) + deflater.flush(), raw
