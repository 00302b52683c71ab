"""The layer contract (.importlinter) holds: no module imports a layer above its own, not even inside a
function. scripts/test.sh runs ``lint-imports`` too; this keeps a plain pytest run honest."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_layer_contract_is_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter")], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_a_breach_inside_a_function_breaks_the_contract(tmp_path: Path) -> None:
    """A copy of the package where evidence (below people) imports people inside a function."""
    shutil.copytree(ROOT / "hrguard", tmp_path / "hrguard",
                    ignore=shutil.ignore_patterns("static", "locale", "templates", "__pycache__"))
    services = tmp_path / "hrguard" / "evidence" / "services.py"
    services.write_text(services.read_text() + "\n\ndef _late() -> None:\n    from hrguard.people import selectors\n")
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter")], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "hrguard.evidence.services -> hrguard.people.selectors" in result.stdout


def test_every_app_but_the_engine_and_the_api_is_kept_from_workflows_models() -> None:
    """A new app is covered too: the forbidden contract lists every top-level module of hrguard except the
    engine itself and the API face (whose ModelSerializers describe the engine's tables)."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    listed = set(config["importlinter:contract:workflows-models"]["source_modules"].split())
    package = ROOT / "hrguard"
    apps = {f"hrguard.{p.stem}" for p in package.iterdir()
            if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py" and p.stem != "__init__")}
    assert listed == apps - {"hrguard.workflows", "hrguard.api"}


def test_another_app_importing_workflows_models_breaks_the_contract(tmp_path: Path) -> None:
    """A copy of the package where cases (above the engine, so the layers allow it) imports the engine's
    models instead of hrguard.workflows.types."""
    shutil.copytree(ROOT / "hrguard", tmp_path / "hrguard",
                    ignore=shutil.ignore_patterns("static", "locale", "templates", "__pycache__"))
    services = tmp_path / "hrguard" / "cases" / "services.py"
    services.write_text(services.read_text() + "\n\ndef _late() -> None:\n    from hrguard.workflows.models import Step\n")
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter")], cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 kept, 1 broken" in result.stdout
    assert "hrguard.cases.services -> hrguard.workflows.models" in result.stdout
