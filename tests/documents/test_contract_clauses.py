"""A labor contract signed electronically, each key clause acknowledged separately (issue 12 §1, seed 000).

The default clause library holds the three key clauses in Chinese; a contract built from it and sent as
劳动合同 freezes its key clauses into the envelope; signing is refused (and the refusal recorded) until every
one is ticked; each acknowledgement is an evidence event in the signing transaction; the contract clause
is stamped; the package verifies and its certificate of completion lists the clauses."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrguard.documents import packages, services, signer
from hrguard.documents.models import Envelope, EnvelopeStatus
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.offline.verify import verify_package
from hrguard.people import contracts
from hrguard.people.models import ClauseTemplate, ContractClause
from hrguard.platform.pdf.poppler import extract_text, squash_whitespace

from .conftest import last_code, make_png, template_version

pytestmark = pytest.mark.django_db
KEY_TITLES = ("个人财务状况告知", "保密义务", "禁止私下与客户交易")


def contract_with_key_clauses(world):  # type: ignore[no-untyped-def]
    assert contracts.ensure_default_clauses(world.company) == 3
    assert contracts.ensure_default_clauses(world.company) == 0  # idempotent, by code
    library = list(ClauseTemplate.objects.filter(company=world.company, code__in=[
        "finance-disclosure", "confidentiality", "no-private-trading"]).order_by("pk"))
    assert [c.title for c in library] == list(KEY_TITLES)
    assert all(c.key_by_default for c in library)
    return contracts.create_contract(world.users["hr"], world.employees["east_rep"], {
        "contract_no": "HT-2027-009", "contract_type": "open_ended", "start_date": "2027-01-06",
        "wage": "15000", "work_location": "上海",
    }, [(c.pk, True) for c in library])


def send_contract(world):  # type: ignore[no-untyped-def]
    res = services.send_request(
        world.company, actor=world.users["hr"], version=template_version(world.company, "劳动合同"),
        employees=[world.employees["east_rep"]], channels=["email"], deadline_at=timezone.now() + dt.timedelta(days=5),
    )
    return Envelope.objects.get(request=res.request), res.tokens[world.employees["east_rep"].pk]


def verified(token: str) -> Envelope:
    env = signer.find(token)
    signer.mark_opened(env)
    signer.send_code(env, "email")
    assert signer.verify_code(env, last_code(env)).ok
    return env


def test_key_clauses_frozen_each_acknowledged_in_the_signing(docs, signature_png) -> None:  # type: ignore[no-untyped-def]
    contract = contract_with_key_clauses(docs)
    env, token = send_contract(docs)
    assert [c["title"] for c in env.key_clauses] == list(KEY_TITLES)
    for c in env.key_clauses:
        assert c["sha256"] == hashlib.sha256(f"{c['title']}\n{c['body']}".encode()).hexdigest()
    text = squash_whitespace(extract_text(services.file_bytes(env, "original") or b""))
    assert "劳动合同书" in text and "HT-2027-009" in text and "15,000.00" in text
    for title in KEY_TITLES:
        assert title in text
    env = verified(token)
    ids = [str(c["id"]) for c in env.key_clauses]
    with pytest.raises(signer.SigningError) as exc:
        signer.sign(env, verified=True, consent=True, drawn_png=signature_png)
    assert exc.value.code == "clauses" and all(t in exc.value.message for t in KEY_TITLES)
    with pytest.raises(signer.SigningError) as exc:  # two of three, plus an id that is not a key clause
        signer.sign(env, verified=True, consent=True, drawn_png=signature_png, acknowledged=[*ids[:2], "999999"])
    assert "禁止私下与客户交易" in exc.value.message and "保密义务" not in exc.value.message
    env.refresh_from_db()
    assert env.status == EnvelopeStatus.VERIFIED
    refused = EvidenceEvent.objects.filter(action="documents.sign_refused", subject_id=str(env.pk))
    assert refused.count() == 2 and all('"clauses"' in e.record for e in refused)
    assert not ContractClause.objects.filter(contract=contract, acknowledged_at__isnull=False).exists()

    signer.sign(env, verified=True, consent=True, drawn_png=signature_png, acknowledged=ids)
    env.refresh_from_db()
    assert env.status == EnvelopeStatus.SIGNED
    events = list(EvidenceEvent.objects.filter(subject_type="documents.envelope", subject_id=str(env.pk),
                                               action__in=["documents.clause_acknowledged", "documents.signed"])
                  .order_by("seq"))
    assert [e.action for e in events] == ["documents.clause_acknowledged"] * 3 + ["documents.signed"]
    for event, clause in zip(events, env.key_clauses, strict=False):
        data = json.loads(event.record)["data"]
        assert data["clause_id"] == clause["id"] and data["clause_sha256"] == clause["sha256"]
        assert data["clause_title"] == clause["title"] and data["acknowledged_at"]
    assert json.loads(events[-1].record)["data"]["key_clauses_acknowledged"] == [int(i) for i in ids]
    stamped = ContractClause.objects.filter(contract=contract, is_key=True)
    assert all(c.acknowledged_at == env.signed_at for c in stamped)

    data = packages.envelope_package(env, actor=docs.users["hr"])
    assert verify_package(data).ok
    completion = squash_whitespace(extract_text(zipfile.ZipFile(io.BytesIO(data)).read("completion.pdf")))
    assert "员工已逐条确认的关键条款" in completion
    for title in KEY_TITLES:
        assert title in completion
    assert env.key_clauses[0]["sha256"][:16] in completion.replace(" ", "")


def test_signing_page_shows_each_clause_and_refuses_unticked(docs) -> None:  # type: ignore[no-untyped-def]
    contract_with_key_clauses(docs)
    env, token = send_contract(docs)
    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile")
    phone.get(reverse("signing:page", args=[token]))
    phone.post(reverse("signing:send_code", args=[token]), {"channel": "email"})
    assert phone.post(reverse("signing:verify", args=[token]), {"code": last_code(env)}).status_code == 302
    page = phone.get(reverse("signing:page", args=[token])).content.decode()
    for clause in env.key_clauses:
        assert f'name="clause" value="{clause["id"]}"' in page and clause["body"][:30] in page
    png = "data:image/png;base64," + base64.b64encode(make_png()).decode()
    first = str(env.key_clauses[0]["id"])
    r = phone.post(reverse("signing:sign", args=[token]),
                   {"mode": "drawn", "drawn": png, "consent": "yes", "clause": [first]})
    body = r.content.decode()
    assert r.status_code == 400 and "请逐条确认" in body and "保密义务" in body
    assert f'value="{first}" id="clause-{first}" required checked' in body  # the tick is kept
    r = phone.post(reverse("signing:sign", args=[token]), {
        "mode": "drawn", "drawn": png, "consent": "yes", "clause": [str(c["id"]) for c in env.key_clauses]})
    assert r.status_code == 302
    env.refresh_from_db()
    assert env.status == EnvelopeStatus.SIGNED


def test_other_documents_have_no_clause_step_and_contract_page_links(docs, client_for) -> None:  # type: ignore[no-untyped-def]
    contract_with_key_clauses(docs)
    res = services.send_request(
        docs.company, actor=docs.users["hr"], version=template_version(docs.company, "离职证明"),
        employees=[docs.employees["east_rep"]], channels=["email"], deadline_at=timezone.now() + dt.timedelta(days=5),
    )
    assert Envelope.objects.get(request=res.request).key_clauses == []
    hr = client_for(docs.users["hr"], password="pw-hrhr")
    page = hr.get(reverse("people:employee_detail", args=[docs.employees["east_rep"].pk])).content.decode()
    assert "?kind=labor_contract&amp;employee_no=S002" in page
    form = hr.get(reverse("documents:request_create") + "?kind=labor_contract&employee_no=S002").content.decode()
    tpl = template_version(docs.company, "劳动合同").template
    assert f'<option value="{tpl.pk}" selected>' in form
