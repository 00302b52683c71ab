"""Start the production-shaped setup, sweep N reminders, SIGKILL one consumer mid-way, and account.

Procedure (``run``):
1. A scratch PostgreSQL database, migrated; a company with 50 employees, an email channel pointing at
   a local SMTP server (aiosmtpd, in this process) that records the ``X-HRGuard-Key`` of every
   message it accepts; N reminders (durable deadlines) already due.
2. Two web processes (waitress, production settings) and two Huey consumers on one Redis queue:
   consumer A schedules the periodic tasks, consumer B runs with ``-n`` (no periodic scheduling) — the
   rule for any number of consumers: exactly one schedules.
3. The periodic sweep is enqueued (as the scheduling consumer does every minute); it fans the due
   rows out as batch tasks (``HRGUARD_SWEEP_BATCH`` rows each, ~40 batches here) that both consumers
   take, claiming disjoint rows (``SELECT … FOR UPDATE SKIP LOCKED``), and delivering through the
   outbox. Meanwhile a prober keeps loading the sign-in page from both web
   processes.
4. Once a quarter of the reminders have been swept, at a moment B is inside a batch (holding
   leases), B is SIGKILLed. Huey has no acknowledgement: what B was running is gone. What is durable is the rows:
   B's leased deadlines come back when the lease ends (the harness ends it at once instead of
   waiting 5 minutes), outbox rows whose hand-off died with B are found by the outbox sweep, and a
   row B was sending at the moment of the kill is left SENDING — never re-sent blindly: the reaper
   marks it unknown and HR settles it against the provider's log (``ctl reconcile``).
5. The SMTP server's record must then show every reminder exactly once."""

from __future__ import annotations

import collections
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

PROJECT = Path(__file__).resolve().parents[2]


def batch_size(n: int) -> int:
    """Rows per sweep task (HRGUARD_SWEEP_BATCH): about 40 batches for the run, so that both consumers
    take part even for a small N (at least 50, at most the default 500)."""
    return min(500, max(50, n // 40))
DRAIN_TIMEOUT = 1800  # seconds after the kill before the run is declared stuck


class _Recorder:
    def __init__(self) -> None:
        self.keys: collections.Counter[str] = collections.Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import email

        msg = email.message_from_bytes(envelope.content)
        with self.lock:
            self.keys[str(msg.get("X-HRGuard-Key", "?"))] += 1
        return "250 OK"

    def total(self) -> int:
        with self.lock:
            return sum(self.keys.values())


@dataclass
class Report:
    reminders: int
    delivered_once: int = 0
    duplicates: int = 0
    missing: int = 0
    killed_at: int = 0  # reminders swept (deadlines done) when B was killed
    at_kill: dict[str, Any] = field(default_factory=dict)
    leases_ended: int = 0
    settled: dict[str, int] = field(default_factory=dict)
    sweep_seconds: float = 0.0
    kill_seconds: float = 0.0
    web_ok: int = 0
    web_errors: int = 0
    consumers: list[str] = field(default_factory=list)

    @property
    def exactly_once(self) -> bool:
        return self.delivered_once == self.reminders and not self.duplicates and not self.missing


@dataclass
class Setup:
    pg_db: str
    redis_url: str
    web_ports: tuple[int, int]
    smtp_port: int
    workers: int = 2
    sweep_batch: int = 500
    log: Callable[[str], None] = print
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hrguard-scaleout-")))
    queue: str = field(default_factory=lambda: f"scaleout-{secrets.token_hex(4)}")

    def env(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("HRGUARD_", "DJANGO_"))}
        base.update(
            DJANGO_SETTINGS_MODULE="bench.scaleout.settings", PYTHONPATH=str(PROJECT), PYTHONUNBUFFERED="1",
            HRGUARD_DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{self.pg_db}",
            HRGUARD_REDIS_URL=self.redis_url, HRGUARD_QUEUE_NAME=self.queue,
            HRGUARD_SECRET_KEY="scaleout-" + "x" * 50, HRGUARD_KEYS_DIR=str(self.tmp / "keys"),
            HRGUARD_INSECURE_COOKIES="1", HRGUARD_LOG_LEVEL="ERROR", HRGUARD_SWEEP_BATCH=str(self.sweep_batch),
        )
        return base

    def ctl(self, *args: str) -> dict[str, Any]:
        out = subprocess.run([sys.executable, "-m", "bench.scaleout.ctl", *args], env=self.env(), cwd=str(PROJECT),
                             capture_output=True, text=True, timeout=600, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"ctl {args[0]} failed: {out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        logf = (self.tmp / f"{name}.log").open("wb")
        proc = subprocess.Popen([sys.executable, *args], env=self.env(), cwd=str(PROJECT), stdout=logf, stderr=logf)
        self.procs.append(proc)
        return proc

    def psql(self, sql: str) -> None:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True)

    def close(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        self.psql(f'DROP DATABASE IF EXISTS "{self.pg_db}"')
        import redis

        r = redis.Redis.from_url(self.redis_url)
        for key in list(r.scan_iter(f"*{self.queue}*")) + list(r.scan_iter("hrguard:*")):
            r.delete(key)


def _probe(ports: tuple[int, int], stop: threading.Event, counts: collections.Counter[str]) -> None:
    i = 0
    while not stop.is_set():
        port = ports[i % 2]
        i += 1
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10) as r:
                counts["ok" if r.status == 200 else "error"] += 1
        except OSError:
            counts["error"] += 1
        stop.wait(0.1)


def _wait_http(port: int, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"web process on port {port} did not come up")


def _start_processes(s: Setup) -> tuple[subprocess.Popen[bytes], subprocess.Popen[bytes]]:
    """Web processes first (waited for), then the consumers: the sweep starts only once we watch."""
    for i, port in enumerate(s.web_ports):
        s.start(f"web-{i + 1}", "-m", "waitress", "--listen", f"127.0.0.1:{port}", "--threads", "4",
                "hrguard.wsgi:application")
    for port in s.web_ports:
        _wait_http(port)
    consumer = ["-m", "hrguard.cli", "run_huey", "--workers", str(s.workers), "--worker-type", "thread"]
    a = s.start("consumer-a", *consumer)
    b = s.start("consumer-b", *consumer, "-n")
    return a, b


def _drain(s: Setup, recorder: _Recorder) -> int:
    """After the kill: end dead leases, keep enqueuing sweeps until nothing is pending or queued.
    Returns how many leases were ended."""
    last, still, ended = -1, 0, 0
    give_up = time.monotonic() + DRAIN_TIMEOUT
    while True:
        if time.monotonic() > give_up:
            raise RuntimeError(f"no end after {DRAIN_TIMEOUT} s: {s.ctl('status')} (logs in {s.tmp})")
        time.sleep(2)
        st = s.ctl("status")
        pending = st["deadlines"].get("pending", 0)
        queued = st["outbox"].get("queued", 0)
        total = recorder.total()
        progress = total + st["deadlines"].get("done", 0)  # messages received or reminders swept
        still = still + 1 if progress == last else 0
        last = progress
        if pending == 0 and queued == 0 and still >= 2:
            return ended
        if still >= 2 and (pending or queued):  # nothing moves: what is left is B's leases / hand-offs
            s.log(f"  stalled at {total} received: {st} -> ending dead leases, sweeping again")
            ended += s.ctl("expire")["expired"]
            s.ctl("kick")


_EXEC = re.compile(r"Executing hrguard\.deadlines\.tasks\.sweep_batch: ([0-9a-f-]+)")
_DONE = re.compile(r"hrguard\.deadlines\.tasks\.sweep_batch: ([0-9a-f-]+) executed in")


def _sweeping(consumer_log: Path) -> bool:
    """Is a sweep batch running in that consumer right now (started in its log, not finished)?"""
    text = consumer_log.read_text(errors="replace")
    return bool(set(_EXEC.findall(text)) - set(_DONE.findall(text)))


def _kill_midway(
    s: Setup, a: subprocess.Popen[bytes], b: subprocess.Popen[bytes], n: int, table: dict[str, str]
) -> int:
    """SIGKILL consumer B mid-run: at least a quarter of the reminders swept, and B inside a sweep batch
    (so it dies holding leases); returns how many reminders were swept then."""
    import psycopg

    sql = f'SELECT count(*) FROM "{table["deadline"]}" WHERE action = %s AND state = %s'
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname=s.pg_db, autocommit=True) as conn:
        done = 0
        while done < n // 4 or not _sweeping(s.tmp / "consumer-b.log"):
            if b.poll() is not None or a.poll() is not None:
                raise RuntimeError(f"a consumer exited early; see {s.tmp}")
            if done >= n:
                raise RuntimeError("every reminder was swept before consumer B could be caught inside a sweep")
            time.sleep(0.05)
            done = conn.execute(sql, [table["action"], "done"]).fetchone()[0]  # type: ignore[index]
        time.sleep(0.2)  # let it claim its batch
        b.send_signal(signal.SIGKILL)
        b.wait()
        return int(done)


def run(n: int, s: Setup) -> Report:
    report = Report(reminders=n)
    s.sweep_batch = batch_size(n)
    recorder = _Recorder()
    smtp = Controller(recorder, hostname="127.0.0.1", port=s.smtp_port)
    smtp.start()
    stop, counts = threading.Event(), collections.Counter[str]()
    try:
        s.psql(f'CREATE DATABASE "{s.pg_db}"')
        subprocess.run([sys.executable, "-m", "hrguard.cli", "migrate", "-v", "0"], env=s.env(), cwd=str(PROJECT),
                       check=True, timeout=900)
        s.log(f"seeded: {s.ctl('seed', str(n), str(s.smtp_port))}")
        table = s.ctl("tables")
        a, b = _start_processes(s)
        report.consumers = [f"A pid {a.pid}: run_huey (schedules the periodic tasks)", f"B pid {b.pid}: run_huey -n"]
        prober = threading.Thread(target=_probe, args=(s.web_ports, stop, counts), daemon=True)
        prober.start()
        started = time.monotonic()
        kick = subprocess.Popen([sys.executable, "-m", "bench.scaleout.ctl", "kick"], env=s.env(), cwd=str(PROJECT),
                                stdout=subprocess.DEVNULL)  # while the kill watch starts polling
        report.killed_at = _kill_midway(s, a, b, n, table)
        kick.wait(timeout=600)
        report.kill_seconds = time.monotonic() - started
        report.at_kill = s.ctl("status")
        s.log(f"SIGKILLed consumer B (pid {b.pid}) with {report.killed_at} of {n} reminders swept, "
              f"{report.kill_seconds:.1f} s in; {recorder.total()} messages received; {report.at_kill}")
        report.leases_ended = _drain(s, recorder)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, dir=s.tmp) as fh:
            json.dump(list(recorder.keys), fh)
        report.settled = s.ctl("reconcile", fh.name)
        report.sweep_seconds = time.monotonic() - started
        time.sleep(1)
    finally:
        stop.set()
        smtp.stop(no_assert=True)
        s.close()
    report.web_ok, report.web_errors = counts["ok"], counts["error"]
    want = {f"scaleout:{i}:email" for i in range(n)}
    report.delivered_once = sum(1 for k in want if recorder.keys.get(k) == 1)
    report.duplicates = sum(1 for k, c in recorder.keys.items() if c > 1)
    report.missing = sum(1 for k in want if k not in recorder.keys)
    return report
