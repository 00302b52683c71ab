"""The monthly proof request by link: sent through the outbox on the former employee's channels, opened and
answered without an account; wrong type, too large and expired links refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _request(started: Any, seq: int = 1) -> tuple[Any, str]:
    from hrguard.noncompete import proofs

    month = started.months.select_related("agreement", "agreement__employee").get(seq=seq)
    token = proofs.issue_request(month)
    assert token
    return month, token


def test_the_proof_deadline_sends_a_link_through_the_outbox(world, started):
    from hrguard.deadlines import services as deadlines
    from hrguard.noncompete.models import ProofLink
    from hrguard.notify.models import OutboxMessage

    month = started.months.get(seq=1)
    deadlines.sweep(now=dt.datetime.combine(month.period_end, dt.time(12), tzinfo=timezone.get_current_timezone()))
    month.refresh_from_db()
    assert month.proof_state == "requested"
    assert ProofLink.objects.filter(month=month).count() == 1
    msgs = OutboxMessage.objects.filter(purpose="noncompete.proof", employee=started.employee)
    assert msgs.exists() and all("/noncompete-proof/" in m.link for m in msgs)
    assert {m.channel for m in msgs} <= {"sms", "email", "wecom", "dingtalk", "feishu"}


def test_upload_by_link_is_checked_hashed_and_evidence(world, started, client):
    import hashlib
    import json

    from hrguard.evidence.models import EvidenceEvent

    month, token = _request(started)
    page = client.get(f"/noncompete-proof/{token}/")
    assert page.status_code == 200 and "在职证明" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    resp = client.post(f"/noncompete-proof/{token}/upload/", {
        "kind": "employment", "file": SimpleUploadedFile("proof.png", PNG, content_type="image/png")})
    assert resp.status_code == 302
    month.refresh_from_db()
    assert month.proof_state == "answered"
    proof = month.proofs.get()
    assert proof.mime == "image/png" and proof.sha256 == hashlib.sha256(PNG).hexdigest()
    ev = EvidenceEvent.objects.get(action="noncompete.proof_received")
    assert json.loads(ev.record)["data"]["sha256"] == proof.sha256
    assert EvidenceEvent.objects.filter(action="noncompete.proof_opened").count() == 1


def test_wrong_type_is_refused(world, started, client):
    from hrguard.noncompete import proofs

    month, token = _request(started)
    with pytest.raises(ValidationError) as exc:
        proofs.upload_by_link(token=token, kind="employment", upload=("proof.pdf", b"<html><body>x</body></html>"))
    assert "file" in exc.value.message_dict
    with pytest.raises(ValidationError):
        proofs.upload_by_link(token=token, kind="employment", upload=("run.exe", b"MZ\x90\x00" * 20))
    resp = client.post(f"/noncompete-proof/{token}/upload/", {
        "kind": "employment", "file": SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")},
        follow=True)
    assert resp.status_code == 200 and not month.proofs.exists()
    assert "x.png" in resp.content.decode()


def test_too_large_is_refused(world, started):
    from hrguard.noncompete import proofs

    month, token = _request(started)
    big = PNG + b"\x00" * (proofs.MAX_PROOF_BYTES + 1)
    with pytest.raises(ValidationError) as exc:
        proofs.upload_by_link(token=token, kind="employment", upload=("big.png", big))
    assert "5 MB" in " ".join(exc.value.message_dict["file"])
    assert not month.proofs.exists()


def test_expired_or_wrong_link(world, started, client):
    from hrguard.noncompete import proofs
    from hrguard.noncompete.models import ProofLink

    month, token = _request(started)
    ProofLink.objects.filter(month=month).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(PermissionDenied):
        proofs.upload_by_link(token=token, kind="employment", upload=("p.png", PNG))
    assert client.get(f"/noncompete-proof/{token}/").status_code == 410
    assert client.post(f"/noncompete-proof/{token}/upload/", {"kind": "employment"}).status_code == 410
    assert client.get("/noncompete-proof/" + "x" * 32 + "/").status_code == 404
    assert not month.proofs.exists()


def test_released_months_need_no_proof(world, started):
    from hrguard.noncompete import actions, proofs

    month = started.months.select_related("agreement", "agreement__employee").get(seq=6)
    token = proofs.issue_request(month)
    actions.release(actor=world.users["hr"], agreement_id=started.pk, released_on=timezone.localdate(), reason="x",
                    channels=["email"])
    with pytest.raises(PermissionDenied):
        proofs.find_link(token)
    month.refresh_from_db()
    assert proofs.issue_request(month) is None
