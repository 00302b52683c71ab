"""``hrguard run``: migrate, seed the demo company if empty, start the web server and the Huey worker.

The worker is a child process that dies with this one (``supervise.die_with_parent`` + its parent
watchdog), and the only consumer of the SQLite queue (``supervise.lock_queue``, taken by the worker).
The web server is granian (``hrguard.ops.webserver``) in ``--workers N`` web processes behind the one
port, which this process binds (``hrguard.ops.webprocs``; default one per core, at most four), and
starts again if one exits."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hrguard.core.crypto import KeysUnavailable
from hrguard.core.keycheck import startup_check
from hrguard.core.models import Company
from hrguard.core.tasks import optimize_sqlite
from hrguard.ops import supervise, webprocs


def start_worker() -> subprocess.Popen[bytes]:
    parent = os.getpid()
    return subprocess.Popen(
        [sys.executable, "-m", "hrguard.cli", "run_huey", "--workers", "2", "--worker-type", "thread", "--quiet"],
        env={**os.environ, supervise.PARENT_ENV: str(parent)},
        preexec_fn=functools.partial(supervise.die_with_parent, parent),  # runs before any thread starts
    )


def public_url(host: str, port: int) -> str:
    """This server's own address, for links in messages when HRGUARD_PUBLIC_URL is not set."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host  # noqa: S104 - naming, not binding
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def apply_public_url(host: str, port: int) -> str:
    """Links follow the port (and host) the server runs on unless HRGUARD_PUBLIC_URL says otherwise: set
    for this process and, through the environment, for the worker it starts."""
    if os.environ.get("HRGUARD_PUBLIC_URL"):
        return str(settings.HRGUARD_PUBLIC_URL)
    url = public_url(host, port)
    os.environ["HRGUARD_PUBLIC_URL"] = url
    settings.HRGUARD_PUBLIC_URL = url
    return url


class Command(BaseCommand):
    help = "Start HRGuard (web + background worker) on the embedded default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HRGUARD_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("HRGUARD_PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="do not seed the demo company")
        # 4: on this 2-core kind of machine 2 and 4 served the most with the least CPU a request, 8 less
        # (bench/README, "Load"); a database across a network, with real round trips, may want more.
        parser.add_argument("--threads", type=int, default=int(os.environ.get("HRGUARD_WEB_THREADS", "4")),
                            help="Python threads per web process (default 4)")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("HRGUARD_WEB_WORKERS", webprocs.default_workers())),
            help="web processes behind the port (default: one per core, at most four)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            startup_check()  # before migrations touch the data: the keys must open what is stored
        except KeysUnavailable as exc:
            raise CommandError(str(exc)) from exc
        call_command("migrate", interactive=False, verbosity=0)
        if not opts["no_demo"]:
            if not Company.objects.exists():
                self.stdout.write("Seeding the demo company (first start)…")
            call_command("demo", stdout=self.stdout)
        optimize_sqlite()  # planner statistics (ANALYZE the first time, PRAGMA optimize afterwards)
        link_base = apply_public_url(opts["host"], opts["port"])
        self.stdout.write(f"Links in messages (signing links): {link_base}/ — set HRGUARD_PUBLIC_URL to the "
                          "address employees reach if it differs.")
        workers = max(1, opts["workers"])
        try:
            socks = webprocs.listen_group(opts["host"], opts["port"], workers)
        except OSError as exc:
            raise CommandError(f"cannot listen on {opts['host']}:{opts['port']}: {exc}") from exc
        worker = start_worker()  # after apply_public_url: the worker inherits HRGUARD_PUBLIC_URL
        self.stdout.write(f"Worker started (pid {worker.pid}).")

        def stop(*_a: Any) -> None:
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        try:
            self.serve_processes(socks, opts)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    def serve_processes(self, socks: list[Any], opts: dict[str, Any]) -> None:
        web = webprocs.WebProcesses(socks, opts["threads"])
        self.stdout.write(f"Web processes started (pids {', '.join(map(str, web.pids))}).")
        self.stdout.write(f"HRGuard: http://{opts['host']}:{opts['port']}/  (Ctrl+C to stop)")
        self.stdout.flush()
        try:
            web.watch()
        except webprocs.WebProcessesFailed as exc:
            raise CommandError(str(exc)) from exc
        finally:
            web.stop()
