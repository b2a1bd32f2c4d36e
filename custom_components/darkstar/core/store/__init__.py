"""The learning store: compressed training episodes, slot observations and daily data quality.

Pure core: no Home Assistant imports. The HA shell owns one EpisodeStore per config entry:

    store, moved = await EpisodeStore.open_or_recover(hass.config.path(f"darkstar_{entry_id}.db"))
    if moved: raise a repair issue naming `moved` (the damaged file was moved aside).
    after each plan (background task): await store.add_episode(make_episode(scenario, plan,
        system_id="prod", context=..., config_overrides=...))
    at :00/:15/:30/:45: obs = observe_slot(previous_reading, MeterReading(now, counters, soc),
        prices=(import_price, export_price)); if obs: await store.upsert_observation(obs)
    daily: await store.delete_older_than(retention_days); await store.set_day_quality(DayQuality(day, cls, reasons))
    darkstar.reset_learning: await store.clear("all")      unload: await store.close()
Episodes store the plan as a columnar schedule (see `schedule.py`: one list per PlanSlot field, slot
times implied by start + slot_minutes + timezone); get the Plan back with `plan_from_episode(ep)` or
`schedule_to_plan(ep.schedule)`, which also read legacy per-slot schedules. Read episodes hold the
schedule's columns as read-only float64 numpy arrays (`arrays.py`): compare episodes with `==` /
`episode_equal`, trees with `trees_equal`, and use `plain(tree)` before `json.dumps`. Bulk reads:
`read_all(..., parts=("inputs",))` / `iter_episodes(...)` decode only the blobs asked for, in batches.
Every method raises StoreError (StoreLockedError, CorruptStoreError, CorruptEpisodeError) on failure;
on CorruptStoreError while running, `await store.recover()` moves the file aside and starts afresh.
"""

from .arrays import float_array, plain, trees_equal
from .codec import CODECS, DEFAULT_CODEC, decode, encode
from .connection import move_aside
from .episodes import (
    BLOB_COLUMNS,
    SYSTEM_IDS,
    Episode,
    EpisodeInfo,
    decode_episode,
    encode_episode,
    episode_equal,
    make_episode,
    plan_from_episode,
)
from .errors import CorruptEpisodeError, CorruptStoreError, StoreError, StoreLockedError
from .observations import (
    COUNTERS,
    MeterReading,
    SlotObservation,
    counter_delta,
    observations_from_readings,
    observe_slot,
)
from .retention import retention_cutoff
from .rows import QUALITY_CLASSES, DayQuality
from .schedule import (
    SCHEDULE_FORMAT,
    SLOT_COLUMNS,
    is_columnar,
    schedule_columns,
    schedule_from_plan,
    schedule_to_plan,
    slot_starts,
)
from .schema import SCHEMA_VERSION
from .stats import StoreStats
from .store import EpisodeStore
from .sync import read_episodes_sync, record_episodes_sync

__all__ = [
    "BLOB_COLUMNS",
    "CODECS",
    "COUNTERS",
    "DEFAULT_CODEC",
    "QUALITY_CLASSES",
    "SCHEDULE_FORMAT",
    "SCHEMA_VERSION",
    "SLOT_COLUMNS",
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
    "episode_equal",
    "float_array",
    "is_columnar",
    "make_episode",
    "move_aside",
    "observations_from_readings",
    "observe_slot",
    "plain",
    "plan_from_episode",
    "read_episodes_sync",
    "record_episodes_sync",
    "retention_cutoff",
    "schedule_columns",
    "schedule_from_plan",
    "schedule_to_plan",
    "slot_starts",
    "trees_equal",
]
