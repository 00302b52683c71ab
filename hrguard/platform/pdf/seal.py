"""PAdES signing and verification of PDFs with pyHanko (no Django).

* :func:`seal_pdf` adds one PAdES signature as an incremental update: PAdES-B-B without a
  timestamper, PAdES-B-T with one (an RFC 3161 server URL, or any pyHanko ``TimeStamper`` such as
  ``DummyTimeStamper`` in tests). Earlier signatures stay valid, so an employee signature followed
  by the company seal is two calls. The signer's certificate chain is embedded.
* :func:`verify_pdf` checks every signature against the given trust roots and reports, per
  signature, integrity, trust, coverage, signer, signing time and timestamp. A signature is judged
  by pyHanko's ``bottom_line`` and ``intact`` — never by ``valid`` alone, which stays true after the
  signed bytes are altered.

pyHanko's synchronous API runs its own event loop: call these from plain (sync) code or a worker
thread, not from inside a running asyncio loop.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import fasthex
from .keys import SigningIdentity

fasthex.install()


class SealError(RuntimeError):
    """The PDF could not be signed (unreadable input, field already signed, TSA failure...)."""


def _to_asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def make_signer(identity: SigningIdentity) -> signers.SimpleSigner:
    """A pyHanko signer for ``identity``; build it once and reuse it for many documents."""
    key_der = identity.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=_to_asn1_cert(identity.cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([_to_asn1_cert(c) for c in identity.chain]),
    )


def make_timestamper(identity: SigningIdentity) -> TimeStamper:
    """An in-process RFC 3161 timestamper backed by ``identity`` (RSA only) — for tests and demos.

    Its tokens are real and verifiable against the identity's root; production uses a TSA URL.
    """
    from pyhanko.sign.timestamps import DummyTimeStamper

    key_der = identity.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return DummyTimeStamper(
        tsa_cert=_to_asn1_cert(identity.cert),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key_der),
        certs_to_embed=SimpleCertificateStore.from_certs([_to_asn1_cert(c) for c in identity.chain]),
    )


def seal_pdf(
    pdf_bytes: bytes,
    signer: SigningIdentity | signers.Signer,
    reason: str,
    location: str,
    field_name: str,
    timestamp_url: str | None = None,
    timestamper: TimeStamper | None = None,
    *,
    signer_name: str | None = None,
    contact_info: str | None = None,
    timestamp_timeout: float = 10.0,
) -> bytes:
    """Sign ``pdf_bytes`` in a new invisible signature field ``field_name`` and return the new PDF.

    The original bytes are kept unchanged at the start of the output (incremental update), so any
    signature already present remains verifiable. ``timestamp_url`` (an RFC 3161 endpoint) or
    ``timestamper`` adds a signature timestamp (PAdES-B-T); give at most one of them.
    """
    if timestamp_url and timestamper:
        raise ValueError("give timestamp_url or timestamper, not both")
    if not field_name or "." in field_name:
        raise ValueError("field_name must be a non-empty name without dots")
    pyhanko_signer = make_signer(signer) if isinstance(signer, SigningIdentity) else signer
    ts = timestamper
    if timestamp_url:
        ts = RequestsHTTPTimeStamper(timestamp_url, timeout=timestamp_timeout)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason or None,
        location=location or None,
        name=signer_name,
        contact_info=contact_info,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
        for name, value, _ref in fields.enumerate_sig_fields(writer.prev, filled_status=None):
            if name == field_name and value is not None:
                raise SealError(f"signature field {field_name!r} is already signed")
        try:
            out = signers.sign_pdf(writer, meta, signer=pyhanko_signer, timestamper=ts,
                                   bytes_reserved=_reserve(pyhanko_signer, ts is not None))
        except SigningError as exc:
            if "larger than expected" not in str(exc):
                raise
            # Our reservation was too small (unusually long chain or TSA token): let pyHanko
            # measure with a dry-run signature instead.
            writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
            out = signers.sign_pdf(writer, meta, signer=pyhanko_signer, timestamper=ts)
    except SealError:
        raise
    except (PdfError, OSError, ValueError, TimestampRequestError, SigningError) as exc:
        raise SealError(f"cannot sign PDF: {exc}") from exc
    return out.getvalue()


# Room for the CMS container besides the certificates (signature, signed attributes, and for a
# timestamp the TSA's token with its own certificates). Reserving it up front spares pyHanko a
# dry-run signature (~25 ms); if it ever falls short, seal_pdf retries with pyHanko's estimate.
_CMS_OVERHEAD = 4096
_TIMESTAMP_OVERHEAD = 12288


def _reserve(signer: signers.Signer, with_timestamp: bool) -> int | None:
    cert = getattr(signer, "signing_cert", None)
    registry = getattr(signer, "cert_registry", None)
    if cert is None or registry is None:
        return None
    size = len(cert.dump()) + sum(len(c.dump()) for c in registry) + _CMS_OVERHEAD
    if with_timestamp:
        size += _TIMESTAMP_OVERHEAD
    return 2 * size  # hexadecimal characters in the /Contents string


@dataclass(frozen=True)
class SignatureReport:
    """Outcome for one signature. ``ok`` is the judgement to rely on."""

    field_name: str
    intact: bool
    """The signed byte ranges hash to the digest inside the signature."""
    valid: bool
    """The cryptographic signature over the signed attributes checks out (NOT tamper evidence)."""
    trusted: bool
    """The signer's certificate chains to one of the trust roots."""
    bottom_line: bool
    """pyHanko's overall judgement: intact, valid, trusted, timestamp ok, allowed modifications."""
    coverage: str
    """``ENTIRE_FILE``, ``ENTIRE_REVISION`` (later incremental updates exist) or weaker levels."""
    covers_whole_file: bool
    modification_level: str | None
    """For ENTIRE_REVISION: what later updates did (e.g. ``FORM_FILLING`` for another signature)."""
    docmdp_ok: bool | None
    signer_subject: str
    signer_common_name: str | None
    signer_organization: str | None
    signing_time: dt.datetime | None
    """Time claimed by the signer (not proof); see ``timestamp_time`` for the TSA's time."""
    timestamp_present: bool
    timestamp_valid: bool | None
    timestamp_time: dt.datetime | None
    later_changes_allowed: bool
    """True when the signature covers the whole file, or later updates are only allowed ones."""

    @property
    def ok(self) -> bool:
        return self.bottom_line and self.intact and self.later_changes_allowed

    @property
    def only_validation_data_after(self) -> bool:
        return self.coverage == "ENTIRE_REVISION" and self.modification_level == "LTA_UPDATES" \
            and self.docmdp_ok is not False


@dataclass(frozen=True)
class VerificationResult:
    signatures: tuple[SignatureReport, ...]
    error: str | None = None
    """Set when the PDF could not be parsed or a signature could not be evaluated at all."""

    @property
    def covers_whole_file(self) -> bool:
        """Some signature covers the whole file, or all that follows the last one is long-term validation
        data (DSS, document timestamps — pyHanko's difference analysis says ``LTA_UPDATES``)."""
        return any(s.covers_whole_file or s.only_validation_data_after for s in self.signatures)

    @property
    def ok(self) -> bool:
        """Every signature is good and the newest one covers every byte of the file."""
        return (
            self.error is None
            and bool(self.signatures)
            and all(s.ok for s in self.signatures)
            and self.covers_whole_file
        )


def _name_attr(name: asn1_x509.Name, key: str) -> str | None:
    value = name.native.get(key)
    if isinstance(value, list):
        value = value[-1]
    return str(value) if value is not None else None


# Changes a later signature is allowed to make without invalidating an earlier approval signature.
_ALLOWED_LATER = {"NONE", "LTA_UPDATES", "FORM_FILLING"}


def _report(field_name: str, status: object) -> SignatureReport:
    coverage = status.coverage  # type: ignore[attr-defined]
    level = status.modification_level  # type: ignore[attr-defined]
    level_name = level.name if level is not None else None
    cert = status.signing_cert  # type: ignore[attr-defined]
    ts = status.timestamp_validity  # type: ignore[attr-defined]
    whole = coverage == SignatureCoverageLevel.ENTIRE_FILE
    return SignatureReport(
        field_name=field_name,
        intact=bool(status.intact),  # type: ignore[attr-defined]
        valid=bool(status.valid),  # type: ignore[attr-defined]
        trusted=bool(status.trusted),  # type: ignore[attr-defined]
        bottom_line=bool(status.bottom_line),  # type: ignore[attr-defined]
        coverage=coverage.name if coverage is not None else "UNKNOWN",
        covers_whole_file=whole,
        modification_level=level_name,
        docmdp_ok=status.docmdp_ok,  # type: ignore[attr-defined]
        signer_subject=cert.subject.human_friendly if cert is not None else "",
        signer_common_name=_name_attr(cert.subject, "common_name") if cert is not None else None,
        signer_organization=_name_attr(cert.subject, "organization_name") if cert is not None else None,
        signing_time=status.signer_reported_dt,  # type: ignore[attr-defined]
        timestamp_present=ts is not None,
        timestamp_valid=bool(ts.valid and ts.intact and ts.trusted) if ts is not None else None,
        timestamp_time=ts.timestamp if ts is not None else None,
        later_changes_allowed=whole or (
            coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and level_name in _ALLOWED_LATER
            and status.docmdp_ok is not False  # type: ignore[attr-defined]
        ),
    )


def verify_pdf(
    pdf_bytes: bytes,
    trust_roots: list[x509.Certificate] | tuple[x509.Certificate, ...],
    *,
    timestamp_roots: list[x509.Certificate] | tuple[x509.Certificate, ...] | None = None,
) -> VerificationResult:
    """Validate every signature in ``pdf_bytes`` offline (no fetching of CRLs/OCSP/certificates).

    ``trust_roots`` anchor signer certificates; ``timestamp_roots`` anchor TSA certificates and
    default to ``trust_roots``. Never raises for a damaged PDF: the problem is in ``error``.
    """
    roots = [_to_asn1_cert(c) for c in trust_roots]
    ts_roots = [_to_asn1_cert(c) for c in timestamp_roots] if timestamp_roots is not None else roots
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except (PdfError, OSError, ValueError, KeyError, IndexError) as exc:
        return VerificationResult((), error=f"unreadable PDF: {exc}")
    if not embedded:
        return VerificationResult((), error="no signature found")
    reports: list[SignatureReport] = []
    usage = KeyUsageConstraints(
        key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
    )
    for sig in embedded:
        signer_ctx = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        ts_ctx = ValidationContext(trust_roots=ts_roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(sig, signer_ctx, ts_ctx, key_usage_settings=usage)
        except (PdfError, OSError, ValueError, KeyError, IndexError) as exc:
            return VerificationResult(tuple(reports), error=f"signature {sig.field_name!r}: {exc}")
        reports.append(_report(sig.field_name, status))
    return VerificationResult(tuple(reports))
