"""The learning store: compressed training episodes, slot observations and daily data quality.

Pure core: no Home Assistant imports. The HA shell owns one EpisodeStore per config entry:

    store, moved = await EpisodeStore.open_or_recover(hass.config.path(f"darkstar_{entry_id}.db"))
    if moved: raise a repair issue naming `moved` (the damaged file was moved aside).
    after each plan (background task): await store.add_episode(make_episode(scenario, plan,
        system_id="prod", context=..., config_overrides=...))
    at :00/:15/:30/:45: obs = observe_slot(previous_reading, MeterReading(now, counters, soc),
        prices=(import_price, export_price)); if obs: await store.upsert_observation(obs)
    daily: await store.delete_older_than(retention_days); await store.set_day_quality(day, cls, reasons)
    darkstar.reset_learning: await store.clear("all")      unload: await store.close()
Every method raises StoreError (StoreLockedError, CorruptStoreError, CorruptEpisodeError) on failure;
on CorruptStoreError while running, `await store.recover()` moves the file aside and starts afresh.
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
