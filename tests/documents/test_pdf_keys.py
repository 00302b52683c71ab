"""Company signing PKI: chain, subject, key usages, encrypted storage, PKCS#12 import."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from hrguard.platform.pdf.keys import (
    DOCUMENT_SIGNING_EKU,
    CompanyPKI,
    KeyLoadError,
    export_pem,
    export_pkcs12,
    generate_company_pki,
    load_pem,
    load_pem_files,
    load_pkcs12,
    save_pem_files,
)

COMPANY = "上海甲乙丙科技有限公司"
PASS = "正确的口令-correct horse"


def public_der(cert_or_key: object) -> bytes:
    return cert_or_key.public_key().public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_chain_is_issued_by_root(company_pki: CompanyPKI) -> None:
    signer, root = company_pki.signer, company_pki.root
    signer.cert.verify_directly_issued_by(root.cert)
    root.cert.verify_directly_issued_by(root.cert)
    assert signer.chain == (root.cert,)
    assert root.cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert signer.cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    years = (root.cert.not_valid_after_utc - root.cert.not_valid_before_utc).days / 365.25
    assert 9.9 < years < 10.1
    assert signer.cert.not_valid_after_utc <= root.cert.not_valid_after_utc


def test_subject_carries_company_name_as_utf8(company_pki: CompanyPKI) -> None:
    for cert in (company_pki.signer.cert, company_pki.root.cert):
        org = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        assert [a.value for a in org] == [COMPANY]
        # DER: UTF8String tag 0x0C, length, then the UTF-8 bytes of the name.
        encoded = COMPANY.encode("utf-8")
        assert bytes([0x0C, len(encoded)]) + encoded in cert.public_bytes(serialization.Encoding.DER)
    ident = company_pki.signer.cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)
    assert [a.value for a in ident] == ["91310000MA1FL8XQ3K"]
    assert COMPANY in company_pki.signer.subject


def test_signer_key_usages(company_pki: CompanyPKI) -> None:
    cert = company_pki.signer.cert
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical
    assert ku.value.digital_signature and ku.value.content_commitment
    assert not ku.value.key_cert_sign
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert DOCUMENT_SIGNING_EKU in eku and ExtendedKeyUsageOID.EMAIL_PROTECTION in eku
    assert cert.public_key().curve.name == "secp256r1"  # type: ignore[attr-defined]


def test_private_key_is_encrypted_at_rest(company_pki: CompanyPKI, tmp_path: Path) -> None:
    bundle = export_pem(company_pki.signer, PASS)
    assert bundle.key_pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(TypeError):  # cryptography refuses to load it without the passphrase
        serialization.load_pem_private_key(bundle.key_pem, password=None)
    folder = save_pem_files(company_pki.signer, tmp_path / "keys", PASS, stem="acme")
    key_file = folder / "acme.key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert b"ENCRYPTED" in key_file.read_bytes()
    loaded = load_pem_files(folder, PASS, stem="acme")
    assert public_der(loaded.key) == public_der(company_pki.signer.cert)
    assert loaded.cert == company_pki.signer.cert
    assert loaded.chain == (company_pki.root.cert,)


def test_wrong_passphrase_and_mismatched_key_are_refused(
    company_pki: CompanyPKI, other_pki: CompanyPKI
) -> None:
    bundle = export_pem(company_pki.signer, PASS)
    with pytest.raises(KeyLoadError):
        load_pem(bundle.key_pem, bundle.cert_pem, "wrong")
    other = export_pem(other_pki.signer, PASS)
    with pytest.raises(KeyLoadError, match="does not match"):
        load_pem(bundle.key_pem, other.cert_pem, PASS)
    with pytest.raises(ValueError, match="passphrase"):
        export_pem(company_pki.signer, "")


def test_pkcs12_import(company_pki: CompanyPKI) -> None:
    p12 = export_pkcs12(company_pki.signer, PASS)
    identity = load_pkcs12(p12, PASS)
    assert identity.cert == company_pki.signer.cert
    assert identity.chain == (company_pki.root.cert,)
    assert identity.root == company_pki.root.cert
    assert public_der(identity.key) == public_der(company_pki.signer.cert)
    with pytest.raises(KeyLoadError):
        load_pkcs12(p12, "wrong")
    with pytest.raises(KeyLoadError):
        load_pkcs12(b"not a pkcs12 file", PASS)


def test_each_company_gets_its_own_keys() -> None:
    a = generate_company_pki("甲公司")
    b = generate_company_pki("甲公司")
    assert public_der(a.signer.cert) != public_der(b.signer.cert)
    assert a.root.cert.serial_number != b.root.cert.serial_number
    with pytest.raises(ValueError):
        generate_company_pki("  ")
