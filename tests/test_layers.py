"""The layer contract (.importlinter) holds: no module imports a layer above its own, not even inside a
function. scripts/test.sh runs ``lint-imports`` too; this keeps a plain pytest run honest."""

from __future__ import annotations

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
    assert "1 kept, 0 broken" in result.stdout


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
