"""A real local HTTP server that receives webhooks (stdlib ``http.server`` in a thread), and exits to complete."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.offboarding.conftest import act_as, complaint, confirm_all, open_steps, staff, start  # noqa: F401


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the server answers: ``statuses`` one per request (then 200), ``delay`` seconds before answering."""

    port: int = 0
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    answer: bytes = b'{"ok": true}'

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"


@pytest.fixture
def receiver() -> Any:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            state.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            if state.delay:
                time.sleep(state.delay)
            code = state.statuses.pop(0) if state.statuses else 200
            try:
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(state.answer)))
                self.end_headers()
                self.wfile.write(state.answer)
            except OSError:
                pass  # the client gave up (timeout test)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def sweep_after(day: dt.date) -> None:
    from django.utils import timezone

    from hrguard.deadlines import services as deadlines

    tz = timezone.get_current_timezone()
    deadlines.sweep(now=dt.datetime.combine(day + dt.timedelta(days=2), dt.time(9), tzinfo=tz))


@pytest.fixture
def complete(world: Any, staff: Any, start: Any, django_capture_on_commit_callbacks: Any) -> Any:  # noqa: F811
    """Run an exit to completion (the last day passes, every gate and step done), after-commit work included."""

    def run(**kw: Any) -> Any:
        kw.setdefault("ground", "art37")
        with django_capture_on_commit_callbacks(execute=True):
            ex = start(**kw)
        with django_capture_on_commit_callbacks(execute=True):
            sweep_after(ex.last_day)
        confirm_all(ex, staff)
        with django_capture_on_commit_callbacks(execute=True):
            for _round in range(3):
                for step in open_steps(ex):
                    act_as(step, staff)
        ex.refresh_from_db()
        assert ex.state == "completed"
        return ex

    return run


@pytest.fixture
def endpoint(world: Any, receiver: Receiver) -> Any:
    from hrguard.integrations import services

    def make(events: tuple[str, ...] = ("exit.completed",), user: Any = None, **kw: Any) -> Any:
        kw.setdefault("url", receiver.url)
        return services.create_endpoint(actor=user or world.users["admin"], events=list(events), **kw)

    return make
