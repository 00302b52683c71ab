"""``hrguard serve_web --fd F``: one web process of ``hrguard run --workers N`` (started by it, not by hand).

Serves the WSGI application with waitress on the listening socket inherited as file descriptor ``F``,
and stops when the ``hrguard run`` that started it goes away (``HRGUARD_PARENT_PID``)."""

from __future__ import annotations

import signal
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from hrguard.ops import supervise


class Command(BaseCommand):
    help = "One web process of `hrguard run --workers N` (internal: serves an inherited socket)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fd", type=int, required=True, help="file descriptor of the listening socket")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **opts: Any) -> None:
        supervise.watch_parent()
        from waitress import serve

        from hrguard.wsgi import application

        sock = socket.socket(fileno=opts["fd"])

        def stop(*_a: Any) -> None:
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        serve(application, sockets=[sock], threads=opts["threads"], ident="hrguard", _quiet=True)
