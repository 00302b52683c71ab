"""Signatures that belong to the signer (issue 13): the employee's own PAdES signature with a one-time key and
an event certificate from the company signing CA, then the company seal; timestamps, DSS and a document
timestamp; checked with pyHanko, poppler's pdfsig and the offline package verifier, also years later."""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from hrguard.documents import certificates, keystore, packages, services, signer
from hrguard.documents.models import DocumentFile, Envelope, EventCertificate
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.offline.verify import verify_package
from hrguard.platform.pdf import ca
from hrguard.platform.pdf.poppler import pdfsig_report_bytes
from hrguard.platform.pdf.seal import verify_pdf

from .conftest import last_code, template_version

pytestmark = pytest.mark.django_db
FIELDS = ["EmployeeSignature", "CompanySeal"]


def open_envelope(docs, key: str = "east_rep") -> Envelope:  # type: ignore[no-untyped-def]
    res = services.send_request(
        docs.company, actor=docs.users["hr"], version=template_version(docs.company, "离职证明"),
        employees=[docs.employees[key]], channels=["email"], deadline_at=timezone.now() + dt.timedelta(days=5),
    )
    env = signer.find(res.tokens[docs.employees[key].pk])
    signer.mark_opened(env)
    signer.send_code(env, "email")
    assert signer.verify_code(env, last_code(env)).ok
    return env


def sign_one(docs, key: str = "east_rep", **kwargs):  # type: ignore[no-untyped-def]
    env = open_envelope(docs, key)
    name = docs.employees[key].name
    signer.sign(env, verified=True, consent=True, **(kwargs or {"typed_name": name}))
    return Envelope.objects.get(pk=env.pk), bytes(DocumentFile.objects.get(envelope=env, kind="signed").data)


def data_of(event: EvidenceEvent) -> dict:  # type: ignore[type-arg]
    return json.loads(event.record)["data"]  # type: ignore[no-any-return]


def flip(data: bytes, at: int = 2000) -> bytes:
    return data[:at] + bytes([data[at] ^ 1]) + data[at + 1:]


@pytest.fixture
def tsa(settings, tsa_url):  # type: ignore[no-untyped-def]
    settings.HRGUARD_TSA_URL = tsa_url
    return tsa_url


def test_two_signatures_the_signers_own_then_the_seal(docs, tsa, tsa_pki, signature_png) -> None:  # type: ignore[no-untyped-def]
    env, signed = sign_one(docs, drawn_png=signature_png)
    report = verify_pdf(signed, keystore.trust_roots(docs.company), timestamp_roots=[tsa_pki.root.cert])
    assert report.ok, report
    assert [s.field_name for s in report.signatures] == FIELDS
    employee, seal = report.signatures
    assert employee.signer_common_name == "张测试" and seal.signer_common_name.endswith("电子文档签章")
    assert employee.timestamp_valid and seal.timestamp_valid
    # The event certificate: subject = name + salted hash of the ID number (never the number itself).
    row = EventCertificate.objects.get(envelope=env)
    id_number = docs.employees["east_rep"].id_number
    event = EvidenceEvent.objects.get(action="documents.signed", subject_id=str(env.pk))
    salt = data_of(event)["id_hash_salt"]
    assert row.id_hash == ca.id_number_hash(id_number, bytes.fromhex(salt))
    assert id_number not in event.record and id_number.encode() not in signed
    assert data_of(event)["certificate"]["serial"] == row.serial
    assert data_of(event)["identity_checks"][0] == {"check": "otp", "result": "passed"}
    reader = PdfFileReader(BytesIO(signed), strict=False)
    sigs = list(reader.embedded_regular_signatures)
    cert = x509.load_der_x509_certificate(sigs[0].signer_cert.dump())
    assert cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == row.id_hash
    assert f"{cert.serial_number:x}" == row.serial
    assert cert.issuer == keystore.signing_ca(docs.company).cert.subject
    assert cert.not_valid_after_utc - cert.not_valid_before_utc <= ca.EVENT_CERT_VALIDITY + dt.timedelta(minutes=5)
    # The drawn signature is the visible appearance of the employee's field (a rectangle with its own
    # appearance stream), not part of the page.
    field = sigs[0].sig_field
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    assert x2 - x1 > 100 and y2 - y1 > 20 and "/AP" in field
    # Long-term validation data and a closing document timestamp (B-LTA).
    dss = reader.root["/DSS"]
    assert len(dss["/Certs"]) >= 3 and len(dss["/CRLs"]) >= 1 and len(dss["/VRI"]) >= 2
    assert len(list(reader.embedded_timestamp_signatures)) == 1


def test_pdfsig_two_valid_signatures_and_a_changed_byte_breaks_both(docs, tsa) -> None:  # type: ignore[no-untyped-def]
    _env, signed = sign_one(docs)
    report = pdfsig_report_bytes(signed)
    regular = [s for s in report.signatures if s.field_name in FIELDS]
    assert [s.field_name for s in regular] == FIELDS, report.output
    assert all(s.signature_valid for s in regular), report.output
    assert regular[0].signer_common_name == "张测试"
    broken = pdfsig_report_bytes(flip(signed))  # inside the first revision: both signatures cover it
    regular = [s for s in broken.signatures if s.field_name in FIELDS]
    assert len(regular) == 2 and not any(s.signature_valid for s in regular), broken.output
    assert all(s.signature_validation == "Digest Mismatch." for s in regular)
    result = verify_pdf(flip(signed), keystore.trust_roots(docs.company))
    assert [s.intact for s in result.signatures] == [False, False]


def test_package_reports_each_signature_and_verifies_after_expiry(docs, tsa) -> None:  # type: ignore[no-untyped-def]
    env, _signed = sign_one(docs)
    data = packages.envelope_package(env, actor=docs.users["hr"])
    result = verify_package(data)
    assert result.ok, [(c.en, c.status, c.detail) for c in result.checks]
    lines = [i for i in result.info if i.startswith("签名 Signature:") and "-signed.pdf" in i]
    assert len(lines) == 2
    row = EventCertificate.objects.get(envelope=env)
    assert "signer 签署人 张测试" in lines[0] and f"serial {row.serial}" in lines[0]
    assert "intact 完好 yes" in lines[0] and "timestamp 时间戳 none" not in lines[0]
    assert "status 状态 valid" in lines[0] and "status 状态 valid" in lines[1]
    # Four years on, the one-hour event certificate and the 3-year seal certificate have expired; the
    # embedded validation data still shows both were valid when the timestamps were made.
    later = verify_package(data, at=dt.datetime.now(dt.UTC) + dt.timedelta(days=4 * 365))
    assert later.ok, [(c.en, c.status, c.detail) for c in later.checks]
    lines = [i for i in later.info if i.startswith("签名 Signature:") and "-signed.pdf" in i]
    assert all("expired" in line and "valid when signed" in line for line in lines), lines
    broken = verify_package(_rezip(data, f"documents/{env.document_id}-signed.pdf", flip))
    assert not broken.ok


def test_pyhanko_validates_at_the_timestamp_years_later(docs, tsa, tsa_pki) -> None:  # type: ignore[no-untyped-def]
    """pyHanko's own validator, with the validation time frozen four years ahead: the certificates have
    expired; validating at the signature timestamp with the embedded CRLs (hard-fail) they are good."""
    from asn1crypto import crl as asn1_crl
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _env, signed = sign_one(docs)
    reader = PdfFileReader(BytesIO(signed), strict=False)
    dss = reader.root["/DSS"]
    others = [asn1_x509.Certificate.load(r.get_object().data) for r in dss["/Certs"]]
    crls = [asn1_crl.CertificateList.load(r.get_object().data) for r in dss["/CRLs"]]
    roots = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER))
             for c in (*keystore.trust_roots(docs.company), tsa_pki.root.cert)]
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=4 * 365)
    for sig in reader.embedded_regular_signatures:
        late = ValidationContext(trust_roots=roots, other_certs=others, crls=crls, allow_fetching=False, moment=future)
        status = validate_pdf_signature(sig, late, late)
        assert status.intact and status.valid and not status.trusted  # expired by then
        ts_time = status.timestamp_validity.timestamp
        at_ts = ValidationContext(trust_roots=roots, other_certs=others, crls=crls, allow_fetching=False,
                                  moment=ts_time, revocation_mode="hard-fail", retroactive_revinfo=True)
        assert validate_pdf_signature(sig, at_ts, at_ts).bottom_line, sig.field_name


def test_revoked_certificate_is_on_the_crl_and_the_verifier_says_so(docs, tsa, client) -> None:  # type: ignore[no-untyped-def]
    env, _signed = sign_one(docs)
    row = EventCertificate.objects.get(envelope=env)
    assert verify_package(packages.envelope_package(env, actor=docs.users["hr"])).ok
    with pytest.raises(PermissionDenied):
        certificates.revoke_certificate(actor=docs.users["finance"], company_id=docs.company.pk, serial=row.serial,
                                        reason="冒用")
    certificates.revoke_certificate(actor=docs.users["hr"], company_id=docs.company.pk, serial=row.serial,
                                    reason="员工报告签署时手机被他人使用")
    assert EvidenceEvent.objects.filter(action="documents.certificate_revoked", subject_id=str(env.pk)).exists()
    resp = client.get(f"/sign/crl/{docs.company.pk}.crl")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pkix-crl"
    crl = x509.load_der_x509_crl(resp.content)
    assert crl.is_signature_valid(keystore.signing_ca(docs.company).cert.public_key())
    assert crl.get_revoked_certificate_by_serial_number(int(row.serial, 16)) is not None
    result = verify_package(packages.envelope_package(env, actor=docs.users["hr"]))
    assert not result.ok
    assert result.first_failure is not None and "revoked" in result.first_failure.detail
    assert client.get("/sign/crl/999999.crl").status_code == 404


def test_missing_or_invalid_id_number_is_refused_before_signing(docs, client) -> None:  # type: ignore[no-untyped-def]
    from hrguard.people.models import Employee

    rep = docs.employees["east_rep"]
    for value in ("", "110105199003071234"):  # none on file; a wrong check digit
        Employee.objects.filter(pk=rep.pk).update(id_number=rep.id_number)
        env = open_envelope(docs)  # sent while the ID number was fine; HR has since cleared or mistyped it
        Employee.objects.filter(pk=rep.pk).update(id_number=value)
        env = Envelope.objects.select_related("employee", "request__version__template", "company").get(pk=env.pk)
        with pytest.raises(signer.SigningError) as exc:
            signer.sign(env, verified=True, consent=True, typed_name="张测试")
        assert exc.value.code == "id_number"
        env.refresh_from_db()
        assert env.status != "signed" and not DocumentFile.objects.filter(envelope=env, kind="signed").exists()
        refused = EvidenceEvent.objects.filter(action="documents.sign_refused", subject_id=str(env.pk)).get()
        assert data_of(refused)["reason"] == "id_number"
        assert data_of(refused)["id_number"] == ("missing" if not value else "invalid")
        assert EventCertificate.objects.filter(envelope=env).count() == 0
        assert "身份证号" in exc.value.message or "ID number" in exc.value.message


def test_signing_page_names_the_id_problem_in_chinese(docs, client) -> None:  # type: ignore[no-untyped-def]
    from hrguard.people.models import Employee

    rep = docs.employees["east_rep"]
    res = services.send_request(
        docs.company, actor=docs.users["hr"], version=template_version(docs.company, "离职证明"),
        employees=[rep], channels=["email"], deadline_at=timezone.now() + dt.timedelta(days=5),
    )
    Employee.objects.filter(pk=rep.pk).update(id_number="")
    token = res.tokens[rep.pk]
    client.get(f"/sign/{token}/")
    client.post(f"/sign/{token}/code/", {"channel": "email"})
    env = Envelope.objects.get(request=res.request)
    client.post(f"/sign/{token}/verify/", {"code": last_code(env)})
    page = client.get(f"/sign/{token}/").content.decode()
    assert 'data-testid="sign-blocker"' in page and "您的身份证号尚未登记" in page and 'id="sign-form"' not in page
    resp = client.post(f"/sign/{token}/sign/", {"mode": "typed", "typed_name": "张测试", "consent": "yes"})
    assert resp.status_code == 400 and "您的身份证号尚未登记" in resp.content.decode()


def _rezip(data: bytes, name: str, change) -> bytes:  # type: ignore[no-untyped-def]
    import zipfile

    src = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, change(body) if info.filename == name else body)
    return out.getvalue()
