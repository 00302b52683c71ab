"""Database time of roster searches: ``EXPLAIN ANALYZE`` of the query the roster page runs, as HR.

    .venv/bin/python bench/search_explain.py --pg hrguard_bench --q 赵英 --q 罗轩轩 [--code big] [--plan]

Prints, per search text, the rows found and the median / minimum execution time of 15 runs (PostgreSQL's
own figure: no Python, no network), and with ``--plan`` the top of the plan."""

from __future__ import annotations

import argparse
import statistics

import common


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--q", action="append", required=True, help="search text (repeatable)")
    parser.add_argument("--code", default="big")
    parser.add_argument("--plan", action="store_true")
    common.db_arguments(parser, "/tmp/hrguard-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    common.setup(args)
    if common.vendor() != "postgresql":
        raise SystemExit("PostgreSQL only (use --pg)")

    from django.db import connection

    from hrguard.core.models import User
    from hrguard.people import selectors

    user = User.objects.get(username=f"{args.code}-hr")
    for text in args.q:
        qs = selectors.employee_list(user, selectors.EmployeeFilter(q=text))[:51]
        sql, params = qs.query.sql_with_params()
        times = []
        with connection.cursor() as cursor:
            for _ in range(15):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                times.append(cursor.fetchone()[0][0]["Execution Time"])
            cursor.execute("EXPLAIN ANALYZE " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"{text!r}: {len(list(qs))} rows, execution median {statistics.median(times):.2f} ms, "
              f"min {min(times):.2f} ms")
        if args.plan:
            print("\n".join("    " + line[:160] for line in plan[:14]))


if __name__ == "__main__":
    main()
