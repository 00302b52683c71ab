"""PAdES signatures with a visible appearance and long-term validation data (no Django).

:func:`sign_pades` adds one signature as an incremental update (earlier signatures stay valid):

* ``visible``: a new signature field at a rectangle of a page whose appearance is a one-page PDF (e.g. the
  signer's drawn or typed signature rendered by typst) — the signature *is* what the page shows there;
* ``validation``: the certificates and CRLs a validator needs years later go into the document security
  store (DSS, with a VRI entry for the signature) — PAdES B-LT;
* ``archive_timestamp`` with a timestamper: a document timestamp over everything after it — PAdES B-LTA;
* ``long_term`` (:class:`LongTermData`, certificates and CRLs the caller already holds): the DSS, with a VRI
  entry for every signature already in the file, goes into the *same* revision as the new signature — the
  fast path for signer + seal: no separate update, no path validation, no re-reading of the signatures.

pyHanko's synchronous API runs its own event loop: call from plain (sync) code.
"""

from __future__ import annotations

import binascii
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO

from asn1crypto import crl as asn1_crl
from cryptography import x509
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext

from .keys import SigningIdentity
from .seal import SealError, _reserve, _to_asn1_cert, make_signer


class _NoFetchNotice(logging.Filter):
    """pyHanko warns on every signing that validation data is embedded without fetching — by design here
    (everything it needs is handed over in :class:`Validation`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_NoFetchNotice())


class _PdfBytesPage(PdfContent):
    """The first page of a PDF given as bytes, imported as a form XObject (pyHanko's ImportedPdfPage
    reads a file name)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        super().__init__()

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobj = writer.import_page_as_xobject(PdfFileReader(BytesIO(self.data), strict=False), page_ix=0)
        name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[name.decode("ascii")] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return name + b" Do"


@dataclass(frozen=True)
class VisibleField:
    """Where the signature shows: ``page`` (0-based), ``box`` (x1, y1, x2, y2 in PDF points from the
    bottom left) and the appearance (a one-page PDF, scaled into the box)."""

    page: int
    box: tuple[float, float, float, float]
    appearance_pdf: bytes


@dataclass(frozen=True)
class LongTermData:
    """Certificates and DER CRLs for the DSS, known up front (nothing is fetched or validated here)."""

    certs: Sequence[x509.Certificate]
    crls: Sequence[bytes] = field(default=())


def _supply_dss(writer: IncrementalPdfFileWriter, data: LongTermData) -> None:
    """Add ``data`` to the DSS in ``writer``'s pending revision, with a VRI entry per signature already in the
    file (the VRI key is the SHA-1 of a signature's ``/Contents``, read straight from its dictionary)."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko.sign.validation.pdf_embedded import extract_contents

    certs = [_to_asn1_cert(c) for c in data.certs]
    crls = [asn1_crl.CertificateList.load(d) for d in data.crls]
    try:
        have = set(writer.prev.root["/DSS"]["/VRI"].keys())
    except KeyError:
        have = set()
    # A VRI entry once written must stay as it is (pyHanko's diff analysis flags a changed one), so only
    # signatures without an entry get one.
    contents = [extract_contents(value.get_object())
                for _name, value, _ref in fields.enumerate_sig_fields(writer.prev, filled_status=True)]
    todo = [c for c in contents if DocumentSecurityStore.sig_content_identifier(c) not in have]
    for sig_contents in todo or [None]:
        DocumentSecurityStore.supply_dss_in_writer(writer, sig_contents, certs=certs, crls=crls)


@dataclass(frozen=True)
class Validation:
    """What the DSS receives: trust anchors, intermediate certificates, DER CRLs."""

    trust_roots: Sequence[x509.Certificate]
    other_certs: Sequence[x509.Certificate] = field(default=())
    crls: Sequence[bytes] = field(default=())

    def context(self) -> ValidationContext:
        return ValidationContext(
            trust_roots=[_to_asn1_cert(c) for c in self.trust_roots],
            other_certs=[_to_asn1_cert(c) for c in self.other_certs],
            crls=[asn1_crl.CertificateList.load(d) for d in self.crls],
            allow_fetching=False, revocation_mode="soft-fail",
        )


def _style(visible: VisibleField) -> StaticStampStyle:
    return StaticStampStyle(
        background=_PdfBytesPage(visible.appearance_pdf), border_width=0, background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(x_align=_align("MID"), y_align=_align("MID"),
                                              margins=Margins.uniform(0)),
    )


def _align(name: str):  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils.layout import AxisAlignment

    return AxisAlignment[f"ALIGN_{name}"]


def sign_pades(
    pdf_bytes: bytes,
    signer: SigningIdentity | signers.Signer,
    *,
    field_name: str,
    reason: str = "",
    location: str = "",
    signer_name: str | None = None,
    timestamper: TimeStamper | None = None,
    visible: VisibleField | None = None,
    validation: Validation | None = None,
    archive_timestamp: bool = False,
    long_term: LongTermData | None = None,
) -> bytes:
    """Sign ``pdf_bytes`` in a new field ``field_name`` (see the module docstring); returns the new PDF."""
    if not field_name or "." in field_name:
        raise ValueError("field_name must be a non-empty name without dots")
    if archive_timestamp and (timestamper is None or validation is None):
        raise ValueError("a document timestamp needs a timestamper and validation data")
    pyhanko_signer = make_signer(signer) if isinstance(signer, SigningIdentity) else signer
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason or None, location=location or None, name=signer_name,
        md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=validation is not None,
        validation_context=validation.context() if validation is not None else None,
        use_pades_lta=archive_timestamp,
    )
    spec = None
    if visible is not None:
        spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=visible.page, box=visible.box)
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
        for name, value, _ref in fields.enumerate_sig_fields(writer.prev, filled_status=None):
            if name == field_name and value is not None:
                raise SealError(f"signature field {field_name!r} is already signed")
        if long_term is not None:
            _supply_dss(writer, long_term)
        pdf_signer = signers.PdfSigner(
            meta, signer=pyhanko_signer, timestamper=timestamper,
            stamp_style=_style(visible) if visible is not None else None, new_field_spec=spec,
        )
        reserve = _reserve(pyhanko_signer, timestamper is not None)
        try:
            out = pdf_signer.sign_pdf(writer, bytes_reserved=reserve)
        except SigningError as exc:
            if "larger than expected" not in str(exc):
                raise
            writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
            if long_term is not None:
                _supply_dss(writer, long_term)
            out = pdf_signer.sign_pdf(writer)
    except SealError:
        raise
    except (PdfError, OSError, ValueError, TimestampRequestError, SigningError) as exc:
        raise SealError(f"cannot sign PDF: {exc}") from exc
    return out.getvalue()


def add_validation_data(pdf_bytes: bytes, *, certs: Sequence[x509.Certificate], crls: Sequence[bytes],
                        timestamper: TimeStamper | None = None) -> bytes:
    """One incremental update with the DSS (``certs`` and DER ``crls``, a VRI entry per signature) — PAdES
    B-LT from data the caller already holds, without pyHanko's path validation at signing — then, with a
    timestamper, a document timestamp over the whole file (B-LTA)."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    asn1_certs = [_to_asn1_cert(c) for c in certs]
    asn1_crls = [asn1_crl.CertificateList.load(d) for d in crls]
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
        for sig in writer.prev.embedded_regular_signatures:
            DocumentSecurityStore.supply_dss_in_writer(writer, sig.pkcs7_content, certs=asn1_certs,
                                                       crls=asn1_crls)
        out = BytesIO()
        writer.write(out)
        if timestamper is None:
            return out.getvalue()
        writer = IncrementalPdfFileWriter(out, strict=False)
        stamped = signers.PdfTimeStamper(timestamper).timestamp_pdf(writer, "sha256", bytes_reserved=16384)
        return stamped.getvalue()  # type: ignore[no-any-return]
    except (PdfError, OSError, ValueError, TimestampRequestError, SigningError) as exc:
        raise SealError(f"cannot add validation data: {exc}") from exc


def document_timestamp(pdf_bytes: bytes, timestamper: TimeStamper, *, long_term: LongTermData | None = None) -> bytes:
    """A document timestamp over the whole file as one incremental update (closes PAdES B-LTA); with
    ``long_term`` the same update first gives every signature in the file its DSS/VRI entry."""
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
        if long_term is not None:
            _supply_dss(writer, long_term)
        stamped = signers.PdfTimeStamper(timestamper).timestamp_pdf(writer, "sha256", bytes_reserved=16384)
        return stamped.getvalue()  # type: ignore[no-any-return]
    except (PdfError, OSError, ValueError, TimestampRequestError, SigningError) as exc:
        raise SealError(f"cannot add the document timestamp: {exc}") from exc
