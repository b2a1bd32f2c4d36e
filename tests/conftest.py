"""Settings for the whole test session."""

from __future__ import annotations

import freezegun

# freezegun patches datetime in every loaded module each time a test freezes time. Walking pyomo's
# modules resolves its deferred imports (pandas...) again and again, which made each frozen test
# take many seconds once the core tests had loaded pyomo. None of these libraries needs fake time.
freezegun.configure(
    extend_ignore_list=["pyomo", "pandas", "numpy", "sklearn", "highspy", "matplotlib", "scipy"]
)
