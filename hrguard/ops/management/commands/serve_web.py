"""``hrguard serve_web --fd F``: one web process of ``hrguard run --workers N`` (started by it, not by hand).

Serves the WSGI application (``hrguard.ops.webserver``: granian) on the listening socket inherited as
file descriptor ``F``, and stops when the ``hrguard run`` that started it goes away (``HRGUARD_PARENT_PID``)."""

from __future__ import annotations

import os
import socket
import sys
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
        from hrguard.ops import webserver
        from hrguard.wsgi import application

        webserver.serve(application, socket.socket(fileno=opts["fd"]), opts["threads"])
        # granian's Rust threads outlive serve() and may still call into Python: ending the interpreter
        # normally would let them run into its finalisation (a panic). Its own workers end this way too.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
