"""The signing link and its one-time code are the employee's alone: HR's pages, the evidence log and the
employee timeline never show the code or the link token, even when the code message failed to go out."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db


def test_hr_never_sees_the_code_or_token(world: Any) -> None:
    from hrguard.documents import services, signer
    from hrguard.documents.library import ensure_default_templates
    from hrguard.documents.models import DocumentTemplate, Envelope
    from hrguard.notify import delivery
    from hrguard.notify.adapters import configure
    from hrguard.notify.models import OutboxMessage

    # An e-mail server that refuses connections: the code message fails and lands on HR's problem list.
    configure(world.company, "email", {"host": "127.0.0.1", "port": 1, "from_address": "hr@acme.test"})
    ensure_default_templates(world.company)
    version = DocumentTemplate.objects.filter(company=world.company, name="离职证明").first().latest
    emp = world.employees["east_rep"]
    res = services.send_request(world.company, actor=world.users["hr"], version=version, employees=[emp],
                                channels=["inapp"], deadline_at=timezone.now() + dt.timedelta(days=5))
    env = Envelope.objects.get(request=res.request)
    token = res.tokens[emp.pk]
    env = signer.find(token)
    signer.mark_opened(env)
    signer.send_code(env, "email")
    msg = OutboxMessage.objects.filter(purpose="signing_code", about_id=str(env.pk)).order_by("-pk").first()
    assert msg is not None
    code = re.search(r"(\d{6})", msg.body).group(1)  # type: ignore[union-attr]
    for attempt in range(8):  # retries with back-off until it gives up
        delivery.deliver(msg.pk, now=timezone.now() + dt.timedelta(days=30 * (attempt + 1)))
    msg.refresh_from_db()

    hr = Client()
    hr.force_login(world.users["hr"])
    pages = [reverse("notify:problems"), reverse("documents:request_detail", args=[res.request.pk]),
             reverse("documents:request_rows", args=[res.request.pk]),
             reverse("documents:envelope_detail", args=[env.pk]),
             reverse("evidence:employee_timeline", args=[emp.pk]), reverse("evidence:timeline_search")]
    seen = []
    for url in pages:
        resp = hr.get(url)
        assert resp.status_code == 200, url
        html = resp.content.decode()
        if code in html or token in html:
            seen.append(url)
    assert msg.state in ("failed", "unknown"), msg.state
    assert "签署验证码" in hr.get(reverse("notify:problems")).content.decode()  # the message is listed for HR
    assert not seen, f"the signing code or link token is shown to HR on {seen} (message state {msg.state})"
    records = " ".join(EvidenceEvent.objects.filter(company=world.company).values_list("record", flat=True))
    assert code not in records and token not in records
