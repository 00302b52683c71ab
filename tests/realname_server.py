"""A local fake of a three-element real-name API (the shape ``hrguard.documents.realname`` documents):
form-encoded POST with ``Authorization: APPCODE …``; JSON ``{"code": 200, "taskNo": …, "data": {"result": …}}``."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class FakeRegistry:
    """The carrier's records: (name, ID number, mobile) triples that match; every request is kept."""

    people: set[tuple[str, str, str]] = field(default_factory=set)
    appcode: str = "test-appcode"
    requests: list[dict[str, str]] = field(default_factory=list)


@contextmanager
def serve_realname(registry: FakeRegistry) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
            registry.requests.append({**form, "authorization": self.headers.get("Authorization", "")})
            if self.headers.get("Authorization") != f"APPCODE {registry.appcode}":
                self._reply(401, {"code": 401, "msg": "Invalid AppCode"})
                return
            if not all(form.get(k) for k in ("name", "idcard", "mobile")):
                self._reply(200, {"code": 400, "msg": "参数错误"})
                return
            triple = (form["name"], form["idcard"], form["mobile"])
            known_ids = {p[1] for p in registry.people}
            result = "0" if triple in registry.people else ("1" if form["idcard"] in known_ids else "2")
            desc = {"0": "一致", "1": "不一致", "2": "无记录"}[result]
            self._reply(200, {"code": 200, "msg": "成功", "taskNo": f"T{len(registry.requests):06d}",
                              "data": {"result": result, "desc": desc}})

        def _reply(self, status: int, doc: dict[str, object]) -> None:
            raw = json.dumps(doc, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/mobile/verify"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
