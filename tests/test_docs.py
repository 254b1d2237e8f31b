"""The docs are part of the contract: settings, signals and commands must be documented."""

import re
from pathlib import Path

import pytest
from django.dispatch import Signal

import allmende
from allmende.catalog import signals as catalog_signals

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
SRC = Path(allmende.__file__).parent
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md")))


def _settings_variables() -> set[str]:
    text = (SRC / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'env(?:_bool|_list)?\(\s*"([A-Z_]+)"', text))


def test_every_setting_is_in_env_example_and_deployment_docs():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    deployment = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    variables = _settings_variables()
    assert "DATABASE_URL" in variables
    assert not {v for v in variables if f"{v}=" not in example}
    assert not {v for v in variables | {"ALLMENDE_ENV_FILE"} if f"`{v}`" not in deployment}


def test_every_signal_is_documented():
    from allmende.core import publishing
    from allmende.sensors import signals as sensor_signals

    names = [
        n
        for module in (catalog_signals, sensor_signals, publishing)
        for n, v in vars(module).items()
        if isinstance(v, Signal)
    ]
    assert "catalogue_offer" in names and "observations_stored" in names
    assert not [n for n in names if f"`{n}`" not in DOCS]


def test_every_command_is_documented():
    commands = sorted(
        path.stem
        for path in SRC.glob("*/management/commands/*.py")
        if not path.name.startswith("_")
    )
    assert "catalog" in commands
    assert not [c for c in commands if f"allmende {c}" not in DOCS]
