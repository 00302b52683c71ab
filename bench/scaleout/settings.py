"""Production settings (PostgreSQL + Redis, every variable required) plus the bench's handler app."""

from __future__ import annotations

from hrguard.settings.production import *  # noqa: F403
from hrguard.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.scaleout"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False  # plain HTTP on 127.0.0.1
