"""Floats as scaled integers, shared by the columnar codecs: the decimals rule and the integer widths.

A float column is stored as integers n = v * 10**k (k <= MAX_DECIMALS, the smallest exact one).
For |n| < 2**53, n and 10**k are exact doubles, so n / 10**k is the correctly rounded quotient in
numpy and in Python alike: `decimals` keeps a column only if that quotient reproduces every value.
"""

from __future__ import annotations

import numpy as np

MAX_DECIMALS = 6
# the little-endian integer types a blob may use, by their width in bytes
INT_WIDTHS = {1: np.dtype("<i1"), 2: np.dtype("<i2"), 4: np.dtype("<i4"), 8: np.dtype("<i8")}
RANK_WIDTHS = {1: np.dtype("<u1"), 2: np.dtype("<u2")}
_EXACT_LIMIT = 2.0**53


def decimals(array: np.ndarray) -> int | None:
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


def int_width(values: np.ndarray) -> int:
    """The narrowest of INT_WIDTHS that holds every value (of a non-empty int64 array)."""
    low, high = int(values.min()), int(values.max())
    return next(
        w for w, dtype in INT_WIDTHS.items() if np.iinfo(dtype).min <= low and high <= np.iinfo(dtype).max
    )
