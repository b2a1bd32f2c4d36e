"""Entry point of scripts/plan (logic in custom_components/darkstar/core/cli/plan.py)."""

from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "custom_components" / "darkstar"))

from core.cli.plan import main

if __name__ == "__main__":
    sys.exit(main())
