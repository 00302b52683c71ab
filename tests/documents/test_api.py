"""The documents REST API: list templates, send a request, read progress; tenant isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from hrguard.documents.models import DocumentTemplate

pytestmark = pytest.mark.django_db


def client(user) -> APIClient:  # type: ignore[no-untyped-def]
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_send_and_track_through_api(docs, other_world) -> None:  # type: ignore[no-untyped-def]
    hr = client(docs.users["hr"])
    templates = hr.get("/api/v1/documents/templates/").json()["results"]
    assert any(t["name"] == "离职证明" and t["latest"]["number"] == 1 for t in templates)
    tpl = DocumentTemplate.objects.get(company=docs.company, name="离职证明")
    deadline = (timezone.now() + dt.timedelta(days=5)).isoformat()
    r = hr.post("/api/v1/documents/requests/", {
        "template": tpl.pk, "employees": [docs.employees["east_rep"].pk], "channels": ["email"],
        "deadline_at": deadline}, format="json")
    assert r.status_code == 201, r.json()
    req_id = r.json()["id"]
    env = hr.get(f"/api/v1/documents/requests/{req_id}/envelopes/").json()["results"]
    assert env[0]["employee_name"] == "张测试" and env[0]["status"] == "sent" and len(env[0]["original_sha256"]) == 64
    bad = hr.post("/api/v1/documents/requests/", {
        "template": tpl.pk, "employees": [other_world.employees["east_rep"].pk], "channels": ["email"],
        "deadline_at": deadline}, format="json")
    assert bad.status_code == 403
    assert client(docs.users["employee"]).post("/api/v1/documents/requests/", {
        "template": tpl.pk, "employees": [docs.employees["east_rep"].pk], "channels": ["email"],
        "deadline_at": deadline}, format="json").status_code == 403
    other = client(other_world.users["hr"])
    assert other.get(f"/api/v1/documents/requests/{req_id}/").status_code == 404
    assert other.get(f"/api/v1/documents/templates/{tpl.pk}/").status_code == 404
    missing = hr.post("/api/v1/documents/requests/", {
        "template": DocumentTemplate.objects.get(company=docs.company, name="解除劳动合同通知书").pk,
        "employees": [docs.employees["east_rep"].pk], "channels": ["email"], "deadline_at": deadline}, format="json")
    assert missing.status_code == 400 and "extra" in missing.json()["fields"]
