"""Signed checkpoints (tree heads) over a company's evidence log, and inclusion proofs.

A checkpoint statement is canonical JSON ``{"alg", "company", "issued_at", "root", "tree_size",
"version"}``; the company's document-signing key signs its bytes (ECDSA P-256 / SHA-256, DER), and the
certificate that verifies it is stored alongside. An RFC 3161 timestamp token over the statement may be
attached. Anyone holding the export can recompute the root from the records and check the signature."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import connection, transaction

from hrguard.core.crypto import KeysUnavailable

from . import merkle
from .models import Checkpoint, EvidenceEvent

if TYPE_CHECKING:
    from hrguard.platform.pdf.keys import SigningIdentity


class StatementSigner(Protocol):
    def sign(self, data: bytes) -> bytes: ...

    def certificate_pem(self) -> bytes: ...


@dataclass
class KeySigner:
    """Signs with an EC private key (from the company PKI)."""

    private_key: ec.EllipticCurvePrivateKey
    cert_pem: bytes

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data, ec.ECDSA(hashes.SHA256()))

    def certificate_pem(self) -> bytes:
        return self.cert_pem


def statement_bytes(
    company_id: int, tree_size: int, root_hex: str, issued_at: str, previous: Checkpoint | None = None
) -> bytes:
    """Version 2: also names the previous checkpoint (size + root, or null for the first), so each
    signed statement vouches for its predecessor."""
    doc = {
        "alg": "ES256", "company": company_id, "issued_at": issued_at, "root": root_hex,
        "tree_size": tree_size, "version": 2,
        "previous": {"root": previous.root, "tree_size": previous.tree_size} if previous is not None else None,
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


class HistoryConflict(RuntimeError):
    """The log contradicts an earlier checkpoint (or is broken): no checkpoint may be signed over it."""


def verify_statement(statement: bytes, signature: bytes, cert_pem: bytes) -> bool:
    cert = x509.load_pem_x509_certificate(cert_pem)
    public_key = cert.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey):
        return False
    try:
        public_key.verify(signature, statement, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def iter_leaves(company_id: int, size: int | None = None, batch: int = 5000) -> Iterator[bytes]:
    from .canonical import leaf_hash

    table = EvidenceEvent._meta.db_table
    sql = f"SELECT record FROM {table} WHERE company_id = %s"  # noqa: S608 - model table name
    params: list[int] = [company_id]
    if size is not None:
        sql += " AND seq < %s"
        params.append(size)
    sql += " ORDER BY seq"
    with connection.cursor() as cur:
        cur.execute(sql, params)
        while rows := cur.fetchmany(batch):
            for (text,) in rows:
                yield leaf_hash(text.encode("utf-8"))


def leaves(company_id: int, size: int | None = None) -> list[bytes]:
    return list(iter_leaves(company_id, size))


def issue(company_id: int, signer: StatementSigner, timestamper: object | None = None) -> Checkpoint:
    """Sign the current tree head of a company's log (periodically, and on demand)."""
    return issue_with_leaves(company_id, signer, timestamper)[0]


@transaction.atomic
def issue_with_leaves(
    company_id: int, signer: StatementSigner, timestamper: object | None = None
) -> tuple[Checkpoint, list[bytes]]:
    """:func:`issue`, also returning the tree's leaves (callers building proofs need not re-read them).

    Refuses (HistoryConflict) when ``hrguard verify`` would fail for the company — a broken chain, an
    edited column, or a history that contradicts a stored or exported checkpoint — so a truncated or
    rewritten log is never covered by a fresh signature. Also records ``evidence.checkpoint_issued``,
    queues the checkpoint to the administrators and, after commit, exports it (export.py)."""
    from . import export
    from .models import ChainHead
    from .services import Subject, record
    from .verify import verify_company

    head = ChainHead.objects.select_for_update().filter(company_id=company_id).first()
    size = head.size if head else 0
    audit = verify_company(company_id)
    if not audit.ok:
        where = f" (event #{audit.first_broken_seq})" if audit.first_broken_seq is not None else ""
        raise HistoryConflict(f"company {company_id}: no checkpoint issued: {audit.reason}{where}")
    tree = leaves(company_id, size)
    root_hex = merkle.root(tree).hex()
    previous = latest(company_id)
    proof = merkle.consistency_proof(previous.tree_size, tree) if previous is not None else []
    issued_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    statement = statement_bytes(company_id, size, root_hex, issued_at, previous)
    token = b""
    if timestamper is not None:
        token = timestamper(statement)  # type: ignore[operator]
    checkpoint = Checkpoint(
        company_id=company_id, tree_size=size, root=root_hex, issued_at=issued_at,
        statement=statement.decode(), signature=signer.sign(statement).hex(),
        certificate=signer.certificate_pem().decode(), timestamp_token=token.hex(),
        consistency=json.dumps([h.hex() for h in proof]),
    )
    doc = export.document(checkpoint)
    record(company_id, None, "evidence.checkpoint_issued", Subject("evidence.checkpoint", f"{size}:{root_hex[:16]}"),
           {"tree_size": size, "root": root_hex, "issued_at": issued_at, "timestamped": bool(token),
            "file": str(export.latest_path(company_id))})
    export.notify_admins(company_id, doc)
    checkpoint.own_events = ChainHead.objects.get(company_id=company_id).size - size
    checkpoint.save(force_insert=True)
    transaction.on_commit(lambda: export.write_after_commit(doc))
    return checkpoint, tree


def inclusion_proof(event: EvidenceEvent, checkpoint: Checkpoint) -> list[str]:
    if event.seq >= checkpoint.tree_size:
        raise ValueError("event is newer than the checkpoint")
    tree = leaves(checkpoint.company_id, checkpoint.tree_size)
    return [h.hex() for h in merkle.inclusion_proof(event.seq, tree)]


def up_to(company_id: int, size: int) -> list[Checkpoint]:
    """Every checkpoint of the company over at most ``size`` events, oldest first."""
    return list(Checkpoint.objects.filter(company_id=company_id, tree_size__lte=size).order_by("tree_size", "id"))


def latest(company_id: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(company_id=company_id).order_by("-tree_size", "-id").first()


# --- Company signing identity, RFC 3161 timestamps, covering checkpoints (added for packages) ---------

_identities: dict[tuple[str, int], object] = {}
_identity_lock = threading.Lock()


def company_identity(company_id: int) -> SigningIdentity:
    """The company's document-signing identity (key + certificate + chain).

    ``settings.HRGUARD_SIGNING_IDENTITY`` may name a callable ``(company_id) -> SigningIdentity`` (e.g.
    a keystore holding an administrator-supplied PKCS#12). By default a private company PKI
    (keys.generate_company_pki) is created on first use under ``HRGUARD_KEYS_DIR/signing/company-<id>/``,
    the private key encrypted with a random passphrase kept in ``HRGUARD_KEYS_DIR/signing/passphrase``."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    hook = getattr(settings, "HRGUARD_SIGNING_IDENTITY", None)
    if hook:
        return import_string(hook)(company_id)  # type: ignore[no-any-return]
    base = Path(settings.HRGUARD_KEYS_DIR) / "signing"
    cache_key = (str(base), company_id)
    with _identity_lock:
        cached = _identities.get(cache_key)
        if cached is None:
            cached = _load_or_create_identity(base, company_id)
            _identities[cache_key] = cached
    return cached  # type: ignore[return-value]


def signing_keys_dir() -> tuple[Path, bytes]:
    """The folder holding the companies' signing keys and the passphrase that encrypts them (for other
    keys stored the same way, e.g. the documents app's signing CA under ``company-<id>/ca/``)."""
    from django.conf import settings

    base = Path(settings.HRGUARD_KEYS_DIR) / "signing"
    return base, _passphrase(base)


def _passphrase(base: Path) -> bytes:
    path = base / "passphrase"
    if not path.exists():
        if any(base.glob("company-*")):  # keys encrypted with a passphrase that is gone: never replace it
            raise KeysUnavailable(f"signing keys exist under {base} but their passphrase file {path} is missing: "
                                  "restore the keys directory (hrguard restore) instead of generating new keys")
        base.mkdir(parents=True, exist_ok=True)
        tmp = base / f"passphrase.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32))
        try:
            os.link(tmp, path)  # atomic, fails if another process won the race
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_bytes().strip()


def _load_or_create_identity(base: Path, company_id: int) -> SigningIdentity:
    from hrguard.core.models import Company
    from hrguard.platform.pdf import keys

    passphrase = _passphrase(base)
    folder = base / f"company-{company_id}"
    if not (folder / "signer.cert.pem").exists():
        if Checkpoint.objects.filter(company_id=company_id).exists():
            raise KeysUnavailable(
                f"company {company_id} has signed checkpoints but its signing key is not in {folder}: refusing to "
                "generate a new identity over them. Restore the keys directory (hrguard restore) or point "
                "HRGUARD_KEYS_DIR at it."
            )
        company = Company.objects.get(pk=company_id)
        pki = keys.generate_company_pki(company.name)
        tmp = base / f"company-{company_id}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        keys.save_pem_files(pki.signer, tmp, passphrase)
        try:
            tmp.rename(folder)
        except OSError:  # another process created it first
            shutil.rmtree(tmp, ignore_errors=True)
    return keys.load_pem_files(folder, passphrase)


def company_signer(company_id: int) -> KeySigner:
    """A statement signer for the company's checkpoints; ``certificate_pem`` holds leaf + chain."""
    from cryptography.hazmat.primitives import serialization

    identity = company_identity(company_id)
    if not isinstance(identity.key, ec.EllipticCurvePrivateKey):
        raise ValueError("checkpoints are signed with ES256: the company signing key must be EC P-256")
    pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (identity.cert, *identity.chain))
    return KeySigner(identity.key, pem)


def rfc3161_timestamper(url: str, timeout: float = 15.0) -> Callable[[bytes], bytes]:
    """A ``timestamper`` for :func:`issue`: asks the TSA at ``url`` for a token over SHA-256(data)."""
    import hashlib
    import urllib.request

    from asn1crypto import algos, core, tsp

    def stamp(data: bytes) -> bytes:
        nonce = int.from_bytes(secrets.token_bytes(8), "big")
        req = tsp.TimeStampReq({
            "version": "v1",
            "message_imprint": tsp.MessageImprint({
                "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "hashed_message": hashlib.sha256(data).digest(),
            }),
            "nonce": core.Integer(nonce),
            "cert_req": True,
        })
        http = urllib.request.Request(  # noqa: S310 - configured TSA URL
            url, data=req.dump(), headers={"Content-Type": "application/timestamp-query"}, method="POST"
        )
        with urllib.request.urlopen(http, timeout=timeout) as resp:  # noqa: S310
            reply = tsp.TimeStampResp.load(resp.read())
        status = reply["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            raise RuntimeError(f"TSA refused the request: {status}")
        token = reply["time_stamp_token"]
        info = token["content"]["encap_content_info"]["content"].parsed
        if info["nonce"].native != nonce or info["message_imprint"]["hashed_message"].native != hashlib.sha256(
            data
        ).digest():
            raise RuntimeError("TSA answered for another request")
        return token.dump()  # type: ignore[no-any-return]

    return stamp


def configured_timestamper() -> Callable[[bytes], bytes] | None:
    from django.conf import settings

    url = getattr(settings, "HRGUARD_TSA_URL", None)
    return rfc3161_timestamper(url) if url else None


def issue_for_company(company_id: int) -> Checkpoint:
    """Issue a checkpoint signed by the company key, timestamped when ``HRGUARD_TSA_URL`` is set."""
    return issue(company_id, company_signer(company_id), configured_timestamper())


def covering(company_id: int, size: int) -> Checkpoint | None:
    """The smallest checkpoint whose tree holds at least ``size`` events (None if none does)."""
    return (
        Checkpoint.objects.filter(company_id=company_id, tree_size__gte=size).order_by("tree_size", "id").first()
    )


def issue_if_grown(company_id: int) -> Checkpoint | None:
    """Periodic use: issue a checkpoint only when the log grew since the latest one (by more than the
    events that checkpoint's own issuance appended). A log shorter than the latest checkpoint raises
    HistoryConflict (via issue_with_leaves) instead of being called "up to date"."""
    from .models import ChainHead

    head = ChainHead.objects.filter(company_id=company_id).first()
    last = latest(company_id)
    if head is None or head.size == 0:
        if last is None:
            return None
    elif last is not None and head.size == last.tree_size + last.own_events:
        return None
    return issue_for_company(company_id)
