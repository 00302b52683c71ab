"""Test settings. The same suite runs on SQLite (default) and PostgreSQL (HRGUARD_TEST_DB=postgres)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from huey import MemoryHuey

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-not-for-production"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
# MD5 keeps test users fast; PBKDF2 second so that synthetic/demo users (hashed with PBKDF2 like a real
# server's, see people.synthetic.demo_password_hash) can sign in under these settings too.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live-server browser tests

_tmp = Path(tempfile.mkdtemp(prefix="hrguard-test-"))
# Both per process unless given (.ci/run's role check runs several commands against one database).
HRGUARD_KEYS_DIR = Path(os.environ.get("HRGUARD_TEST_KEYS_DIR") or _tmp / "keys")
# tests/conftest.py gives each test its own sub-directory of this.
HRGUARD_CHECKPOINT_DIR = Path(os.environ.get("HRGUARD_TEST_CHECKPOINT_DIR") or _tmp / "checkpoints")
STATIC_ROOT = _tmp / "static"  # WhiteNoise serves from the finders in tests; the root must merely exist
STATIC_ROOT.mkdir()
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(_tmp / "media")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if os.environ.get("HRGUARD_TEST_DB", "sqlite") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "hrguard.platform.postgresql",  # Django's, with the socket-first health check
            "NAME": os.environ.get("HRGUARD_PG_NAME", "hrguard"),
            "USER": os.environ.get("HRGUARD_PG_USER", "postgres"),
            "HOST": os.environ.get("HRGUARD_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("HRGUARD_PG_PORT", "5432"),
            "TEST": {"NAME": os.environ.get("HRGUARD_PG_TEST_NAME", "test_hrguard")},
            # The migrations' append-only triggers have no bypass. In the test database only,
            # tests/evidence/bypass.py installs a variant that yields while this session setting is on,
            # so that test teardown (TRUNCATE) and the tamper tests work; bypass.enforced() switches it
            # off to prove UPDATE/DELETE/TRUNCATE are refused.
            # Server-side binding and prepared statements, as the production settings have them.
            "OPTIONS": {"options": "-c app.audit_bypass=on", "server_side_binding": True, "prepare_threshold": 5},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(_tmp / "test.sqlite3"),
            "TEST": {"NAME": str(_tmp / "test.sqlite3")},
            # Same write-transaction mode as the embedded deployment: a writer takes the lock at BEGIN,
            # so concurrent writers queue instead of failing with "database is locked" on upgrade.
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
        }
    }

HUEY = MemoryHuey(name="hrguard-test", immediate=True)
# The start-up key check (hrguard/core/keycheck.py) is exercised by tests/ops on real processes; here
# importing hrguard.wsgi must not query a database that the test run has not created yet.
HRGUARD_STARTUP_KEY_CHECK = False
