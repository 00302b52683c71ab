"""Django settings for the benchmarks (not the test suite): the test settings plus a persistent database.

``HRGUARD_BENCH_DB`` = SQLite file (the embedded deployment's PRAGMAs: WAL, synchronous=NORMAL, …), or
``HRGUARD_BENCH_PG`` = PostgreSQL database name at 127.0.0.1:5432 (user postgres). Field keys live next
to the database (``<db>.keys/``) so that a generated database stays readable by later runs."""

from __future__ import annotations

import os
from pathlib import Path

from hrguard.settings.test import *  # noqa: F403

_pg = os.environ.get("HRGUARD_BENCH_PG", "")
_sqlite = os.environ.get("HRGUARD_BENCH_DB", "/tmp/hrguard-bench.sqlite3")  # noqa: S108 - throw-away bench data

if _pg:
    DATABASES = {
        "default": {
            "ENGINE": "hrguard.platform.postgresql",  # production's backend (its list dumper, its health check)
            "NAME": _pg,
            "USER": os.environ.get("HRGUARD_PG_USER", "postgres"),
            "HOST": os.environ.get("HRGUARD_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("HRGUARD_PG_PORT", "5432"),
            "CONN_MAX_AGE": None,
        }
    }
    HRGUARD_KEYS_DIR = Path(os.environ.get("HRGUARD_BENCH_KEYS", f"/tmp/hrguard-bench-{_pg}.keys"))  # noqa: S108
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _sqlite,
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
                ),
            },
        }
    }
    HRGUARD_KEYS_DIR = Path(os.environ.get("HRGUARD_BENCH_KEYS", _sqlite + ".keys"))
LOGGING = {"version": 1, "disable_existing_loggers": False}
