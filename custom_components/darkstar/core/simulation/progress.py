"""A text progress bar on stderr for long replays."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Redraws `label [#####.....] 42% eta 1m05s` at most every `interval` seconds."""

    def __init__(self, stream: TextIO | None = None, width: int = 30, interval: float = 0.5) -> None:
        """Draw on `stream` (stderr by default)."""
        self.stream = stream or sys.stderr
        self.width = width
        self.interval = interval
        self.started = time.monotonic()
        self._last = 0.0

    def __call__(self, done: int, total: int, label: str) -> None:
        """Update the bar (callable as the engine's progress hook)."""
        now = time.monotonic()
        if done < total and now - self._last < self.interval:
            return
        self._last = now
        share = done / total if total else 1.0
        filled = int(share * self.width)
        elapsed = now - self.started
        eta = elapsed / share - elapsed if share > 0 else 0.0
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{label:<18} [{bar}] {share:4.0%} elapsed {elapsed:5.0f}s eta {eta:5.0f}s")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
