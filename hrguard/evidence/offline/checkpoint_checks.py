"""Checks 6-7 and the optional ones: the signed checkpoint, its history, a kept checkpoint file, the RFC 3161
timestamp, the expected certificate fingerprint."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from .certs import _load_certs, _verify_sig, issued_by, load_pem_certificates
from .model import Invalid, Package, _json
from .rfc6962 import verify_consistency


def check_checkpoint(pkg: Package) -> str:
    cp = pkg.checkpoint = pkg.checkpoint or _json(pkg, "checkpoint.json")
    statement = str(cp.get("statement", "")).encode("utf-8")
    pkg.statement = json.loads(statement)
    for key in ("tree_size", "root", "company", "issued_at"):
        if pkg.statement.get(key) != cp.get(key):
            raise Invalid(f"checkpoint.json {key} differs from the signed statement")
    if {r.get("company") for _, r in pkg.records} - {pkg.statement["company"]}:
        raise Invalid("the events belong to another company than the checkpoint")
    pkg.certs = _load_certs(pkg)
    leaf = pkg.certs[0]
    if not _verify_sig(leaf.public_key(), bytes.fromhex(cp.get("signature", "")), statement, hashes.SHA256()):
        raise Invalid("checkpoint signature does not verify with the packaged certificate")
    issuer = next((c for c in pkg.certs[1:] if c.subject == leaf.issuer), None)
    if issuer is not None and not issued_by(leaf, issuer):
        raise Invalid("the packaged signing certificate is not issued by the packaged root")
    fingerprint = leaf.fingerprint(hashes.SHA256()).hex()
    pkg.info.append(f"签名证书指纹 signing certificate SHA-256 fingerprint: {fingerprint}")
    return f"signed by {leaf.subject.rfc4514_string()}, issued {cp.get('issued_at')}"


def _signed_by_company(pkg: Package, pem: bytes, statement: bytes, signature_hex: str) -> bool:
    """The statement verifies with ``pem``, itself the packaged certificate or one the packaged root issued
    (an earlier company key)."""
    cert = load_pem_certificates(pem)[0]
    roots = pkg.certs[1:]
    if cert != pkg.certs[0] and not any(cert.issuer == r.subject and issued_by(cert, r) for r in roots):
        return False
    return _verify_sig(cert.public_key(), bytes.fromhex(signature_hex), statement, hashes.SHA256())


def check_history(pkg: Package) -> tuple[str, str]:
    """history.json: the signed checkpoints before the package's, oldest first. Each is signed by the
    company, names its predecessor, and proves (RFC 6962 consistency) that the log it signed extends the
    predecessor's without change; the newest is the package's own checkpoint."""
    if "history.json" not in pkg.files:
        return "skipped", "this package carries no checkpoint history (made by an older version)"
    doc = _json(pkg, "history.json")
    chain, certs = doc["checkpoints"], doc["certificates"]
    if not chain or chain[-1]["statement"] != pkg.checkpoint.get("statement"):
        raise Invalid("history.json does not end at the package's checkpoint")
    before: dict[str, Any] | None = None
    for n, cp in enumerate(chain, 1):
        statement = str(cp["statement"]).encode("utf-8")
        signed = json.loads(statement)
        if (signed.get("tree_size"), signed.get("root")) != (cp["tree_size"], cp["root"]):
            raise Invalid(f"history checkpoint {n} (size {cp['tree_size']}) differs from its signed statement")
        if not _signed_by_company(pkg, str(certs[cp["certificate"]]).encode(), statement, cp["signature"]):
            raise Invalid(f"history checkpoint {n} (size {cp['tree_size']}) is not signed by the company")
        if before is not None:
            link = signed.get("previous") or {}
            if (link.get("tree_size"), link.get("root")) != (before["tree_size"], before["root"]):
                raise Invalid(f"history checkpoint {n} does not name checkpoint {n - 1} as its predecessor")
            proof = [bytes.fromhex(h) for h in cp["consistency"]]
            if not verify_consistency(before["tree_size"], cp["tree_size"], bytes.fromhex(before["root"]),
                                      bytes.fromhex(cp["root"]), proof):
                raise Invalid(f"history checkpoint {n} (size {cp['tree_size']}) is not consistent with "
                              f"checkpoint {n - 1} (size {before['tree_size']}): the log was rewritten")
        before = cp
    pkg.history = chain
    first = chain[0]
    return "ok", (f"{len(chain)} checkpoint(s) from {first['issued_at']} (size {first['tree_size']}) to "
                  f"{chain[-1]['issued_at']} (size {chain[-1]['tree_size']}), each consistent with the last")


def check_known_checkpoint(pkg: Package, doc: dict[str, Any]) -> tuple[str, str]:
    """A checkpoint file someone kept (sent to the admins, published): it must be one of the package's
    signed history, with the same root for its size; a different root for the same size is a fork."""
    statement = str(doc.get("statement", "")).encode("utf-8")
    signed = json.loads(statement)
    size, root = signed.get("tree_size"), signed.get("root")
    if signed.get("company") != pkg.statement.get("company"):
        raise Invalid("the checkpoint file belongs to another company")
    if not _signed_by_company(pkg, str(doc.get("certificate", "")).encode(), statement, str(doc.get("signature"))):
        raise Invalid("the checkpoint file is not signed by the company's packaged certificates")
    for cp in getattr(pkg, "history", []):
        if cp["tree_size"] == size:
            if cp["root"] != root:
                raise Invalid(f"the kept checkpoint (size {size}) has another root than this package's history: "
                              "two different logs were signed")
            return "ok", f"the kept checkpoint of {signed.get('issued_at')} (size {size}) is in this history"
    if isinstance(size, int) and size > pkg.checkpoint.get("tree_size", 0):
        return "skipped", f"the kept checkpoint (size {size}) is newer than this package; ask for a newer package"
    raise Invalid(f"the kept checkpoint (size {size}) is not part of this package's checkpoint history")


def check_timestamp(pkg: Package) -> tuple[str, str]:
    pkg.checkpoint = pkg.checkpoint or _json(pkg, "checkpoint.json")
    token_hex = pkg.checkpoint.get("timestamp_token") or ""
    if not token_hex:
        return "skipped", "no timestamp token (no TSA configured)"
    try:
        from asn1crypto import cms
    except ImportError:
        return "skipped", "asn1crypto not installed (pip install asn1crypto) — token not checked"
    statement = str(pkg.checkpoint["statement"]).encode("utf-8")
    try:
        signed = cms.ContentInfo.load(bytes.fromhex(token_hex))["content"]
        econtent = signed["encap_content_info"]["content"]
        info = econtent.parsed
        imprint = info["message_imprint"]
        alg = imprint["hash_algorithm"]["algorithm"].native
        if hashlib.new(alg, statement).digest() != imprint["hashed_message"].native:
            raise Invalid("the timestamp token is for other data than the checkpoint statement")
        signer = signed["signer_infos"][0]
        attrs = signer["signed_attrs"]
        digest_alg = signer["digest_algorithm"]["algorithm"].native
        md = next(a["values"][0].native for a in attrs if a["type"].native == "message_digest")
        if hashlib.new(digest_alg, econtent.contents).digest() != md:
            raise Invalid("the timestamp token's content does not match its signed digest")
        sid = signer["sid"]
        cert_der = None
        for choice in signed["certificates"] or []:
            c = choice.chosen
            if sid.name == "issuer_and_serial_number":
                wanted = sid.chosen
                if c.issuer == wanted["issuer"] and c.serial_number == wanted["serial_number"].native:
                    cert_der = c.dump()
            elif c.key_identifier == sid.chosen.native:
                cert_der = c.dump()
        if cert_der is None:
            raise Invalid("the timestamp token does not embed its TSA certificate")
        tsa = x509.load_der_x509_certificate(cert_der)
        to_verify = b"\x31" + attrs.dump()[1:]
        digest_cls = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[digest_alg]
        if not _verify_sig(tsa.public_key(), signer["signature"].native, to_verify, digest_cls):
            raise Invalid("the timestamp token's signature does not verify")
    except (KeyError, ValueError, StopIteration) as exc:
        raise Invalid(f"the timestamp token is unreadable: {exc}") from exc
    return "ok", f"{info['gen_time'].native.isoformat()} by {tsa.subject.rfc4514_string()}"


def check_fingerprint(pkg: Package, expected: str) -> str:
    certs = pkg.certs or _load_certs(pkg)
    got = certs[0].fingerprint(hashes.SHA256()).hex()
    if got != expected.replace(":", "").replace(" ", "").lower():
        raise Invalid(f"the packaged signing certificate ({got}) is not the expected one")
    return "matches the expected fingerprint"
