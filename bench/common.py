"""Shared benchmark plumbing: pick the database from the command line, set Django up, migrate, statistics.

Import this module first in a bench script (it must run before Django is imported elsewhere)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def db_arguments(parser: argparse.ArgumentParser, default_sqlite: str) -> None:
    parser.add_argument("--db", default=default_sqlite, help="SQLite database file (default %(default)s)")
    parser.add_argument("--pg", nargs="?", const="hrguard_bench", default="",
                        help="use PostgreSQL at 127.0.0.1 instead (database name, default hrguard_bench)")


def web_environment(args: argparse.Namespace) -> None:
    """Point ``bench.settings_web`` (the web benches: load, profile, instructions, page snapshots) at the
    database of ``--db`` / ``--pg``; Django is set up by the caller (or by the server it starts)."""
    if args.pg:
        os.environ["HRGUARD_BENCH_PG"] = args.pg
    else:
        os.environ["HRGUARD_BENCH_DB"] = str(Path(args.db).resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_web"


def setup(args: argparse.Namespace, *, fresh: bool = False) -> None:
    """Point Django at the chosen database (created / migrated as needed) and call django.setup()."""
    if args.pg:
        os.environ["HRGUARD_BENCH_PG"] = args.pg
        if fresh:
            _recreate_pg(args.pg)
        else:
            _ensure_pg(args.pg)
    else:
        os.environ["HRGUARD_BENCH_DB"] = str(Path(args.db).resolve())
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(args.db + suffix).unlink(missing_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _pg_admin():  # -> psycopg.Connection
    import psycopg

    return psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True)


def _ensure_pg(name: str) -> None:
    with _pg_admin() as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _recreate_pg(name: str) -> None:
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(samples: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    return statistics.median(samples) * 1000, percentile(samples, 0.95) * 1000


def vendor() -> str:
    from django.db import connection

    return connection.vendor
