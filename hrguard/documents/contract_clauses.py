"""Labor contracts signed electronically with each key clause acknowledged separately (issue 12 §1).

At sending, the key clauses of each person's newest contract (``people`` contract clauses marked key) are
frozen into the envelope: id, title, text and the SHA-256 of ``title + "\\n" + text`` (UTF-8). The signing
page shows each with its own checkbox; ``signer.sign`` refuses unless every one is ticked, and writes one
``documents.clause_acknowledged`` event per clause (clause id, title, text hash, time, IP, device) in the
signing transaction, before ``documents.signed``. The evidence package's certificate of completion lists
them (``completion_section``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from hrguard.evidence.completion import shanghai_time
from hrguard.platform.pdf.render import ReportSection

from . import variables
from .models import DocumentKind, Envelope

ACTION = "documents.clause_acknowledged"


def text_sha256(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def applies(version: Any) -> bool:
    return bool(version.template.kind == DocumentKind.LABOR_CONTRACT)


def frozen_for(employee_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each employee's key clauses of their newest contract, as stored in ``Envelope.key_clauses``."""
    from hrguard.people.models import ContractClause

    contracts = variables.latest_contracts(employee_ids)
    owner = {c.pk: emp_id for emp_id, c in contracts.items()}
    out: dict[int, list[dict[str, Any]]] = {emp_id: [] for emp_id in contracts}
    ids = list(owner)
    for start in range(0, len(ids), 5000):  # one query per 5,000 contracts
        for c in ContractClause.objects.filter(contract_id__in=ids[start:start + 5000], is_key=True).order_by(
                "contract_id", "order", "id"):
            out[owner[c.contract_id]].append(
                {"id": c.pk, "title": c.title, "body": c.body, "sha256": text_sha256(c.title, c.body)})
    return out


def missing(envelope: Envelope, acknowledged: Iterable[str]) -> list[dict[str, Any]]:
    """The key clauses not ticked (an unknown id in ``acknowledged`` counts for nothing)."""
    ticked = {str(a).strip() for a in acknowledged}
    return [c for c in envelope.key_clauses or [] if str(c["id"]) not in ticked]


def refusal(left: Sequence[dict[str, Any]]) -> str:
    return _("Please acknowledge each key clause separately before signing: %(titles)s.") % {
        "titles": "、".join(f"《{c['title']}》" for c in left)}


def record(envelope: Envelope, now: dt.datetime, write: Callable[[Envelope, str, dict[str, Any]], None],
           ctx: dict[str, str]) -> list[int]:
    """One evidence event per key clause (inside the caller's signing transaction); returns the clause ids."""
    ids = []
    for clause in envelope.key_clauses or []:
        write(envelope, ACTION, {
            "clause_id": clause["id"], "clause_title": clause["title"], "clause_sha256": clause["sha256"],
            "acknowledged_at": now, **ctx,
        })
        ids.append(int(clause["id"]))
    return ids


def completion_section(events: Iterable[Any]) -> ReportSection | None:
    """附：已单独确认的关键条款 — for the certificate of completion, from the package's events."""
    import json

    rows = []
    for event in events:
        if event.action != ACTION:
            continue
        record_ = json.loads(event.record)
        data = record_.get("data") or {}
        rows.append([str(event.seq), str(data.get("clause_title", "")), shanghai_time(str(record_["at"])),
                     str(data.get("clause_sha256", ""))])
    if not rows:
        return None
    return ReportSection(
        heading="附：员工已逐条确认的关键条款",
        paragraphs=["每一关键条款在签署页面单独勾选确认；条款文本哈希为 SHA-256（标题 + 换行 + 正文，UTF-8）。"],
        columns=["事件序号", "条款", "确认时间（北京时间）", "条款文本 SHA-256"],
        rows=rows, widths=[0.1, 0.2, 0.2, 0.5],
    )
