"""From a pinned template version + frozen values to PDFs: original, signed (stamped and sealed)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.utils import timezone

from hrguard.platform.pdf.render import DocumentContent, SignatureBlock, content_digest, render_document
from hrguard.platform.pdf.seal import seal_pdf

from . import keystore, variables
from .models import Envelope, TemplateVersion

SEAL_FIELD = "CompanySeal"


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
                  company: Any) -> bytes:
    """Stamp the signature (image or typed name), signer name and time, then seal with the company key."""
    version = envelope.request.version
    block = SignatureBlock(
        label=version.signer_label, signer_name=envelope.employee.name,
        signed_at=timezone.localtime(signed_at), drawn_png=drawn_png, typed_name=typed_name or None,
    )
    pdf = render_document(envelope_content(envelope, block))
    return seal_pdf(
        pdf, keystore.company_identity(company), reason=f"{version.title}：{envelope.employee.name}已签署",
        location=company.city or "", field_name=SEAL_FIELD, timestamp_url=keystore.timestamp_url(),
        signer_name=company.name,
    )
