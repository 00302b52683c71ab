"""Evidence packages for signings: built via hrguard.evidence.package, verified offline, tamper fails."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.utils import timezone

from hrguard.documents import packages, reminders, services, signer
from hrguard.documents.models import Envelope
from hrguard.evidence.offline.verify import verify_package

from .conftest import last_code, make_png, template_version

pytestmark = pytest.mark.django_db


def rezip(data: bytes, name: str, mutate) -> bytes:  # type: ignore[no-untyped-def]
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, mutate(body) if info.filename == name else body)
    return out.getvalue()


def test_signed_package_verifies_and_tamper_fails(docs, signature_png) -> None:  # type: ignore[no-untyped-def]
    res = services.send_request(
        docs.company, actor=docs.users["hr"], version=template_version(docs.company, "离职证明"),
        employees=[docs.employees["east_rep"]], channels=["email"], deadline_at=timezone.now() + dt.timedelta(days=5),
    )
    env = signer.find(res.tokens[docs.employees["east_rep"].pk])
    signer.mark_opened(env)
    signer.send_code(env, "email")
    assert signer.verify_code(env, last_code(env)).ok
    signer.sign(env, verified=True, consent=True, drawn_png=signature_png)
    env = Envelope.objects.get(pk=env.pk)
    data = packages.envelope_package(env, actor=docs.users["hr"])
    result = verify_package(data)
    assert result.ok, [(c.en, c.status, c.detail) for c in result.checks]
    files = zipfile.ZipFile(io.BytesIO(data)).namelist()
    signed_name = f"documents/{env.document_id}-signed.pdf"
    assert signed_name in files and f"documents/{env.document_id}-original.pdf" in files
    events = zipfile.ZipFile(io.BytesIO(data)).read("events.jsonl").decode()
    actions = [json.loads(line)["action"] for line in events.splitlines() if line.strip()]
    for a in ("documents.sent", "documents.opened", "documents.code_sent", "documents.verified", "documents.signed"):
        assert a in actions
    # Flip one byte of the signed PDF: the package no longer verifies.
    tampered = rezip(data, signed_name, lambda b: b[:2000] + bytes([b[2000] ^ 1]) + b[2001:])
    assert not verify_package(tampered).ok
    # Edit an event record: detected too.
    edited = rezip(data, "events.jsonl", lambda b: b.replace(b"documents.signed", b"documents.sigxed", 1))
    assert not verify_package(edited).ok


def test_unsigned_case_with_ems_fallback_package(docs) -> None:  # type: ignore[no-untyped-def]
    """Seed 004: the dismissed employee never signs; the package shows sending, reminders and EMS proof."""
    res = services.send_request(
        docs.company, actor=docs.users["hr"], version=template_version(docs.company, "离职证明"),
        employees=[docs.employees["east_rep"]], channels=["email"], deadline_at=timezone.now() + dt.timedelta(days=5),
    )
    env = Envelope.objects.get(request=res.request)
    reminders.record_fallback(env, actor=docs.users["hr"], kind="ems", tracking_no="EM987654321CN",
                              scan=make_png(), scan_name="EMS签收.png", scan_type="image/png")
    data = packages.envelope_package(env, actor=docs.users["hr"])
    result = verify_package(data)
    assert result.ok, [(c.en, c.status, c.detail) for c in result.checks]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "documents/EMS签收.png" in names
