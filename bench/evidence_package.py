"""Benchmark: evidence package build/verify for a ~200-event case in a 100,000+ event log, and the
throughput of verifying the whole log.

Run by hand (not part of the test suite):

    .venv/bin/python bench/evidence_package.py [log_events] [--postgres]

Creates a throw-away database (SQLite file in a temp dir, or the PostgreSQL test database
``bench_evidence_package`` at 127.0.0.1 with ``--postgres``), one company, and appends ``log_events``
(default 100,000) evidence events with ``record_many`` in batches; 200 of them, spread through the log,
belong to one signing case. Prints: append rate; checkpoint issue time (signing + Merkle root over the
whole log); package build time and offline verify time (median of a few runs); whole-log hash-chain
verification (events/s) and Merkle root recomputation (events/s).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

POSTGRES = "--postgres" in sys.argv
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrguard.settings.test")
if POSTGRES:
    os.environ["HRGUARD_TEST_DB"] = "postgres"
    os.environ["HRGUARD_PG_TEST_NAME"] = "bench_evidence_package"

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

CASE_EVENTS = 200
BATCH = 5000
RUNS = 3


def _median(samples: list[float]) -> str:
    runs = ", ".join(f"{s * 1000:,.0f}" for s in samples)
    return f"median {statistics.median(samples) * 1000:,.0f} ms (runs: {runs})"


def main(total: int) -> None:
    import datetime as dt

    from hrguard.core import context
    from hrguard.core.models import Company
    from hrguard.evidence import checkpoints, merkle, verify
    from hrguard.evidence.models import EvidenceEvent
    from hrguard.evidence.offline import verify as offline
    from hrguard.evidence.package import build_package
    from hrguard.evidence.services import PendingEvent, Subject, record_many
    from hrguard.platform.pdf.render import DocumentContent, render_document
    from hrguard.platform.pdf.seal import seal_pdf

    company = Company.objects.create(code="bench", name="上海甲乙丙科技有限公司")
    case = Subject("documents.envelope", "42")
    every = max(1, total // CASE_EVENTS)
    token = context.set_current(context.RequestContext(ip="203.0.113.7", user_agent="Mozilla/5.0 bench", channel="web"))
    started = time.perf_counter()
    written = 0
    while written < total:
        n = min(BATCH, total - written)
        pending = []
        for i in range(written, written + n):
            if i % every == 0 and i // every < CASE_EVENTS:
                pending.append(PendingEvent("esign.viewed", case, {"i": i, "名": "张测试"}, None))
            else:
                pending.append(PendingEvent("bench.noise", Subject("bench.row", str(i)), {"i": i, "v": "x" * 40}))
        with transaction.atomic():
            record_many(company, None, pending)
        written += n
    context.reset(token)
    append_s = time.perf_counter() - started
    print(f"log: {total:,} events appended in {append_s:.1f} s ({total / append_s:,.0f} events/s)")

    started = time.perf_counter()
    cp = checkpoints.issue_for_company(company.pk)
    print(f"checkpoint over {cp.tree_size:,} events (Merkle root + ECDSA signature): "
          f"{(time.perf_counter() - started) * 1000:,.0f} ms")

    content = DocumentContent(title="解除劳动合同通知书", paragraphs=["张测试同志：", "双方协商一致解除劳动合同。"],
                              document_id="BENCH-1", company_name=company.name, issued_on=dt.date(2026, 11, 27))
    original = render_document(content)
    signed = seal_pdf(original, checkpoints.company_identity(company.pk), reason="员工签署", location="上海",
                      field_name="EmployeeSignature")
    events = list(EvidenceEvent.objects.filter(company=company, subject_type=case.type, subject_id=case.id))
    print(f"case: {len(events)} events, 2 PDFs ({len(original):,} + {len(signed):,} bytes)")

    build_times, verify_times = [], []
    package = b""
    for _ in range(RUNS):
        started = time.perf_counter()
        package = build_package(company, title="张测试 解除劳动合同通知书 签署", events=events,
                                documents=[("原件.pdf", original, "original"), ("已签署.pdf", signed, "signed")],
                                actor=None)
        build_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = offline.verify_package(package)
        verify_times.append(time.perf_counter() - started)
        if not result.ok:
            print(offline.format_report(result, "bench.zip"))
            raise SystemExit(1)
    print(f"package build ({len(package):,} bytes zip): {_median(build_times)}")
    print(f"package offline verify (incl. PAdES checks): {_median(verify_times)}")

    chain_times, merkle_times = [], []
    checked = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        report = verify.verify_company(company.pk)
        chain_times.append(time.perf_counter() - started)
        checked = report.checked
        assert report.ok, report.reason
        started = time.perf_counter()
        merkle.root(checkpoints.leaves(company.pk))
        merkle_times.append(time.perf_counter() - started)
    chain = statistics.median(chain_times)
    tree = statistics.median(merkle_times)
    print(f"whole-log hash-chain verify: {checked:,} events in {chain:.2f} s ({checked / chain:,.0f} events/s)")
    print(f"whole-log Merkle root (read + leaf hash + tree): {tree:.2f} s ({checked / tree:,.0f} events/s)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    size = int(args[0]) if args else 100_000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main(size)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
