"""Production: PostgreSQL + Redis-backed Huey consumers; any number of web and worker hosts.

Environment:
  HRGUARD_DATABASE_URL   postgres://user:pass@host:5432/dbname  (required)
  HRGUARD_REDIS_URL      redis://host:6379/0                     (required)
  HRGUARD_SECRET_KEY     Django secret key                        (required)
  HRGUARD_KEYS_DIR       directory with the field-encryption and signing keys (outside the DB)
"""

from __future__ import annotations

import os

import dj_database_url
from huey import RedisHuey
from redis import ConnectionPool

from .base import *  # noqa: F403
from .secrets import load_secret_key

SECRET_KEY = load_secret_key()

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("HRGUARD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hrguard"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}

HUEY = RedisHuey(
    name="hrguard",
    connection_pool=ConnectionPool.from_url(os.environ.get("HRGUARD_REDIS_URL", "redis://127.0.0.1:6379/0")),
    immediate=False,
)

SESSION_COOKIE_SECURE = os.environ.get("HRGUARD_INSECURE_COOKIES", "") != "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Shared cache for every web process (sign-in throttling, API throttles, access tokens of the chat
# platforms): Redis, the same server as the task queue.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("HRGUARD_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": "hrguard",
    }
}
