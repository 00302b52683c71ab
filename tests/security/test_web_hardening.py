"""Web hardening: CSRF on state-changing forms, no open redirects, downloads never rendered inline."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db


def csrf_client(user: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_state_changes_need_the_csrf_token(world: Any) -> None:
    from hrguard.leave import services as leave

    request = leave.request_leave(world.users["employee"], world.employees["east_rep"], {
        "leave_type": "sick", "start_date": "2025-03-04", "end_date": "2025-03-04", "reason": "发烧"})
    before = EvidenceEvent.objects.count()
    hr = csrf_client(world.users["hr"])
    emp = world.employees["sales_rep"]
    assert hr.post(reverse("people:reveal", args=[emp.pk, "phone"])).status_code == 403
    assert hr.post(reverse("people:employee_edit", args=[emp.pk]), {"name": "改名"}).status_code == 403
    manager = csrf_client(world.users["manager"])
    assert manager.post(reverse("activity:leave_decide", args=[request.pk]), {"decision": "approve"}).status_code == 403
    me = csrf_client(world.users["employee"])
    assert me.post(reverse("people:my_contact"), {"phone": "13911110000"}).status_code == 403
    # The API with a session cookie (not a token) is CSRF-protected too.
    resp = hr.post(f"/api/v1/employees/{emp.pk}/reveal/", {"field": "phone"}, content_type="application/json")
    assert resp.status_code == 403 and emp.phone not in resp.content.decode()
    assert EvidenceEvent.objects.count() == before


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    "javascript:alert(1)"])
def test_no_open_redirect(world: Any, target: str) -> None:
    client = Client()
    resp = client.post(reverse("login") + f"?next={target}",
                       {"username": world.users["hr"].username, "password": "pw-hrhr", "next": target})
    assert resp.status_code == 302
    assert "evil.example" not in resp["Location"] and "javascript:" not in resp["Location"]
    resp = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert "evil.example" not in resp.get("Location", "") and "javascript:" not in resp.get("Location", "")


def test_uploaded_files_are_downloads_not_pages(world: Any) -> None:
    """An evidence file with HTML inside (named like a PDF) is refused by content; a real one is served
    as an attachment with the detected type, never sniffed."""
    from django.core.exceptions import ValidationError

    from hrguard.discipline import violations
    from hrguard.records.models import Attachment
    from tests.security.objects import compliance_user

    officer = compliance_user(world)
    clause = violations.save_clause(officer, world.company, {"code": "1.1", "title": "条款"})
    with pytest.raises(ValidationError) as refused:
        violations.record_violation(officer, world.employees["east_rep"], {
            "clause": clause.pk, "occurred_on": "2025-03-03", "facts": "事实"},
            [("证据.pdf", b"<html><script>alert(1)</script></html>")])
    assert "证据.pdf" in str(refused.value)
    violation = violations.record_violation(officer, world.employees["east_rep"], {
        "clause": clause.pk, "occurred_on": "2025-03-03", "facts": "事实"},
        [("证据.pdf", b"%PDF-1.4 <html><script>alert(1)</script></html>")])
    att = Attachment.objects.get(owner_type="violation", owner_id=violation.pk)
    client = Client()
    client.force_login(officer)
    resp = client.get(reverse("activity:attachment", args=[att.pk]))
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith("attachment")
    assert "text/html" not in resp["Content-Type"] and att.content_type == "application/pdf"
    assert resp["X-Content-Type-Options"] == "nosniff"
