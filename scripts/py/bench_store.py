"""Entry point of scripts/bench_store (logic in core/cli/bench_store.py)."""

from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "custom_components" / "darkstar"))

from core.cli.bench_store import main

if __name__ == "__main__":
    sys.exit(main())
