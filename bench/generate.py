"""Synthetic company generator for benchmarks and demos.

    .venv/bin/python bench/generate.py --employees 100000 --db /tmp/hrguard-100k.sqlite3 [--code big]
    .venv/bin/python bench/generate.py --employees 100000 --pg hrguard_bench

Uses ``hrguard.people.synthetic.generate_company``: a department tree, positions (some core), managers,
employees with encrypted ID numbers / phones and valid check digits, a labor contract with key clauses
per employee, a hire event (入职) per employee, one evidence event per created record, and one user
per role (``<code>-hr`` … password ``hrguard-demo-2026``). Several companies may live in one database
(``--code``). ``--history`` adds the demo's year of records (``hrguard.web.demo_data.seed_history``, the
same code as ``hrguard demo``: movements, attendance, leave, expenses on the engine, reviews,
discipline, documents, notices, overdue processes) — through the services, so it is meant for small
and medium companies; ``bench/attendance_bench.py`` builds punches for large ones."""

from __future__ import annotations

import argparse
import time

import common


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--code", default="", help="company code (default: big / small by size)")
    parser.add_argument("--fresh", action="store_true", help="start from an empty database")
    parser.add_argument("--no-evidence", action="store_true", help="skip the per-record evidence events")
    parser.add_argument("--history", action="store_true", help="also a year of records, as the demo company has")
    common.db_arguments(parser, "/tmp/hrguard-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    common.setup(args, fresh=args.fresh)

    from hrguard.core.models import Company
    from hrguard.people.synthetic import generate_company

    code = args.code or ("big" if args.employees >= 50_000 else "small")
    if Company.objects.filter(code=code).exists():
        print(f"company {code!r} already present in this database; use --code or --fresh")
        return
    t0 = time.perf_counter()
    gen = generate_company(code, f"基准公司{code}", employees=args.employees, with_evidence=not args.no_evidence,
                           history=args.history)
    if args.history:
        from hrguard.documents.library import ensure_default_templates
        from hrguard.web.demo_data import seed_history

        ensure_default_templates(gen.company)
        seed_history(gen.company, write=print)
    seconds = time.perf_counter() - t0
    from django.db import connection

    with connection.cursor() as cursor:  # planner statistics, as a maintained deployment has them
        cursor.execute("ANALYZE")
    print(f"{common.vendor()}: company {code!r} with {len(gen.employees)} employees, {len(gen.departments)} "
          f"departments in {seconds:.1f} s ({len(gen.employees) / seconds:.0f} employees/s); "
          f"log in as {code}-hr")


if __name__ == "__main__":
    main()
