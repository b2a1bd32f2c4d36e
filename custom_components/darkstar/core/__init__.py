"""Darkstar's pure core: planning, forecasting, strategy, simulation and store.

Nothing under this package imports Home Assistant; it takes and returns plain dataclasses.
"""
