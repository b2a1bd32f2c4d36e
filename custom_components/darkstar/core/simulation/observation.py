"""The environment's observation: documented fields, built from the simulation state.

Fields (arrays have `horizon_slots` entries; entries past `horizon` are NaN):
- `soc_kwh`, `soc_fraction`: stored energy now, absolute and as a share of capacity;
- `import_price`, `export_price`: prices of the coming slots as published by now
  (day-ahead prices for tomorrow appear at the home's publication hour, 13:00 local by default);
- `load_forecast`, `pv_forecast`: the forecaster's kWh per slot for the same slots;
- `horizon`: number of valid entries in those arrays;
- `slot_of_day`, `slots_left_today`, `hour_sin`, `hour_cos`, `weekday` (0 = Monday),
  `doy_sin`, `doy_cos`: time features of the current slot in local time;
- `heated_today_kwh`, `water_needed_today_kwh`: heater energy so far today and still required;
- `water_on` (1.0 if the heater ran in the previous slot), `water_block_slots` (length of the
  running block), `water_lockout_slots` (slots until a new block may start; 0 = free).
"""

from __future__ import annotations

from datetime import datetime
import math

import numpy as np

OBSERVATION_FIELDS = (
    "soc_kwh",
    "soc_fraction",
    "import_price",
    "export_price",
    "load_forecast",
    "pv_forecast",
    "horizon",
    "slot_of_day",
    "slots_left_today",
    "hour_sin",
    "hour_cos",
    "weekday",
    "doy_sin",
    "doy_cos",
    "heated_today_kwh",
    "water_needed_today_kwh",
    "water_on",
    "water_block_slots",
    "water_lockout_slots",
)


def padded(values: np.ndarray, size: int) -> np.ndarray:
    """`values` followed by NaN up to `size` entries."""
    out = np.full(size, np.nan)
    out[: len(values)] = values[:size]
    return out


def time_features(local: datetime) -> dict[str, float]:
    """Cyclic hour and day-of-year features and the weekday of a local time."""
    hour = local.hour + local.minute / 60
    doy = local.timetuple().tm_yday
    return {
        "hour_sin": math.sin(2 * math.pi * hour / 24),
        "hour_cos": math.cos(2 * math.pi * hour / 24),
        "weekday": float(local.weekday()),
        "doy_sin": math.sin(2 * math.pi * doy / 365.25),
        "doy_cos": math.cos(2 * math.pi * doy / 365.25),
    }
