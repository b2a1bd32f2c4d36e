"""Retention of training episodes: keep N days (the option `retention_days`); observations are kept forever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .episodes import time_to_text

VACUUM_MIN_ROWS = 500  # VACUUM after deleting at least this many episodes (about 1-4 MB freed)


def retention_cutoff(days: float, now: datetime | None = None) -> datetime:
    """The instant before which episodes are deleted when keeping `days` days."""
    if days < 0:
        raise ValueError(f"retention days must be >= 0, got {days:g}")
    return (now or datetime.now(UTC)).astimezone(UTC) - timedelta(days=days)


def cutoff_text(days: float, now: datetime | None = None) -> str:
    """`retention_cutoff` as the stored created_at text."""
    return time_to_text(retention_cutoff(days, now))
