"""Settings for a real web server on the bench data (``bench/load.py``): a deployment's settings, not
the test ones (real password hasher, compressed static files, the deployment's caches).

``HRGUARD_BENCH_PG`` set: the production settings (PostgreSQL, Redis cache ``HRGUARD_REDIS_URL``,
default db 10); otherwise the embedded ones (SQLite file ``HRGUARD_BENCH_DB`` with its PRAGMAs). Field
keys live next to the database, as in ``bench/settings.py``, so the generated data stays readable.
The secret key is fixed so that the load driver's process and the server agree on session hashes."""

from __future__ import annotations

import os
from pathlib import Path

_pg = os.environ.get("HRGUARD_BENCH_PG", "")
_sqlite = os.environ.get("HRGUARD_BENCH_DB", "/tmp/hrguard-bench.sqlite3")  # noqa: S108 - throw-away bench data
os.environ.setdefault("HRGUARD_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("HRGUARD_VAR_DIR", "/tmp/hrguard-bench-var")  # noqa: S108

if _pg:
    os.environ.setdefault("HRGUARD_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{_pg}")
    os.environ.setdefault("HRGUARD_REDIS_URL", "redis://127.0.0.1:6379/10")
    os.environ.setdefault("HRGUARD_INSECURE_COOKIES", "1")  # plain http on loopback
    from hrguard.settings.production import *  # noqa: F403

    HRGUARD_KEYS_DIR = Path(os.environ.get("HRGUARD_BENCH_KEYS", f"/tmp/hrguard-bench-{_pg}.keys"))  # noqa: S108
else:
    os.environ.setdefault("HRGUARD_SQLITE_PATH", _sqlite)
    from hrguard.settings.embedded import *  # noqa: F403

    HRGUARD_KEYS_DIR = Path(os.environ.get("HRGUARD_BENCH_KEYS", _sqlite + ".keys"))

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
