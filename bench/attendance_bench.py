"""Benchmark: import and compute a year of punches for 10,000 employees, then the monthly summary query.

Run by hand (not part of the test suite):

    .venv/bin/python bench/attendance_bench.py [employees] [--postgres]

Creates a throw-away database (SQLite file in a temp dir, or the PostgreSQL test database
``bench_activity`` at 127.0.0.1 with ``--postgres``), a synthetic company, and 12 monthly clock export
files (CSV, 工号 | 时间 | 类型): two punches per workday of the 2025 official calendar, with late
arrivals, early leaves, overtime, missing punches and absences sprinkled in, and 1 % of rows repeated
(duplicates). Each month is imported through ``importer.import_file`` exactly as the page does it
(validation, bulk insert with ON CONFLICT, set-based recomputation of the month's daily status,
evidence events). Prints rows/s and seconds, then the monthly summary latency (median / p95) for the
whole company and for one page of 50 rows.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time

POSTGRES = "--postgres" in sys.argv
sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress shows in a log file
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrguard.settings.test")
if POSTGRES:
    os.environ["HRGUARD_TEST_DB"] = "postgres"
    os.environ["HRGUARD_PG_TEST_NAME"] = "bench_activity"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

YEAR = 2025


def month_file(employees: list[str], workdays: list[dt.date], rng: random.Random) -> bytes:
    lines = ["工号,时间,类型"]
    append = lines.append
    for number in employees:
        for day in workdays:
            roll = rng.random()
            if roll < 0.01:
                continue  # absent
            start = 510 + int(rng.random() * 45)  # 08:30–09:15
            if roll < 0.05:
                start += 10 + int(rng.random() * 30)  # late
            end = 1080 + int(rng.random() * 150) if roll > 0.2 else 1050 + int(rng.random() * 40)
            text = day.isoformat()
            append(f"{number},{text} {start // 60:02d}:{start % 60:02d}:{int(rng.random() * 60):02d},上班")
            if roll < 0.02:
                continue  # missing punch
            row = f"{number},{text} {end // 60:02d}:{end % 60:02d}:{int(rng.random() * 60):02d},下班"
            append(row)
            if roll > 0.99:
                append(row)  # duplicate
    return ("\n".join(lines) + "\n").encode()


def make_company(n: int) -> tuple[object, object, list[str]]:
    """A company with ``n`` employees in 20 departments and an HR user (bulk; no sensitive fields needed)."""
    from hrguard.core.models import Company, Department, User
    from hrguard.people.models import Employee

    company = Company.objects.create(code="bench", name="基准测试公司")
    root = Department.objects.create(company=company, name="总部")
    depts = [Department.objects.create(company=company, name=f"部门{i:02d}", parent=root) for i in range(20)]
    width = len(str(n))
    Employee.objects.bulk_create(
        [Employee(company=company, employee_no=f"E{i:0{width}d}", name=f"员工{i}", department=depts[i % 20],
                  department_path=depts[i % 20].path, hire_date=dt.date(2020, 1, 6)) for i in range(n)],
        batch_size=2000,
    )
    hr = User.objects.create_user(username="bench-hr", password="bench-password-1", company=company, role="hr")
    numbers = list(Employee.objects.filter(company=company).order_by("employee_no").values_list("employee_no",
                                                                                                flat=True))
    return company, hr, numbers


def stats(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"{label:<44} median {statistics.median(ordered) * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms")


def main(n: int) -> None:
    from hrguard.attendance import calendar, importer, selectors
    from hrguard.attendance.models import AttendanceDay, DayKind, Punch, WorkCalendarDay

    t0 = time.perf_counter()
    company, hr, numbers = make_company(n)
    calendar.ensure_calendar(company.pk, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    print(f"{connection.vendor}: company with {n} employees in {time.perf_counter() - t0:.1f} s")
    profile = importer.get_default_profile(company)
    rng = random.Random(41)
    total_rows = total_inserted = 0
    total_seconds = generation = 0.0
    for month in range(1, 13):
        start, end = selectors.month_range(YEAR, month)
        workdays = list(WorkCalendarDay.objects.filter(
            company=company, date__gte=start, date__lte=end, kind=DayKind.WORKDAY
        ).values_list("date", flat=True))
        g0 = time.perf_counter()
        data = month_file(numbers, workdays, rng)
        generation += time.perf_counter() - g0
        i0 = time.perf_counter()
        batch = importer.import_file(hr, company, profile, data, f"{YEAR}-{month:02d}.csv")
        seconds = time.perf_counter() - i0
        total_seconds += seconds
        total_rows += batch.rows
        total_inserted += batch.inserted
        print(f"  {YEAR}-{month:02d}: {batch.rows:>8} rows ({batch.duplicates} duplicates) in {seconds:6.1f} s "
              f"= {batch.rows / seconds:8.0f} rows/s")
    print(f"files generated in {generation:.1f} s (not counted)")
    print(f"IMPORT + COMPUTE: {total_rows} rows ({total_inserted} punches stored) in {total_seconds:.1f} s "
          f"= {total_rows / total_seconds:.0f} rows/s")
    print(f"punches {Punch.objects.count()}, attendance days {AttendanceDay.objects.count()}")
    limits = None  # the statutory ones (hrguard.law.hours, Labor Law Art. 41)
    full, first_page = [], []
    for i in range(24):
        month = i % 12 + 1
        q0 = time.perf_counter()
        rows = list(selectors.monthly_summary(hr, YEAR, month, limits=limits))
        full.append(time.perf_counter() - q0)
        assert len(rows) == n
        q0 = time.perf_counter()
        page, _more = selectors.monthly_summary_page(hr, YEAR, month, 1, 50, limits=limits)
        assert len(page) == 50
        first_page.append(time.perf_counter() - q0)
    stats(f"monthly summary, all {n} employees", full)
    stats("monthly summary, first page (50 rows)", first_page)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    employees = int(args[0]) if args else 10_000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        main(employees)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
