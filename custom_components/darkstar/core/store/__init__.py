"""The learning store: compressed training episodes, slot observations and daily data quality.

Pure core: no Home Assistant imports. The HA shell owns one EpisodeStore per config entry.
"""

from .codec import CODECS, DEFAULT_CODEC, decode, encode
from .connection import move_aside
from .episodes import SYSTEM_IDS, Episode, EpisodeInfo, decode_episode, encode_episode, make_episode
from .errors import CorruptEpisodeError, CorruptStoreError, StoreError, StoreLockedError
from .observations import (
    COUNTERS,
    MeterReading,
    SlotObservation,
    counter_delta,
    observations_from_readings,
    observe_slot,
    slot_floor,
)
from .retention import DEFAULT_RETENTION_DAYS, retention_cutoff
from .rows import QUALITY_CLASSES, DayQuality
from .schema import SCHEMA_VERSION
from .stats import StoreStats
from .store import EpisodeStore
from .sync import read_episodes_sync, record_episodes_sync

__all__ = [
    "CODECS",
    "COUNTERS",
    "DEFAULT_CODEC",
    "DEFAULT_RETENTION_DAYS",
    "QUALITY_CLASSES",
    "SCHEMA_VERSION",
    "SYSTEM_IDS",
    "CorruptEpisodeError",
    "CorruptStoreError",
    "DayQuality",
    "Episode",
    "EpisodeInfo",
    "EpisodeStore",
    "MeterReading",
    "SlotObservation",
    "StoreError",
    "StoreLockedError",
    "StoreStats",
    "counter_delta",
    "decode",
    "decode_episode",
    "encode",
    "encode_episode",
    "make_episode",
    "move_aside",
    "observations_from_readings",
    "observe_slot",
    "read_episodes_sync",
    "record_episodes_sync",
    "retention_cutoff",
    "slot_floor",
]
