"""Signed checkpoints (tree heads) over a company's evidence log, and inclusion proofs.

A checkpoint statement is canonical JSON ``{"alg", "company", "issued_at", "root", "tree_size",
"version"}``; the company's document-signing key signs its bytes (ECDSA P-256 / SHA-256, DER), and the
certificate that verifies it is stored alongside. An RFC 3161 timestamp token over the statement may be
attached. Anyone holding the export can recompute the root from the records and check the signature."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import connection, transaction

from . import merkle
from .models import Checkpoint, EvidenceEvent


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


def statement_bytes(company_id: int, tree_size: int, root_hex: str, issued_at: str) -> bytes:
    doc = {
        "alg": "ES256", "company": company_id, "issued_at": issued_at, "root": root_hex,
        "tree_size": tree_size, "version": 1,
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()


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


@transaction.atomic
def issue(company_id: int, signer: StatementSigner, timestamper: object | None = None) -> Checkpoint:
    """Sign the current tree head of a company's log (periodically, and on demand)."""
    from .models import ChainHead

    head = ChainHead.objects.select_for_update().filter(company_id=company_id).first()
    size = head.size if head else 0
    tree = leaves(company_id, size)
    root_hex = merkle.root(tree).hex()
    issued_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    statement = statement_bytes(company_id, size, root_hex, issued_at)
    token = b""
    if timestamper is not None:
        token = timestamper(statement)  # type: ignore[operator]
    return Checkpoint.objects.create(
        company_id=company_id, tree_size=size, root=root_hex, issued_at=issued_at,
        statement=statement.decode(), signature=signer.sign(statement).hex(),
        certificate=signer.certificate_pem().decode(), timestamp_token=token.hex(),
    )


def inclusion_proof(event: EvidenceEvent, checkpoint: Checkpoint) -> list[str]:
    if event.seq >= checkpoint.tree_size:
        raise ValueError("event is newer than the checkpoint")
    tree = leaves(checkpoint.company_id, checkpoint.tree_size)
    return [h.hex() for h in merkle.inclusion_proof(event.seq, tree)]


def latest(company_id: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(company_id=company_id).order_by("-tree_size", "-id").first()
