"""The HTTP server of a web process: granian (HTTP/1.1 in Rust, WSGI on a pool of Python threads).

``hrguard run`` binds the port itself and supervises its web processes (``hrguard.ops.webprocs``), so a
web process serves a socket it inherited. Granian's public API binds its own socket; ``serve`` drives the
worker granian's own multiprocess server runs in each of its workers (pinned to granian 2.6.x in
pyproject, which ``tests/ops/test_webserver.py`` serves through) on the inherited descriptor instead.

Against waitress (the server before): about 0.5 ms less CPU a request under load and a shorter p95
(bench/README, "Load"); request bodies are streamed, never buffered whole in memory.

The WSGI environ is built from the request and a fixed set of server keys only. Granian's own wrapper
copies the whole process environment into every request after the request's keys, so a variable named
``HTTP_HOST`` or ``REMOTE_ADDR`` in the environment would override what the client sent, and secrets
passed by environment would show in ``request.META``."""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterable
from typing import Any

from .webprocs import BACKLOG

BACKPRESSURE = 512  # requests a process accepts before it stops accepting (granian's default for 2 workers)
RUNTIME_THREADS = 1  # Rust I/O threads: they never run Python, one is plenty
RUNTIME_BLOCKING_THREADS = 512  # the Rust runtime's own blocking pool (granian's default; not Python threads)
THREAD_IDLE_TIMEOUT = 600  # seconds before an idle Python thread of the pool ends
HEADER_READ_TIMEOUT_MS = 30_000  # a client that sends no complete request head in this time is dropped

SERVER_KEYS: dict[str, Any] = {
    "GATEWAY_INTERFACE": "CGI/1.1",
    "SCRIPT_NAME": "",
    "SERVER_SOFTWARE": "hrguard",
    "wsgi.errors": sys.stderr,
    "wsgi.multiprocess": True,
    "wsgi.multithread": True,
    "wsgi.run_once": False,
    "wsgi.version": (1, 0),
}

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _StartResponse:
    __slots__ = ("headers", "status")

    def __init__(self) -> None:
        self.status = 200
        self.headers: list[tuple[str, str]] = []

    def __call__(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        self.status = int(status.split(" ", 1)[0])
        self.headers = headers


class _Body:
    """The application's iterable, with its ``close`` (WSGI requires the server to call it)."""

    __slots__ = ("__next__", "inner")

    def __init__(self, inner: Iterable[bytes]) -> None:
        self.inner = inner
        self.__next__ = iter(inner).__next__

    def __iter__(self) -> _Body:
        return self

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()


def wsgi_callback(application: WSGIApp) -> Callable[[Any, dict[str, Any]], int]:
    """What granian calls for each request: ``scope`` is the request's environ (request line, headers,
    ``wsgi.input``, ``REMOTE_ADDR``…); only ``SERVER_KEYS`` are added to it."""

    def call(proto: Any, scope: dict[str, Any]) -> int:
        scope.update(SERVER_KEYS)
        response = _StartResponse()
        body = application(scope, response)
        if isinstance(body, list):
            proto.response_bytes(response.status, response.headers, b"".join(body))
        else:
            proto.response_iter(response.status, response.headers, _Body(body))
        return response.status

    return call


def serve(application: WSGIApp, sock: socket.socket, threads: int) -> None:
    """Serve ``application`` on the listening ``sock`` with ``threads`` Python threads until SIGTERM or
    SIGINT (then the requests in flight finish)."""
    from granian._futures import _new_cbscheduler
    from granian._granian import SocketHolder, WSGIWorker
    from granian._loops import loops
    from granian._signals import set_sync_signals
    from granian.http import HTTP1Settings

    holder = SocketHolder(sock.fileno(), False, BACKLOG)  # the backlog the socket was bound with
    stopped = set_sync_signals()
    worker = WSGIWorker(
        1, holder, RUNTIME_THREADS, RUNTIME_BLOCKING_THREADS, max(1, threads), THREAD_IDLE_TIMEOUT, BACKPRESSURE, "1",
        HTTP1Settings(header_read_timeout=HEADER_READ_TIMEOUT_MS), None, None,
        False, None, None, None, "tls1.3", None, [], False,
    )
    loop = loops.get("auto")
    scheduler = _new_cbscheduler(loop, wsgi_callback(application), impl_asyncio=True)
    worker.serve_mtr(scheduler, loop, stopped)
