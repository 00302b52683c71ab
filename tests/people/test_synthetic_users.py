"""Synthetic (bench and demo) users sign in on a real server: their password is a PBKDF2 hash, never the
test settings' MD5, computed once for all of them."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password
from django.test import override_settings

from hrguard.core.models import User
from hrguard.people import synthetic

pytestmark = pytest.mark.django_db

# What a production server uses (Django's defaults): no MD5 hasher.
REAL_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]


def test_generated_users_sign_in_with_production_hashers() -> None:
    synthetic.generate_company("syn", "合成公司", employees=30, with_evidence=False)
    users = list(User.objects.filter(company__code="syn"))
    assert len(users) >= 5
    assert {u.password for u in users} == {synthetic.demo_password_hash()}  # one hash, reused
    assert users[0].password.startswith("pbkdf2_sha256$")
    with override_settings(PASSWORD_HASHERS=REAL_HASHERS):
        assert check_password(synthetic.DEMO_PASSWORD, users[0].password)
        assert authenticate(username="syn-hr", password=synthetic.DEMO_PASSWORD) is not None
        assert authenticate(username="syn-hr", password="wrong") is None
