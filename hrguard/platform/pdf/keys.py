"""Company signing PKI: generate, store and load the keys that seal documents (no Django).

At setup a company gets a private root CA (EC P-256, 10 years) and a document-signing certificate
(EC P-256) issued by it. The company name goes into the subject as ``O=`` (UTF8String, so Chinese
names are fine). Keys are stored as PEM, the private key always encrypted with a passphrase. An
administrator may instead supply a PKCS#12 file from a commercial CA; :func:`load_pkcs12` reads it.

:func:`generate_tsa_pki` makes an RSA time-stamping authority for tests and demos: pyHanko's
``DummyTimeStamper`` only signs with RSA keys.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

# RFC 9336: id-kp-documentSigning.
DOCUMENT_SIGNING_EKU = ObjectIdentifier("1.3.6.1.5.5.7.3.36")

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class KeyLoadError(ValueError):
    """Key material could not be read (wrong passphrase, mismatched key/certificate, bad file)."""


@dataclass(frozen=True, eq=False)
class SigningIdentity:
    """A private key, its certificate and the issuing chain (leaf excluded, root last)."""

    key: PrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...] = field(default=())

    @property
    def subject(self) -> str:
        return self.cert.subject.rfc4514_string()

    @property
    def root(self) -> x509.Certificate:
        """The last certificate of the chain (the certificate itself when self-signed)."""
        return self.chain[-1] if self.chain else self.cert


@dataclass(frozen=True, eq=False)
class CompanyPKI:
    """Root CA plus the certificate that actually signs documents."""

    root: SigningIdentity
    signer: SigningIdentity


@dataclass(frozen=True)
class PemBundle:
    """PEM files for one identity. ``key_pem`` is encrypted; ``chain_pem`` holds the issuers."""

    key_pem: bytes
    cert_pem: bytes
    chain_pem: bytes


def _now(now: dt.datetime | None) -> dt.datetime:
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now


def _name(common_name: str, organization: str, org_identifier: str | None) -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
    ]
    if org_identifier:
        # e.g. the 18-character unified social credit code (统一社会信用代码).
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, org_identifier))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attrs)


def _ski(key: PrivateKey) -> x509.SubjectKeyIdentifier:
    return x509.SubjectKeyIdentifier.from_public_key(key.public_key())


def _key_usage(*, digital_signature: bool = False, content_commitment: bool = False,
               cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature, content_commitment=content_commitment,
        key_encipherment=False, data_encipherment=False, key_agreement=False,
        key_cert_sign=cert_sign, crl_sign=cert_sign, encipher_only=False, decipher_only=False,
    )


def _make_root(subject: x509.Name, key: PrivateKey, now: dt.datetime, years: int) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * years + years // 4))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(_ski(key), critical=False)
        .sign(key, hashes.SHA256())
    )


def _issue(
    subject: x509.Name, key: PrivateKey, issuer: SigningIdentity, now: dt.datetime, years: int,
    usage: x509.KeyUsage, eku: list[ObjectIdentifier], eku_critical: bool = False,
) -> x509.Certificate:
    not_after = min(now + dt.timedelta(days=365 * years), issuer.cert.not_valid_after_utc)
    return (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(issuer.cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage(eku), critical=eku_critical)
        .add_extension(_ski(key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
        .sign(issuer.key, hashes.SHA256())
    )


def generate_company_pki(
    company_name: str,
    *,
    org_identifier: str | None = None,
    now: dt.datetime | None = None,
    root_years: int = 10,
    signer_years: int = 3,
) -> CompanyPKI:
    """Create a root CA and a document-signing certificate for ``company_name``.

    The signing certificate has keyUsage digitalSignature + nonRepudiation (critical) and
    extendedKeyUsage documentSigning (RFC 9336) + emailProtection, non-critical. pyHanko accepts
    documentSigning alone, but poppler/NSS (pdfsig) rejects a certificate whose EKU lacks
    emailProtection ("Unknown issue with Certificate"), so both purposes are listed.
    ``org_identifier`` (e.g. the unified social credit code) goes into organizationIdentifier.
    """
    if not company_name.strip():
        raise ValueError("company_name is required")
    now = _now(now)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_cert = _make_root(_name(f"{company_name} 文档签章根证书", company_name, org_identifier),
                           root_key, now, root_years)
    root = SigningIdentity(root_key, root_cert)
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer_cert = _issue(
        _name(f"{company_name} 电子文档签章", company_name, org_identifier), signer_key, root, now,
        signer_years, _key_usage(digital_signature=True, content_commitment=True),
        [DOCUMENT_SIGNING_EKU, ExtendedKeyUsageOID.EMAIL_PROTECTION],
    )
    return CompanyPKI(root=root, signer=SigningIdentity(signer_key, signer_cert, (root_cert,)))


def generate_tsa_pki(name: str = "HRGuard Test TSA", *, now: dt.datetime | None = None) -> CompanyPKI:
    """An RSA-2048 root and a time-stamping certificate (EKU timeStamping, critical) — for tests."""
    now = _now(now)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = SigningIdentity(root_key, _make_root(_name(f"{name} Root", name, None), root_key, now, 10))
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_cert = _issue(
        _name(name, name, None), tsa_key, root, now, 5, _key_usage(digital_signature=True),
        [ExtendedKeyUsageOID.TIME_STAMPING], eku_critical=True,
    )
    return CompanyPKI(root=root, signer=SigningIdentity(tsa_key, tsa_cert, (root.cert,)))


def _pass_bytes(passphrase: str | bytes) -> bytes:
    data = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    if not data:
        raise ValueError("a non-empty passphrase is required to store a private key")
    return data


def _certs_pem(certs: tuple[x509.Certificate, ...] | list[x509.Certificate]) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def export_pem(identity: SigningIdentity, passphrase: str | bytes) -> PemBundle:
    """Serialise an identity; the private key is PKCS#8 encrypted with ``passphrase``."""
    key_pem = identity.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_pass_bytes(passphrase)),
    )
    return PemBundle(key_pem, _certs_pem([identity.cert]), _certs_pem(identity.chain))


def _check_pair(key: PrivateKey, cert: x509.Certificate) -> None:
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    enc = serialization.Encoding.DER
    if key.public_key().public_bytes(enc, fmt) != cert.public_key().public_bytes(enc, fmt):
        raise KeyLoadError("private key does not match the certificate")


def _as_signing_key(key: object) -> PrivateKey:
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise KeyLoadError(f"unsupported key type {type(key).__name__}; use EC or RSA")
    return key


def load_pem(
    key_pem: bytes, cert_pem: bytes, passphrase: str | bytes, chain_pem: bytes = b""
) -> SigningIdentity:
    """Inverse of :func:`export_pem`. Raises :class:`KeyLoadError` on a wrong passphrase or mismatch."""
    try:
        key = serialization.load_pem_private_key(key_pem, password=_pass_bytes(passphrase))
        cert = x509.load_pem_x509_certificate(cert_pem)
        chain = tuple(x509.load_pem_x509_certificates(chain_pem)) if chain_pem.strip() else ()
    except (ValueError, TypeError) as exc:
        raise KeyLoadError(f"cannot load key material: {exc}") from exc
    signing_key = _as_signing_key(key)
    _check_pair(signing_key, cert)
    return SigningIdentity(signing_key, cert, chain)


KEY_FILE = "{stem}.key.pem"
CERT_FILE = "{stem}.cert.pem"
CHAIN_FILE = "{stem}.chain.pem"


def save_pem_files(identity: SigningIdentity, directory: str | os.PathLike[str], passphrase: str | bytes,
                   stem: str = "signer") -> Path:
    """Write ``<stem>.key.pem`` (mode 0600, encrypted), ``<stem>.cert.pem`` and ``<stem>.chain.pem``."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    bundle = export_pem(identity, passphrase)
    key_path = folder / KEY_FILE.format(stem=stem)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(bundle.key_pem)
    (folder / CERT_FILE.format(stem=stem)).write_bytes(bundle.cert_pem)
    (folder / CHAIN_FILE.format(stem=stem)).write_bytes(bundle.chain_pem)
    return folder


def load_pem_files(
    directory: str | os.PathLike[str], passphrase: str | bytes, stem: str = "signer"
) -> SigningIdentity:
    folder = Path(directory)
    chain_path = folder / CHAIN_FILE.format(stem=stem)
    return load_pem(
        (folder / KEY_FILE.format(stem=stem)).read_bytes(),
        (folder / CERT_FILE.format(stem=stem)).read_bytes(),
        passphrase,
        chain_path.read_bytes() if chain_path.exists() else b"",
    )


def _order_chain(leaf: x509.Certificate, others: list[x509.Certificate]) -> tuple[x509.Certificate, ...]:
    """Follow issuer links from ``leaf`` through ``others``; certificates off the path are dropped."""
    chain: list[x509.Certificate] = []
    current = leaf
    pool = list(others)
    while current.issuer != current.subject:
        parent = next((c for c in pool if c.subject == current.issuer), None)
        if parent is None:
            break
        chain.append(parent)
        pool.remove(parent)
        current = parent
    return tuple(chain)


def load_pkcs12(data: bytes, passphrase: str | bytes | None) -> SigningIdentity:
    """Read an administrator-supplied PKCS#12 (.p12/.pfx) with key, certificate and CA chain."""
    password = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password or None)
    except (ValueError, TypeError) as exc:
        raise KeyLoadError(f"cannot read PKCS#12: {exc}") from exc
    if key is None or cert is None:
        raise KeyLoadError("PKCS#12 must contain a private key and its certificate")
    signing_key = _as_signing_key(key)
    _check_pair(signing_key, cert)
    return SigningIdentity(signing_key, cert, _order_chain(cert, list(extra)))


def export_pkcs12(identity: SigningIdentity, passphrase: str | bytes, friendly_name: str = "signer") -> bytes:
    """Bundle an identity as PKCS#12 (used by tests and to hand keys to other tools)."""
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode("utf-8"), identity.key, identity.cert, list(identity.chain) or None,
        serialization.BestAvailableEncryption(_pass_bytes(passphrase)),
    )
