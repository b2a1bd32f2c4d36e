"""Decoding ``col3`` blobs (format: `flat_columns`), many at a time.

`FlatBatch.add` inflates a blob; `FlatBatch.finish` then parses the headers of all blobs added as
one JSON array (their key strings are shared: fewer allocations, less memory held) and decodes all
their float columns with one set of numpy calls (cumulative sums, scaling, range checks, run
expansion, one gather). numpy's per-call overhead, not the data, dominated per-blob decoding;
`episodes.decode_rows` decodes a few dozen episodes per batch.

Decoded trees own their data: array columns are read-only views of one buffer per blob (never of
the whole batch); in list columns, the values of a run of equal values share one float object.
Anything malformed raises CodecError (or one of `codec.DECODE_ERRORS`) without naming the blob:
callers that need to say which one decode again blob by blob.
"""

from __future__ import annotations

from itertools import accumulate
import json
import struct
from typing import Any
import zlib

import numpy as np

from .errors import CodecError
from .flat_dictionary import ZDICT
from .scaled import INT_WIDTHS, MAX_DECIMALS, RANK_WIDTHS

_HEAD = struct.Struct("<I")
_JSON = json.JSONDecoder()
_POWERS = np.array([10.0**k for k in range(MAX_DECIMALS + 1)])  # the decimals scaled.decimals may choose
# columns of one blob that decode alike: (parent, key) of each, arrays?, their lengths, -0.0 positions
Part = tuple[list[tuple[Any, Any]], bool, list[int], dict[int, list[int]]]


def read_payload(blob: bytes | bytearray | memoryview) -> bytes:
    """The payload of a col3 blob (marker ``Z``: deflated with ZDICT, ``P``: as it is)."""
    marker = bytes(blob[:1])
    if marker == b"Z":
        inflater = zlib.decompressobj(zdict=ZDICT)
        payload = inflater.decompress(memoryview(blob)[1:])
        if not inflater.eof or inflater.unused_data:
            raise CodecError("zlib stream is truncated or followed by other data")
        return payload
    if marker == b"P":
        return bytes(blob[1:])
    raise CodecError(f"col3 blob starts with {marker!r}, not Z or P")


def header_text(payload: bytes) -> tuple[str, int]:
    """(the header's JSON text, where the binary data starts) of a payload."""
    (size,) = _HEAD.unpack_from(payload)
    start = 4 + size
    if start > len(payload):
        raise CodecError("truncated header")
    return payload[4:start].decode("utf-8"), start


def parse_headers(texts: list[str]) -> list[Any]:
    """The headers of many blobs, parsed as one JSON array (so they share their key strings)."""
    text = "[" + ",".join(texts) + "]"
    headers, end = _JSON.raw_decode(text)
    if end != len(text) or len(headers) != len(texts):
        raise CodecError("a col3 header is not one JSON value")
    return headers


class FlatBatch:
    """Collects col3 blobs (`add`) and decodes their float columns together (`finish`)."""

    def __init__(self) -> None:
        """Start an empty batch."""
        self.blobs: list[tuple[str, bytes, int, bool | str]] = []  # header text, payload, start, arrays
        self.kinds: list[bool] = []  # per column: an array (True) or a list
        self.parts: list[Part] = []  # per blob (two for a blob with both kinds of columns)
        self.layout: list[int] = []  # [k, n, u, r] per column of every blob
        self.deltas: list[np.ndarray] = []  # per blob with columns
        self.ranks: list[np.ndarray] = []
        self.lengths: list[np.ndarray] = []

    def add(self, blob: bytes | bytearray | memoryview, arrays: bool | str = False) -> int:
        """Inflate one blob; returns its number in `finish`'s list. Raises CodecError.

        `arrays`: True makes every float column a read-only float64 array; a key makes only the
        columns of the top-level dict under that key arrays; False gives lists.
        """
        payload = read_payload(blob)
        text, start = header_text(payload)
        self.blobs.append((text, payload, start, arrays))
        return len(self.blobs) - 1

    def _read(self) -> list[Any]:
        """Parse every header (one JSON parse) and note each blob's columns; the skeletons."""
        headers = parse_headers([blob[0] for blob in self.blobs])
        for header, (_, payload, start, arrays) in zip(headers, self.blobs, strict=True):
            if type(header) is not list or len(header) not in (1, 5):
                raise CodecError(
                    "col3 header must be [skeleton] or [skeleton, groups, layout, widths, zeros]"
                )
            if len(header) == 5:
                self._columns(header, payload, start, arrays)
            elif start != len(payload):
                raise CodecError("data left over after the header")
        return [header[0] for header in headers]

    def _columns(self, header: list[Any], payload: bytes, start: int, arrays: bool | str) -> None:
        """Note one blob's float columns (their layout is checked for the whole batch by `finish`)."""
        skeleton, groups, layout, (width, rank_width), zeros = header
        places = _places(skeleton, groups)
        if len(layout) != 4 * len(places) or type(sum(layout)) is not int:  # a float, str... fails
            raise CodecError("col3 layout does not match its columns")
        if width not in INT_WIDTHS or rank_width not in RANK_WIDTHS:
            raise CodecError(f"bad integer widths {width}, {rank_width}")
        values, total = sum(layout[2::4]), sum(layout[3::4])
        ranks_at = start + width * values
        lengths_at = ranks_at + rank_width * total
        if values < 1 or total < 1 or lengths_at + total != len(payload):
            raise CodecError("float data is truncated or too long")
        self.deltas.append(np.frombuffer(payload, INT_WIDTHS[width], values, start))
        self.ranks.append(np.frombuffer(payload, RANK_WIDTHS[rank_width], total, ranks_at))
        self.lengths.append(np.frombuffer(payload, np.uint8, total, lengths_at))
        self.layout += layout
        if type(arrays) is str:
            target = skeleton.get(arrays) if type(skeleton) is dict else None
            kinds = [parent is target for parent, _ in places]
        else:
            kinds = [bool(arrays)] * len(places)
        self.kinds += kinds
        counts = layout[1::4]
        self.parts += _parts(places, kinds, counts, _negative_zeros(zeros, counts) if zeros else {})

    def finish(self) -> list[Any]:
        """The decoded trees, in the order they were added. Raises CodecError."""
        trees = self._read()
        if not self.parts:
            return trees
        layout = np.array(self.layout, dtype=np.int64).reshape(-1, 4)
        scales, counts, stored, runs = layout.T
        if (layout[:, 1:] < 1).any() or scales.min() < 0 or scales.max() > MAX_DECIMALS:
            raise CodecError("col3 layout holds an empty column or a scale out of range")
        distinct = self._distinct(scales, stored)
        runs_at, lengths = self._runs(counts, stored, runs)
        kinds = self.kinds
        if all(kinds):
            self._place(None, np.repeat(distinct[runs_at], lengths))
        elif not any(kinds):
            self._place(_shared(distinct, runs_at, lengths), None)
        else:
            wanted = np.repeat(kinds, runs)
            listed = ~wanted
            arrays = np.repeat(distinct[runs_at[wanted]], lengths[wanted])
            self._place(_shared(distinct, runs_at[listed], lengths[listed]), arrays)
        return trees

    def _distinct(self, scales: np.ndarray, stored: np.ndarray) -> np.ndarray:
        """The distinct values of every column: per blob a cumulative sum of its deltas, scaled."""
        if len(self.deltas) == 1:
            ints = np.cumsum(self.deltas[0], dtype=np.int64)
        else:  # one cumulative sum over the batch, restarted at each blob (int64 wraps; exact)
            deltas = np.concatenate(self.deltas, dtype=np.int64)
            starts = np.cumsum([0] + [len(d) for d in self.deltas[:-1]])
            sums = np.add.reduceat(deltas, starts)
            deltas[starts[1:]] -= sums[:-1]
            ints = np.cumsum(deltas)
        return ints / np.repeat(_POWERS[scales], stored)

    def _runs(
        self, counts: np.ndarray, stored: np.ndarray, runs: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(where each run's value is in the batch's distinct values, each run's length), checked."""
        ranks = np.concatenate(self.ranks, dtype=np.intp) if len(self.ranks) > 1 else self.ranks[0]
        lengths = np.concatenate(self.lengths) if len(self.lengths) > 1 else self.lengths[0]
        firsts = np.cumsum(runs) - runs
        if (np.add.reduceat(lengths, firsts, dtype=np.int64) != counts).any():
            raise CodecError("float column runs do not add up to its length")
        if (np.maximum.reduceat(ranks, firsts) >= stored).any():
            raise CodecError("float column index out of range")
        return ranks + np.repeat(np.cumsum(stored) - stored, runs), lengths

    def _place(self, shared: list[float] | None, gathered: np.ndarray | None) -> None:
        """Put every column into its tree: list columns from `shared`, arrays from `gathered`."""
        at_list = at_array = 0
        for places, is_array, counts, zeros in self.parts:
            ends = list(accumulate(counts))
            if is_array:  # one read-only buffer per blob, its columns are views of it
                buffer = _own(gathered[at_array : at_array + ends[-1]], counts, zeros)  # type: ignore[index]
                at_array += ends[-1]
                for (parent, key), end, count in zip(places, ends, counts, strict=True):
                    parent[key] = buffer[end - count : end]
            else:
                for (parent, key), end, count in zip(places, ends, counts, strict=True):
                    parent[key] = shared[at_list + end - count : at_list + end]  # type: ignore[index]
                at_list += ends[-1]
                for column, positions in zeros.items():
                    parent, key = places[column]
                    for position in positions:
                        parent[key][position] = -0.0


def _shared(distinct: np.ndarray, runs_at: np.ndarray, lengths: np.ndarray) -> list[float]:
    """The values of the runs as one list; the values of a run are one shared float object."""
    return np.repeat(distinct[runs_at].astype(object), lengths).tolist()


def _places(skeleton: Any, groups: Any) -> list[tuple[Any, Any]]:
    """(parent, key) of every column; each spot must hold the None left for its column."""
    places = []
    for path, keys in groups:
        parent = skeleton
        for step in path:
            parent = parent[step]
        for key in keys:
            if (type(parent) is list and type(key) is not int) or parent[key] is not None:
                raise CodecError(f"no place for a float column at {[*path, key]!r}")
            places.append((parent, key))
    return places


def _negative_zeros(zeros: Any, counts: list[int]) -> dict[int, list[int]]:
    """The checked -0.0 positions of a blob's columns: {column: [position, ...]}."""
    out = {}
    for column, positions in zeros:
        if type(column) is not int or not 0 <= column < len(counts):
            raise CodecError("-0.0 positions name a column that does not exist")
        if not all(type(p) is int and 0 <= p < counts[column] for p in positions):
            raise CodecError("-0.0 position outside its column")
        out[column] = positions
    return out


def _own(values: np.ndarray, counts: list[int], zeros: dict[int, list[int]]) -> np.ndarray:
    """A read-only copy of one blob's array values (not a view of the batch), -0.0 restored."""
    buffer = values.copy()
    for column, positions in zeros.items():
        start = sum(counts[:column])
        buffer[start : start + counts[column]][positions] = -0.0
    buffer.flags.writeable = False
    return buffer


def _parts(
    places: list[tuple[Any, Any]], kinds: list[bool], counts: list[int], zeros: dict[int, list[int]]
) -> list[Part]:
    """A blob's columns as one part, or as a list part and an array part if it has both kinds."""
    if all(kinds) or not any(kinds):
        return [(places, kinds[0], counts, zeros)]
    parts: list[Part] = []
    for kind in (False, True):
        numbers = [i for i, k in enumerate(kinds) if k is kind]
        moved = {new: zeros[old] for new, old in enumerate(numbers) if old in zeros}
        parts.append(([places[i] for i in numbers], kind, [counts[i] for i in numbers], moved))
    return parts


def decode_flat(blob: bytes | bytearray | memoryview, arrays: bool | str = False) -> Any:
    """Decode one col3 blob. Raises CodecError."""
    batch = FlatBatch()
    batch.add(blob, arrays)
    return batch.finish()[0]
