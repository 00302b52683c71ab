"""Benchmark: import a 10,000-row roster (.xlsx and .csv) through ``hrguard.people.imports``.

    .venv/bin/python bench/import_bench.py [--rows 10000] [--db /tmp/hrguard-import-bench.sqlite3 | --pg]

A fresh database with a 200-employee synthetic company; each run imports new employee numbers. Reports
the validation pass alone (what the upload page does) and validation + import in one transaction (what
the confirm button does), in rows/s, with and without one evidence event per employee."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import time

import common


def roster(n: int, prefix: str, depts: list[str], positions: list[str], rng: random.Random) -> list[list[str]]:
    from hrguard.people.synthetic import id_check_digit, synthetic_name

    rows = [["工号", "姓名", "性别", "出生日期", "部门", "岗位", "入职日期", "证件类型", "证件号码", "手机号", "邮箱"]]
    used: set[str] = set()
    for i in range(n):
        birth = dt.date(rng.randint(1970, 2000), rng.randint(1, 12), rng.randint(1, 28))
        body = f"65{rng.randint(0, 9999):04d}{birth:%Y%m%d}{rng.randint(0, 999):03d}"  # region 65: unused
        id_number = body + id_check_digit(body)
        while id_number in used:
            body = body[:14] + f"{rng.randint(0, 999):03d}"
            id_number = body + id_check_digit(body)
        used.add(id_number)
        rows.append([
            f"{prefix}{i:06d}", synthetic_name(rng), rng.choice("男女"), birth.isoformat(), rng.choice(depts),
            rng.choice(positions), f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "居民身份证",
            id_number, f"139{rng.randint(0, 99999999):08d}", f"{prefix.lower()}{i}@x.cn",
        ])
    return rows


def as_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()  # a normal workbook writes <dimension> like Excel does (write_only mode omits it)
    sheet = book.active
    sheet.title = "花名册"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def as_csv(rows: list[list[str]], encoding: str) -> bytes:
    return ("\r\n".join(",".join(r) for r in rows) + "\r\n").encode(encoding)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    common.db_arguments(parser, "/tmp/hrguard-import-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    common.setup(args, fresh=True)

    from hrguard.people import import_jobs, imports
    from hrguard.people.models import Employee
    from hrguard.people.synthetic import generate_company

    gen = generate_company("imp", "导入基准公司", employees=200, seed=99)
    company, hr = gen.company, gen.users["hr"]
    depts = [d.name for d in gen.departments.values()]
    positions = list(gen.positions)
    rng = random.Random(7)
    print(f"{common.vendor()}: importing {args.rows} rows per file, load average {os.getloadavg()[0]:.1f}\n")
    print("| file | size | validate rows/s (wall) | validate rows per CPU-s | validate+import rows/s (wall) "
          "| validate+import rows per CPU-s | one event per employee |")
    print("|---|---:|---:|---:|---:|---:|---|")
    cases = [
        ("xlsx", "X", as_xlsx, True),
        ("csv GB18030", "G", lambda r: as_csv(r, "gb18030"), True),
        ("csv UTF-8, batch event only", "U", lambda r: as_csv(r, "utf-8-sig"), False),
    ]
    for label, prefix, encode, per_employee in cases:
        content = encode(roster(args.rows, prefix, depts, positions, rng))
        c0, t0 = time.process_time(), time.perf_counter()
        report = imports.validate_file(company, content, f"bench.{label[:4]}")
        validate_s, validate_cpu = time.perf_counter() - t0, time.process_time() - c0
        assert report.ok, report.errors[:3] or report.file_errors
        c0, t0 = time.process_time(), time.perf_counter()
        result = import_jobs.run_import(hr, company, content, "bench", per_employee_events=per_employee)
        import_s, import_cpu = time.perf_counter() - t0, time.process_time() - c0
        assert result.created == args.rows
        print(f"| {label} | {len(content) / 1e6:.1f} MB | {args.rows / validate_s:,.0f} | "
              f"{args.rows / validate_cpu:,.0f} | {args.rows / import_s:,.0f} | {args.rows / import_cpu:,.0f} | "
              f"{'yes' if per_employee else 'no'} |")
    print(f"employees now: {Employee.objects.filter(company=company).count()}")


if __name__ == "__main__":
    main()
