"""``hrguard demo`` on a database that was never migrated says what to run instead of a traceback about a
missing table, and creates nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from .procs import PROJECT


def _hrguard(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HRGUARD_", "DJANGO_", "XDG_"))}
    env.update(DJANGO_SETTINGS_MODULE="hrguard.settings.embedded", HOME=str(tmp / "home"),
               HRGUARD_VAR_DIR=str(tmp / "data"), HRGUARD_SQLITE_PATH=str(tmp / "data" / "fresh.sqlite3"),
               HRGUARD_KEYS_DIR=str(tmp / "keys"))
    return subprocess.run([sys.executable, "-c", "from hrguard.cli import main; main()", *args], env=env,
                          cwd=str(PROJECT), capture_output=True, text=True, timeout=300, check=False)


def test_demo_on_an_unmigrated_database_names_the_migrate_command(tmp_path: Path) -> None:
    proc = _hrguard(tmp_path, "demo", "--no-history")
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "请先运行 hrguard migrate" in out and "run `hrguard migrate` first" in out, out
    assert "Traceback" not in out and "no such table" not in out, out
    db = tmp_path / "data" / "fresh.sqlite3"
    if db.exists():  # opening the connection may create the file; no table is created in it
        tables = sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        assert ("core_company",) not in tables
