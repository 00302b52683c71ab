"""Closed-loop load on a real server: roster, search and profile pages as the company's HR user.

    apt-get install wrk                                   # Debian's wrk 4.1 drives the load
    .venv/bin/python bench/generate.py --employees 100000 --db /tmp/hrguard-bench.sqlite3 --fresh
    .venv/bin/python bench/load.py --db /tmp/hrguard-bench.sqlite3 [--clients 20,100] [--duration 20]
    .venv/bin/python bench/load.py --pg hrguard_bench      # PostgreSQL (production settings, Redis db 10)

Starts the web processes as ``hrguard run --workers N`` starts them (``hrguard.ops.webprocs``: granian,
``--threads`` Python threads each, 127.0.0.1 only; default one process of 8 threads) with
``bench/settings_web.py`` — the embedded settings for SQLite, the production ones for PostgreSQL — signs
the HR user ``<code>-hr`` in (a real session row and cookie), checks every URL of the mix answers 200,
then runs ``wrk`` with each number of closed-loop clients for ``--duration`` seconds (at most ``--max-
requests`` requests). Prints req/s, p50/p95/p99 latency, errors (non-200 answers, socket errors and
timeouts), and CPU time per request of the server process(es) (``/proc/<pid>/stat`` before/after; robust
to other load on the machine), of the PostgreSQL backends serving it, and of wrk itself. Loopback only;
the server is stopped at the end."""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import common

TICK = os.sysconf("SC_CLK_TCK")
LUA = r"""
local paths = {%(paths)s}
local headers = {["Cookie"] = "%(cookie)s", ["Accept-Language"] = "zh-CN"}
local max_per_thread = %(max_per_thread)d
local threads = {}
n, done_count, bad = 0, 0, 0  -- globals: done() reads "bad" of each thread

function setup(thread)
  thread:set("offset", #threads * 17)
  table.insert(threads, thread)
end

function init(args) n = offset end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], headers)
end

function response(status, hdrs, body)
  done_count = done_count + 1
  if status ~= 200 then bad = bad + 1 end
  if done_count >= max_per_thread then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do non200 = non200 + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%%d,"duration_us":%%d,"non200":%%d,"connect":%%d,"read":%%d,"write":%%d,' ..
    '"timeout":%%d,"p50":%%d,"p95":%%d,"p99":%%d,"max":%%d}\n',
    summary.requests, summary.duration, non200, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def mix(code: str, seed: int = 8) -> list[str]:
    """A third roster pages (first page and Next-link pages), a third searches (full names of two and
    three characters, a surname, employee-number prefixes), a third employee profiles."""
    from hrguard.core.models import Company
    from hrguard.people.models import Employee

    rng = random.Random(seed)
    company = Company.objects.get(code=code)
    employees = Employee.objects.filter(company=company).order_by("employee_no")
    numbers = list(employees.values_list("employee_no", flat=True))
    picks = [numbers[rng.randrange(len(numbers))] for _ in range(40)]
    people = {e.employee_no: e for e in Employee.objects.filter(company=company, employee_no__in=picks)}
    roster = ["/people/"] * 4 + [f"/people/?page={rng.randint(2, 2000)}&after={no}" for no in picks[:16]]
    names = [people[no].name for no in picks[16:28] if no in people]
    search = [f"/people/?q={urllib.request.quote(n)}" for n in names]
    search += [f"/people/?q={urllib.request.quote(n[:1])}" for n in names[:4]]
    search += [f"/people/?q={no[:-2]}" for no in picks[28:32]]
    profile = [f"/people/{people[no].pk}/" for no in picks[:20] if no in people]
    paths = [p for triple in zip(roster, search, profile, strict=False) for p in triple]
    return paths


def browser_cookies(code: str) -> str:
    """The Cookie header of a browser signed in as ``<code>-hr``: the session and the CSRF cookie (a
    browser keeps the latter, so pages need not mint a new one each time)."""
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from hrguard.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=f"{code}-hr"))
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={_get_new_csrf_string()}"


def cpu_of(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) of each live process."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14, 15 of stat)
    return seconds


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two readings; a process that appeared in between started from zero (a backend that
    ended in between is lost: CONN_MAX_AGE keeps the server's connections open, so there are none)."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def pg_backends(dbname: str) -> list[int]:
    import psycopg

    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [dbname]
        ).fetchall()
    return [r[0] for r in rows]


def wait_for(port: int, procs: list[subprocess.Popen[bytes]]) -> None:
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)
            return
        except OSError:
            if any(p.poll() is not None for p in procs):
                raise SystemExit("the server did not start") from None
            time.sleep(0.2)
    raise SystemExit("the server did not answer within 120 s")


def check_mix(port: int, paths: list[str], cookie: str) -> None:
    for path in paths:
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
            if resp.status != 200 or "/login" in resp.url:
                raise SystemExit(f"{path}: {resp.status} {resp.url}")


def run_wrk(port: int, clients: int, duration: int, script: Path) -> tuple[dict[str, int], float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{duration}s", "--timeout", "10s", "-s", str(script),
         f"http://127.0.0.1:{port}/"],
        capture_output=True, text=True, timeout=duration + 60, check=False,
    )
    if out.returncode:
        raise SystemExit(f"wrk failed: {out.stderr or out.stdout}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT "))
    return json.loads(line[len("RESULT "):]), wrk_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="20,100", help="closed-loop client counts (default %(default)s)")
    parser.add_argument("--duration", type=int, default=20, help="seconds per run (default %(default)s)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="cap per run (default %(default)s)")
    parser.add_argument("--port", type=int, default=8380)
    parser.add_argument("--threads", type=int, default=8, help="threads per web process")
    parser.add_argument("--workers", type=int, default=1,
                        help="web processes behind the port, as `hrguard run --workers N` starts them")
    parser.add_argument("--code", default="big")
    common.db_arguments(parser, "/tmp/hrguard-bench.sqlite3")  # noqa: S108
    args = parser.parse_args()
    common.web_environment(args)
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(common.ROOT), os.environ.get("PYTHONPATH")) if p)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    paths = mix(args.code)
    cookie = browser_cookies(args.code)
    from django.db import connections

    connections.close_all()
    from hrguard.ops import webprocs

    web = webprocs.WebProcesses(webprocs.listen_group("127.0.0.1", args.port, args.workers), args.threads)
    try:
        wait_for(args.port, web.procs)
        report(args, web.pids, paths, cookie)
    finally:
        web.stop()


def machine_speed() -> float:
    """CPU ms of a fixed pure-Python loop (best of 5): CPU figures of two machines — or of one machine whose
    host is busier — compare only once divided by this (about 50 ms on a quiet machine of this kind)."""
    best = float("inf")
    for _ in range(5):
        c0 = time.process_time()
        sum(i * i for i in range(1_000_000))
        best = min(best, time.process_time() - c0)
    return best * 1000


def report(args: argparse.Namespace, pids: list[int], paths: list[str], cookie: str) -> None:
    check_mix(args.port, paths, cookie)
    check_mix(args.port, paths, cookie)  # warm: templates, translations, connections
    label = f"PostgreSQL {args.pg}" if args.pg else f"SQLite {args.db}"
    print(f"\n{label}: {len(paths)} URLs (roster / search / profile), {args.workers} web process(es) "
          f"x {args.threads} threads, "
          f"wrk -t2, {args.duration} s per run; reference loop {machine_speed():.0f} ms CPU\n")
    print("| clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/req "
          "| PostgreSQL CPU ms/req | wrk CPU ms/req | load avg |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for clients in (int(c) for c in args.clients.split(",")):
            script = Path(tmp) / "mix.lua"
            script.write_text(LUA % {
                "paths": ", ".join(json.dumps(p) for p in paths),
                "cookie": cookie,
                "max_per_thread": max(1, args.max_requests // 2),
            })
            cpu0, db0 = cpu_of(pids), cpu_of(pg_backends(args.pg) if args.pg else [])
            result, wrk_cpu = run_wrk(args.port, clients, args.duration, script)
            cpu1, db1 = cpu_of(pids), cpu_of(pg_backends(args.pg) if args.pg else [])
            server_cpu, db_cpu = cpu_delta(cpu0, cpu1), cpu_delta(db0, db1)
            n = max(1, result["requests"])
            errors = result["non200"] + result["connect"] + result["read"] + result["write"] + result["timeout"]
            seconds = result["duration_us"] / 1e6
            pg_col = f"{db_cpu * 1000 / n:.2f}" if args.pg else "—"
            print(f"| {clients} | {result['requests']} | {result['requests'] / seconds:.0f} "
                  f"| {result['p50'] / 1000:.0f} | {result['p95'] / 1000:.0f} | {result['p99'] / 1000:.0f} "
                  f"| {errors} | {server_cpu * 1000 / n:.2f} | {pg_col} | {wrk_cpu * 1000 / n:.2f} "
                  f"| {os.getloadavg()[0]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
