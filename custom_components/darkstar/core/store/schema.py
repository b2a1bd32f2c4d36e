"""The store's SQLite schema, versioned with `PRAGMA user_version`, and its migrations."""

from __future__ import annotations

SCHEMA_VERSION = 1

# MIGRATIONS[v] turns a database at version v into version v + 1. Append; never edit a released step.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS training_episodes (
            episode_id TEXT PRIMARY KEY NOT NULL,
            created_at TEXT NOT NULL,
            system_id TEXT NOT NULL CHECK (system_id IN ('prod', 'simulation', 'test')),
            codec TEXT NOT NULL DEFAULT 'json',
            inputs BLOB,
            schedule BLOB,
            context BLOB,
            config_overrides BLOB,
            raw_bytes INTEGER NOT NULL DEFAULT 0,
            stored_bytes INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX IF NOT EXISTS training_episodes_created ON training_episodes (created_at)",
        "CREATE INDEX IF NOT EXISTS training_episodes_system ON training_episodes (system_id, created_at)",
        """CREATE TABLE IF NOT EXISTS slot_observations (
            slot_start TEXT PRIMARY KEY NOT NULL,
            slot_minutes INTEGER NOT NULL DEFAULT 15,
            load_kwh REAL,
            pv_kwh REAL,
            import_kwh REAL,
            export_kwh REAL,
            battery_charge_kwh REAL,
            battery_discharge_kwh REAL,
            soc_start_percent REAL,
            soc_end_percent REAL,
            water_heater_kwh REAL,
            import_price REAL,
            export_price REAL,
            flags TEXT NOT NULL DEFAULT '',
            recorded_at TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE IF NOT EXISTS data_quality_daily (
            day TEXT PRIMARY KEY NOT NULL,
            class TEXT NOT NULL CHECK (class IN ('clean', 'mask_battery', 'exclude')),
            reasons TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL
        ) WITHOUT ROWID""",
    ),
)

assert len(MIGRATIONS) == SCHEMA_VERSION, "one migration step per schema version"


def pending_migrations(current: int) -> list[tuple[int, tuple[str, ...]]]:
    """The (target version, statements) steps that bring a database at `current` up to date."""
    if current > SCHEMA_VERSION:
        raise ValueError(f"database schema version {current} is newer than this Darkstar ({SCHEMA_VERSION})")
    return [(v + 1, MIGRATIONS[v]) for v in range(current, SCHEMA_VERSION)]
