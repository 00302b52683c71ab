"""``hrguard.ops.webserver``: granian's worker on an inherited socket, as a web process runs it (a real
process, real HTTP, real signals), with a small WSGI application that answers its environ."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from hrguard.ops import webprocs

from .procs import PROJECT, free_port, wait_until

APP = textwrap.dedent("""
    import json, os, socket, sys
    from hrguard.ops import webserver

    closed = []

    class Body:
        def __init__(self, chunks):
            self.chunks = chunks
        def __iter__(self):
            return iter(self.chunks)
        def close(self):
            closed.append(1)

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/pid":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [str(os.getpid()).encode()]
        if environ["PATH_INFO"] == "/closed":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [str(len(closed)).encode()]
        if environ["PATH_INFO"] == "/stream":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return Body([b"one,", b"two"])
        if environ["PATH_INFO"] == "/echo":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            data = environ["wsgi.input"].read(size)
            start_response("201 Created", [("Content-Type", "application/octet-stream")])
            return [data]
        keys = {k: v for k, v in environ.items() if isinstance(v, (str, int, bool))}
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(keys).encode()]

    sock = socket.socket(fileno=int(sys.argv[1]))
    webserver.serve(app, sock, 2)
    print("stopped", flush=True)
    os._exit(0)
""")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    port = free_port()
    sock = socket.create_server(("127.0.0.1", port))
    sock.set_inheritable(True)
    script = tmp_path / "app.py"
    script.write_text(APP)
    env = {**os.environ, "HTTP_HOST": "evil.example", "REMOTE_ADDR": "203.0.113.9",
           "HRGUARD_SECRET_KEY": "not-for-requests", "PYTHONPATH": str(PROJECT)}
    proc = subprocess.Popen([sys.executable, str(script), str(sock.fileno())], env=env, pass_fds=(sock.fileno(),),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sock.close()
    try:
        wait_until(lambda: _get(port, "/closed")[0] == 200, timeout=30, what="the server answers")
        yield port, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _get(port: int, path: str, *, method: str = "GET", body: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    except OSError:
        return 0, b""


def test_environ_is_the_request_and_server_keys_never_the_process_environment(server) -> None:
    port, _proc = server
    status, body = _get(port, "/env?x=1", headers={"Host": "hr.example.cn", "X-Trace": "abc"})
    assert status == 200
    environ = json.loads(body)
    assert environ["HTTP_HOST"] == "hr.example.cn"  # the client's, though the process has HTTP_HOST set
    assert environ["REMOTE_ADDR"] == "127.0.0.1"  # the peer, though the process has REMOTE_ADDR set
    assert environ["HTTP_X_TRACE"] == "abc"
    assert environ["QUERY_STRING"] == "x=1" and environ["PATH_INFO"] == "/env"
    assert environ["REQUEST_METHOD"] == "GET" and environ["SCRIPT_NAME"] == ""
    assert environ["wsgi.url_scheme"] == "http"
    assert "HRGUARD_SECRET_KEY" not in environ and "PATH" not in environ and "PYTHONPATH" not in environ
    assert not [k for k in environ if k in os.environ and not k.startswith(("HTTP_", "REMOTE_"))]


def test_request_body_reaches_the_application_and_iterables_are_closed(server) -> None:
    port, _proc = server
    payload = os.urandom(300_000)
    assert _get(port, "/echo", method="POST", body=payload) == (201, payload)
    assert _get(port, "/closed") == (200, b"0")
    assert _get(port, "/stream") == (200, b"one,two")
    wait_until(lambda: _get(port, "/closed") == (200, b"1"), timeout=5, what="close() called")  # WSGI: the server closes it


def test_sigterm_stops_the_server_cleanly(server) -> None:
    port, proc = server
    assert _get(port, "/closed")[0] == 200
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped" in out
    assert "panicked" not in err


def test_connections_opened_together_are_spread_over_the_web_processes(tmp_path: Path) -> None:
    """20 keep-alive connections opened at once (a burst of browsers): each web process gets some. On one
    shared socket the first process to wake accepted them all."""
    script = tmp_path / "app.py"
    script.write_text(APP)
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}

    def start(fd: int, _threads: int) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, str(script), str(fd)], env=env, pass_fds=(fd,),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    port = free_port()
    web = webprocs.WebProcesses(webprocs.listen_group("127.0.0.1", port, 2), 2, start=start)
    try:
        wait_until(lambda: _get(port, "/closed")[0] == 200, timeout=30, what="the web processes")
        conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(20)]
        for conn in conns:
            conn.connect()
        pids = []
        for conn in conns:
            conn.request("GET", "/pid")
            pids.append(int(conn.getresponse().read()))
        counts = sorted(pids.count(pid) for pid in set(pids))
        assert set(pids) <= set(web.pids)
        assert len(counts) == 2 and counts[0] >= 3, counts  # P(fewer than 3 of 20 by the hash) < 0.05 %
        for conn in conns:
            conn.close()
    finally:
        web.stop()


def test_a_port_in_use_fails_before_any_socket_of_the_group(tmp_path: Path) -> None:
    port = free_port()
    with socket.create_server(("127.0.0.1", port), reuse_port=True):  # even one that allows sharing
        with pytest.raises(OSError):
            webprocs.listen_group("127.0.0.1", port, 2)
