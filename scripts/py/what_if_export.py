"""Entry point of scripts/what_if_export (logic in core/cli/what_if_export.py)."""

from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "custom_components" / "darkstar"))

from core.cli.what_if_export import main

if __name__ == "__main__":
    sys.exit(main())
