"""Blob codecs of the episode table: which bytes a stored column holds, and how to read them back.

Codecs (named per row in the `codec` column):
  * ``json``  - plain UTF-8 JSON (legacy rows; also accepted as TEXT),
  * ``zjson`` - zlib-compressed JSON (also the fallback for trees col3 cannot hold),
  * ``col1``  - read only (rows written before col2): the columnar form of `columns`, zlib-compressed:
                uint32 LE header length | header JSON [skeleton, layout] | uint8 integer width |
                LE integers (see `columns.unpack`),
  * ``col2``  - read only (rows written before col3): col1 with dictionary-coded float columns (see
                `shared_columns`), zlib: uint32 LE layout length | layout JSON | uint32 LE skeleton
                length | skeleton JSON | uint8 integer width | LE integers | uint8 indexes,
  * ``col3``  - the default: a JSON skeleton plus all float columns in one binary block, cut out
                by path (see `flat_columns`); a marker byte, ``Z`` (zlib with a preset dictionary of
                the keys every episode repeats) or ``P`` (small payloads as they are), then
                uint32 LE header length | header JSON | binary data. Decoded many rows at a time
                (`flat_decode.FlatBatch`, used by `episodes.decode_rows`).
"""

from __future__ import annotations

import json
import struct
from typing import Any
import zlib

import numpy as np

from .columns import unpack
from .errors import CodecError
from .flat_columns import ZLIB_LEVEL, flat_blob
from .flat_decode import decode_flat
from .json_text import to_json
from .scaled import INT_WIDTHS
from .shared_columns import SharedUnpacker

CODEC_JSON = "json"
CODEC_ZJSON = "zjson"
CODEC_COLUMNS = "col1"
CODEC_SHARED = "col2"
CODEC_FLAT = "col3"
DEFAULT_CODEC = CODEC_FLAT
CODECS = (CODEC_JSON, CODEC_ZJSON, CODEC_COLUMNS, CODEC_SHARED, CODEC_FLAT)  # every codec `decode` reads
WRITABLE_CODECS = (CODEC_JSON, CODEC_ZJSON, CODEC_FLAT)  # col1 and col2 are only read
DECODE_ERRORS = (
    zlib.error,
    struct.error,
    ValueError,
    OverflowError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    RecursionError,
)  # what a damaged blob may raise inside a decoder (reported as CodecError)
MARK_TEXT = "\\u0000"  # how the rewritten-node key appears in a header


def encode(tree: Any, codec: str = DEFAULT_CODEC) -> bytes:
    """Encode one JSON tree with `codec` (one of WRITABLE_CODECS); CodecError if it cannot hold it."""
    return encode_sized(tree, codec)[0]


def encode_sized(tree: Any, codec: str = DEFAULT_CODEC) -> tuple[bytes, int]:
    """`encode` and the length of the tree's compact JSON text (`to_json`, the episode's raw size)."""
    if codec == CODEC_FLAT:
        return flat_blob(tree)
    if codec in (CODEC_JSON, CODEC_ZJSON):
        text = to_json(tree)
        return (text if codec == CODEC_JSON else zlib.compress(text, ZLIB_LEVEL)), len(text)
    raise CodecError(f"cannot write codec {codec!r}; writable: {', '.join(WRITABLE_CODECS)}")


def decode(blob: bytes | str | None, codec: str | None, *, arrays: bool | str = False) -> Any:
    """Decode one stored value written with `codec` (None means legacy plain JSON).

    `arrays`: col2 and col3 float columns come back as read-only float64 numpy arrays instead of
    lists (other codecs always give lists). A key (str) limits col3 to the columns of the top-level
    dict under that key (col2 treats it as True).
    """
    if blob is None:
        return None
    try:
        if codec in (None, "", CODEC_JSON):
            return json.loads(blob)
        if not isinstance(blob, bytes | bytearray | memoryview):
            raise CodecError(f"codec {codec!r} expects bytes, got text")
        if codec == CODEC_FLAT:
            return decode_flat(blob, arrays)
        if codec == CODEC_ZJSON:
            return json.loads(zlib.decompress(blob).decode("utf-8"))
        if codec == CODEC_SHARED:
            return _from_shared_bytes(zlib.decompress(blob), arrays=bool(arrays))
        if codec == CODEC_COLUMNS:
            return _from_columnar_bytes(zlib.decompress(blob))
    except CodecError:
        raise
    except DECODE_ERRORS as err:
        raise CodecError(f"{type(err).__name__}: {err}") from err
    raise CodecError(f"unknown codec {codec!r}")


def _read_payload(payload: bytes) -> tuple[Any, list[int], int, bytes]:
    """(skeleton, layout, integer width, the bytes after the header)."""
    (size,) = struct.unpack_from("<I", payload)
    skeleton, layout = json.loads(payload[4 : 4 + size].decode("utf-8"))
    width = payload[4 + size]
    if width not in INT_WIDTHS:
        raise CodecError(f"bad integer width {width}")
    if type(layout) is not list or not all(type(x) is int for x in layout):
        raise CodecError("float layout must be a list of integers")
    return skeleton, layout, width, payload[5 + size :]


def _from_columnar_bytes(payload: bytes) -> Any:
    """Decode a col1 payload."""
    skeleton, layout, width, body = _read_payload(payload)
    if len(body) % width:
        raise CodecError("truncated integer data")
    return unpack(skeleton, layout, np.frombuffer(body, dtype=INT_WIDTHS[width]))


def _from_shared_bytes(payload: bytes, *, arrays: bool = False) -> Any:
    """Decode a col2 payload."""
    (size,) = struct.unpack_from("<I", payload)
    head = payload[4 : 4 + size]
    layout = [] if head == b"[]" else json.loads(head.decode("utf-8"))
    if type(layout) is not list:  # non-integer entries fail (TypeError) where they are used
        raise CodecError("float layout must be a list of integers")
    start = 8 + size
    (size,) = struct.unpack_from("<I", payload, start - 4)
    skeleton = payload[start : start + size]
    if len(skeleton) != size:
        raise CodecError("truncated header")
    width = payload[start + size]
    rest = payload[start + size + 1 :]
    text = skeleton.decode("utf-8")
    if not layout and not rest and MARK_TEXT not in text:
        return json.loads(text)  # nothing was rewritten (small trees such as context and overrides)
    if width not in INT_WIDTHS:
        raise CodecError(f"bad integer width {width}")
    count = sum(layout[2::3])
    if width * count > len(rest):
        raise CodecError("truncated integer data")
    unpacker = SharedUnpacker(
        layout, np.frombuffer(rest, INT_WIDTHS[width], count), rest[width * count :], arrays=arrays
    )
    tree = json.loads(text, object_hook=unpacker.hook)
    unpacker.finish()
    return tree
