"""Each company's signing keys: the document seal identity and the signing CA for event certificates.

The seal identity (one per company) seals signed PDFs and signs evidence checkpoints, so an evidence
package carries a single certificate chain. It is owned by ``hrguard.evidence.checkpoints.company_identity``
(encrypted PEM files under ``HRGUARD_KEYS_DIR/signing/``, or the ``HRGUARD_SIGNING_IDENTITY`` hook for an
administrator-supplied PKCS#12); this module only adapts it.

The signing CA (``platform.pdf.ca``) issues the per-signing event certificates of employees. It is stored
the same way, next to the seal identity: ``HRGUARD_KEYS_DIR/signing/company-<id>/ca/`` (key encrypted with
the same passphrase), created on first use; a ``revoked`` file there retires it (no new signing).
``HRGUARD_SIGNING_CA_ISSUER`` may name a callable ``(company) -> CertificateIssuer`` — an external CA
adapter — instead.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import secrets
import shutil
import threading
from pathlib import Path
from typing import Any

from asn1crypto import tsp
from cryptography import x509
from django.conf import settings
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

from hrguard.platform.pdf import ca as ca_mod
from hrguard.platform.pdf.keys import SigningIdentity, load_pem_files, save_pem_files

MAX_TSA_SKEW = dt.timedelta(minutes=5)
"""A timestamp whose time differs from ours by more than this is refused (TSA or server clock wrong)."""

_cas: dict[tuple[str, int], SigningIdentity] = {}
_lock = threading.Lock()


def company_identity(company: Any) -> SigningIdentity:
    from hrguard.evidence.checkpoints import company_identity as evidence_identity

    return evidence_identity(getattr(company, "pk", company))


_seal_signers: dict[int, tuple[SigningIdentity, Any]] = {}


def seal_signer(company: Any) -> Any:
    """pyHanko's signer for the company seal, built once per identity (a batch of signings reuses it)."""
    from hrguard.platform.pdf.seal import make_signer

    identity = company_identity(company)
    company_id = getattr(company, "pk", company)
    with _lock:
        cached = _seal_signers.get(company_id)
        if cached is None or cached[0] is not identity:
            cached = _seal_signers[company_id] = (identity, make_signer(identity))
    return cached[1]


def trust_roots(company: Any) -> list[x509.Certificate]:
    return [company_identity(company).root, *signing_ca_roots(company)]


def timestamp_url() -> str | None:
    """RFC 3161 server for PAdES-B-T (``HRGUARD_TSA_URL``); none configured: PAdES-B-B."""
    return getattr(settings, "HRGUARD_TSA_URL", None) or None


def _ca_folder(company_id: int) -> tuple[Path, bytes]:
    from hrguard.evidence.checkpoints import signing_keys_dir

    base, passphrase = signing_keys_dir()
    return base / f"company-{company_id}" / "ca", passphrase


def signing_ca(company: Any, *, now: dt.datetime | None = None) -> SigningIdentity:
    """The company's signing CA, created on first use (valid from ``now``, default the present: a company
    seeded with a year of signed history, like the demo, creates it from the history's start)."""
    company_id = getattr(company, "pk", company)
    company_identity(company_id)  # the company folder and passphrase exist first
    folder, passphrase = _ca_folder(company_id)
    key = (str(folder), company_id)
    with _lock:
        cached = _cas.get(key)
        if cached is None:
            if not (folder / "ca.cert.pem").exists():
                _create_ca(folder, passphrase, company_id, now)
            cached = load_pem_files(folder, passphrase, stem="ca")
            _cas[key] = cached
    return cached


def _create_ca(folder: Path, passphrase: bytes, company_id: int, now: dt.datetime | None = None) -> None:
    from hrguard.core.models import Company

    name = Company.objects.only("name").get(pk=company_id).name
    tmp = folder.parent / f"ca.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    save_pem_files(ca_mod.generate_signing_ca(name, now=now), tmp, passphrase, stem="ca")
    try:
        tmp.rename(folder)
    except OSError:  # another process created it first
        shutil.rmtree(tmp, ignore_errors=True)


def signing_ca_roots(company: Any) -> list[x509.Certificate]:
    """The CA certificates the company's event certificates chain to (for packages and verification)."""
    hook = getattr(settings, "HRGUARD_SIGNING_CA_ISSUER", None)
    if hook:
        from django.utils.module_loading import import_string

        return list(import_string(hook)(company).trust_roots())
    return [signing_ca(company).cert]


def ca_revoked_at(company: Any) -> dt.datetime | None:
    folder, _pass = _ca_folder(getattr(company, "pk", company))
    marker = folder / "revoked"
    if not marker.exists():
        return None
    return dt.datetime.fromisoformat(marker.read_text().strip())


def retire_ca(company: Any, now: dt.datetime) -> None:
    """Mark the company CA revoked: it issues no further certificates (see ``services.revoke_signing_ca``)."""
    folder, _pass = _ca_folder(getattr(company, "pk", company))
    signing_ca(company)
    (folder / "revoked").write_text(now.isoformat())


def unretire_ca_for_tests(company: Any) -> None:
    folder, _pass = _ca_folder(getattr(company, "pk", company))
    (folder / "revoked").unlink(missing_ok=True)


def crl_url(company: Any) -> str:
    base = getattr(settings, "HRGUARD_PUBLIC_URL", "").rstrip("/")
    return f"{base}/sign/crl/{getattr(company, 'pk', company)}.crl"


def issuer(company: Any, revoked: list[tuple[int, dt.datetime]]) -> ca_mod.CertificateIssuer:
    """The CA that certifies employees' one-time keys (external adapter if configured)."""
    hook = getattr(settings, "HRGUARD_SIGNING_CA_ISSUER", None)
    if hook:
        from django.utils.module_loading import import_string

        return import_string(hook)(company)  # type: ignore[no-any-return]
    # One LocalCA per company and revocation state, so a batch of signings reuses the parsed CA and its CRL
    # (re-issued at most every 10 minutes, and at once when a certificate or the CA is revoked).
    company_id = getattr(company, "pk", company)
    ident = signing_ca(company)
    state = (tuple(sorted(revoked)), ca_revoked_at(company), crl_url(company))
    with _lock:
        cached = _issuers.get(company_id)
        if cached is None or cached[0] is not ident or cached[1] != state:
            local = ca_mod.LocalCA(ident, crl_url=state[2], revoked=state[0], revoked_ca=state[1])
            cached = _issuers[company_id] = (ident, state, local)
    return cached[2]


_issuers: dict[int, tuple[SigningIdentity, tuple[Any, ...], ca_mod.LocalCA]] = {}


class CheckedTimeStamper(RequestsHTTPTimeStamper):
    """An RFC 3161 client that refuses tokens whose time is off ours by more than ``MAX_TSA_SKEW``."""

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        res = await super().async_request_tsa_response(req)
        token = res["time_stamp_token"]
        if token.native is not None:
            info = token["content"]["encap_content_info"]["content"].parsed
            gen_time = info["gen_time"].native
            skew = abs(gen_time - dt.datetime.now(dt.UTC))
            if skew > MAX_TSA_SKEW:
                raise TimestampRequestError(
                    f"the time-stamping server's clock is off by {int(skew.total_seconds())} s "
                    f"(more than {int(MAX_TSA_SKEW.total_seconds())} s allowed)")
        return res


_stampers: dict[str, CheckedTimeStamper] = {}
_tsa_roots: dict[str, list[x509.Certificate]] = {}


def timestamper() -> CheckedTimeStamper | None:
    url = timestamp_url()
    if not url:
        return None
    with _lock:
        stamper = _stampers.get(url)
        if stamper is None:
            stamper = _stampers[url] = CheckedTimeStamper(url, timeout=10)
    return stamper


def tsa_roots() -> list[x509.Certificate]:
    """Trust anchors of the TSA, for the long-term validation data: ``HRGUARD_TSA_ROOTS`` (a PEM file) if
    set, else the self-signed certificates the TSA itself sends (learnt once per process; the package
    verifier judges them independently)."""
    path = getattr(settings, "HRGUARD_TSA_ROOTS", None)
    if path:
        return x509.load_pem_x509_certificates(Path(path).read_bytes())
    url = timestamp_url()
    stamper = timestamper()
    if not url or stamper is None:
        return []
    with _lock:
        roots = _tsa_roots.get(url)
    if roots is None:
        token = asyncio.run(stamper.async_timestamp(b"\x00" * 32, "sha256"))
        certs = [x509.load_der_x509_certificate(c.chosen.dump()) for c in token["content"]["certificates"]]
        roots = [c for c in certs if c.issuer == c.subject]
        with _lock:
            _tsa_roots[url] = roots
    return roots
