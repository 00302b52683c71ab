"""The offline verifier is kept in modules by responsibility (none over the project's size limits), and the one
file an evidence package carries (offline/bundle.py) is the same verifier: loaded on its own, without the
package's modules on the path, it gives the module's verdicts, check by check."""

from __future__ import annotations

import ast
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from hrguard.evidence.offline import bundle
from hrguard.evidence.offline import verify as offline

from .test_package_helpers import build_case_package, rezip

OFFLINE = Path(offline.__file__).parent
MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 60


def test_offline_modules_keep_the_size_limits() -> None:
    too_long = []
    for path in sorted(OFFLINE.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        if source.count("\n") > MAX_FILE_LINES:
            too_long.append(f"{path.name}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.name}: {node.name}() {length} lines")
    assert too_long == []


def test_bundle_defines_the_public_names_without_the_modules(tmp_path: Path) -> None:
    script = tmp_path / "verify.py"
    script.write_bytes(bundle.script())
    names = runpy.run_path(str(script), run_name="bundled_verifier")
    assert set(offline.__all__) <= set(names)
    assert "from ." not in script.read_text(encoding="utf-8")
    assert script.read_text(encoding="utf-8").startswith("#!/usr/bin/env python3\n")


@pytest.mark.django_db
def test_bundle_gives_the_modules_verdicts(world, tmp_path: Path) -> None:
    good = build_case_package(world)

    def edit(files: dict[str, bytes]) -> None:
        files["events.jsonl"] = files["events.jsonl"].replace(b"esign.viewed", b"esign.VIEWED")

    bad = rezip(good, edit)  # manifest re-forged: the edited event itself must be caught
    script = tmp_path / "verify.py"
    script.write_bytes(bundle.script())
    bundled = runpy.run_path(str(script), run_name="bundled_verifier")
    for data in (good, bad):
        mine, theirs = offline.verify_package(data), bundled["verify_package"](data)
        assert [(c.en, c.status, c.detail) for c in theirs.checks] == [(c.en, c.status, c.detail) for c in mine.checks]
    assert offline.verify_package(good).ok and not offline.verify_package(bad).ok
    (tmp_path / "bad.zip").write_bytes(bad)
    # As an arbitrator runs it: only the one file, in a folder of its own, no HRGuard on the path.
    proc = subprocess.run([sys.executable, "-I", str(script), str(tmp_path / "bad.zip")], capture_output=True,
                          text=True, check=False, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "无效 INVALID" in proc.stdout
