"""Normalising Home Assistant inputs (prices, PV, load, state) into the planner's slot series.

Pure functions on plain data; the HA shell reads states/actions/statistics and calls these.
Import from the modules (assemble, health, load, prices, pv, tariff, timeline) directly.
"""
