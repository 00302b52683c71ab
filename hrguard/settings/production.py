"""Production: PostgreSQL + Redis-backed Huey consumers; any number of web and worker hosts.

Environment:
  HRGUARD_DATABASE_URL   postgres://user:pass@host:5432/dbname  (required)
  HRGUARD_REDIS_URL      redis://host:6379/0                     (required)
  HRGUARD_SECRET_KEY     Django secret key                        (required)
  HRGUARD_KEYS_DIR       directory with the field-encryption and signing keys (outside the DB)
  HRGUARD_HSTS_SECONDS   Strict-Transport-Security max-age (default one year; 0 turns HSTS off)
  HRGUARD_HSTS_SUBDOMAINS=1  add includeSubDomains (only if every subdomain is HTTPS)
  HRGUARD_PROXY_SSL_HEADER   e.g. X-Forwarded-Proto: the header the TLS proxy sets to "https" (and strips
                         from clients); without it, requests that reached the proxy over HTTPS look like HTTP
  HRGUARD_SSL_REDIRECT=1 redirect HTTP to HTTPS in Django (usually the proxy does this)
  HRGUARD_QUEUE_NAME     name of the Huey queue in Redis (default "hrguard")
  HRGUARD_PG_PREPARED_STATEMENTS=0  no server-side prepared statements (needed behind a transaction-mode pooler)

A missing required variable stops the process at start-up with a message naming it.
"""

from __future__ import annotations

import os

import dj_database_url
from huey import RedisHuey
from redis import ConnectionPool

from .base import *  # noqa: F403
from .base import env_bool
from .secrets import load_secret_key, require_env

# No fallbacks: a production process without its database or secret key refuses to start with a
# message naming the variable, instead of quietly using a localhost database or a generated key.
SECRET_KEY = load_secret_key(generate=False)
DATABASE_URL = require_env("HRGUARD_DATABASE_URL", "the PostgreSQL database", "postgres://hrguard@db:5432/hrguard")
REDIS_URL = require_env("HRGUARD_REDIS_URL", "the Redis server of the task queue and cache", "redis://cache:6379/0")

# Connections live 60 s and are health-checked before each request's first query. The engine is Django's
# PostgreSQL backend whose check asks the socket first (hrguard/platform/postgresql/base.py): a live
# connection costs no ``SELECT 1`` round trip; one the server ended is seen there, checked with ``SELECT 1``
# and replaced before the request's first query.
#
# Parameters are bound on the server and psycopg prepares a statement from its fifth execution on a
# connection (Django's default is client-side binding, never prepared): PostgreSQL then parses and plans
# the pages' fixed queries once per connection instead of on every request — on the roster/search/profile
# mix 2.9 → 1.3 ms of the server's CPU a request. Statements whose plan should follow their values (LIKE,
# array containment: the name searches) are still planned each time (platform.postgresql.PreparingCursor).
# Behind a pooler in transaction mode (PgBouncer < 1.21, or without max_prepared_statements) prepared
# statements break: HRGUARD_PG_PREPARED_STATEMENTS=0 turns them off (client-side binding, as Django's default).
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, engine="hrguard.platform.postgresql", conn_max_age=60, conn_health_checks=True
    )
}
if env_bool("HRGUARD_PG_PREPARED_STATEMENTS", True):
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)

HUEY = RedisHuey(
    name=os.environ.get("HRGUARD_QUEUE_NAME", "hrguard"),
    connection_pool=ConnectionPool.from_url(REDIS_URL),
    immediate=False,
)

# Webhooks: https only; no address inside the network (SSRF) unless the operator allows it explicitly.
HRGUARD_WEBHOOKS_REQUIRE_HTTPS = True
HRGUARD_WEBHOOKS_ALLOW_PRIVATE = env_bool("HRGUARD_WEBHOOKS_ALLOW_PRIVATE", False)

SESSION_COOKIE_SECURE = os.environ.get("HRGUARD_INSECURE_COOKIES", "") != "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS: browsers that have seen the site over HTTPS refuse plain HTTP to it for a year (HSTS; a browser
# ignores the header on plain-HTTP answers, so it is harmless behind a misconfigured proxy).
SECURE_HSTS_SECONDS = int(os.environ.get("HRGUARD_HSTS_SECONDS", 365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HRGUARD_HSTS_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False  # preloading is a commitment for the whole domain: the operator's decision
SECURE_SSL_REDIRECT = env_bool("HRGUARD_SSL_REDIRECT", False)
_proxy_header = os.environ.get("HRGUARD_PROXY_SSL_HEADER", "").strip()
if _proxy_header:  # only behind a proxy that sets this header itself and drops it from client requests
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")

# Shared cache for every web process (sign-in throttling, API throttles, access tokens of the chat
# platforms): Redis, the same server as the task queue.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "hrguard",
    }
}
