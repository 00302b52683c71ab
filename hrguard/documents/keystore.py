"""Each company's document-signing identity.

One identity per company seals signed PDFs and signs evidence checkpoints, so an evidence package
carries a single certificate chain. It is owned by ``hrguard.evidence.checkpoints.company_identity``
(encrypted PEM files under ``HRGUARD_KEYS_DIR/signing/``, or the ``HRGUARD_SIGNING_IDENTITY`` hook
for an administrator-supplied PKCS#12); this module only adapts it.
"""

from __future__ import annotations

from typing import Any

from cryptography import x509
from django.conf import settings

from hrguard.platform.pdf.keys import SigningIdentity


def company_identity(company: Any) -> SigningIdentity:
    from hrguard.evidence.checkpoints import company_identity as evidence_identity

    return evidence_identity(getattr(company, "pk", company))


def trust_roots(company: Any) -> list[x509.Certificate]:
    return [company_identity(company).root]


def timestamp_url() -> str | None:
    """RFC 3161 server for PAdES-B-T (``HRGUARD_TSA_URL``); none configured: PAdES-B-B."""
    return getattr(settings, "HRGUARD_TSA_URL", None) or None
