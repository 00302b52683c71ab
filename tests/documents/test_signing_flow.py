"""Signing services: send, open, one-time code, sign (seal), decline, download, link misuse."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hrguard.documents import services, signer
from hrguard.documents.models import CodeChallenge, DocumentFile, Envelope, EnvelopeStatus
from hrguard.evidence.models import EvidenceEvent
from hrguard.platform.pdf.poppler import extract_text, squash_whitespace
from hrguard.platform.pdf.seal import verify_pdf

from .conftest import last_code, template_version

pytestmark = pytest.mark.django_db


def send_certificate(world, channels=("email", "inapp")):  # type: ignore[no-untyped-def]
    version = template_version(world.company, "离职证明")
    res = services.send_request(
        world.company, actor=world.users["hr"], version=version, employees=[world.employees["east_rep"]],
        channels=list(channels), deadline_at=timezone.now() + dt.timedelta(days=10),
    )
    env = Envelope.objects.get(request=res.request)
    return env, res.tokens[env.employee_id]


def actions(env: Envelope) -> list[str]:
    return list(EvidenceEvent.objects.filter(subject_type="documents.envelope", subject_id=str(env.pk))
                .order_by("seq").values_list("action", flat=True))


def verified_envelope(world):  # type: ignore[no-untyped-def]
    env, token = send_certificate(world)
    env = signer.find(token)
    signer.mark_opened(env)
    signer.send_code(env, "email")
    assert signer.verify_code(env, last_code(env)).ok
    return env, token


def test_full_flow_signs_and_seals(docs, signature_png) -> None:  # type: ignore[no-untyped-def]
    env, token = send_certificate(docs)
    assert env.original_sha256 and env.content_sha256
    original = DocumentFile.objects.get(envelope=env, kind="original")
    text = squash_whitespace(extract_text(bytes(original.data)))
    for expected in ("离职证明", "张测试", "客户经理", "2026年11月30日", "6年10个月", "2020年1月6日至2027年1月5日"):
        assert expected in text
    env = signer.find(token)
    signer.mark_opened(env)
    sent = signer.send_code(env, "inapp")  # 张测试 has an account: the code is in the HRGuard inbox
    assert sent.ok and sent.state == "delivered" and sent.channel == "inapp"
    ch = CodeChallenge.objects.get(envelope=env)
    code = last_code(env)
    assert code not in ch.code_hash and len(ch.destination_hash) == 64
    assert signer.verify_code(env, code).ok
    signer.sign(env, verified=True, consent=True, drawn_png=signature_png)
    env.refresh_from_db()
    assert env.status == EnvelopeStatus.SIGNED and env.signature_kind == "drawn"
    signed = bytes(DocumentFile.objects.get(envelope=env, kind="signed").data)
    assert services.pdfs.sha256(signed) == env.signed_sha256
    report = verify_pdf(signed, services.pdfs.keystore.trust_roots(docs.company))
    assert report.ok, report
    signed_text = squash_whitespace(extract_text(signed))
    assert "签署人：张测试" in signed_text and "签署时间" in signed_text
    acts = actions(env)
    for a in ("documents.sent", "documents.rendered", "documents.opened", "documents.code_sent",
              "documents.verified", "documents.signed"):
        assert a in acts, a
    ev = EvidenceEvent.objects.filter(action="documents.signed", subject_id=str(env.pk)).get()
    assert env.original_sha256 in ev.record and env.signed_sha256 in ev.record
    # Second attempt: a clear message, nothing changes.
    with pytest.raises(signer.SigningError) as exc:
        signer.sign(env, verified=True, consent=True, typed_name="张测试")
    assert exc.value.code == "final"
    assert "already" in exc.value.message or "已" in exc.value.message
    name, data = signer.download(env)
    assert data == signed and name.endswith("-signed.pdf")
    assert actions(env)[-1] == "documents.downloaded"


def test_typed_name_must_match(docs) -> None:  # type: ignore[no-untyped-def]
    env, _ = verified_envelope(docs)
    with pytest.raises(signer.SigningError):
        signer.sign(env, verified=True, consent=True, typed_name="李四")
    with pytest.raises(signer.SigningError):
        signer.sign(env, verified=True, consent=False, typed_name="张测试")
    with pytest.raises(signer.SigningError):
        signer.sign(env, verified=False, consent=True, typed_name="张测试")
    signer.sign(env, verified=True, consent=True, typed_name=" 张 测试 ")
    env.refresh_from_db()
    assert env.status == EnvelopeStatus.SIGNED and env.signature_kind == "typed"


def test_wrong_codes_lock(docs) -> None:  # type: ignore[no-untyped-def]
    env, token = send_certificate(docs)
    env = signer.find(token)
    signer.send_code(env, "email")
    good = last_code(env)
    bad = "000000" if good != "000000" else "111111"
    for i in range(signer.MAX_FAILED - 1):
        res = signer.verify_code(env, bad)
        assert not res.ok and res.remaining == signer.MAX_FAILED - 1 - i
    res = signer.verify_code(env, bad)
    assert not res.ok and res.remaining == 0
    env.refresh_from_db()
    assert env.locked_at is not None
    with pytest.raises(signer.SigningError) as exc:
        signer.verify_code(env, good)  # even the right code is refused once locked
    assert exc.value.code == "locked"
    with pytest.raises(signer.SigningError):
        signer.send_code(env, "email")
    assert actions(env).count("documents.code_failed") == signer.MAX_FAILED
    signer.unlock(env, docs.users["hr"])
    env.refresh_from_db()
    assert env.locked_at is None


def test_expired_code_and_resend_rate(docs) -> None:  # type: ignore[no-untyped-def]
    env, token = send_certificate(docs)
    env = signer.find(token)
    t0 = timezone.now()
    signer.send_code(env, "email", now=t0)
    code = last_code(env)
    with pytest.raises(signer.SigningError) as exc:
        signer.send_code(env, "email", now=t0 + dt.timedelta(seconds=10))
    assert exc.value.code == "rate"
    res = signer.verify_code(env, code, now=t0 + signer.CODE_TTL + dt.timedelta(seconds=1))
    assert not res.ok
    assert "expired" in res.message.lower() or "过期" in res.message
    signer.send_code(env, "email", now=t0 + dt.timedelta(seconds=61))
    assert last_code(env)  # a new code was queued
    env.refresh_from_db()
    assert signer.verify_code(env, last_code(env), now=t0 + dt.timedelta(seconds=70)).ok


def test_expired_link(docs) -> None:  # type: ignore[no-untyped-def]
    env, token = send_certificate(docs)
    env = signer.find(token)
    with pytest.raises(signer.SigningError) as exc:
        signer.check_not_expired(env, now=env.expires_at + dt.timedelta(seconds=1))
    assert exc.value.code == "expired"
    env.refresh_from_db()
    assert env.status == EnvelopeStatus.EXPIRED and "documents.expired" in actions(env)
    with pytest.raises(signer.SigningError):
        signer.send_code(env, "email")


def test_unknown_and_forwarded_link(docs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(signer.SigningError):
        signer.find("not-a-token")
    env, token = send_certificate(docs)
    # The token is stored only hashed.
    assert Envelope.objects.filter(token_hash=token).count() == 0
    assert len(token) >= 32
    env = signer.find(token)
    # Someone holding a forwarded link cannot sign without the code sent to the employee.
    with pytest.raises(signer.SigningError) as exc:
        signer.sign(env, verified=False, consent=True, typed_name="张测试")
    assert exc.value.code == "unverified"
    assert not signer.verify_code(env, "123456").ok  # no code requested → refused and recorded


def test_decline(docs) -> None:  # type: ignore[no-untyped-def]
    env, _ = verified_envelope(docs)
    with pytest.raises(signer.SigningError):
        signer.decline(env, verified=True, reason="  ")
    signer.decline(env, verified=True, reason="对离职日期有异议")
    env.refresh_from_db()
    assert env.status == EnvelopeStatus.DECLINED and env.decline_reason == "对离职日期有异议"
    with pytest.raises(signer.SigningError) as exc:
        signer.sign(env, verified=True, consent=True, typed_name="张测试")
    assert exc.value.code == "final"
    assert "documents.declined" in actions(env)


def test_signed_pdf_is_timestamped_when_tsa_configured(docs, tsa_url, tsa_pki, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HRGUARD_TSA_URL = tsa_url
    env, _ = verified_envelope(docs)
    signer.sign(env, verified=True, consent=True, typed_name="张测试")
    signed = bytes(DocumentFile.objects.get(envelope=env, kind="signed").data)
    report = verify_pdf(signed, services.pdfs.keystore.trust_roots(docs.company), timestamp_roots=[tsa_pki.root.cert])
    assert report.ok and report.signatures[0].timestamp_present and report.signatures[0].timestamp_valid
    ev = EvidenceEvent.objects.get(action="documents.signed", subject_id=str(env.pk))
    assert '"timestamped":true' in ev.record


def test_the_signers_own_steps_are_theirs_on_the_timeline(docs, client_for) -> None:  # type: ignore[no-untyped-def]
    """Through the signing link no account is signed in: the employee timeline and the envelope page name
    the employee (本人), never 系统; steps the system did (rendering) stay the system's."""
    import re

    from django.urls import reverse

    env, _token = verified_envelope(docs)
    signer.sign(env, verified=True, consent=True, typed_name="张测试")
    hr = client_for(docs.users["hr"])
    html = hr.get(reverse("evidence:employee_timeline", args=[env.employee_id])).content.decode()
    rows = dict(re.findall(r'<tr data-action="([a-z_.]+)">(.*?)</tr>', html, re.S))
    for action in ("documents.opened", "documents.code_sent", "documents.verified", "documents.signed"):
        assert "张测试（本人）" in rows[action], action
    assert "（本人）" not in rows["documents.rendered"] and "系统" in rows["documents.rendered"]
    page = hr.get(reverse("documents:envelope_detail", args=[env.pk])).content.decode()
    assert page.count("张测试（本人）") >= 4
