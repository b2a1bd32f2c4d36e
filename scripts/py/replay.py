"""Entry point of scripts/replay (logic in core/cli/replay.py)."""

from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "custom_components" / "darkstar"))

from core.cli.replay import main

if __name__ == "__main__":
    sys.exit(main())
