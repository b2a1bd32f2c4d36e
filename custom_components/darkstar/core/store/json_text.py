"""The compact JSON text every codec writes (numpy arrays and scalars as lists and numbers)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np


def to_json(tree: Any) -> bytes:
    """Compact UTF-8 JSON of a tree (numpy arrays and scalars are written as lists and numbers)."""
    return json.dumps(tree, separators=(",", ":"), ensure_ascii=False, default=_plain).encode("utf-8")


def _plain(value: Any) -> Any:
    """json.dumps fallback: numpy arrays as lists, numpy scalars as Python numbers."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
