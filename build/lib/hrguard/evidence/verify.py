"""Re-check the evidence log in the database (``hrguard verify``)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection

from .chain import ChainReport, verify_rows
from .models import ChainHead, EvidenceEvent


def _stream(company_id: int, batch: int = 5000) -> Iterator[tuple[int, str, str, str]]:
    table = EvidenceEvent._meta.db_table
    sql = (
        f"SELECT seq, record, hash, prev_hash FROM {table} "  # noqa: S608 - table name from model meta
        "WHERE company_id = %s ORDER BY seq"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [company_id])
        while True:
            rows = cur.fetchmany(batch)
            if not rows:
                return
            yield from rows


def verify_company(company_id: int) -> ChainReport:
    report = verify_rows(str(company_id), _stream(company_id))
    head = ChainHead.objects.filter(company_id=company_id).first()
    if report.ok and head is not None:
        if head.size != report.checked:
            report.fail(report.checked, f"chain head says {head.size} events, found {report.checked} (truncated?)")
        elif head.last_hash != report.last_hash:
            report.fail(report.checked - 1, "chain head hash differs from the last record")
    return report


def verify_all() -> list[ChainReport]:
    ids = set(ChainHead.objects.values_list("company_id", flat=True))
    ids |= set(EvidenceEvent.objects.values_list("company_id", flat=True).distinct())
    return [verify_company(cid) for cid in sorted(ids)]
