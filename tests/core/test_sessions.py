"""Sessions end after 30 idle minutes (the expiry slides at most once a minute, not with a write per request)
and 12 hours after sign-in however active; production answers with HSTS; the API speaks JSON only."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hrguard.core.sessions import STARTED, TOUCHED


def signed_in(world, **stamps: int) -> Client:
    client = Client()
    client.force_login(world.users["hr"])
    session = client.session
    session.update(stamps)
    session.save()
    return client


def expiry(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_defaults_are_thirty_idle_minutes_and_twelve_hours():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.HRGUARD_SESSION_MAX_SECONDS == 12 * 3600
    assert not getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)


def test_an_idle_session_ends(world):
    client = signed_in(world)
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))  # 30 minutes without a request
    resp = client.get("/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_activity_slides_the_expiry_at_most_once_a_minute(world):
    now = int(time.time())
    client = signed_in(world, **{STARTED: now - 600, TOUCHED: now - 120})
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    assert client.get("/").status_code == 200
    assert expiry(client) > timezone.now() + dt.timedelta(minutes=29)  # slid to a full 30 minutes
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=5))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200  # touched a moment ago: no session write
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"].upper()]
    assert expiry(client) < timezone.now() + dt.timedelta(minutes=6)


def test_a_session_ends_twelve_hours_after_sign_in_however_active(world):
    now = int(time.time())
    client = signed_in(world, **{STARTED: now - 12 * 3600 - 5, TOUCHED: now})
    resp = client.get("/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]
    assert client.get("/").status_code == 302  # signed out for good, not just for one request


def test_a_fresh_sign_in_gets_its_start_stamped(world):
    client = signed_in(world)
    client.get("/")
    assert abs(client.session[STARTED] - time.time()) < 60


def test_the_api_answers_json_even_to_a_browser(world):
    client = Client()
    client.force_login(world.users["hr"])
    resp = client.get("/api/v1/me/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert resp["Content-Type"].startswith("application/json")
    assert json.loads(resp.content)["username"] == world.users["hr"].username


def _production(env: dict[str, str], expr: str) -> str:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'hrguard.settings.production'; "
        f"django.setup(); from django.conf import settings as s; print(repr({expr}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("HRGUARD_")}
    base.update({"HRGUARD_SECRET_KEY": "k" * 50, "HRGUARD_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
                 "HRGUARD_REDIS_URL": "redis://127.0.0.1:6379/15", "HRGUARD_VAR_DIR": settings.VAR_DIR.as_posix()})
    base.update(env)
    out = subprocess.run([sys.executable, "-c", code], env=base, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()[-1]


def test_production_sets_hsts_json_only_api_and_an_opt_in_proxy_header():
    expr = ("(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'], "
            "getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.SESSION_COOKIE_SECURE)")
    assert _production({}, expr) == repr(
        (31536000, False, ["rest_framework.renderers.JSONRenderer"], None, True)
    )
    assert _production({"HRGUARD_PROXY_SSL_HEADER": "X-Forwarded-Proto", "HRGUARD_HSTS_SECONDS": "600"},
                       "(s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS)") == repr(
        (("HTTP_X_FORWARDED_PROTO", "https"), 600)
    )


def test_hsts_header_on_https_answers(world, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    resp = Client().get("/accounts/login/", secure=True)
    assert resp["Strict-Transport-Security"] == "max-age=31536000"
