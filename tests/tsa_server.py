"""A real RFC 3161 time-stamping server on 127.0.0.1 for tests (pyHanko's test stamper behind http.server)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asn1crypto import tsp

from hrguard.platform.pdf.seal import make_timestamper


@contextmanager
def serve_tsa(tsa_signer: Any, fixed_dt: Any = None) -> Iterator[str]:
    """Serve time-stamp tokens signed by ``tsa_signer``; yields the endpoint URL. Requests without the
    RFC 3161 content type are refused (415), as a real TSA does. ``fixed_dt`` makes a TSA whose clock is
    stuck at that time (clock-skew tests)."""
    stamper = make_timestamper(tsa_signer)
    stamper.fixed_dt = fixed_dt  # type: ignore[attr-defined]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Type") != "application/timestamp-query":
                self.send_error(415)
                return
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()  # type: ignore[attr-defined]
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
