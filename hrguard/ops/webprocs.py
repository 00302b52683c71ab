"""Several web processes behind one port (``hrguard run --workers N``).

One web process is bound to one core by the GIL. ``hrguard run`` binds the listening socket itself (so a
port in use is one clear error, and no second server can join the port unnoticed, as it could with
``SO_REUSEPORT``), then starts ``N`` processes of ``hrguard serve_web --fd F`` that inherit
that socket and accept from it; the kernel hands each new connection to one of them. Each web process is
a fresh interpreter (no fork of a process holding database connections or threads), dies with
``hrguard run`` (``supervise.die_with_parent`` and the parent watchdog, as the worker does), and is
started again if it exits while ``hrguard run`` is running."""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable

from . import supervise

RESTART_DELAY = 1.0  # seconds before a web process that exited is started again
MAX_RESTARTS = 20  # per process slot: past this, hrguard run stops with an error (a crash loop)


class WebProcessesFailed(RuntimeError):
    """A web process keeps exiting: something is wrong with the installation, not with one request."""


def listen(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """The listening socket every web process accepts from (inheritable, SO_REUSEADDR like waitress)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=backlog)
    sock.set_inheritable(True)
    return sock


def default_workers() -> int:
    """One web process per core, at most four (each holds its own connections and caches)."""
    return max(1, min(4, os.cpu_count() or 1))


def spawn(fd: int, threads: int) -> subprocess.Popen[bytes]:
    parent = os.getpid()
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command, fixed arguments
        [sys.executable, "-m", "hrguard.cli", "serve_web", "--fd", str(fd), "--threads", str(threads)],
        env={**os.environ, supervise.PARENT_ENV: str(parent)},
        pass_fds=(fd,),
        preexec_fn=functools.partial(supervise.die_with_parent, parent),  # runs before any thread starts
    )


class WebProcesses:
    """``count`` web processes on ``sock``; ``watch()`` restarts any that exits until ``stop()``."""

    def __init__(self, sock: socket.socket, count: int, threads: int,
                 start: Callable[[int, int], subprocess.Popen[bytes]] = spawn) -> None:
        self.sock, self.threads, self.start = sock, threads, start
        self.procs = [start(sock.fileno(), threads) for _ in range(count)]
        self.restarts = [0] * count
        self.stopping = False

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def watch(self, interval: float = 0.5) -> None:
        """Block, starting again each web process that exits; returns once ``stop()`` was called."""
        while not self.stopping:
            for slot, proc in enumerate(self.procs):
                if proc.poll() is None or self.stopping:
                    continue
                self.restarts[slot] += 1
                if self.restarts[slot] > MAX_RESTARTS:
                    raise WebProcessesFailed(
                        f"web process {proc.pid} exited with status {proc.returncode}; it was started "
                        f"{MAX_RESTARTS} times already — see the messages above"
                    )
                time.sleep(RESTART_DELAY)
                self.procs[slot] = self.start(self.sock.fileno(), self.threads)
                print(f"hrguard: web process {proc.pid} exited (status {proc.returncode}); started "
                      f"{self.procs[slot].pid} in its place", file=sys.stderr, flush=True)
            time.sleep(interval)

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping = True
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + timeout
        for proc in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
