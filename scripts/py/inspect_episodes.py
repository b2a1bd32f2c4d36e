"""Entry point of scripts/inspect_episodes (logic in core/cli/inspect_episodes.py)."""

from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "custom_components" / "darkstar"))

from core.cli.inspect_episodes import main

if __name__ == "__main__":
    sys.exit(main())
