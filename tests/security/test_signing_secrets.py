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


def _has_left(world: Any, key: str = "east_rep") -> None:
    """What a separation certificate states must be on record before it can be sent."""
    from decimal import Decimal

    from hrguard.people.models import Contract

    emp = world.employees[key]
    emp.termination_date = dt.date(2026, 11, 30)
    emp.save(update_fields=["termination_date"])
    Contract.objects.create(company=world.company, employee=emp, contract_no=f"HT-{key}", contract_type="fixed_term",
                            start_date=dt.date(2020, 1, 6), end_date=dt.date(2027, 1, 5), wage=Decimal("9000"),
                            work_location="上海")


def test_hr_never_sees_the_code_or_token(world: Any) -> None:
    from hrguard.documents import services, signer
    from hrguard.documents.library import ensure_default_templates
    from hrguard.documents.models import DocumentTemplate, Envelope
    from hrguard.notify import delivery
    from hrguard.notify.adapters import configure
    from hrguard.notify.models import OutboxMessage

    # An e-mail server that refuses connections: the code message fails and lands on HR's problem list.
    configure(world.company, "email", {"host": "127.0.0.1", "port": 1, "from_address": "hr@acme.test"})
    _has_left(world)
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


def _sent_envelope(world: Any, key: str = "east_rep") -> tuple[Any, str]:
    from hrguard.documents import services
    from hrguard.documents.library import ensure_default_templates
    from hrguard.documents.models import DocumentTemplate, Envelope
    from hrguard.notify.adapters import configure

    configure(world.company, "email", {"host": "127.0.0.1", "port": 1, "from_address": "hr@acme.test"})
    _has_left(world, key)
    ensure_default_templates(world.company)
    version = DocumentTemplate.objects.filter(company=world.company, name="离职证明").first().latest
    emp = world.employees[key]
    res = services.send_request(world.company, actor=world.users["hr"], version=version, employees=[emp],
                                channels=["inapp"], deadline_at=timezone.now() + dt.timedelta(days=5))
    return Envelope.objects.get(request=res.request), res.tokens[emp.pk]


def _code(env: Any) -> str:
    from hrguard.notify.models import OutboxMessage

    msg = OutboxMessage.objects.filter(purpose="signing_code", about_id=str(env.pk)).order_by("-pk").first()
    return re.search(r"(\d{6})", msg.body).group(1)  # type: ignore[union-attr]


def test_verification_belongs_to_the_browser_that_entered_the_code(world: Any) -> None:
    """Someone else holding the link (a forwarded SMS, a shared screen) cannot sign on the verified session."""
    from hrguard.documents.models import EnvelopeStatus

    env, token = _sent_envelope(world)
    owner, other = Client(), Client()
    owner.get(reverse("signing:page", args=[token]))
    owner.post(reverse("signing:send_code", args=[token]), {"channel": "email"})
    owner.post(reverse("signing:verify", args=[token]), {"code": _code(env)})
    other.get(reverse("signing:page", args=[token]))
    other.post(reverse("signing:sign", args=[token]), {"mode": "typed", "typed_name": "张测试", "consent": "yes"})
    env.refresh_from_db()
    assert env.status != EnvelopeStatus.SIGNED
    owner.post(reverse("signing:sign", args=[token]), {"mode": "typed", "typed_name": "张测试", "consent": "yes"})
    env.refresh_from_db()
    assert env.status == EnvelopeStatus.SIGNED  # positive control: the verified browser can


def test_code_guessing_locks_the_link(world: Any) -> None:
    from hrguard.documents.models import EnvelopeStatus

    env, token = _sent_envelope(world)
    client = Client()
    client.get(reverse("signing:page", args=[token]))
    client.post(reverse("signing:send_code", args=[token]), {"channel": "email"})
    code = _code(env)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        client.post(reverse("signing:verify", args=[token]), {"code": wrong})
    client.post(reverse("signing:verify", args=[token]), {"code": code})
    client.post(reverse("signing:sign", args=[token]), {"mode": "typed", "typed_name": "张测试", "consent": "yes"})
    env.refresh_from_db()
    assert env.locked_at is not None and env.status != EnvelopeStatus.SIGNED
    assert EvidenceEvent.objects.filter(action="documents.code_failed", subject_id=str(env.pk)).count() >= 5


def test_link_alone_shows_no_personal_data(world: Any) -> None:
    """Before the code, the link shows the title and masked addresses only; the PDF needs the code."""
    _env, token = _sent_envelope(world)
    emp = world.employees["east_rep"]
    client = Client()
    page = client.get(reverse("signing:page", args=[token]))
    assert page.status_code == 200
    html = page.content.decode()
    for value in (emp.id_number, emp.phone, emp.email, emp.bank_account):
        assert value not in html
    doc = client.get(reverse("signing:document", args=[token]))
    assert doc.status_code == 403 and not doc.content.startswith(b"%PDF")
    assert "no-store" in page.get("Cache-Control", "") or "private" in page.get("Cache-Control", "")
