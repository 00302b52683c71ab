"""Real local servers for notification tests: an SMTP server (aiosmtpd) and a fake provider HTTP server.

Both run in threads of the test process and count what they receive, so tests can prove a message was
sent exactly once. The HTTP server routes (method, path) to a responder that inspects the request like
the provider would (signature, token, JSON body) and answers with the provider's documented shapes."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------- SMTP


class _Collector:
    def __init__(self, box: SmtpServer) -> None:
        self.box = box

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address.endswith("@bounce.test"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.box.lock:
            self.box.messages.append(msg)
        if self.box.hang_after is not None and len(self.box.messages) >= self.box.hang_after:
            await asyncio.sleep(3600)  # the message is here, but the client never hears "250"
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd in a thread; ``messages`` are the parsed mails received."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Any] = []
        self.lock = threading.Lock()
        self.hang_after: int | None = None
        self.controller = Controller(_Collector(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.controller.stop(no_assert=True)

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def wait_for(self, n: int, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count() >= n:
                return True
            time.sleep(0.02)
        return self.count() >= n


# ---------------------------------------------------------------- HTTP


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


Responder = Callable[[Request], tuple[int, Any]]


@dataclass
class FakeProvider:
    """``routes[(method, path)] = responder``; every request is kept in ``requests``."""

    routes: dict[tuple[str, str], Responder] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def hits(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> FakeProvider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                req = Request(
                    self.command, parsed.path, dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True)),
                    {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length) if length else b"",
                )
                with provider.lock:
                    provider.requests.append(req)
                responder = provider.routes.get((self.command, parsed.path))
                status, doc = (404, {"error": "no route"}) if responder is None else responder(req)
                raw = doc if isinstance(doc, bytes) else json.dumps(doc, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
