"""The preset zlib dictionary of ``col3`` blobs: the JSON text every episode header repeats.

Headers of inputs and schedules spell out the same keys in every episode (the scenario format's
fields, the columnar schedule's, the plan's objective terms). With those in zlib's window up front,
a header compresses to a few back-references: blobs are about a third smaller, and inflating them
is much faster (copies instead of literals). Only structure is here (keys, format names, common
markers), no values of any particular home.

This text is part of the col3 format: zlib refuses (``need dictionary``) a blob without it and the
blob names it by checksum, so it must never change. A different dictionary needs a new codec name.
"""

from __future__ import annotations

_INPUTS = (
    '[{"version":1,"name":"","start":"","slot_minutes":15,"timezone":"Europe/",'
    '"series":{"import_price":null,"export_price":null,"load_kwh":null,"pv_kwh":null},'
    '"battery":{"capacity_kwh":,"initial_soc_percent":,"min_soc_percent":,"max_soc_percent":,'
    '"max_charge_kw":,"max_discharge_kw":,"charge_efficiency":0.95,"discharge_efficiency":0.95,'
    '"wear_cost_per_kwh":,"ramping_cost_per_kw":0.0},'
    '"grid":{"export_enabled":true,"max_import_kw":,"max_export_kw":,"import_limit_kw":null,'
    '"export_threshold_per_kwh":0.0},'
    '"water_heater":{"power_kw":,"min_kwh_per_day":,"heated_today_kwh":,"min_spacing_hours":,'
    '"max_gap_hours":,"comfort_penalty":,"block_start_penalty":,"defer_up_to_hours":,'
    '"force_on_slots":[],"off_slots_before":null},'
    '"target":{"soc_percent":null,"penalty_per_kwh":0.0,"terminal_value_per_kwh":0.0}},'
    '[[["series"],["import_price","export_price","load_kwh","pv_kwh"]]],'
)
_SCHEDULE = (
    '[{"format":"columns/1","status":"optimal","objective":,"solve_seconds":,"build_seconds":,'
    '"mip_gap":0.0,"objective_terms":{"wear":,"water_starts":,"water_gap":0.0,"water_shortfall":0.0,'
    '"import_cost":,"export_revenue":-0.0,"curtailment":0.0,"import_breach":0.0,"terminal_value":,'
    '"end_target":0.0},"start":"T00:00:00+00:00","slot_minutes":15,"timezone":"Europe/",'
    '"columns":{"charge_kwh":null,"discharge_kwh":null,"import_kwh":null,"export_kwh":null,'
    '"soc_kwh":null,"water_kw":null,"curtail_kwh":null,"import_breach_kwh":null}},'
    '[[["columns"],["charge_kwh","discharge_kwh","import_kwh","export_kwh","soc_kwh","water_kw",'
    '"curtail_kwh","import_breach_kwh"]]],'
)
ZDICT = (_INPUTS + _SCHEDULE).encode("utf-8")
