"""``hrguard run``: migrate, seed the demo company if empty, start the web server and the Huey worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from hrguard.core.models import Company
from hrguard.core.tasks import optimize_sqlite


class Command(BaseCommand):
    help = "Start HRGuard (web + background worker) on the embedded default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HRGUARD_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("HRGUARD_PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="do not seed the demo company")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not opts["no_demo"]:
            if not Company.objects.exists():
                self.stdout.write("Seeding the demo company (first start)…")
            call_command("demo", stdout=self.stdout)
        optimize_sqlite()  # planner statistics (ANALYZE the first time, PRAGMA optimize afterwards)
        worker = subprocess.Popen(
            [sys.executable, "-m", "hrguard.cli", "run_huey", "--workers", "2", "--worker-type", "thread", "--quiet"],
            env=os.environ.copy(),
        )
        self.stdout.write(f"Worker started (pid {worker.pid}).")
        self.stdout.write(f"HRGuard: http://{opts['host']}:{opts['port']}/  (Ctrl+C to stop)")
        from waitress import serve

        from hrguard.wsgi import application

        def stop(*_a: Any) -> None:
            worker.terminate()
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        try:
            serve(application, host=opts["host"], port=opts["port"], threads=opts["threads"], ident="hrguard")
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
