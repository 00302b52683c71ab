"""``hrguard run --workers N``: N web processes behind one port, restarted when one exits, gone with
``hrguard run`` (real processes, real signals)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

from .procs import alive, embedded_env, free_port, hrguard, wait_until

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _pids(line: str) -> list[int]:
    return [int(p) for p in re.findall(r"\d+", line.split("pids", 1)[1])]


def _answers(port: int, timeout: float = 60) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=timeout) as resp:
            return resp.status
    except OSError:
        return 0


def _web_children(run_pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(text.rsplit(")", 1)[1].split()[1]) == run_pid and b"serve_web" in cmdline:
            found.add(int(stat.parent.name))
    return found


def test_two_web_processes_share_the_port_restart_and_die_with_run(tmp_path: Path) -> None:
    port = free_port()
    run = hrguard("run", "--no-demo", "--port", str(port), "--workers", "2", "--threads", "2",
                  env=embedded_env(tmp_path))
    web: list[int] = []
    worker = 0
    try:
        for line in run.stdout:  # type: ignore[union-attr]
            if line.startswith("Worker started"):
                worker = int(line.split("pid ")[1].rstrip(").\n"))
            if line.startswith("Web processes started"):
                web = _pids(line)
                break
        assert len(web) == 2 and worker
        # The port listens at once (hrguard run binds it); the web processes answer once started.
        wait_until(lambda: _answers(port, timeout=5) == 200, 300, "the site to answer")
        assert all(_answers(port) == 200 for _ in range(6))

        os.kill(web[0], signal.SIGKILL)  # one web process dies: the port keeps answering, it comes back
        # New connections the kernel sends to the dead process's socket wait there for its replacement:
        # six connections from six source ports, so some of them almost surely do; none is refused.
        assert all(_answers(port) == 200 for _ in range(6))
        wait_until(lambda: len(_web_children(run.pid) - {web[0]}) == 2, 60, "a replacement web process")
        web = sorted(_web_children(run.pid))

        run.send_signal(signal.SIGKILL)  # no Python code of run runs now: the kernel stops its children
        run.wait(timeout=30)
        for pid in (*web, worker):
            wait_until(lambda pid=pid: not alive(pid), 20, f"process {pid} to die with hrguard run")
    finally:
        if run.poll() is None:
            run.kill()
        run.communicate(timeout=30)
        for pid in (*web, worker):
            if pid and alive(pid):  # the failure being tested: do not leave them running
                os.kill(pid, signal.SIGKILL)


def test_a_port_in_use_is_one_clear_error(tmp_path: Path) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        run = hrguard("run", "--no-demo", "--port", str(port), "--workers", "2", env=embedded_env(tmp_path))
        try:
            _out, err = run.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            run.kill()
            raise
    assert run.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in err
