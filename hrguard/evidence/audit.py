"""Checkpoints against the chain and against each other, for ``hrguard verify`` and before issuing.

Each stored checkpoint must be signed by the company's key over a statement equal to its columns; the
chain's first ``tree_size`` records must hash to its root (so deleted events, a rewound chain head or
a rewritten history contradict it); a version 2 checkpoint must name the previous one and carry an
RFC 6962 consistency proof from it. A checkpoint exported outside the database (a file, see
export.py) is checked the same way, and must still be in the database."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509

from . import merkle
from .chain import ChainReport
from .models import Checkpoint
from .offline.verify import issued_by, load_pem_certificates


@dataclass
class Exported:
    """A checkpoint read from a file outside the database (``error`` says why it is unusable)."""

    path: Path
    company: int | None = None
    tree_size: int = 0
    root: str = ""
    issued_at: str = ""
    statement: str = ""
    signature: str = ""
    certificate: str = ""
    error: str | None = None


def exported_for(company_id: int) -> list[Path]:
    from .export import latest_path

    path = latest_path(company_id)
    return [path] if path.exists() else []


def companies_with_exports() -> set[int]:
    from .export import checkpoint_dir

    ids = set()
    for path in checkpoint_dir().glob("company-*.json"):
        number = path.stem.removeprefix("company-")
        if number.isdigit():
            ids.add(int(number))
    return ids


def load_exported(path: Path) -> Exported:
    doc = Exported(path=Path(path))
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        doc.company = int(data["company"])
        doc.tree_size = int(data["tree_size"])
        doc.root, doc.issued_at = str(data["root"]), str(data["issued_at"])
        doc.statement, doc.signature = str(data["statement"]), str(data["signature"])
        doc.certificate = str(data["certificate"])
    except OSError as exc:
        doc.error = f"cannot be read ({exc.strerror or exc})"
    except (ValueError, KeyError, TypeError) as exc:
        doc.error = f"is not an HRGuard checkpoint file ({exc!r})"
    return doc


def company_trust(company_id: int) -> list[x509.Certificate] | None:
    """The company's signing certificate and its chain, without creating keys (None if there are none)."""
    from django.conf import settings

    from . import checkpoints

    if not getattr(settings, "HRGUARD_SIGNING_IDENTITY", None):
        folder = Path(settings.HRGUARD_KEYS_DIR) / "signing" / f"company-{company_id}"
        if not (folder / "signer.cert.pem").exists():
            return None
    identity = checkpoints.company_identity(company_id)
    return [identity.cert, *identity.chain]


def signature_problem(
    company_id: int, fields: dict[str, Any], statement: str, signature: str, certificate: str,
    trust: list[x509.Certificate] | None,
) -> str | None:
    """Why a checkpoint's signature cannot be relied on (None if it can)."""
    from .checkpoints import verify_statement

    try:
        signed = json.loads(statement)
        certs = load_pem_certificates(certificate.encode())
        good = verify_statement(statement.encode(), bytes.fromhex(signature), certificate.encode())
    except (ValueError, TypeError) as exc:
        return f"its statement, signature or certificate is unreadable ({exc})"
    if not isinstance(signed, dict) or any(signed.get(k) != v for k, v in fields.items()):
        return "its stored size/root/time differ from the signed statement"
    if signed.get("company") != company_id:
        return "it was signed for another company"
    if not good:
        return "its signature does not verify"
    if trust is None:
        return "the company signing key is missing from HRGUARD_KEYS_DIR, so its signer cannot be checked"
    leaf = certs[0]
    if leaf != trust[0] and not any(issued_by(leaf, ca) for ca in trust[1:]):
        return f"it is signed by {leaf.subject.rfc4514_string()}, not by the company's key"
    return None


def _describe(cp: Checkpoint) -> str:
    return f"checkpoint #{cp.pk} (tree size {cp.tree_size}, root {cp.root[:16]}…, issued {cp.issued_at})"


def _against_chain(report: ChainReport, name: str, size: int, root: str, chain_complete: bool) -> None:
    got = report.prefix_roots.get(size)
    if got is not None:
        if got.hex() != root:
            report.fail_checkpoint(
                f"{name}: the chain's first {size} events hash to {got.hex()[:16]}…, not to the signed root "
                "(history rewritten)"
            )
    elif chain_complete and size > report.checked:
        report.fail_checkpoint(
            f"{name} covers {size} events but the chain holds only {report.checked} "
            "(events deleted or the chain head rewound)"
        )


def check_checkpoints(
    report: ChainReport, company_id: int, stored: Sequence[Checkpoint], *, chain_complete: bool
) -> None:
    trust = company_trust(company_id) if stored else None
    report.checkpoints_checked += len(stored)
    previous: Checkpoint | None = None
    for cp in stored:
        name = _describe(cp)
        fields = {"tree_size": cp.tree_size, "root": cp.root, "issued_at": cp.issued_at, "company": cp.company_id}
        problem = signature_problem(company_id, fields, cp.statement, cp.signature, cp.certificate, trust)
        if problem:
            report.fail_checkpoint(f"{name}: {problem}")
        _against_chain(report, name, cp.tree_size, cp.root, chain_complete)
        _against_previous(report, name, cp, previous)
        previous = cp


def _against_previous(report: ChainReport, name: str, cp: Checkpoint, previous: Checkpoint | None) -> None:
    try:
        signed = json.loads(cp.statement)
    except ValueError:
        return  # reported by the signature check
    if not isinstance(signed, dict) or signed.get("version", 1) < 2:
        return  # version 1 statements do not name their predecessor; the chain comparison covers them
    expected = {"tree_size": previous.tree_size, "root": previous.root} if previous is not None else None
    named = signed.get("previous")
    if named != expected:
        after = f"a checkpoint of size {named['tree_size']}" if isinstance(named, dict) else "no checkpoint"
        stored = _describe(previous) if previous is not None else "none"
        report.fail_checkpoint(
            f"{name} was issued after {after}, but the previous stored checkpoint is {stored} "
            "(a checkpoint was removed or replaced)"
        )
        return
    if previous is None:
        return
    try:
        proof = [bytes.fromhex(h) for h in json.loads(cp.consistency or "[]")]
    except (ValueError, TypeError):
        proof = []
    if not merkle.verify_consistency(
        previous.tree_size, cp.tree_size, bytes.fromhex(previous.root), bytes.fromhex(cp.root), proof
    ):
        report.fail_checkpoint(f"{name} contradicts {_describe(previous)}: the consistency proof does not verify")


def check_exported(
    report: ChainReport, company_id: int, doc: Exported, stored: Sequence[Checkpoint], *, chain_complete: bool
) -> None:
    """The database against a checkpoint exported outside it."""
    name = f"exported checkpoint {doc.path} (tree size {doc.tree_size}, issued {doc.issued_at})"
    report.exported_checked += 1
    if doc.error is not None:
        report.fail_checkpoint(f"exported checkpoint {doc.path} {doc.error}")
        return
    if doc.company != company_id:
        report.fail_checkpoint(f"{name} belongs to company {doc.company}, not {company_id}")
        return
    fields = {"tree_size": doc.tree_size, "root": doc.root, "issued_at": doc.issued_at, "company": doc.company}
    problem = signature_problem(company_id, fields, doc.statement, doc.signature, doc.certificate,
                                company_trust(company_id))
    if problem:
        report.fail_checkpoint(f"{name}: {problem}")
        return
    before = len(report.checkpoint_problems)
    _against_chain(report, name, doc.tree_size, doc.root, chain_complete)
    if len(report.checkpoint_problems) == before and not any(
        cp.tree_size == doc.tree_size and cp.root == doc.root and cp.statement == doc.statement for cp in stored
    ):
        report.fail_checkpoint(f"{name} is missing from the database's checkpoints (removed or replaced)")
