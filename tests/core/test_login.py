"""The sign-in form stops password guessing: per-username and per-address failure limits, a clear
message, 429, one evidence event, and a reset after a successful sign-in."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db
LIMITS = {"per_user": 3, "per_ip": 6, "window": 600}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def attempt(client: Client, username: str, password: str, ip: str = "198.51.100.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@override_settings(HRGUARD_LOGIN_LIMITS=LIMITS)
def test_username_is_locked_after_repeated_failures_even_with_the_right_password(world):
    user = world.users["hr"]
    for _ in range(3):
        assert attempt(Client(), user.username, "wrong").status_code == 200
    resp = attempt(Client(), user.username, "pw-hrhr")
    assert resp.status_code == 429 and resp["Retry-After"] == "600"
    assert "10" in resp.content.decode()  # minutes to wait, in the message
    assert EvidenceEvent.objects.filter(company=world.company, action="auth.locked").count() == 1
    # another account from the same address is not affected (below the per-address limit)
    ok = Client()
    assert attempt(ok, world.users["legal"].username, "pw-legallegal").status_code == 302


@override_settings(HRGUARD_LOGIN_LIMITS=LIMITS)
def test_one_address_trying_many_usernames_is_stopped(world):
    for i in range(6):
        attempt(Client(), f"nobody-{i}", "wrong", ip="203.0.113.9")
    resp = attempt(Client(), world.users["hr"].username, "pw-hrhr", ip="203.0.113.9")
    assert resp.status_code == 429
    assert attempt(Client(), world.users["hr"].username, "pw-hrhr", ip="203.0.113.10").status_code == 302


@override_settings(HRGUARD_LOGIN_LIMITS=LIMITS)
def test_success_resets_the_username_counter(world):
    user = world.users["hr"]
    for _ in range(2):
        attempt(Client(), user.username, "wrong")
    assert attempt(Client(), user.username, "pw-hrhr").status_code == 302
    for _ in range(2):
        attempt(Client(), user.username, "wrong")
    assert attempt(Client(), user.username, "pw-hrhr").status_code == 302
