"""What a request costs on PostgreSQL: the ``bench/load.py`` mix in-process on one connection, with the
CPU of the web process *and* of the PostgreSQL backend serving it, and every round trip psycopg makes.

    .venv/bin/python bench/pg_requests.py --pg pg8_bench [--rounds 5] [--variant NAME ...] [--statements]

Each variant changes the connection's settings before the first query (``--variant`` repeatable; default
all of them, interleaved round by round so that a change of machine load hits every variant alike):

- ``settings``: the DATABASES options as ``bench/settings_web.py`` (the production settings) gives them;
- ``client-binding``: Django's default binding (on the client, nothing prepared);
- ``health-off``: the same with ``CONN_HEALTH_CHECKS`` off (no ``SELECT 1`` before a request's first query);
- ``server-binding``: ``OPTIONS["server_side_binding"] = True`` (extended protocol, psycopg prepares a
  statement after ``prepare_threshold`` = 5 executions);
- ``server-binding-prepare0``: the same with ``prepare_threshold = 0`` (every statement prepared at once);
  Django passes ``prepare_threshold = None`` (never prepare) unless OPTIONS say otherwise;
- ``server-binding-prepare5``: prepared from the fifth execution (psycopg's own default);
- ``prepare5-custom-plans``: the same, with ``plan_cache_mode = force_custom_plan`` (a plan per execution,
  for the parameter values: parse and analysis saved, planning not).

Prints, per variant and page kind, the CPU ms per request of this process and of the backend
(``/proc/<backend pid>/stat``, the backend runs on this machine), and the round trips per request by
kind (queries, ``BEGIN``/``COMMIT``/savepoints, the health check). ``--statements`` also lists the
statements of one request of each kind with the backend CPU of each, replayed 200 times."""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import common

TICK = os.sysconf("SC_CLK_TCK")
VARIANTS: dict[str, Callable[[dict[str, Any]], None]] = {
    "settings": lambda s: None,
    "client-binding": lambda s: s["OPTIONS"].update(server_side_binding=False, prepare_threshold=None),
    "health-off": lambda s: s.update(CONN_HEALTH_CHECKS=False),
    "server-binding": lambda s: s["OPTIONS"].update(server_side_binding=True),  # Django: never prepares
    "server-binding-prepare0": lambda s: s["OPTIONS"].update(server_side_binding=True, prepare_threshold=0),
    "server-binding-prepare5": lambda s: s["OPTIONS"].update(server_side_binding=True, prepare_threshold=5),
    "prepare5-custom-plans": lambda s: s["OPTIONS"].update(
        server_side_binding=True, prepare_threshold=5, options="-c plan_cache_mode=force_custom_plan"),
}
TRIPS: list[str] = []  # every round trip of the current request: the statement's first words


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def count_round_trips() -> None:
    """Record each statement psycopg sends: cursor executes and the connection's own commands."""
    import psycopg
    from psycopg import _connection_base

    execute = psycopg.Cursor.execute

    def counted_execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        text = query if isinstance(query, str) else getattr(query, "as_string", lambda _c: str(query))(None)
        TRIPS.append("health check" if text.strip() == "SELECT 1" else text.split(None, 1)[0].upper())
        return execute(self, query, *args, **kwargs)

    command = _connection_base.BaseConnection._exec_command

    def counted_command(self: Any, cmd: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        text = cmd.decode() if isinstance(cmd, bytes) else str(cmd)
        TRIPS.append(text.split(None, 1)[0].upper())
        return command(self, cmd, *args, **kwargs)

    psycopg.Cursor.execute = counted_execute  # type: ignore[method-assign]
    _connection_base.BaseConnection._exec_command = counted_command  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--code", default="big")
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    parser.add_argument("--statements", action="store_true")
    common.db_arguments(parser, "/tmp/hrguard-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    if not args.pg:
        raise SystemExit("PostgreSQL only: give --pg NAME")
    common.web_environment(args)
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from load import browser_cookies, mix
    from profile_requests import call, kind

    paths = mix(args.code)
    cookie = browser_cookies(args.code)
    app = get_wsgi_application()
    base = {**connection.settings_dict, "OPTIONS": dict(connection.settings_dict["OPTIONS"])}
    count_round_trips()
    variants = args.variant or list(VARIANTS)

    def use(variant: str) -> int:
        connection.close()
        settings = {**base, "OPTIONS": dict(base["OPTIONS"])}
        VARIANTS[variant](settings)
        connection.settings_dict = settings
        connection.ensure_connection()
        return connection.connection.info.backend_pid

    cpu: dict[tuple[str, str], list[float]] = defaultdict(list)
    db: dict[tuple[str, str], list[float]] = defaultdict(list)
    trips: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    served: Counter[tuple[str, str]] = Counter()
    for variant in variants:  # warm every variant's statements (psycopg prepares after 5 uses)
        use(variant)
        for _ in range(2):
            for path in paths:
                call(app, path, cookie)
    for _ in range(args.rounds):
        for variant in variants:
            pid = use(variant)
            for _ in range(2):  # a fresh connection: warm it, its prepared statements, outside the figures
                for path in paths:
                    call(app, path, cookie)
            for path in paths:
                key = (variant, kind(path))
                TRIPS.clear()
                b0, c0 = backend_cpu(pid), time.process_time()
                status = call(app, path, cookie)
                c1, b1 = time.process_time(), backend_cpu(pid)
                if not status.startswith("200"):
                    raise SystemExit(f"{path}: {status}")
                cpu[key].append(c1 - c0)
                db[key].append(b1 - b0)
                trips[key].update(TRIPS)
                served[key] += 1
    connection.close()
    print(f"\nPostgreSQL {args.pg}: {len(paths)} URLs x {args.rounds} rounds per variant, load average "
          f"{os.getloadavg()[0]:.1f} at the end\n")
    print("| variant | page | requests | web CPU ms/req | backend CPU ms/req | round trips/req |")
    print("|---|---|---:|---:|---:|---|")
    for variant in variants:
        for page in ("all", "profile", "roster", "search"):
            keys = [k for k in cpu if k[0] == variant and (page == "all" or k[1] == page)]
            n = sum(served[k] for k in keys)
            web = sum(sum(cpu[k]) for k in keys) * 1000 / n
            back = sum(sum(db[k]) for k in keys) * 1000 / n
            counts: Counter[str] = Counter()
            for k in keys:
                counts.update(trips[k])
            shown = ", ".join(f"{word} {c / n:.2f}" for word, c in counts.most_common())
            print(f"| {variant} | {page} | {n} | {web:.2f} | {back:.2f} | {sum(counts.values()) / n:.2f}: {shown} |")
    if args.statements:
        statements(app, paths, cookie, use)


def statements(app: Any, paths: list[str], cookie: str, use: Callable[[str], int]) -> None:
    """The SQL of one request of each kind, each statement's backend CPU replayed 200 times."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from profile_requests import call, kind

    pid = use("settings")
    seen: set[str] = set()
    for path in paths:
        if kind(path) in seen:
            continue
        seen.add(kind(path))
        with CaptureQueriesContext(connection) as queries:
            call(app, path, cookie)
        print(f"\n{path} ({kind(path)}): {len(queries)} queries")
        raw = connection.connection
        for q in queries.captured_queries:
            sql = q["sql"]
            with raw.cursor() as cur:
                b0 = backend_cpu(pid)
                for _ in range(200):
                    cur.execute(sql)
                    cur.fetchall()
                b1 = backend_cpu(pid)
            raw.rollback()
            print(f"  {1000 * (b1 - b0) / 200:6.3f} ms  {sql[:150]}")


if __name__ == "__main__":
    main()
