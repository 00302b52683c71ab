"""Evidence log verification throughput (``hrguard verify``): events/s over one company's chain.

    .venv/bin/python bench/verify_bench.py [--events 200000] [--db /tmp/hrguard-verify-bench.sqlite3 | --pg]

Builds (once) a company whose chain holds at least ``--events`` events, written with
``evidence.services.record_many`` exactly as the application writes them (10,000 per transaction),
then times ``evidence.verify.verify_company`` — stream rows from the database, recompute each
record's SHA-256, check seq and prev links, check the copied columns against the record and
compute the Merkle root at each checkpoint size — several times and reports events/s (target ≥ 100,000/s).
Also times the same check with ``strict=True`` (JSON parse of every record) for comparison."""

from __future__ import annotations

import argparse
import os
import statistics
import time

import common


def ensure_chain(events: int) -> int:
    from django.db import transaction

    from hrguard.core.models import Company
    from hrguard.evidence.models import EvidenceEvent
    from hrguard.evidence.services import PendingEvent, Subject, record_many

    company, _ = Company.objects.get_or_create(code="verify", defaults={"name": "验证基准公司"})
    have = EvidenceEvent.objects.filter(company=company).count()
    t0 = time.perf_counter()
    while have < events:
        batch = min(10_000, events - have)
        with transaction.atomic():
            record_many(company, None, [
                PendingEvent("employee.updated", Subject("people.employee", str(i % 5000 + 1)),
                             {"changes": {"work_location": {"from": "上海", "to": f"北京{i}"}}}, i % 5000 + 1)
                for i in range(have, have + batch)
            ])
        have += batch
    if time.perf_counter() - t0 > 1:
        print(f"wrote the chain in {time.perf_counter() - t0:.1f} s")
    return company.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    common.db_arguments(parser, "/tmp/hrguard-verify-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    common.setup(args)

    from hrguard.evidence import verify
    from hrguard.evidence.chain import verify_rows

    company_id = ensure_chain(args.events)
    rates, cpu_rates = [], []
    for _ in range(args.runs):
        c0, t0 = time.process_time(), time.perf_counter()
        report = verify.verify_company(company_id)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        assert report.ok, report.reason
        rates.append(report.checked / seconds)
        cpu_rates.append(report.checked / cpu)
    print(f"{common.vendor()}: verified {report.checked} events; median {statistics.median(rates):,.0f} events/s "
          f"wall, {statistics.median(cpu_rates):,.0f} events per CPU-second of this process "
          f"(runs: {', '.join(f'{r:,.0f}' for r in rates)}; target ≥ 100,000/s; load average {os.getloadavg()[0]:.1f})")
    t0 = time.perf_counter()
    rows = (row[:4] for row in verify._stream(company_id))
    strict = verify_rows(str(company_id), rows, strict=True)
    print(f"  strict (JSON parse per record): {strict.checked / (time.perf_counter() - t0):,.0f} events/s")


if __name__ == "__main__":
    main()
