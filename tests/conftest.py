"""Settings for the whole test session."""

from __future__ import annotations

import asyncio
from collections.abc import Generator

import freezegun
import pytest

# freezegun patches datetime in every loaded module each time a test freezes time. Walking pyomo's
# modules resolves its deferred imports (pandas...) again and again, which made each frozen test
# take many seconds once the core tests had loaded pyomo. None of these libraries needs fake time.
freezegun.configure(
    extend_ignore_list=["pyomo", "pandas", "numpy", "sklearn", "highspy", "matplotlib", "scipy"]
)


@pytest.fixture(autouse=True)
def keep_a_current_event_loop() -> Generator[None]:
    """Leave the main thread with an event loop after each test.

    Core code run through asyncio.run() (the store's sync helpers) unsets the thread's loop when it
    ends; the minimum HA's test plugin then calls asyncio.get_event_loop() before the next test,
    which Python 3.14 refuses without a loop.
    """
    yield
    try:
        asyncio.get_event_loop()
    except RuntimeError:
        asyncio.set_event_loop(asyncio.new_event_loop())
