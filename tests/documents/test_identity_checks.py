"""Identity checks per document kind (real-name 三要素 via the provider adapter, against a local fake server),
a retired signing CA, a TSA with a wrong clock, and an external CA behind the issuer interface."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from hrguard.documents import certificates, keystore, realname, signer
from hrguard.documents.models import DocumentFile, Envelope, EventCertificate, IdentityPolicy
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.offline.verify import verify_package
from hrguard.platform.pdf import ca
from hrguard.platform.pdf.keys import CompanyPKI
from tests.realname_server import FakeRegistry, serve_realname
from tests.tsa_server import serve_tsa

from .test_event_signatures import open_envelope, sign_one

pytestmark = pytest.mark.django_db


def events(env: Envelope, action: str) -> list[dict]:  # type: ignore[type-arg]
    rows = EvidenceEvent.objects.filter(action=action, subject_id=str(env.pk)).order_by("seq")
    return [json.loads(e.record)["data"] for e in rows]


@pytest.fixture
def registry(docs, settings) -> Iterator[FakeRegistry]:  # type: ignore[no-untyped-def]
    rep = docs.employees["east_rep"]
    reg = FakeRegistry(people={(rep.name, rep.id_number, rep.phone)})
    with serve_realname(reg) as url:
        settings.HRGUARD_REALNAME_URL = url
        settings.HRGUARD_REALNAME_APPCODE = reg.appcode
        yield reg


def require_realname(docs, kind: str = "separation_certificate") -> None:  # type: ignore[no-untyped-def]
    IdentityPolicy.objects.create(company=docs.company, kind=kind, realname=True)


def test_realname_match_signs_and_records_the_check(docs, registry) -> None:  # type: ignore[no-untyped-def]
    require_realname(docs)
    env, _signed = sign_one(docs)
    assert env.status == "signed"
    sent = registry.requests[-1]
    rep = docs.employees["east_rep"]
    assert sent == {"name": rep.name, "idcard": rep.id_number, "mobile": rep.phone,
                    "authorization": f"APPCODE {registry.appcode}"}
    checks = events(env, "documents.signed")[0]["identity_checks"]
    realname_check = next(c for c in checks if c["check"] == "realname")
    assert realname_check["result"] == "match" and realname_check["request_no"].startswith("T")
    assert realname_check["provider"] == "appcode-3elements"
    ev = EvidenceEvent.objects.get(action="documents.signed", subject_id=str(env.pk))
    assert rep.id_number not in ev.record and rep.phone not in ev.record


def test_realname_mismatch_refuses_and_records(docs, registry) -> None:  # type: ignore[no-untyped-def]
    require_realname(docs)
    rep = docs.employees["east_rep"]
    registry.people = {(rep.name, rep.id_number, "13900000000")}  # the carrier has another phone for this ID
    env = open_envelope(docs)
    with pytest.raises(signer.SigningError) as exc:
        signer.sign(env, verified=True, consent=True, typed_name=rep.name)
    assert exc.value.code == "realname"
    env.refresh_from_db()
    assert env.status != "signed" and not DocumentFile.objects.filter(envelope=env, kind="signed").exists()
    refused = events(env, "documents.sign_refused")
    assert refused[0]["reason"] == "realname"
    assert refused[0]["identity_checks"][1]["result"] == "mismatch"
    assert EventCertificate.objects.filter(envelope=env).count() == 0


def test_realname_provider_error_refuses(docs, registry) -> None:  # type: ignore[no-untyped-def]
    require_realname(docs)
    registry.appcode = "rotated"  # our AppCode no longer accepted: an error, not a verdict
    env = open_envelope(docs)
    with pytest.raises(signer.SigningError):
        signer.sign(env, verified=True, consent=True, typed_name="张测试")
    assert events(env, "documents.sign_refused")[0]["identity_checks"][1]["result"] == "error"


def test_policy_is_per_kind_and_an_unconfigured_provider_is_skipped(docs, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HRGUARD_REALNAME_URL = None
    require_realname(docs, kind="")  # company default: real-name for every kind
    env, _ = sign_one(docs)
    checks = events(env, "documents.signed")[0]["identity_checks"]
    assert checks[1] == {"check": "realname", "result": "skipped", "reason": "no provider configured"}
    IdentityPolicy.objects.create(company=docs.company, kind="separation_certificate", realname=False)
    env, _ = sign_one(docs, key="sales_rep")
    assert events(env, "documents.signed")[0]["identity_checks"][1]["result"] == "not_required"
    assert realname.configured_provider() is None


def test_retired_ca_signs_nothing_new_but_old_packages_verify(docs, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from hrguard.documents import packages

    env, _ = sign_one(docs)
    with django_capture_on_commit_callbacks(execute=True):
        certificates.revoke_signing_ca(actor=docs.users["hr"], company_id=docs.company.pk, reason="密钥疑似泄露")
    assert keystore.ca_revoked_at(docs.company) is not None
    other = open_envelope(docs, "sales_rep")
    with pytest.raises(signer.SigningError) as exc:
        signer.sign(other, verified=True, consent=True, typed_name="欧阳娜娜")
    assert exc.value.code == "ca"
    assert events(other, "documents.sign_refused")[0]["reason"] == "ca"
    try:
        result = verify_package(packages.envelope_package(env, actor=docs.users["hr"]))
        assert result.ok, [(c.en, c.status, c.detail) for c in result.checks]
    finally:  # the keys directory outlives the test database: do not leave this company id's CA retired
        keystore.unretire_ca_for_tests(docs.company)


def test_expired_ca_issues_nothing() -> None:
    old = ca.generate_signing_ca("甲公司", now=dt.datetime(2010, 1, 1, tzinfo=dt.UTC), years=10)
    local = ca.LocalCA(old)
    with pytest.raises(ca.CAUnavailable):
        ca.issue_event_credential(local, ca.SignerSubject("张三", "ab" * 32))


def test_tsa_clock_skew_refuses_signing(docs, settings, tsa_pki: CompanyPKI) -> None:  # type: ignore[no-untyped-def]
    skewed = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
    with serve_tsa(tsa_pki.signer, fixed_dt=skewed) as url:
        settings.HRGUARD_TSA_URL = url
        env = open_envelope(docs)
        with pytest.raises(signer.SigningError) as exc:
            signer.sign(env, verified=True, consent=True, typed_name="张测试")
    # A clear reason: the clock difference in seconds and the limit; recorded as a refusal, nothing signed.
    assert exc.value.code == "tsa_clock"
    assert "108" in exc.value.message and "300" in exc.value.message
    refused = events(env, "documents.sign_refused")
    assert refused[-1]["reason"] == "tsa_clock" and "clock is off" in refused[-1]["detail"]
    env.refresh_from_db()
    assert env.status != "signed" and not DocumentFile.objects.filter(envelope=env, kind="signed").exists()


class ExternalCA:
    """Stands in for a commercial CA's adapter: another CA, reached only through the issuer interface."""

    root = ca.generate_signing_ca("外部电子认证服务机构")

    def __init__(self, company: object) -> None:
        self.local = ca.LocalCA(self.root)

    def issue(self, csr, *, now):  # type: ignore[no-untyped-def]
        return self.local.issue(csr, now=now)

    def trust_roots(self):  # type: ignore[no-untyped-def]
        return [self.root.cert]

    def crls(self, now):  # type: ignore[no-untyped-def]
        return self.local.crls(now)


def test_external_ca_adapter_issues_the_event_certificate(docs, settings) -> None:  # type: ignore[no-untyped-def]
    from hrguard.platform.pdf.seal import verify_pdf

    settings.HRGUARD_SIGNING_CA_ISSUER = "tests.documents.test_identity_checks.ExternalCA"
    env, signed = sign_one(docs)
    row = EventCertificate.objects.get(envelope=env)
    assert "外部电子认证服务机构" in row.issuer
    report = verify_pdf(signed, keystore.trust_roots(docs.company))
    assert report.ok and report.signatures[0].signer_common_name == "张测试"


def test_revoke_command(docs) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import CommandError, call_command

    env, _ = sign_one(docs)
    row = EventCertificate.objects.get(envelope=env)
    with pytest.raises(CommandError, match="没有这个证书序列号"):
        call_command("revoke_certificate", user=docs.users["hr"].username, serial="abc", reason="测试")
    with pytest.raises(CommandError, match="may not"):
        call_command("revoke_certificate", user=docs.users["finance"].username, serial=row.serial, reason="测试")
    call_command("revoke_certificate", user=docs.users["hr"].username, serial=row.serial, reason="冒名签署")
    row.refresh_from_db()
    assert row.revoked_at is not None and row.revocation_reason == "冒名签署"
