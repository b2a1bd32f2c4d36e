"""Replay simulator: series loading, settlement, forecasts, policies, engine, env, report, what-if.

Pure core: no Home Assistant import anywhere below this package.
"""
