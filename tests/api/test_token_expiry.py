"""API tokens expire; the token endpoint then issues a new one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _token(user, password) -> str:
    resp = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": password}, format="json")
    assert resp.status_code == 200
    return resp.json()["token"]


@override_settings(HRGUARD_API_TOKEN_TTL=3600)
def test_expired_token_is_refused_and_replaced(world):
    user = world.users["hr"]
    key = _token(user, "pw-hrhr")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/employees/").status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(hours=2))
    resp = client.get("/api/v1/employees/")
    assert resp.status_code == 401
    fresh = _token(user, "pw-hrhr")
    assert fresh != key and not Token.objects.filter(key=key).exists()
    client.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
    assert client.get("/api/v1/employees/").status_code == 200
    from hrguard.evidence.models import EvidenceEvent

    issued = EvidenceEvent.objects.filter(company=world.company, action="api.token_issued").order_by("seq")
    assert issued.count() == 2 and key not in issued.last().record and fresh not in issued.last().record


def test_schema_still_documents_token_auth():
    schema = APIClient().get("/api/schema/?format=json").json()
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("type") == "apiKey" and s.get("name") == "Authorization" for s in schemes.values())
