#!/usr/bin/env python3
"""Offline verifier for an HRGuard evidence package (证据包离线验证).

Usage::

    python3 verify.py PACKAGE.zip            # the copy shipped inside every package
    python -m hrguard.evidence.offline.verify PACKAGE.zip [--expect-fingerprint SHA256_HEX]

``--expect-fingerprint`` pins the company signing certificate (as published by the company), so a
package re-signed end to end with another key is rejected too.

Needs only Python 3.10+ and the ``cryptography`` package, version 38 or later (Debian 12's stock
``python3`` with ``python3-cryptography`` 38.0.4 works). If ``pyHanko`` is installed the PAdES
signatures of the PDFs are checked too (otherwise reported as skipped); if ``asn1crypto`` is installed
(it comes with pyHanko) the RFC 3161 timestamp token of the checkpoint is checked.

Checks, in order (the first failure is named; exit status 0 = valid, 1 = invalid, 2 = unreadable):

1. manifest: every file's SHA-256 equals manifest.json, and no file is unlisted or missing;
2. events: each line of events.jsonl is canonical JSON (sorted keys, UTF-8, no spaces) and its
   SHA-256 equals the hash in proofs.json;
3. chain: each record's ``prev`` equals its stored prev_hash, and consecutive records link;
4. completeness: every event the package record (action ``evidence.package_built``) lists is present;
5. inclusion: each event's RFC 6962 audit path leads to the checkpoint root;
6. checkpoint: the signed statement matches checkpoint.json and its ECDSA signature verifies with the
   packaged company certificate (which chains to the packaged root);
7. timestamp: the RFC 3161 token (if any) covers SHA-256 of the statement;
8. documents: each packaged PDF's SHA-256 equals the hash recorded in the evidence log;
9. PDF signatures: every signature in the signed PDFs and completion.pdf is intact, and completion.pdf
   is sealed by the packaged company certificate.

This file deliberately duplicates HRGuard's canonical-JSON and Merkle rules so it runs on its own.
"""

from __future__ import annotations

import hashlib
import json
import sys
import types
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

MIN_CRYPTOGRAPHY = (38, 0)
NEEDS = (
    'needs the Python package "cryptography" version 38 or later — Debian/Ubuntu: '
    "apt install python3-cryptography; elsewhere: pip install \"cryptography>=38\"\n"
    "需要 Python 软件包 cryptography 38 或以上版本（Debian/Ubuntu：apt install python3-cryptography；"
    '其他系统：pip install "cryptography>=38"）'
)


class EnvironmentProblem(Exception):
    """This Python cannot run a check (missing or too old a package): no verdict, exit status 2."""


try:
    import cryptography
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
except ImportError as _exc:  # pragma: no cover - exercised by running without the package
    if __name__ == "__main__":
        print(f"无法验证 CANNOT VERIFY: {NEEDS} ({_exc})", file=sys.stderr)
        sys.exit(2)
    raise


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def check_environment() -> None:
    """Raise EnvironmentProblem when this Python's cryptography is too old to verify a package."""
    if _version(getattr(cryptography, "__version__", "0")) < MIN_CRYPTOGRAPHY:
        raise EnvironmentProblem(f"{NEEDS} (found {cryptography.__version__})")

FORMAT = "hrguard-evidence-package"
PACKAGE_ACTION = "evidence.package_built"
GENESIS = "0" * 64
MAX_MEMBER = 512 * 1024 * 1024


# --- canonical JSON and RFC 6962 (must equal hrguard/evidence/canonical.py and merkle.py) ---------------

def canonical_bytes(record: dict[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def record_hash(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


def leaf_hash(canonical: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + canonical).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    if not 0 <= index < size:
        raise ValueError("index out of range")
    fn, sn, node = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            raise ValueError("proof too long")
        if fn & 1 or fn == sn:
            node = _node(sibling, node)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            node = _node(node, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ValueError("proof too short")
    return node


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """Check a consistency proof (RFC 9162 section 2.1.4.2): is the old tree a prefix of the new one?"""
    if old_size < 0 or new_size < old_size:
        return False
    if old_size == 0:
        return not proof
    if old_size == new_size:
        return not proof and old_root == new_root
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # exact power of two: the old root is itself a node of the path
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = _node(c, fr)
            sr = _node(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = _node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


# --- results ---------------------------------------------------------------------------------------------

@dataclass
class Check:
    zh: str
    en: str
    status: str = "ok"  # ok | fail | skipped
    detail: str = ""


@dataclass
class Result:
    checks: list[Check] = field(default_factory=list)
    info: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.status != "fail" for c in self.checks)

    @property
    def first_failure(self) -> Check | None:
        return next((c for c in self.checks if c.status == "fail"), None)


class Invalid(Exception):
    """A check failed; the message names what."""


@dataclass
class Package:
    files: dict[str, bytes]
    manifest: dict[str, Any] = field(default_factory=dict)
    records: list[tuple[bytes, dict[str, Any]]] = field(default_factory=list)
    proofs: dict[str, Any] = field(default_factory=dict)
    checkpoint: dict[str, Any] = field(default_factory=dict)
    statement: dict[str, Any] = field(default_factory=dict)
    certs: list[x509.Certificate] = field(default_factory=list)
    info: list[str] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)


def _json(pkg: Package, name: str) -> Any:
    if name not in pkg.files:
        raise Invalid(f"{name} is missing")
    try:
        return json.loads(pkg.files[name].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Invalid(f"{name} is not valid JSON: {exc}") from exc


# --- the checks ------------------------------------------------------------------------------------------

def check_manifest(pkg: Package) -> str:
    pkg.manifest = _json(pkg, "manifest.json")
    if pkg.manifest.get("format") != FORMAT:
        raise Invalid("manifest.json is not an HRGuard evidence package manifest")
    listed: dict[str, Any] = pkg.manifest.get("files", {})
    for name in sorted(pkg.files):
        if name != "manifest.json" and name not in listed:
            raise Invalid(f"file {name} is not listed in manifest.json (added?)")
    for name, meta in sorted(listed.items()):
        if name not in pkg.files:
            raise Invalid(f"file {name} listed in manifest.json is missing")
        if hashlib.sha256(pkg.files[name]).hexdigest() != meta.get("sha256"):
            raise Invalid(f"file {name}: SHA-256 differs from manifest.json (modified)")
    return f"{len(listed)} files"


def check_events(pkg: Package) -> str:
    pkg.proofs = _json(pkg, "proofs.json")
    entries = {int(e["seq"]): e for e in pkg.proofs.get("events", [])}
    raw = pkg.files.get("events.jsonl")
    if raw is None:
        raise Invalid("events.jsonl is missing")
    for line in raw.split(b"\n"):
        if not line:
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise Invalid(f"events.jsonl has a line that is not JSON: {exc}") from exc
        seq = record.get("seq")
        if canonical_bytes(record) != line:
            raise Invalid(f"event #{seq}: record is not in canonical form (edited)")
        entry = entries.get(seq) if isinstance(seq, int) else None
        if entry is None:
            raise Invalid(f"event #{seq}: no entry in proofs.json")
        if record_hash(line) != entry.get("hash"):
            raise Invalid(f"event #{seq}: record does not match its hash (edited)")
        pkg.records.append((line, record))
    seqs = [r["seq"] for _, r in pkg.records]
    if seqs != sorted(set(seqs)):
        raise Invalid("events.jsonl is not in ascending seq order or repeats an event")
    if len(entries) != len(pkg.records):
        missing = sorted(set(entries) - set(seqs))
        raise Invalid(f"event #{missing[0] if missing else '?'} is in proofs.json but missing from events.jsonl")
    return f"{len(pkg.records)} events"


def check_chain(pkg: Package) -> str:
    if not pkg.records:
        raise KeyError("events")
    entries = {int(e["seq"]): e for e in pkg.proofs["events"]}
    links = 0
    previous: tuple[int, str] | None = None
    for line, record in pkg.records:
        seq = record["seq"]
        prev = record.get("prev")
        if prev != entries[seq].get("prev_hash"):
            raise Invalid(f"event #{seq}: prev does not equal its stored prev_hash (chain broken)")
        if seq == 0 and prev != GENESIS:
            raise Invalid("event #0 does not start from the genesis hash")
        if previous is not None and previous[0] + 1 == seq:
            if prev != previous[1]:
                raise Invalid(f"event #{seq}: prev does not link to event #{previous[0]} (chain broken)")
            links += 1
        previous = (seq, record_hash(line))
    return f"{links} direct links between consecutive events checked"


def check_completeness(pkg: Package) -> str:
    company = {r.get("company") for _, r in pkg.records}
    if len(company) > 1:
        raise Invalid("events.jsonl mixes events of several companies")
    seq = pkg.manifest.get("package_event_seq")
    records = {r["seq"]: r for _, r in pkg.records}
    package_record = records.get(seq)
    if package_record is None or package_record.get("action") != PACKAGE_ACTION:
        raise Invalid(f"the package record (event #{seq}, {PACKAGE_ACTION}) is missing")
    listed = package_record.get("data", {}).get("events", [])
    for s in listed:
        if s not in records:
            raise Invalid(f"event #{s} listed in the package record is missing (dropped)")
    extra = sorted(set(records) - set(listed) - {seq})
    if extra:
        raise Invalid(f"event #{extra[0]} is not listed in the package record (added)")
    return f"package record #{seq} lists {len(listed)} events"


def check_inclusion(pkg: Package) -> str:
    if not pkg.records:
        raise KeyError("events")
    pkg.checkpoint = _json(pkg, "checkpoint.json")
    size, root_hex = int(pkg.checkpoint["tree_size"]), str(pkg.checkpoint["root"])
    entries = {int(e["seq"]): e for e in pkg.proofs["events"]}
    for line, record in pkg.records:
        seq = record["seq"]
        path = [bytes.fromhex(h) for h in entries[seq].get("audit_path", [])]
        try:
            got = root_from_inclusion(seq, size, leaf_hash(line), path)
        except ValueError as exc:
            raise Invalid(f"event #{seq}: inclusion proof is malformed ({exc})") from exc
        if got.hex() != root_hex:
            raise Invalid(f"event #{seq}: inclusion proof does not lead to the checkpoint root")
    return f"{len(pkg.records)} proofs → root {root_hex[:16]}… (tree size {size})"


PEM_BEGIN, PEM_END = b"-----BEGIN CERTIFICATE-----", b"-----END CERTIFICATE-----"


def load_pem_certificates(pem: bytes) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle (cryptography < 40 has no load_pem_x509_certificates)."""
    certs = []
    start = pem.find(PEM_BEGIN)
    while start >= 0:
        end = pem.find(PEM_END, start)
        if end < 0:
            raise ValueError("unterminated PEM certificate")
        certs.append(x509.load_pem_x509_certificate(pem[start : end + len(PEM_END)] + b"\n"))
        start = pem.find(PEM_BEGIN, end)
    if not certs:
        raise ValueError("no PEM certificate found")
    return certs


def issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Is ``cert`` signed by ``issuer``'s key? (cryptography < 40 has no verify_directly_issued_by.)"""
    digest = cert.signature_hash_algorithm
    if cert.issuer != issuer.subject or digest is None:
        return False
    return _verify_sig(issuer.public_key(), cert.signature, cert.tbs_certificate_bytes, digest)


def _load_certs(pkg: Package) -> list[x509.Certificate]:
    pem = b"".join(v for k, v in sorted(pkg.files.items()) if k.startswith("certs/") and k.endswith(".pem"))
    try:
        certs = load_pem_certificates(pem)
    except ValueError as exc:
        raise Invalid(f"certs/ holds no readable certificate: {exc}") from exc
    name = pkg.manifest.get("signing_certificate", "")
    leaf_pem = pkg.files.get(name, b"")
    if leaf_pem:
        leaf = x509.load_pem_x509_certificate(leaf_pem)
        certs = [leaf, *[c for c in certs if c != leaf]]
    return certs


def _verify_sig(public_key: Any, signature: bytes, data: bytes, digest: hashes.HashAlgorithm) -> bool:
    try:
        if isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(digest))
        elif isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), digest)
        else:
            return False
    except InvalidSignature:
        return False
    return True


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


def check_documents(pkg: Package) -> str:
    seq = pkg.manifest.get("package_event_seq")
    record = next(r for _, r in pkg.records if r["seq"] == seq)
    recorded = {d["file"]: d for d in record.get("data", {}).get("documents", [])}
    packaged = {d["file"]: d for d in pkg.manifest.get("documents", [])}
    if set(recorded) != set(packaged):
        raise Invalid("the documents in the package differ from those recorded in the evidence log")
    for name, doc in sorted(recorded.items()):
        data = pkg.files.get(name)
        if data is None:
            raise Invalid(f"document {name} is missing")
        if hashlib.sha256(data).hexdigest() != doc.get("sha256"):
            raise Invalid(f"document {name}: SHA-256 differs from the hash recorded in the evidence log")
        needle = str(doc["sha256"]).encode()
        cited = [str(r["seq"]) for line, r in pkg.records if needle in line and r["seq"] != seq]
        if cited:
            pkg.info.append(f"文件 {name} 的哈希亦见于事件 / hash also recorded by events: #{', #'.join(cited)}")
    return f"{len(recorded)} documents match the evidence log"


def _utc(obj: Any, attr: str) -> Any:
    """``obj.<attr>`` as an aware UTC datetime (cryptography >= 42 has ``<attr>_utc``; older: naive UTC)."""
    import datetime as dt

    value = getattr(obj, f"{attr}_utc", None)
    if value is None:
        value = getattr(obj, attr)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _dss(reader: Any) -> tuple[list[x509.Certificate], list[Any]]:
    """Certificates and CRLs of the PDF's document security store (its long-term validation data)."""
    dss = reader.root.get("/DSS")
    certs: list[x509.Certificate] = []
    crls: list[Any] = []
    if dss is None:
        return certs, crls
    dss = dss.get_object()
    for ref in dss.get("/Certs", []):
        certs.append(x509.load_der_x509_certificate(ref.get_object().data))
    for ref in dss.get("/CRLs", []):
        crls.append(x509.load_der_x509_crl(ref.get_object().data))
    return certs, crls


def _revocation(cert: x509.Certificate, crls: list[Any], issuers: list[x509.Certificate]) -> str:
    """"revoked <time>" when a CRL signed by the certificate's issuer lists it, "" otherwise."""
    for crl in crls:
        issuer = next((c for c in issuers if c.subject == crl.issuer and c.subject == cert.issuer), None)
        if issuer is None or not crl.is_signature_valid(issuer.public_key()):
            continue
        entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if entry is not None:
            return f"revoked {_utc(entry, 'revocation_date').isoformat()}"
    return ""


def _pdf_signatures(data: bytes, roots: list[x509.Certificate], crls: list[Any], at: Any,
                    tsa_roots: list[x509.Certificate] | None = None) -> list[dict[str, Any]]:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    trust = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in roots]
    reader = PdfFileReader(BytesIO(data), strict=False)
    dss_certs, dss_crls = _dss(reader)
    issuers = [*roots, *dss_certs]
    usage = KeyUsageConstraints(key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False)
    out = []
    others = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in dss_certs]
    tsa_trust = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in tsa_roots or []]
    for sig in reader.embedded_regular_signatures:
        ctx = ValidationContext(trust_roots=trust, allow_fetching=False, revocation_mode="soft-fail",
                                moment=at, other_certs=others)
        # The TSA is judged against the trusted TSA roots alone (none given: every TSA is untrusted); its
        # token is checked as of its own time, so an expired TSA certificate does not undo an old timestamp.
        ts_ctx = ValidationContext(trust_roots=tsa_trust, allow_fetching=False, revocation_mode="soft-fail",
                                   other_certs=others, retroactive_revinfo=True)
        status = validate_pdf_signature(sig, ctx, ts_ctx, key_usage_settings=usage)
        coverage = status.coverage.name if status.coverage is not None else "UNKNOWN"
        level = status.modification_level.name if status.modification_level is not None else "NONE"
        whole = coverage == "ENTIRE_FILE" or (
            coverage == "ENTIRE_REVISION" and level in {"NONE", "LTA_UPDATES", "FORM_FILLING"}
        )
        asn1_cert = status.signing_cert
        cert = x509.load_der_x509_certificate(asn1_cert.dump()) if asn1_cert is not None else None
        ts = status.timestamp_validity
        ts_time = ts.timestamp if ts is not None and ts.intact and ts.valid else None
        tsa = None if ts_time is None else ("trusted TSA" if ts.trusted else "untrusted TSA")
        info: dict[str, Any] = {
            "field": sig.field_name, "intact": bool(status.intact) and bool(status.valid) and whole,
            "trusted_chain": bool(status.trusted), "cert_der": asn1_cert.dump() if asn1_cert is not None else b"",
            "signer": asn1_cert.subject.native.get("common_name", "?") if asn1_cert is not None else "?",
            "subject": asn1_cert.subject.human_friendly if asn1_cert is not None else "?",
            "signing_time": status.signer_reported_dt, "timestamp": ts_time, "status": "valid", "tsa": tsa,
        }
        if cert is not None:
            info["serial"] = f"{cert.serial_number:x}"
            info["issuer"] = cert.issuer.rfc4514_string()
            revoked = _revocation(cert, [*dss_crls, *crls], issuers)
            not_after = _utc(cert, "not_valid_after")
            # An untrusted TSA's time proves nothing: then only the signer's claimed time is left.
            proof = (ts_time if tsa == "trusted TSA" else None) or info["signing_time"]
            when_signed = proof is not None and _valid_at(sig, trust, others, [*dss_crls, *crls], proof, usage)
            if revoked:
                info["status"] = revoked
            elif not_after < at:
                info["status"] = (f"expired {not_after.isoformat()}, valid when signed 签署时有效" if when_signed
                                  else f"expired {not_after.isoformat()}")
            elif not when_signed:
                info["status"] = "certificate not valid when signed 签署时证书无效"
            # the chain is judged on what the package and the PDF carry, not today's date
            info["trusted_chain"] = info["trusted_chain"] or _chains(cert, roots, dss_certs)
        out.append(info)
    return out


def _valid_at(sig: Any, trust: list[Any], others: list[Any], crls: list[Any], moment: Any, usage: Any) -> bool:
    """Was the signer's certificate valid, chained and unrevoked at ``moment`` (the timestamp, else the claimed
    signing time)? Judged with the CRLs the PDF embeds (DSS) and the package carries, fetching nothing."""
    from asn1crypto import crl as asn1_crl
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    ctx = ValidationContext(trust_roots=trust, other_certs=others, allow_fetching=False, moment=moment,
                            crls=[asn1_crl.CertificateList.load(c.public_bytes(Encoding.DER)) for c in crls],
                            revocation_mode="hard-fail", retroactive_revinfo=True)
    return bool(validate_pdf_signature(sig, ctx, ctx, key_usage_settings=usage).trusted)


def _chains(cert: x509.Certificate, roots: list[x509.Certificate], others: list[x509.Certificate]) -> bool:
    current = cert
    for _depth in range(5):
        root = next((r for r in roots if issued_by(current, r)), None)
        if root is not None:
            return True
        parent = next((c for c in others if c != current and issued_by(current, c)), None)
        if parent is None:
            return False
        current = parent
    return False


def _packaged_tsa_roots(pkg: Package) -> list[x509.Certificate] | None:
    data = pkg.files.get("certs/tsa-roots.pem")
    return load_pem_certificates(data) if data else None


def _packaged_crls(pkg: Package) -> list[Any]:
    return [x509.load_der_x509_crl(v) for k, v in sorted(pkg.files.items())
            if k.startswith("certs/") and k.endswith(".crl")]


def _describe(name: str, s: dict[str, Any]) -> str:
    when = s["signing_time"].isoformat() if s["signing_time"] is not None else "-"
    stamp = s["timestamp"].isoformat() if s["timestamp"] is not None else "none"
    if s.get("tsa") == "trusted TSA":
        stamp += " (trusted TSA 时间戳机构可信)"
    elif s.get("tsa"):
        stamp += " (untrusted TSA 时间戳机构不受信任)"
    return (f"{name} [{s['field']}] signer 签署人 {s['signer']}; certificate 证书 serial {s.get('serial', '?')} "
            f"issuer {s.get('issuer', '?')}; signing time 签署时间 {when}; timestamp 时间戳 {stamp}; "
            f"intact 完好 {'yes 是' if s['intact'] else 'NO 否'}; status 状态 {s['status']}"
            f"{'' if s['trusted_chain'] else ' (not chained to packaged root)'}")


def check_pdf_signatures(pkg: Package, at: Any = None, tsa_roots: list[x509.Certificate] | None = None
                         ) -> tuple[str, str]:
    """Every signature of every packaged PDF: intact, who, which certificate, when, revoked/expired —
    judged with the validation data embedded in the PDF (DSS) and the CRLs in certs/, at ``at`` (now).
    Timestamps: their TSA is "trusted" when it chains to ``tsa_roots`` (the verifier's ``--tsa-roots``), else
    to the roots the company configured and packaged (``certs/tsa-roots.pem``); otherwise "untrusted TSA"."""
    import datetime as dt

    try:
        import pyhanko  # noqa: F401
    except ImportError:
        return "skipped", "pyHanko not installed (pip install pyHanko) — PDF signatures not checked"
    at = at or dt.datetime.now(dt.UTC)
    docs = [(d["file"], d.get("role", "")) for d in pkg.manifest.get("documents", [])]
    docs = [(name, role) for name, role in docs if name.lower().endswith(".pdf")]
    docs.append(("completion.pdf", "signed"))
    from cryptography.hazmat.primitives.serialization import Encoding

    certs = pkg.certs or _load_certs(pkg)
    roots = [c for c in certs if c.issuer == c.subject] or certs
    crls = _packaged_crls(pkg)
    tsa_trust = tsa_roots if tsa_roots is not None else _packaged_tsa_roots(pkg)
    notes = []
    untrusted = 0
    for name, role in docs:
        try:
            sigs = _pdf_signatures(pkg.files[name], roots, crls, at, tsa_trust)
        except Exception as exc:  # any parser error means the signature cannot be relied on
            raise Invalid(f"{name}: PDF signature cannot be validated ({exc})") from exc
        if not sigs:
            if role == "signed":
                raise Invalid(f"{name}: no PDF signature found")
            notes.append(f"{name}: unsigned ({role})")
        for s in sigs:
            if not s["intact"]:
                raise Invalid(f"{name}: PDF signature {s['field']!r} is not intact (document modified)")
            if name == "completion.pdf" and s["cert_der"] != certs[0].public_bytes(Encoding.DER):
                raise Invalid("completion.pdf is not sealed by the packaged company certificate")
            if s["status"].startswith("revoked"):
                raise Invalid(f"{name}: the certificate of signature {s['field']!r} ({s['signer']}, serial "
                              f"{s.get('serial')}) was {s['status']}")
            notes.append(_describe(name, s))
            pkg.info.append("签名 Signature: " + _describe(name, s))
            untrusted += s.get("tsa") == "untrusted TSA"
    if untrusted:
        where = "the given --tsa-roots" if tsa_roots is not None else (
            "the packaged certs/tsa-roots.pem" if tsa_trust else "no trusted TSA root configured")
        pkg.info.append(f"注意 Note: {untrusted} 个时间戳的时间戳机构不受信任 / timestamp(s) by an untrusted TSA "
                        f"({where}); their time is not used as proof of the signing time")
    return "ok", f"{len(notes)} signatures checked"


CHECKS = [
    ("清单哈希", "manifest hashes", check_manifest),
    ("事件哈希", "event hashes", check_events),
    ("哈希链", "hash chain links", check_chain),
    ("事件完整性", "package completeness", check_completeness),
    ("默克尔包含证明", "inclusion proofs", check_inclusion),
    ("检查点签名", "checkpoint signature", check_checkpoint),
    ("检查点历史", "checkpoint history", check_history),
    ("可信时间戳", "RFC 3161 timestamp", check_timestamp),
    ("文件哈希", "document hashes", check_documents),
    ("PDF 签名", "PDF signatures (PAdES)", check_pdf_signatures),
]


def read_zip(data: bytes) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(BytesIO(data)) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            if info.file_size > MAX_MEMBER:
                raise ValueError(f"{info.filename} is too large")
            if info.filename in files:
                raise ValueError(f"{info.filename} appears twice in the zip")
            files[info.filename] = zf.read(info)
    return files


def check_fingerprint(pkg: Package, expected: str) -> str:
    certs = pkg.certs or _load_certs(pkg)
    got = certs[0].fingerprint(hashes.SHA256()).hex()
    if got != expected.replace(":", "").replace(" ", "").lower():
        raise Invalid(f"the packaged signing certificate ({got}) is not the expected one")
    return "matches the expected fingerprint"


def verify_package(data: bytes, *, expect_fingerprint: str | None = None,
                   known_checkpoint: dict[str, Any] | None = None, at: Any = None,
                   tsa_roots: list[x509.Certificate] | None = None) -> Result:
    """Run every check on the package bytes. A check that cannot run because an earlier one failed
    (its input is missing or unreadable) is reported as skipped."""
    check_environment()
    result = Result()
    pkg = Package(files=read_zip(data))
    checks = list(CHECKS)
    if at is not None or tsa_roots is not None:  # certificates at another time (e.g. years on), own TSA roots
        checks = [(zh, en, (lambda p: check_pdf_signatures(p, at, tsa_roots)) if fn is check_pdf_signatures
                   else fn) for zh, en, fn in checks]
    if expect_fingerprint:
        checks.append(("证书指纹", "certificate fingerprint", lambda p: check_fingerprint(p, expect_fingerprint)))
    if known_checkpoint is not None:
        checks.append(("已知检查点", "kept checkpoint", lambda p: check_known_checkpoint(p, known_checkpoint)))
    for zh, en, fn in checks:
        check = Check(zh, en)
        try:
            out = fn(pkg)
            if isinstance(out, tuple):
                check.status, check.detail = out
            else:
                check.detail = out
        except Invalid as exc:
            check.status, check.detail = "fail", str(exc)
        except AttributeError as exc:
            if isinstance(getattr(exc, "obj", None), types.ModuleType):
                # A library function this Python lacks: the environment's fault, not the package's.
                raise EnvironmentProblem(f"{NEEDS} ({exc})") from exc
            check.status, check.detail = _malformed(result, exc)
        except (KeyError, TypeError, ValueError, IndexError, StopIteration) as exc:
            check.status, check.detail = _malformed(result, exc)
        result.checks.append(check)
    result.info.extend(pkg.info)
    return result


def _malformed(result: Result, exc: Exception) -> tuple[str, str]:
    if result.first_failure is not None:
        return "skipped", "not run: an earlier check failed"
    return "fail", f"malformed package: {exc!r}"


LABEL = {"ok": "通过 OK  ", "fail": "失败 FAIL", "skipped": "跳过 SKIP"}


def format_report(result: Result, name: str, manifest_title: str = "") -> str:
    lines = ["HRGuard 证据包离线验证 / Evidence package offline verification", f"文件 File: {name}"]
    if manifest_title:
        lines.append(f"标题 Title: {manifest_title}")
    for c in result.checks:
        lines.append(f"[{LABEL[c.status]}] {c.zh} / {c.en}: {c.detail}")
    lines.extend(result.info)
    if result.ok:
        lines.append("结论 Result: 有效 VALID — 证据包未被篡改 / the package is intact and consistent")
    else:
        first = result.first_failure
        assert first is not None
        lines.append(f"结论 Result: 无效 INVALID — 首个失败 first failure: {first.zh} / {first.en}: {first.detail}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    expected = None
    if "--expect-fingerprint" in args:
        at = args.index("--expect-fingerprint")
        expected = args[at + 1] if at + 1 < len(args) else ""
        del args[at : at + 2]
    known_path = None
    if "--checkpoint" in args:
        at = args.index("--checkpoint")
        known_path = args[at + 1] if at + 1 < len(args) else ""
        del args[at : at + 2]
    at = None
    if "--at" in args:  # judge the certificates as of another date, e.g. --at 2031-01-01T00:00:00+00:00
        pos = args.index("--at")
        when = args[pos + 1] if pos + 1 < len(args) else ""
        del args[pos : pos + 2]
        try:
            import datetime as dt

            at = dt.datetime.fromisoformat(when)
            at = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
        except ValueError:
            known_path = ""  # print the usage
    tsa_path = None
    if "--tsa-roots" in args:  # PEM file of the TSA roots the verifier trusts
        pos = args.index("--tsa-roots")
        tsa_path = args[pos + 1] if pos + 1 < len(args) else ""
        del args[pos : pos + 2]
    if len(args) != 1 or args[0] in ("-h", "--help") or expected == "" or known_path == "" or tsa_path == "":
        print("用法 usage: python3 verify.py PACKAGE.zip [--expect-fingerprint SHA256_HEX] "
              "[--checkpoint CHECKPOINT.json] [--at ISO-DATETIME] [--tsa-roots TSA-ROOTS.pem]", file=sys.stderr)
        return 2
    try:
        tsa_roots = None
        if tsa_path:
            with open(tsa_path, "rb") as fh:
                tsa_roots = load_pem_certificates(fh.read())
        with open(args[0], "rb") as fh:
            data = fh.read()
        known = None
        if known_path:
            with open(known_path, encoding="utf-8") as fh:
                known = json.load(fh)
        result = verify_package(data, expect_fingerprint=expected, known_checkpoint=known, at=at,
                                tsa_roots=tsa_roots)
        title = json.loads(read_zip(data).get("manifest.json", b"{}")).get("title", "")
    except EnvironmentProblem as exc:
        print(f"无法验证（不是结论）CANNOT VERIFY (no verdict): {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        print(f"无法读取证据包 / cannot read the package: {exc}", file=sys.stderr)
        return 2
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    print(format_report(result, args[0], title))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
