"""From a pinned template version + frozen values to PDFs: original, signed (stamped and sealed)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from cryptography.hazmat.primitives.hashes import SHA256
from django.utils import timezone
from pyhanko.sign.timestamps import TimestampRequestError

from hrguard.platform.pdf.ca import EventCredential
from hrguard.platform.pdf.pades import LongTermData, VisibleField, document_timestamp, sign_pades
from hrguard.platform.pdf.render import (
    DocumentContent,
    SignatureBlock,
    content_digest,
    render_document,
    render_document_fields,
    render_signature_appearance,
)
from hrguard.platform.pdf.seal import SealError

from . import keystore, variables
from .models import Envelope, TemplateVersion

SEAL_FIELD = "CompanySeal"
EMPLOYEE_FIELD = "EmployeeSignature"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def build_content(version: TemplateVersion, values: dict[str, str], *, document_id: str, company_name: str,
                  issued_on: dt.date | None, signature: SignatureBlock | None = None) -> DocumentContent:
    return DocumentContent(
        title=variables.substitute(version.title, values),
        addressee=variables.substitute(version.addressee, values),
        paragraphs=paragraphs(variables.substitute(version.body, values)),
        document_id=document_id,
        company_name=company_name,
        issued_on=issued_on,
        seal_text=version.seal_text or None,
        signatures=(signature,) if signature is not None else (),
    )


def envelope_content(envelope: Envelope, signature: SignatureBlock | None = None) -> DocumentContent:
    version = envelope.request.version
    issued = envelope.values.get("_issued_on")
    return build_content(
        version, envelope.values, document_id=envelope.document_id,
        company_name=envelope.values.get("company_name", ""),
        issued_on=dt.date.fromisoformat(issued) if issued else None, signature=signature,
    )


def envelope_digest(envelope: Envelope) -> str:
    return content_digest(envelope_content(envelope))


def render_original(envelope: Envelope) -> bytes:
    version = envelope.request.version
    blank = SignatureBlock(label=version.signer_label, signer_name=envelope.employee.name)
    return render_document(envelope_content(envelope, blank))


def render_signed(envelope: Envelope, *, drawn_png: bytes | None, typed_name: str, signed_at: dt.datetime,
                  company: Any, credential: EventCredential) -> bytes:
    """The signed PDF: the employee's own PAdES signature (one-time key, event certificate), whose visible
    appearance is their drawn signature or typed name, then the company seal over it, in the same revision as
    the validation data (DSS: certificates, CRL, the employee signature's VRI); with a TSA both signatures are
    timestamped and a document timestamp closes the file (B-LTA)."""
    version = envelope.request.version
    name = envelope.employee.name
    block = SignatureBlock(label=version.signer_label, signer_name=name, signed_at=timezone.localtime(signed_at),
                           field=EMPLOYEE_FIELD)
    pdf, boxes = render_document_fields(envelope_content(envelope, block))
    box = boxes[0]
    appearance = render_signature_appearance(width=box.width, height=box.height, drawn_png=drawn_png,
                                             typed_name=typed_name or "")
    seal = keystore.company_identity(company)
    stamper = keystore.timestamper()
    try:
        tsa_roots = keystore.tsa_roots()
    except (TimestampRequestError, OSError, ValueError) as exc:
        raise SealError(f"time-stamping server: {exc}") from exc
    pdf = sign_pades(
        pdf, credential.identity, field_name=EMPLOYEE_FIELD, reason=f"{name}签署《{version.title}》",
        location=company.city or "", signer_name=name, timestamper=stamper,
        visible=VisibleField(box.page, box.box, appearance),
    )
    certs = [credential.identity.cert, *credential.identity.chain, *credential.trust_roots, seal.cert, *seal.chain,
             *tsa_roots]
    # The DSS (certificates, CRL, VRI of the employee's signature) goes into the seal's revision: one update.
    long_term = LongTermData(list({c.fingerprint(SHA256()): c for c in certs}.values()), credential.crls)
    pdf = sign_pades(
        pdf, keystore.seal_signer(company), field_name=SEAL_FIELD, reason=f"{version.title}：{name}已签署",
        location=company.city or "", signer_name=company.name, timestamper=stamper, long_term=long_term,
    )
    if stamper is None:
        return pdf
    # With a TSA the closing document timestamp's revision also gives the seal its VRI entry.
    return document_timestamp(pdf, stamper, long_term=long_term)
