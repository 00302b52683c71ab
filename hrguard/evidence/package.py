"""Evidence packages: one zip per case that an arbitrator can verify offline with one command.

Entry point (called e.g. by the documents/e-signature service when a signing case completes)::

    build_package(company, *, title: str, events: Iterable[EvidenceEvent],
                  documents: Sequence[tuple[str, bytes, str]], actor, employee=None) -> bytes

* ``company``: Company instance or id; every event must belong to it.
* ``title``: the case, e.g. "张测试 解除劳动合同通知书 签署".
* ``events``: the case's EvidenceEvent rows (queryset or list, any order; re-read from the database).
* ``documents``: ``(filename, bytes, role)`` with role ``"original"`` (unsigned PDF), ``"signed"``
  (PAdES-signed PDF, its signature is checked) or any other word (attachment, notice…). A repeated
  file name gets a ``-2``, ``-3``… suffix.
* ``actor``: the user building the package (or None for the system); ``employee`` (instance or id)
  whom the case concerns, for the timeline (default: the single employee the events concern, if any).

Side effects: records an ``evidence.package_built`` event (listing the event seqs and the documents'
SHA-256) in its own transaction, then issues a signed checkpoint if none covers it. Returns the zip:

    README.txt         how to verify (Chinese, then English)
    verify.py          the offline verifier as one file (offline/bundle.py; needs only `cryptography`)
    manifest.json      SHA-256 and size of every other file, documents and their roles
    events.jsonl       the canonical records exactly as hashed, in seq order
    proofs.json        per event: hash, prev_hash and the RFC 6962 audit path to the checkpoint root
    checkpoint.json    signed statement (tree size, root), signature, RFC 3161 token (hex) if any
    history.json       the signed checkpoints before it, each with its consistency proof from the one
                       before: a checkpoint someone kept (sent to the admins, published) can be matched
    certs/             company signing certificate and its root (PEM)
    documents/…        the PDFs
    completion.pdf     Chinese certificate of completion, PAdES-sealed by the company key
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from django.conf import settings
from django.db import transaction

from . import checkpoints, merkle
from .completion import SHANGHAI, PackagedDocument, render_completion
from .models import Checkpoint, EvidenceEvent
from .offline import bundle as offline_bundle
from .offline import verify as offline_verify
from .services import Subject, record

PACKAGE_ACTION = offline_verify.PACKAGE_ACTION
SIGNING_CERT = "certs/company-signing.pem"
ROOT_CERT = "certs/company-root.pem"


class PackageError(ValueError):
    """The inputs cannot form a package (foreign events, bad file names…)."""


def _safe_name(filename: str) -> str:
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()
    if not name or name in (".", ".."):
        raise PackageError(f"invalid document file name {filename!r}")
    return name


def _documents(documents: Sequence[tuple[str, bytes, str]]) -> list[tuple[PackagedDocument, bytes]]:
    out: list[tuple[PackagedDocument, bytes]] = []
    seen: set[str] = set()
    for filename, data, role in documents:
        name = _safe_name(filename)
        path, n = f"documents/{name}", 1
        while path in seen:  # same file name from several envelopes: 原件.pdf, 原件-2.pdf, …
            n += 1
            stem, dot, ext = name.rpartition(".")
            path = f"documents/{stem}-{n}.{ext}" if dot and stem else f"documents/{name}-{n}"
        seen.add(path)
        out.append((PackagedDocument(path, role, hashlib.sha256(data).hexdigest(), len(data)), data))
    return out


def _case_events(company_id: int, events: Iterable[EvidenceEvent]) -> list[int]:
    seqs: set[int] = set()
    for event in events:
        if event.company_id != company_id:
            raise PackageError(f"event #{event.seq} belongs to another company")
        seqs.add(event.seq)
    return sorted(seqs)


# The names of the employees a package concerns, for its completion certificate. The people app sits
# above evidence and registers the lookup ``(company_id, employee_ids) -> names`` (``register_party_names``).
PartyNames = Callable[[int, set[int]], list[str]]
_PARTY_NAMES: list[PartyNames] = []


def register_party_names(lookup: PartyNames) -> None:
    _PARTY_NAMES[:] = [lookup]


def _parties(company_id: int, employee_ids: set[int]) -> dict[int, str]:
    """``{employee id: name}`` of the people the case's events concern (one lookup per person: the
    certificate attributes each signer's own steps to them; a case has at most a few dozen people)."""
    if not employee_ids or not _PARTY_NAMES:
        return {}
    lookup = _PARTY_NAMES[0]
    found = {eid: lookup(company_id, {eid}) for eid in sorted(employee_ids)}
    return {eid: names[0] for eid, names in found.items() if names}


def readme(title: str, package_name: str = "证据包.zip") -> str:
    return f"""HRGuard 证据包 — {title}
=====================================================

一、如何离线验证（仲裁员/法官/律师）
1. 安装 Python 3.10 或以上版本及一个依赖 cryptography 38 或以上版本：
       Debian/Ubuntu：apt install python3 python3-cryptography   其他系统：pip install "cryptography>=38"
   （可选：pip install pyHanko，用于同时检查 PDF 电子签名；未安装时该项显示“跳过”。）
2. 从本压缩包中取出 verify.py，在命令行运行一条命令：
       python3 verify.py {package_name}
3. 结论“有效 VALID”表示：所有文件与清单一致；每条事件记录的哈希、哈希链与默克尔包含证明均正确；
   检查点由公司签名证书（certs/）签名；文件哈希与证据日志记录一致；PDF 签名完好。
   任何一处被改动，程序都会给出“无效 INVALID”并指出第一个失败的检查项。
4. 请将验证程序显示的签名证书指纹与公司公开的证书指纹核对；也可直接指定：
       python3 verify.py {package_name} --expect-fingerprint <公司公布的 SHA-256 指纹>
5. 如持有公司此前发出或公布的检查点文件（如发给管理员的 checkpoint-*.json），可核对本证据包与其一致：
       python3 verify.py {package_name} --checkpoint <检查点文件>

文件说明：events.jsonl 为原始规范记录（按序号排列）；proofs.json 为哈希链与默克尔包含证明；
checkpoint.json 为签名检查点（含 RFC 3161 时间戳，如已配置）；
history.json 为此前各检查点及其一致性证明；certs/ 为公司签名证书；
documents/ 为原始文件与签署文件；completion.pdf 为证据完成证明（已加盖电子签章）；
manifest.json 为全部文件的 SHA-256 清单。

-----------------------------------------------------
HRGuard evidence package — {title}

How to verify offline (arbitrator, judge, counsel)
1. Install Python 3.10+ and one dependency, cryptography 38 or later:
       Debian/Ubuntu: apt install python3 python3-cryptography   elsewhere: pip install "cryptography>=38"
   (optional: pip install pyHanko to also check the PDF signatures; otherwise reported as skipped).
2. Extract verify.py from this zip and run ONE command:
       python3 verify.py {package_name}
3. "VALID" means: every file matches the manifest; each event record's hash, the hash chain and the
   RFC 6962 inclusion proofs are correct; the checkpoint is signed by the company certificate in
   certs/; the documents' hashes equal those recorded in the evidence log; the PDF signatures are
   intact. Any change makes it print "INVALID" and name the first failing check (exit status 1).
4. Compare the signing certificate fingerprint it prints with the one the company publishes, or pin it:
       python3 verify.py {package_name} --expect-fingerprint <published SHA-256 fingerprint>
5. If you hold a checkpoint file the company sent or published earlier (e.g. checkpoint-*.json sent to
   its administrators), check that this package's log is consistent with it:
       python3 verify.py {package_name} --checkpoint <checkpoint file>
"""


def _proofs(company_id: int, seqs: list[int], cp: Checkpoint, tree: list[bytes] | None) -> list[list[str]]:
    if tree is None:
        tree = checkpoints.leaves(company_id, cp.tree_size)
    proofs = merkle.inclusion_proofs(seqs, tree)
    # Any audit path recomputes the root: cheap proof that the log still matches the signed checkpoint.
    if merkle.root_from_inclusion(seqs[0], cp.tree_size, tree[seqs[0]], proofs[0]).hex() != cp.root:
        raise PackageError("the evidence log no longer matches its checkpoint — run `manage.py verify`")
    return [[h.hex() for h in path] for path in proofs]


def _history(company_id: int, cp: Checkpoint) -> dict[str, Any]:
    """The chain of signed checkpoints ending at ``cp``, oldest first, walked back through the statements'
    ``previous`` links (each with the stored consistency proof from its predecessor). Certificates are
    listed once by SHA-256; version-1 statements (no link) end the walk."""
    by_head = {(c.tree_size, c.root): c for c in checkpoints.up_to(company_id, cp.tree_size)}
    chain, current, certs = [], cp, {}
    while current is not None:
        pem = current.certificate.encode()
        digest = hashlib.sha256(pem).hexdigest()
        certs[digest] = current.certificate
        chain.append({
            "tree_size": current.tree_size, "root": current.root, "issued_at": current.issued_at,
            "statement": current.statement, "signature": current.signature, "certificate": digest,
            "consistency": json.loads(current.consistency or "[]"),
        })
        previous = json.loads(current.statement).get("previous")
        current = by_head.get((previous["tree_size"], previous["root"])) if previous else None
    chain.reverse()
    return {"company": company_id, "checkpoints": chain, "certificates": certs}


def build_package(
    company: Any,
    *,
    title: str,
    events: Iterable[EvidenceEvent],
    documents: Sequence[tuple[str, bytes, str]],
    actor: Any,
    employee: Any = None,
    certificates: dict[str, bytes] | None = None,
    appendices: Sequence[Any] = (),
) -> bytes:
    """Build the evidence package zip for one case (see the module docstring). ``certificates`` adds
    files under ``certs/`` (e.g. the signing CA of employees' event certificates and its current CRL);
    ``appendices`` are report sections added at the end of the certificate of completion."""
    from hrguard.core.models import Company

    company_obj = company if isinstance(company, Company) else Company.objects.get(pk=company)
    company_id = company_obj.pk
    if not title.strip():
        raise PackageError("title is required")
    docs = _documents(documents)
    case_seqs = _case_events(company_id, events)
    package_id = uuid.uuid4().hex
    rows = {e.seq: e for e in EvidenceEvent.objects.filter(company_id=company_id, seq__in=case_seqs)}
    employee_ids = {e.employee_id for e in rows.values() if e.employee_id is not None}
    if employee is None and len(employee_ids) == 1:
        employee = next(iter(employee_ids))
    with transaction.atomic():
        built = record(
            company_obj, actor, PACKAGE_ACTION, Subject("evidence.package", package_id),
            {
                "title": title, "events": case_seqs,
                "documents": [{"file": d.file, "role": d.role, "sha256": d.sha256, "size": d.size} for d, _ in docs],
            },
            employee=employee,
        )
    cp = checkpoints.covering(company_id, built.seq + 1)
    tree: list[bytes] | None = None
    if cp is None:
        cp, tree = checkpoints.issue_with_leaves(
            company_id, checkpoints.company_signer(company_id), checkpoints.configured_timestamper()
        )
    rows[built.seq] = built
    seqs = sorted(rows)
    ordered = [rows[s] for s in seqs]
    identity = checkpoints.company_identity(company_id)
    leaf_pem = identity.cert.public_bytes(serialization.Encoding.PEM)
    root_pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in identity.chain)
    if not checkpoints.verify_statement(cp.statement.encode(), bytes.fromhex(cp.signature), leaf_pem):
        # The checkpoint was signed by an earlier company key: package the certificate that signed it.
        leaf_pem = cp.certificate.encode()
    records = [e.record for e in ordered]
    checkpoint_doc = {
        "company": company_id, "tree_size": cp.tree_size, "root": cp.root, "issued_at": cp.issued_at,
        "statement": cp.statement, "signature": cp.signature, "algorithm": "ECDSA P-256 SHA-256 (DER, hex)",
        "timestamp_token": cp.timestamp_token,
    }
    proofs = {
        "tree_size": cp.tree_size, "root": cp.root,
        "events": [
            {"seq": e.seq, "hash": e.hash, "prev_hash": e.prev_hash, "leaf_index": e.seq, "audit_path": path}
            for e, path in zip(ordered, _proofs(company_id, seqs, cp, tree), strict=True)
        ],
    }
    from cryptography import x509

    fingerprint = x509.load_pem_x509_certificate(leaf_pem).fingerprint(hashes.SHA256()).hex()
    people = _parties(company_id, employee_ids)
    completion = render_completion(
        company_name=company_obj.name, title=title, package_id=package_id, documents=[d for d, _ in docs],
        records=[json.loads(t) for t in records], record_hashes=[e.hash for e in ordered],
        parties=list(people.values()), people=people, checkpoint=checkpoint_doc,
        certificate_fingerprint=fingerprint, identity=identity,
        timestamp_url=getattr(settings, "HRGUARD_TSA_URL", None) or None, appendices=appendices,
    )
    files: dict[str, bytes] = {
        "README.txt": readme(title).encode("utf-8"),
        "verify.py": offline_bundle.script(),
        "events.jsonl": "".join(t + "\n" for t in records).encode("utf-8"),
        "proofs.json": _dump(proofs),
        "checkpoint.json": _dump(checkpoint_doc),
        "history.json": _dump(_history(company_id, cp)),
        SIGNING_CERT: leaf_pem,
        ROOT_CERT: root_pem,
        "completion.pdf": completion,
    }
    for d, data in docs:
        files[d.file] = data
    for name, data in (certificates or {}).items():
        if "/" in name or name in ("company-signing.pem", "company-root.pem"):
            raise PackageError(f"bad certificate file name {name!r}")
        files[f"certs/{name}"] = data
    manifest = {
        "format": offline_verify.FORMAT, "version": 1, "package_id": package_id, "title": title,
        "company": {"id": company_id, "name": company_obj.name},
        "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "package_event_seq": built.seq, "signing_certificate": SIGNING_CERT,
        "checkpoint": {"tree_size": cp.tree_size, "root": cp.root},
        "documents": [{"file": d.file, "role": d.role, "sha256": d.sha256} for d, _ in docs],
        "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for name, data in sorted(files.items())},
    }
    files["manifest.json"] = _dump(manifest)
    return write_zip(files)


def _dump(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def write_zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    stamp = dt.datetime.now(dt.UTC).astimezone(SHANGHAI).timetuple()[:6]
    first = ("README.txt", "verify.py", "manifest.json")
    order = [n for n in first if n in files] + sorted(n for n in files if n not in first)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in order:
            zf.writestr(zipfile.ZipInfo(name, date_time=stamp), files[name],
                        compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
