"""The company signing CA: per-signing event certificates and their revocation list (no Django).

Every signing by an employee gets its own key pair, created in memory, used for that one PDF signature and
then dropped (never serialised): Electronic Signature Law Art. 13 asks that the creation data belonged to
and was controlled by the signer alone. The public key is certified by an *event certificate* whose
subject is the signer's name (CN) and a salted hash of their ID number (serialNumber) — never the ID
number itself. Certificates are issued by the company's signing CA (:func:`generate_signing_ca`, a
self-signed EC P-256 CA stored like the company identity, key encrypted at rest) through the
:class:`CertificateIssuer` interface, so an external (commercial) CA can take its place: the key stays
here, only a CSR goes out. :class:`LocalCA` is the company CA behind that interface.

Revocation: :func:`build_crl` makes the CA's CRL (X.509 v2, signed by the CA); event certificates name
the URL HRGuard serves it at (CRL distribution point) and the signer embeds the CRL in the PDF's DSS.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .keys import DOCUMENT_SIGNING_EKU, SigningIdentity, _key_usage, _now, _ski

EVENT_CERT_VALIDITY = dt.timedelta(hours=1)
"""Event certificates live one hour: long enough for one signing, short enough to be worthless after."""
CRL_VALIDITY = dt.timedelta(days=7)
CA_YEARS = 10


class CAUnavailable(RuntimeError):
    """The CA may not issue (expired, revoked, or too close to its end for a new certificate)."""


def generate_signing_ca(company_name: str, *, org_identifier: str | None = None,
                        now: dt.datetime | None = None, years: int = CA_YEARS) -> SigningIdentity:
    """A self-signed CA (EC P-256) that issues the company's event certificates and signs its CRL."""
    if not company_name.strip():
        raise ValueError("company_name is required")
    now = _now(now)
    key = ec.generate_private_key(ec.SECP256R1())
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
             x509.NameAttribute(NameOID.ORGANIZATION_NAME, company_name)]
    if org_identifier:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, org_identifier))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, f"{company_name} 电子签名证书颁发机构"))
    name = x509.Name(attrs)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * years + years // 4))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(_ski(key), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SigningIdentity(key, cert)


def normalize_id_number(id_number: str) -> str:
    return "".join(id_number.split()).upper()


def id_number_hash(id_number: str, salt: bytes) -> str:
    """``HMAC-SHA256(salt, ID number)`` in hex: the certificate's serialNumber attribute.

    The salt (random per signing) is recorded in the evidence log, so whoever holds the real ID number
    (the employee's ID card shown at arbitration) can recompute the hash; the certificate alone does
    not reveal the number."""
    return hmac.new(salt, normalize_id_number(id_number).encode(), hashlib.sha256).hexdigest()


def new_salt() -> bytes:
    return secrets.token_bytes(16)


@dataclass(frozen=True)
class SignerSubject:
    """Who the event certificate is for."""

    name: str
    id_hash: str
    organization: str = ""


def subject_name(subject: SignerSubject) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if subject.organization:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, subject.organization))
    attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, subject.id_hash))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, subject.name))
    return x509.Name(attrs)


@dataclass(frozen=True)
class IssuedCertificate:
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    """Issuers of ``cert``, root last."""


class CertificateIssuer(Protocol):
    """A CA that certifies a signer's public key. Implemented by :class:`LocalCA`; an external CA adapter
    sends the CSR to its service and returns what it issued."""

    def issue(self, csr: x509.CertificateSigningRequest, *, now: dt.datetime) -> IssuedCertificate: ...

    def trust_roots(self) -> list[x509.Certificate]: ...

    def crls(self, now: dt.datetime) -> list[bytes]:
        """DER CRLs covering the issued certificates (embedded in the PDF for long-term validation)."""
        ...


class LocalCA:
    """The company's own signing CA.

    ``crl_url`` goes into every certificate's CRL distribution point; ``revoked`` gives the serial
    numbers (and revocation times) the CRL lists; ``revoked_ca`` set means the CA was retired: no
    further certificates."""

    def __init__(self, ca: SigningIdentity, *, crl_url: str = "",
                 revoked: Iterable[tuple[int, dt.datetime]] = (), revoked_ca: dt.datetime | None = None,
                 validity: dt.timedelta = EVENT_CERT_VALIDITY) -> None:
        self.ca = ca
        self.crl_url = crl_url
        self.revoked = list(revoked)
        self.revoked_ca = revoked_ca
        self.validity = validity
        self._crl: tuple[dt.datetime, bytes] | None = None

    def check_usable(self, now: dt.datetime) -> None:
        if self.revoked_ca is not None:
            raise CAUnavailable("the company signing CA has been revoked")
        if self.ca.cert.not_valid_after_utc < now + self.validity:
            raise CAUnavailable("the company signing CA has expired")
        if self.ca.cert.not_valid_before_utc > now:
            raise CAUnavailable("the company signing CA is not valid yet")

    def issue(self, csr: x509.CertificateSigningRequest, *, now: dt.datetime) -> IssuedCertificate:
        now = _now(now)
        self.check_usable(now)
        if not csr.is_signature_valid:
            raise ValueError("the certificate request's signature does not verify")
        builder = (
            x509.CertificateBuilder()
            .subject_name(csr.subject).issuer_name(self.ca.cert.subject).public_key(csr.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + self.validity)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
            # emailProtection as well: poppler/NSS rejects a certificate whose EKU lacks it (see keys.py).
            .add_extension(x509.ExtendedKeyUsage([DOCUMENT_SIGNING_EKU, ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(csr.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca.key.public_key()),
                           critical=False)
        )
        if self.crl_url:
            point = x509.DistributionPoint([x509.UniformResourceIdentifier(self.crl_url)], None, None, None)
            builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
        return IssuedCertificate(builder.sign(self.ca.key, hashes.SHA256()), (self.ca.cert,))

    def trust_roots(self) -> list[x509.Certificate]:
        return [self.ca.cert]

    def crls(self, now: dt.datetime) -> list[bytes]:
        if self._crl is None or self._crl[0] > now or now - self._crl[0] > dt.timedelta(minutes=10):
            # One CRL serves a batch of signings (it is re-issued at most every 10 minutes).
            self._crl = (now, build_crl(self.ca, self.revoked, now=now))
        return [self._crl[1]]


def build_crl(ca: SigningIdentity, revoked: Iterable[tuple[int, dt.datetime]], *,
              now: dt.datetime | None = None, validity: dt.timedelta = CRL_VALIDITY) -> bytes:
    """The CA's CRL (DER) listing ``revoked`` (serial, revocation time)."""
    now = _now(now)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(now + validity)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
        .add_extension(x509.CRLNumber(int(now.timestamp() * 1000)), critical=False)
    )
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True, eq=False)
class EventCredential:
    """A one-time signing identity: the in-memory key, its event certificate, and what validates it."""

    identity: SigningIdentity
    trust_roots: tuple[x509.Certificate, ...]
    crls: tuple[bytes, ...]

    @property
    def serial(self) -> int:
        return self.identity.cert.serial_number


def issue_event_credential(issuer: CertificateIssuer, subject: SignerSubject, *,
                           now: dt.datetime | None = None) -> EventCredential:
    """Create a key pair in memory, have ``issuer`` certify it, and return the credential.

    The private key exists only inside the returned object: the caller signs once and drops it."""
    now = _now(now)
    key = ec.generate_private_key(ec.SECP256R1())
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject_name(subject)).sign(key, hashes.SHA256())
    issued = issuer.issue(csr, now=now)
    return EventCredential(SigningIdentity(key, issued.cert, issued.chain), tuple(issuer.trust_roots()),
                           tuple(issuer.crls(now)))


def serial_hex(serial: int) -> str:
    return f"{serial:x}"
