"""The sign-in brake stops password guessing on the sign-in page and the API token endpoint alike:
per-username and per-address limits enforced atomically (simultaneous guesses get no extra checks), a clear
message, 429, one evidence event, and a reset after a successful sign-in."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hrguard.core.models import SignInAttempts
from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db
LIMITS = {"per_user": 3, "per_ip": 6, "window": 600}


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


def _at_once(n: int, attempt_one: Any) -> list[int]:
    """Run ``attempt_one`` in ``n`` threads released together; their status codes."""
    barrier = threading.Barrier(n)
    codes: list[int] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait(30)
            code = attempt_one()
            with lock:
                codes.append(code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return codes


RACE_LIMITS = {"per_user": 10, "per_ip": 1000, "window": 600}


class RealisticHasher(PBKDF2PasswordHasher):
    """A password check that takes time, as in production (the test settings' MD5 check takes
    microseconds, which hides the window between "is it locked?" and "count the failure")."""

    iterations = 60_000


RACE_HASHERS = ["tests.core.test_login.RealisticHasher"]


def _slow_password(user: Any) -> str:
    user.set_password("pw-hrhr")
    user.save(update_fields=["password"])
    return user.username


@pytest.mark.django_db(transaction=True)
@override_settings(HRGUARD_LOGIN_LIMITS=RACE_LIMITS, PASSWORD_HASHERS=RACE_HASHERS)
def test_simultaneous_wrong_passwords_get_no_more_checks_than_the_limit(world):
    """24 wrong passwords at once (real threads, real database, a password check that takes time): exactly
    10 are checked (the form answers 200 with an error), the other 14 are refused unchecked (429); one lock
    event; the right password is refused afterwards."""
    username = _slow_password(world.users["hr"])
    codes = _at_once(24, lambda: attempt(Client(), username, "wrong").status_code)
    assert sorted(codes) == [200] * 10 + [429] * 14
    assert SignInAttempts.objects.get(key=f"user:{username}").count == 10
    assert EvidenceEvent.objects.filter(company=world.company, action="auth.locked").count() == 1
    assert attempt(Client(), username, "pw-hrhr").status_code == 429


@pytest.mark.django_db(transaction=True)
@override_settings(HRGUARD_LOGIN_LIMITS=RACE_LIMITS, PASSWORD_HASHERS=RACE_HASHERS)
def test_simultaneous_wrong_passwords_on_the_token_endpoint_get_no_more_checks(world, settings):
    settings.HRGUARD_API_RATES = {"token_username": "1000/min", "token_ip": "1000/min"}
    username = _slow_password(world.users["hr"])

    def one() -> int:
        return APIClient().post(
            "/api/v1/auth/token/", {"username": username, "password": "wrong"}, format="json"
        ).status_code

    codes = _at_once(24, one)
    # Exactly the 10 allowed checks, whatever the interleaving (on PostgreSQL the first attempts race to
    # create the counter row); every other attempt is refused unchecked.
    assert sorted(codes) == [400] * 10 + [429] * 14
    assert EvidenceEvent.objects.filter(company=world.company, action="auth.locked").count() == 1


@override_settings(HRGUARD_LOGIN_LIMITS=LIMITS)
def test_a_locked_user_gets_no_api_token_even_with_the_right_password(world):
    user = world.users["hr"]
    for _ in range(3):
        assert attempt(Client(), user.username, "wrong").status_code == 200
    resp = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": "pw-hrhr"},
                            format="json")
    assert resp.status_code == 429
    assert resp.json()["error"] == "throttled" and resp["Retry-After"] == "600"
    assert not Token.objects.filter(user=user).exists()


@override_settings(HRGUARD_LOGIN_LIMITS=LIMITS)
def test_wrong_passwords_on_the_token_endpoint_lock_the_sign_in_page_too(world):
    user = world.users["hr"]
    for _ in range(3):
        resp = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": "x"}, format="json")
        assert resp.status_code == 400
    assert attempt(Client(), user.username, "pw-hrhr").status_code == 429
    assert EvidenceEvent.objects.filter(company=world.company, action="auth.locked").count() == 1


@override_settings(HRGUARD_LOGIN_LIMITS=LIMITS)
def test_a_refused_attempt_from_a_paused_address_is_not_counted_against_the_username(world):
    for i in range(6):
        attempt(Client(), f"nobody-{i}", "wrong", ip="203.0.113.9")
    user = world.users["hr"]
    for _ in range(5):
        assert attempt(Client(), user.username, "wrong", ip="203.0.113.9").status_code == 429
    assert attempt(Client(), user.username, "pw-hrhr", ip="203.0.113.10").status_code == 302


@override_settings(HRGUARD_LOGIN_LIMITS={"per_user": 2, "per_ip": 50, "window": 60})
def test_the_pause_ends_with_the_window(world):
    user = world.users["hr"]
    for _ in range(2):
        attempt(Client(), user.username, "wrong")
    assert attempt(Client(), user.username, "pw-hrhr").status_code == 429
    SignInAttempts.objects.update(window_start=timezone.now() - dt.timedelta(seconds=61))
    assert attempt(Client(), user.username, "pw-hrhr").status_code == 302
