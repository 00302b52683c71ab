"""The wheel carries everything the app reads at run time, and pyproject declares every third-party
package the code imports (scripts/wheel_check.sh then installs and runs the wheel in CI)."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from .procs import PROJECT


def _tracked(prefix: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", prefix], cwd=PROJECT, capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if line]


def test_wheel_contains_every_runtime_file(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(PROJECT)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = tmp_path.glob("hrguard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    files = [f for f in _tracked("hrguard") if "/migrations/" not in f or f.endswith(".py")]
    missing = [f for f in files if f not in names and not f.endswith(".pyc")]
    assert missing == [], f"tracked files not in the wheel (add their pattern to package-data): {missing[:20]}"
    for needed in ("hrguard/locale/zh_Hans/LC_MESSAGES/django.mo", "hrguard/evidence/offline/verify.py",
                   "hrguard/templates/base.html"):
        assert needed in names
    assert any(n.endswith("/document.typ") for n in names)  # the typst templates
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    requires = [line for line in zipfile.ZipFile(wheel).read(meta).decode().splitlines() if line.startswith("Requires-Dist:")]
    assert any(r.startswith("Requires-Dist: django") or r.startswith("Requires-Dist: Django") for r in requires)
    assert any("requests" in r for r in requires)  # pyHanko's timestamp client needs it, undeclared by pyHanko


def _imported_top_levels() -> set[str]:
    tops: set[str] = set()
    for path in (PROJECT / "hrguard").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                tops.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                tops.add(node.module.split(".")[0])
    return tops


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_pyproject_declares_every_imported_distribution() -> None:
    declared = {_norm(re.split(r"[\[<>=!~ ;]", d, maxsplit=1)[0])
                for d in tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]["dependencies"]}
    dists = importlib.metadata.packages_distributions()
    undeclared = {}
    for top in _imported_top_levels() - set(sys.stdlib_module_names) - {"hrguard", "__future__"}:
        names = {_norm(d) for d in dists.get(top, [])}
        if names and not names & declared:
            undeclared[top] = sorted(names)
    assert undeclared == {}, f"imported by hrguard/ but not in pyproject [project] dependencies: {undeclared}"
