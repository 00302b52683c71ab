"""What the evidence package carries for the verifier, and what verify-package concludes: an external CA's
CRL, the TSA judged against trusted roots ("untrusted TSA" otherwise), and an expired signing CA."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from cryptography import x509

from hrguard.documents import packages, signer
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.offline.verify import main as verify_main
from hrguard.evidence.offline.verify import verify_package

from .test_event_signatures import open_envelope, sign_one
from .test_identity_checks import ExternalCA

pytestmark = pytest.mark.django_db


def signature_lines(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [i for i in result.info if i.startswith("签名 Signature:") and "-signed.pdf" in i]


@pytest.fixture
def tsa(settings, tsa_url):  # type: ignore[no-untyped-def]
    settings.HRGUARD_TSA_URL = tsa_url
    return tsa_url


def test_external_ca_crl_is_packed_and_used(docs, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HRGUARD_SIGNING_CA_ISSUER = "tests.documents.test_identity_checks.ExternalCA"
    env, _signed = sign_one(docs)
    data = packages.envelope_package(env, actor=docs.users["hr"])
    files = zipfile.ZipFile(io.BytesIO(data)).namelist()
    crl_name = next(n for n in files if n.endswith("signing-ca.crl"))
    crl = x509.load_der_x509_crl(zipfile.ZipFile(io.BytesIO(data)).read(crl_name))
    assert crl.issuer == ExternalCA.root.cert.subject
    assert crl.is_signature_valid(ExternalCA.root.cert.public_key())
    result = verify_package(data)
    assert result.ok, [(c.en, c.status, c.detail) for c in result.checks]
    assert all("status 状态 valid" in line for line in signature_lines(result))


def test_tsa_is_untrusted_without_a_trusted_root(docs, tsa) -> None:  # type: ignore[no-untyped-def]
    env, _signed = sign_one(docs)
    data = packages.envelope_package(env, actor=docs.users["hr"])
    result = verify_package(data)
    assert result.ok  # the signatures are intact; the TSA's word is what is not trusted
    lines = signature_lines(result)
    assert len(lines) == 2 and all("untrusted TSA" in line for line in lines), lines
    assert any("untrusted TSA" in i and "no trusted TSA root configured" in i for i in result.info)


def test_tsa_trusted_by_the_verifiers_roots_or_the_configured_ones(docs, tsa, tsa_pki, settings, tmp_path,
                                                                    capsys) -> None:  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives.serialization import Encoding

    env, _signed = sign_one(docs)
    data = packages.envelope_package(env, actor=docs.users["hr"])
    ours = verify_package(data, tsa_roots=[tsa_pki.root.cert])
    assert all("(trusted TSA" in line for line in signature_lines(ours))
    assert not any("untrusted TSA" in i for i in ours.info)
    # The verifier's own roots win over what the package carries: another root makes the TSA untrusted.
    stranger = ca_root()
    assert all("untrusted TSA" in line for line in signature_lines(verify_package(data, tsa_roots=[stranger])))
    # Configured at the company: the package carries the roots (certs/tsa-roots.pem) and the verifier uses them.
    pem = tmp_path / "tsa-roots.pem"
    pem.write_bytes(tsa_pki.root.cert.public_bytes(Encoding.PEM))
    settings.HRGUARD_TSA_ROOTS = str(pem)
    data = packages.envelope_package(env, actor=docs.users["hr"])
    assert "certs/tsa-roots.pem" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert all("(trusted TSA" in line for line in signature_lines(verify_package(data)))
    # The command line: --tsa-roots FILE.
    pkg = tmp_path / "p.zip"
    pkg.write_bytes(data)
    assert verify_main([str(pkg), "--tsa-roots", str(pem)]) == 0
    assert "trusted TSA 时间戳机构可信" in capsys.readouterr().out
    assert verify_main([str(pkg), "--tsa-roots"]) == 2


def ca_root() -> x509.Certificate:
    from hrguard.platform.pdf.ca import generate_signing_ca

    return generate_signing_ca("别的机构").cert


def test_expired_ca_signs_nothing_new_but_old_packages_verify(docs) -> None:  # type: ignore[no-untyped-def]
    env, _signed = sign_one(docs)
    data = packages.envelope_package(env, actor=docs.users["hr"])
    eleven_years = dt.datetime.now(dt.UTC) + dt.timedelta(days=11 * 365)
    other = open_envelope(docs, "sales_rep")
    with pytest.raises(signer.SigningError) as exc:
        signer.sign(other, verified=True, consent=True, typed_name="欧阳娜娜", now=eleven_years)
    assert exc.value.code == "ca"
    refused = [json.loads(e.record)["data"] for e in EvidenceEvent.objects.filter(
        action="documents.sign_refused", subject_id=str(other.pk))]
    assert refused and refused[-1]["reason"] == "ca" and "expired" in refused[-1]["detail"]
    later = verify_package(data, at=eleven_years)
    assert later.ok, [(c.en, c.status, c.detail) for c in later.checks]
    assert all("expired" in line for line in signature_lines(later))
