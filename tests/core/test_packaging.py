"""Packaging checks that hassfest and HACS would make: manifest, hacs.json, requirements, translations."""

from __future__ import annotations

from importlib import metadata
import json
from pathlib import Path
import re

ROOT = Path(__file__).resolve().parents[2]
INTEGRATION = ROOT / "custom_components" / "darkstar"


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_manifest_keys_are_sorted_as_hassfest_wants() -> None:
    """domain, name, then alphabetical; the required keys are there."""
    keys = list(_json(INTEGRATION / "manifest.json"))
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    for key in ("codeowners", "documentation", "issue_tracker", "version", "requirements"):
        assert key in keys


def test_manifest_describes_a_service_integration() -> None:
    """The manifest values the foundation issue asks for."""
    manifest = _json(INTEGRATION / "manifest.json")
    assert manifest["domain"] == "darkstar"
    assert manifest["config_flow"] is True
    assert manifest["integration_type"] == "service"
    assert manifest["iot_class"] == "calculated"
    assert manifest["dependencies"] == ["recorder"]
    assert manifest["single_config_entry"] is True
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])


def test_manifest_requirements_match_requirements_txt() -> None:
    """What HA installs for users is what the tests install."""
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    pinned = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    requirements = _json(INTEGRATION / "manifest.json")["requirements"]
    assert requirements == pinned
    names = {re.split(r"[<>=!~]", r)[0] for r in requirements}
    assert names == {"pyomo", "highspy", "pandas", "numpy", "scipy", "scikit-learn", "aiosqlite"}
    assert all(re.search(r">=.*<", r) for r in requirements), "requirements are ranges"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _phcc_pins() -> dict[str, tuple[str, str]]:
    """scripts/lib/common.sh's `PHCC_<WHICH>="x"   # pins homeassistant y` lines: WHICH -> (x, y)."""
    common = (ROOT / "scripts" / "lib" / "common.sh").read_text()
    pattern = r'^PHCC_(\w+)="([^"]+)"\s*#\s*pins homeassistant (\S+)'
    return {which: (phcc, ha) for which, phcc, ha in re.findall(pattern, common, re.MULTILINE)}


def test_hacs_minimum_matches_the_min_ha_test_run() -> None:
    """`scripts/test --min-ha` runs the release hacs.json declares as minimum; current is newer.

    The HA version each phcc pin brings is checked against the virtualenv running this test.
    """
    pins = _phcc_pins()
    assert set(pins) == {"CURRENT", "MIN"}
    minimum = _json(ROOT / "hacs.json")["homeassistant"]
    min_ha, current_ha = pins["MIN"][1], pins["CURRENT"][1]
    assert _version(min_ha)[:2] == _version(minimum)[:2], "PHCC_MIN is not the hacs.json minimum's release"
    assert _version(min_ha) >= _version(minimum)
    assert _version(current_ha) > _version(min_ha)
    installed_phcc = metadata.version("pytest-homeassistant-custom-component")
    installed_ha = metadata.version("homeassistant")
    for phcc, ha in pins.values():
        if installed_phcc == phcc:
            assert installed_ha == ha, f"phcc {phcc} installs homeassistant {installed_ha}, not {ha}"


def _steps(flow: dict) -> list[tuple[str, dict]]:
    """Every form step of a flow's translations, with its sections as steps of their own."""
    found = []
    for name, step in flow.get("step", {}).items():
        found.append((name, step))
        found.extend((f"{name}.{sec}", body) for sec, body in step.get("sections", {}).items())
    return found


def test_every_form_field_has_a_label_and_a_description() -> None:
    """Each field of each config/options step (and section) is translated and described."""
    strings = _json(INTEGRATION / "translations" / "en.json")
    steps = _steps(strings["config"]) + _steps(strings.get("options", {}))
    assert steps
    for name, step in steps:
        assert set(step.get("data", {})) == set(step.get("data_description", {})), name
