"""The decoded form of an episode's float columns: read-only float64 numpy arrays, not lists.

Reads return `schedule["columns"][name]` (and, for `ARRAY_PARTS`, the other blobs' column dicts)
as read-only float64 arrays: decoding 10,000 episodes then builds no Python float per value, which
is what made bulk reads slow. Values are the exact stored doubles (-0.0 included). Everything else
in a decoded tree is plain JSON data (lists, dicts, str, int, float, bool, None).

Arrays do not compare like lists (`==` is element-wise), so compare episodes with `Episode.__eq__`
/ `episode_equal`, trees with `trees_equal`, and turn a tree into JSON-ready data with `plain`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_FLOAT = np.dtype(np.float64)
# blob column -> the key of its dict of float columns (decoded as arrays)
ARRAY_PARTS = {"schedule": "columns"}


def float_array(values: Any) -> np.ndarray | None:
    """A read-only float64 array of a list of numbers (or an array); None if it holds anything else."""
    if type(values) is np.ndarray:
        if values.dtype == _FLOAT and not values.flags.writeable:
            return values  # as decoded
        array = values.astype(np.float64)
    elif type(values) is list and all(type(v) is float or type(v) is int for v in values):
        array = np.array(values, dtype=np.float64)
    else:
        return None
    if array.flags.writeable:
        array = array.view()
        array.flags.writeable = False
    return array


def with_arrays(tree: Any, key: str) -> Any:
    """`tree` with the float columns of `tree[key]` as read-only arrays and arrays elsewhere as lists."""
    if type(tree) is not dict:
        return plain(tree)
    out = {}
    for name, value in tree.items():
        if name == key and type(value) is dict:
            out[name] = {column: _array_or_plain(v) for column, v in value.items()}
        else:
            out[name] = plain(value) if type(value) in _NESTED else value
    return out


def columns_as_arrays(tree: dict[str, Any], key: str) -> dict[str, Any]:
    """`with_arrays` for a tree whose only arrays are columns of `tree[key]` (col3 decodes so).

    Changes `tree` in place: the columns col3 left as lists (too short, ints, -0.0 only...) become
    arrays as well.
    """
    columns = tree.get(key)
    if type(columns) is dict:
        for column, value in columns.items():
            if type(value) is not np.ndarray:
                columns[column] = _array_or_plain(value)
    return tree


def _array_or_plain(value: Any) -> Any:
    array = float_array(value)
    return plain(value) if array is None else array


def plain(tree: Any) -> Any:
    """The tree with numpy arrays as lists and numpy scalars as Python numbers (JSON-ready, comparable)."""
    kind = type(tree)
    if kind is dict:
        return {k: plain(v) if type(v) in _NESTED else v for k, v in tree.items()}
    if kind is list:
        return [plain(v) if type(v) in _NESTED else v for v in tree]
    if isinstance(tree, np.ndarray | np.generic):
        return tree.tolist()
    return tree


_NESTED = (dict, list, np.ndarray)


def trees_equal(a: Any, b: Any) -> bool:
    """True if two trees hold equal values, arrays and lists alike (0.0 == -0.0, as for lists)."""
    return bool(plain(a) == plain(b))
