"""Early warning at scale: a full scan of N employees with a year of records.

    .venv/bin/python bench/risk_scan.py [--employees 100000] [--db /tmp/hrguard-risk-bench.sqlite3 | --pg [NAME]]

Builds (once) company ``riskbench``: N employees in 20 departments (bulk insert, as the other benches),
and a year of the records the signals read, sparse but realistic in volume: per employee and month a
late day with probability 0.5 (a second with 0.2), an overtime day with 0.4, an absence with 0.02; a
trip with 0.2 (1–5 days); an expense claim with 0.3 (amount 100–8,000, so some over the threshold); a
violation with 0.005. Days without an event are not stored (a normal workday feeds no signal).

Then measures: the full scan (``scan.run``: materialise 12 months of signal values with one pass per
record table, each one ``INSERT … SELECT``, then evaluate the six default rules switched on and raise
the alerts with their evidence) — seconds wall and CPU, the process's max RSS, and in a second run the
peak of Python allocations (tracemalloc); the incremental nightly scan (two months redone); the
back-test of one rule over a quarter and over 11 months; the HR alert list (``alerts_for`` + count) and
the page ``/risk/`` (first and 20th page of 50, test client) median / p95 over ``--runs`` and queries."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

import common

CODE = "riskbench"
AS_OF = dt.date(2026, 11, 20)


def build(employees: int) -> None:
    from django.db import connection, transaction

    from hrguard.attendance.models import AttendanceDay
    from hrguard.core.models import Company, Department, User
    from hrguard.discipline.models import HandbookClause, Violation
    from hrguard.expenses.models import ExpenseClaim, Trip
    from hrguard.people.models import Employee

    if Company.objects.filter(code=CODE).exists():
        return
    rng = random.Random(11)
    t0 = time.perf_counter()
    with transaction.atomic():
        company = Company.objects.create(code=CODE, name="预警基准公司")
        root = Department.objects.create(company=company, name="总部")
        depts = [Department.objects.create(company=company, name=f"事业{i + 1}部", parent=root) for i in range(20)]
        User.objects.create_user(username=f"{CODE}-hr", password="x", company=company, role="hr")
        Employee.objects.bulk_create([
            Employee(company=company, employee_no=f"E{n:06d}", name=f"员工{n}", department=depts[n % 20],
                     department_path=depts[n % 20].path, hire_date=dt.date(2020, 1, 1)) for n in range(employees)],
            batch_size=5000)
        clause = HandbookClause.objects.create(company=company, code="3.1", title="考勤纪律")
    print(f"employees: {employees} in {time.perf_counter() - t0:.1f} s", flush=True)
    ids = list(Employee.objects.filter(company=company).values_list("pk", flat=True))
    t0 = time.perf_counter()
    months = [dt.date(2025, 12, 1)] + [dt.date(2026, m, 1) for m in range(1, 12)]
    counts = {"days": 0, "trips": 0, "claims": 0, "violations": 0}
    for month in months:
        days, trips, claims, violations = [], [], [], []
        for pk in ids:
            used: set[int] = set()

            def day(kind: str, _pk: int = pk, _used: set[int] = used, _month: dt.date = month,
                    _days: list = days) -> None:  # type: ignore[type-arg]
                d = rng.randint(1, 20 if _month.month == AS_OF.month else 28)
                if d in _used:
                    return
                _used.add(d)
                status = {"late": "late", "ot": "normal", "absent": "absent"}[kind]
                _days.append(AttendanceDay(company=company, employee_id=_pk, date=_month.replace(day=d),
                                          day_kind="workday", status=status, punches=2,
                                          late_minutes=15 if kind == "late" else 0,
                                          overtime_minutes=120 if kind == "ot" else 0))
            r = rng.random()
            if r < 0.5:
                day("late")
            if r < 0.2:
                day("late")
            if rng.random() < 0.4:
                day("ot")
            if rng.random() < 0.02:
                day("absent")
            if rng.random() < 0.2:
                start = month.replace(day=rng.randint(1, 20))
                trips.append(Trip(company=company, employee_id=pk, start_date=start,
                                  end_date=start + dt.timedelta(days=rng.randint(0, 4)), destination="上海",
                                  purpose="客户拜访", status="approved"))
            if rng.random() < 0.3:
                claims.append(ExpenseClaim(company=company, employee_id=pk, category="lodging",
                                           spent_on=month.replace(day=rng.randint(1, 20)),
                                           amount=rng.randint(100, 8000), description="差旅", status="approved"))
            if rng.random() < 0.005:
                violations.append(Violation(company=company, employee_id=pk, clause=clause,
                                            occurred_on=month.replace(day=10), facts="迟到"))
        with transaction.atomic():
            AttendanceDay.objects.bulk_create(days, batch_size=10000)
            Trip.objects.bulk_create(trips, batch_size=10000)
            ExpenseClaim.objects.bulk_create(claims, batch_size=10000)
            Violation.objects.bulk_create(violations, batch_size=10000)
        for k, rows in (("days", days), ("trips", trips), ("claims", claims), ("violations", violations)):
            counts[k] += len(rows)
        print(f"  {month:%Y-%m}: {len(days)} attendance days, {len(trips)} trips, {len(claims)} claims", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    print(f"records: {counts} in {time.perf_counter() - t0:.1f} s", flush=True)


def measure(fn, label: str, *, traced: bool = False):  # type: ignore[no-untyped-def]
    """Wall-clock and CPU seconds and the process's max RSS; with ``traced`` (a second, slower run) the
    peak of Python allocations by tracemalloc (which slows Python code several times: not timed)."""
    if traced:
        tracemalloc.start()
        out = fn()
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{label}: peak Python memory (tracemalloc) {peak / 2**20:.1f} MiB", flush=True)
        return out
    b0 = backend_cpu()
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    b1 = backend_cpu()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    server = f", {b1 - b0:.2f} s CPU of the PostgreSQL backend" if b0 is not None and b1 is not None else ""
    print(f"{label}: {seconds:.2f} s wall, {cpu:.2f} s CPU of this process{server}, max RSS {rss:.0f} MiB",
          flush=True)
    return out


def backend_cpu() -> float | None:
    """PostgreSQL: the CPU seconds (user + system) of this connection's server process so far, from
    ``/proc/<pid>/stat`` (the server runs on this machine); None on SQLite (it runs in this process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    return backend_cpu_of(pid)


def backend_cpu_of(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14, 15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-trace", action="store_true",
                        help="skip the nightly scan and the traced second full scan (a 100k run: the back-test "
                             "over a year and the HR alert list are what it is for)")
    common.db_arguments(parser, "/tmp/hrguard-risk-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    common.setup(args)
    build(args.employees)

    from hrguard.core.models import Company, User
    from hrguard.risk import scan
    from hrguard.risk.defaults import ensure_default_rules

    company = Company.objects.get(code=CODE)
    ensure_default_rules(company, active=True)
    forget(company)
    full = measure(lambda: scan.run(company, as_of=AS_OF), f"full scan of {args.employees} employees")
    print(f"  signal values written: {full.signal_rows}, alerts raised: {len(full.raised)}, fired: {full.fired}")
    if not args.no_trace:
        nightly = measure(lambda: scan.run(company, as_of=AS_OF), "nightly scan (2 months redone, alerts open)")
        print(f"  signal values written: {nightly.signal_rows}, new alerts: {len(nightly.raised)}, "
              f"already open: {nightly.skipped_open}")
        forget(company)
        measure(lambda: scan.run(company, as_of=AS_OF), "full scan again (alerts raised again)", traced=True)
    rule = 'travel_days("1m") >= 3 && travel_days("1m") >= 1.3 * baseline("travel_days")'
    bt = measure(lambda: scan.backtest(company.pk, rule, ["finance"], today=AS_OF), "back-test, one rule, 3 months")
    print(f"  fired {bt.fired} times for {bt.people} people")
    bt = measure(lambda: scan.backtest(company.pk, rule, ["finance"], today=AS_OF, months=11),
                 "back-test, one rule, 11 months (the year with a 6-month baseline... first months thin)")
    print(f"  fired {bt.fired} times for {bt.people} people")
    hr = User.objects.get(username=f"{CODE}-hr")
    alert_list(hr, args.runs)


def forget(company) -> None:  # type: ignore[no-untyped-def]
    """Start a full scan from nothing: no materialised month, no value, no alert. On PostgreSQL the
    deleted rows are vacuumed away, so that every run inserts into the same clean table (dead index
    entries left by the previous run would otherwise be visited by the next run's unique checks)."""
    from django.db import connection

    from hrguard.risk.models import Alert, MaterialisedMonth, SignalValue

    MaterialisedMonth.objects.filter(company=company).delete()
    SignalValue.objects.filter(company=company).delete()
    Alert.objects.filter(company=company).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"VACUUM (ANALYZE) {SignalValue._meta.db_table}, {MaterialisedMonth._meta.db_table}")


def alert_list(hr, runs: int) -> None:  # type: ignore[no-untyped-def]
    """The HR alert list: the selector's first page, and the page itself (``/risk/``, first and 20th
    page of 50) through Django's test client — latency and queries (the queries must not depend on
    the number of alerts or employees)."""
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client

    from hrguard.risk import selectors

    settings.DEBUG = True
    times, queries = [], 0
    for _ in range(runs):
        reset_queries()
        t0 = time.perf_counter()
        rows = list(selectors.alerts_for(hr, status="open_all")[:50])
        total = selectors.alerts_for(hr, status="open_all").count()
        times.append((time.perf_counter() - t0) * 1000)
        queries = len(connection.queries)
    times.sort()
    print(f"HR alert list (selector), first 50 of {total} alerts: median {statistics.median(times):.1f} ms, "
          f"p95 {common.percentile(times, 0.95):.1f} ms, {queries} queries ({len(rows)} rows)")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(hr)
    for url in ("/risk/", "/risk/?page=20"):
        times, cpu = [], []
        for _ in range(runs):
            reset_queries()
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            queries = len(connection.queries)
        assert response.status_code == 200, response.status_code
        times.sort()
        cpu.sort()
        print(f"HR alert page {url}: median {statistics.median(times):.1f} ms, "
              f"p95 {common.percentile(times, 0.95):.1f} ms, CPU p95 {common.percentile(cpu, 0.95):.1f} ms, "
              f"{queries} queries, {len(response.content) // 1024} KiB")

if __name__ == "__main__":
    main()
