"""Entry point of scripts/bench_planner (logic in custom_components/darkstar/core/cli/bench_planner.py)."""

from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "custom_components" / "darkstar"))

from core.cli.bench_planner import main

if __name__ == "__main__":
    sys.exit(main())
