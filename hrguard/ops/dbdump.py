"""Copy the database out and back in, consistently, while it may be in use.

* SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot page by
  page while other connections keep reading and writing (WAL included); restore uses the same API in
  the other direction, so the live file is replaced under SQLite's own locks.
* PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot, without the early-warning signal values:
  derived data the next scan recomputes, ``risk.selectors.backup_exclusions``) and ``pg_restore --clean --if-exists
  --no-owner --single-transaction --exit-on-error``: the restore is one transaction — it lands whole or
  not at all. Grants are kept (the runtime role's INSERT/SELECT-only rights on the evidence tables), so
  the roles must exist on the target server; run the restore as the owner (migration) role."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections

from hrguard.risk import selectors as risk_selectors


class DumpError(RuntimeError):
    pass


def vendor(using: str = "default") -> str:
    return str(connections[using].vendor)


def _sqlite_copy(src: str, dst: str) -> None:
    source = sqlite3.connect(src, timeout=30)
    target = sqlite3.connect(dst, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(cmd: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(cmd[0])
    if tool is None:
        raise DumpError(f"{cmd[0]} is not installed (Debian: apt-get install postgresql-client)")
    proc = subprocess.run([tool, *cmd[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if proc.returncode != 0:
        raise DumpError(f"{cmd[0]} failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")


def dump(target_dir: Path, using: str = "default") -> Path:
    """Write a consistent copy of the database into ``target_dir``; returns the file."""
    conn = connections[using]
    kind = vendor(using)
    if kind == "sqlite":
        out = target_dir / "hrguard.sqlite3"
        _sqlite_copy(str(conn.settings_dict["NAME"]), str(out))
        return out
    if kind == "postgresql":
        out = target_dir / "hrguard.pgdump"
        left_out = risk_selectors.backup_exclusions()  # derived data, recomputed after a restore
        _run(["pg_dump", "--format=custom", f"--file={out}",
              *(f"--exclude-table={t}" for t in left_out["tables"]),
              *(f"--exclude-table-data={t}" for t in left_out["data"]),
              "--dbname", str(conn.settings_dict["NAME"])], _pg_env(conn.settings_dict))
        return out
    raise DumpError(f"backup of a {kind} database is not supported (SQLite and PostgreSQL are)")


def load(source: Path, kind: str, using: str = "default") -> None:
    """Replace the configured database's content with the dump ``source`` of vendor ``kind``."""
    conn = connections[using]
    if kind != vendor(using):
        raise DumpError(f"this backup holds a {kind} database; the configured database is {vendor(using)}")
    connections.close_all()
    if kind == "sqlite":
        target = Path(conn.settings_dict["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _sqlite_copy(str(source), str(target))
        return
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          "--dbname", str(conn.settings_dict["NAME"]), str(source)], _pg_env(conn.settings_dict))


def has_data(using: str = "default") -> bool:
    """Does the configured database already hold an installation (any company)?"""
    from hrguard.core.models import Company

    conn = connections[using]
    if Company._meta.db_table not in conn.introspection.table_names():
        return False
    return Company.objects.using(using).exists()
