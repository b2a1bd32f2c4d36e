"""Errors raised by the learning store; each message names what went wrong and where."""

from __future__ import annotations


class StoreError(Exception):
    """Any failure of the learning store the caller should report (the planner keeps running)."""


class StoreLockedError(StoreError):
    """The database stayed locked after all retries."""


class CorruptStoreError(StoreError):
    """The database file is not a usable SQLite database (move it aside and start afresh)."""


class CodecError(ValueError):
    """A value could not be encoded or decoded by a codec (internal; callers see CorruptEpisodeError)."""


class CorruptEpisodeError(StoreError):
    """A stored episode blob does not decode; names the episode and the column."""

    def __init__(self, episode_id: str, column: str, detail: str) -> None:
        """Build the error for one column of one episode."""
        super().__init__(f"episode {episode_id!r}: column {column!r} does not decode ({detail})")
        self.episode_id = episode_id
        self.column = column
