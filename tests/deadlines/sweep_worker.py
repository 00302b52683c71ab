"""Run one deadline sweep (and the delivery it triggers) in a separate process, on the test's database.

Environment: HRGUARD_WORKER_DB_NAME (the test database: SQLite file or PostgreSQL name),
HRGUARD_WORKER_KEYS_DIR (the test's field-encryption keys), optional HRGUARD_WORKER_NOW (ISO time the
sweep pretends it is, to step past a lease without waiting)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
os.environ["DJANGO_SETTINGS_MODULE"] = "hrguard.settings.test"

import hrguard.settings.test as test_settings  # noqa: E402

test_settings.DATABASES["default"]["NAME"] = os.environ["HRGUARD_WORKER_DB_NAME"]
test_settings.HRGUARD_KEYS_DIR = Path(os.environ["HRGUARD_WORKER_KEYS_DIR"])

import django  # noqa: E402

django.setup()

import tests.deadlines.kill_handlers  # noqa: E402, F401  (registers the handler)
from hrguard.deadlines import services as deadlines  # noqa: E402
from hrguard.notify import delivery  # noqa: E402

now = dt.datetime.fromisoformat(os.environ["HRGUARD_WORKER_NOW"]) if os.environ.get("HRGUARD_WORKER_NOW") else None
done = deadlines.sweep(now=now)
delivered = delivery.deliver_due()
print(f"done={done} delivered={delivered}", flush=True)
