"""Re-check the evidence log in the database (``hrguard verify``).

Per company: the hash chain (chain.verify_rows); every column the pages show or query (``at``, actor,
``action``, subject, ``employee_id``, company) against the hashed record; the chain head; and every
stored checkpoint, plus the copy exported outside the database (see audit.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connection

from . import audit
from .chain import ChainReport, verify_rows
from .models import ChainHead, Checkpoint, EvidenceEvent

COLUMNS = (
    "seq, record, hash, prev_hash, company_id, at, actor_id, actor_name, action, subject_type, subject_id, "
    "employee_id"
)


def _stream(company_id: int, batch: int = 5000) -> Iterator[tuple[Any, ...]]:
    table = EvidenceEvent._meta.db_table
    sql = (
        f"SELECT {COLUMNS} FROM {table} "  # noqa: S608 - table name from model meta
        "WHERE company_id = %s ORDER BY seq"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [company_id])
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                return
            yield from rows


def _at_text(value: Any) -> str:
    """A stored ``at`` as the record writes it (UTC, microseconds, ``Z``)."""
    if isinstance(value, str):  # a backend without datetime conversion
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    text = value.isoformat()
    return f"{text}Z" if value.microsecond else f"{text}.000000Z"


COLUMN_NAMES = ("company_id", "actor_id", "actor_name", "action", "subject_type", "subject_id", "employee_id", "at")


def column_mismatch(row: tuple[Any, ...]) -> str | None:
    """Which stored column disagrees with the hashed record (None if every one agrees)."""
    _seq, text, _h, _p, company_id, at, actor_id, actor_name, action, subject_type, subject_id, employee_id = row
    try:
        record = json.loads(text)
    except ValueError:
        return None  # not JSON: the hash check reports the row
    if not isinstance(record, dict):
        return None
    actor = record.get("actor")
    if not isinstance(actor, dict):
        actor = {}
    s_type, _colon, s_id = str(record.get("subject") or "").partition(":")
    want = (record.get("company"), actor.get("id"), actor.get("name") or "", record.get("action"), s_type, s_id,
            record.get("employee"), record.get("at"))
    stored = (company_id, actor_id, actor_name or "", action, subject_type or "", subject_id or "", employee_id,
              _at_text(at))
    if stored == want:
        return None
    name, got, expected = next(c for c in zip(COLUMN_NAMES, stored, want, strict=True) if c[1] != c[2])
    return f"column {name} ({got!r}) differs from the hashed record ({expected!r}) (edited)"


class _ColumnCheck:
    """Wraps the row stream: checks the copied columns, stops before the first row that disagrees."""

    def __init__(self) -> None:
        self.failure: tuple[int, str] | None = None

    def rows(self, stream: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, str, str, str]]:
        for row in stream:
            problem = column_mismatch(row)
            if problem is not None:
                self.failure = (row[0], problem)
                return
            yield row[0], row[1], row[2], row[3]


def verify_company(company_id: int, exported: list[Path] | None = None) -> ChainReport:
    """Check one company's log. ``exported``: checkpoint files to check it against (default: the copy
    in ``HRGUARD_CHECKPOINT_DIR``, if there is one)."""
    stored = list(Checkpoint.objects.filter(company_id=company_id).order_by("tree_size", "id"))
    files = audit.exported_for(company_id) if exported is None else exported
    external = [audit.load_exported(path) for path in files]
    sizes = {cp.tree_size for cp in stored} | {doc.tree_size for doc in external if doc.error is None}
    columns = _ColumnCheck()
    report = verify_rows(str(company_id), columns.rows(_stream(company_id)), prefix_sizes=sizes)
    if columns.failure is not None and report.ok:
        report.fail(*columns.failure)
    read_all = report.ok  # every row was read and linked: a checkpoint beyond them means deletion
    head = ChainHead.objects.filter(company_id=company_id).first()
    if report.ok and head is not None:
        if head.size != report.checked:
            report.fail(report.checked, f"chain head says {head.size} events, found {report.checked} (truncated?)")
        elif head.last_hash != report.last_hash:
            report.fail(report.checked - 1, "chain head hash differs from the last record")
    audit.check_checkpoints(report, company_id, stored, chain_complete=read_all)
    for doc in external:
        audit.check_exported(report, company_id, doc, stored, chain_complete=read_all)
    return report


def verify_all(exported: list[Path] | None = None) -> list[ChainReport]:
    """Every company's log; ``exported`` files are matched to their company by their contents."""
    ids = set(ChainHead.objects.values_list("company_id", flat=True))
    ids |= set(EvidenceEvent.objects.values_list("company_id", flat=True).distinct())
    ids |= set(Checkpoint.objects.values_list("company_id", flat=True).distinct())
    if exported is None:  # a company whose whole log was deleted still has its exported checkpoint
        ids |= audit.companies_with_exports()
    by_company: dict[int, list[Path]] | None = None
    if exported is not None:
        by_company = {}
        for path in exported:
            company = audit.load_exported(path).company
            by_company.setdefault(company if company is not None else -1, []).append(path)
            if company is not None:
                ids.add(company)
    reports = [
        verify_company(cid, None if by_company is None else by_company.get(cid, [])) for cid in sorted(ids)
    ]
    if by_company and -1 in by_company:
        for path in by_company[-1]:
            bad = ChainReport(company=str(path))
            bad.fail_checkpoint(f"exported checkpoint {path}: {audit.load_exported(path).error}")
            reports.append(bad)
    return reports
