"""Embedded default: SQLite + SqliteHuey + local files. One box, no servers to run."""

from __future__ import annotations

import os
from pathlib import Path

from huey import SqliteHuey

from .base import *  # noqa: F403
from .base import VAR_DIR
from .paths import harden
from .secrets import load_secret_key

SECRET_KEY = load_secret_key()

SQLITE_PATH = Path(os.environ.get("HRGUARD_SQLITE_PATH") or VAR_DIR / "hrguard.sqlite3")
QUEUE_PATH = Path(os.environ.get("HRGUARD_QUEUE_PATH") or VAR_DIR / "huey.sqlite3")
# Files an older version created 0644 are made private (new ones are 0600 through the umask).
harden(*(Path(f"{p}{suffix}") for p in (SQLITE_PATH, QUEUE_PATH) for suffix in ("", "-wal", "-shm")))

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(SQLITE_PATH),
        # Performance: each server thread keeps its connection (opening one and running the PRAGMAs
        # below cost ~1 ms of CPU per request).
        "CONN_MAX_AGE": None,
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

HUEY = SqliteHuey(name="hrguard", filename=str(QUEUE_PATH), immediate=False)
