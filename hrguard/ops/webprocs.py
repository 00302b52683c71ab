"""Several web processes behind one port (``hrguard run --workers N``).

One web process is bound to one core by the GIL. ``hrguard run`` binds the port itself, then starts ``N``
processes of ``hrguard serve_web --fd F``, each accepting from a listening socket it inherited. Each web
process is a fresh interpreter (no fork of a process holding database connections or threads), dies with
``hrguard run`` (``supervise.die_with_parent`` and the parent watchdog, as the worker does), and is
started again if it exits while ``hrguard run`` is running.

Each process has a socket of its own on the port (``SO_REUSEPORT``; ``listen_group``), and the kernel
spreads new connections over them evenly. With one shared socket, the process that woke first took every
waiting connection (granian accepts until none is left): 20 browsers' keep-alive connections opened
together all landed on one process, which then served them on one core while the other idled — half the
throughput, measured (bench/README, "Eighth pass"). Binding first with a plain socket keeps a port in use
one clear error (a second ``hrguard run`` on the port fails there too); only a process of the same user
that sets ``SO_REUSEPORT`` itself could join the port (the kernel allows no other user). When a web
process exits, its socket stays open for its replacement: the connections the kernel sends it meanwhile
wait in its queue (the seconds a restart takes) and are served, not refused. (Closing it would reset
them; Linux moves them to the other sockets only with the system-wide ``net.ipv4.tcp_migrate_req``.)"""

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


BACKLOG = 1024


def listen(host: str, port: int, backlog: int = BACKLOG, *, reuse_port: bool = False) -> socket.socket:
    """A listening socket a web process accepts from (inheritable, SO_REUSEADDR)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=backlog, reuse_port=reuse_port)
    sock.set_inheritable(True)
    return sock


def listen_group(host: str, port: int, count: int, backlog: int = BACKLOG) -> list[socket.socket]:
    """``count`` listening sockets on one port (``SO_REUSEPORT``), one per web process. Raises ``OSError``
    if anything listens on the port already, as a single bind would."""
    if port:
        listen(host, port, backlog).close()  # the port is free: no other socket, reuse-port or not
    first = listen(host, port, backlog, reuse_port=True)
    port = first.getsockname()[1]  # port 0: the one the kernel chose
    return [first, *(listen(host, port, backlog, reuse_port=True) for _ in range(count - 1))]


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
    """A web process on each of ``socks`` (``listen_group``); ``watch()`` restarts any that exits until
    ``stop()``."""

    def __init__(self, socks: list[socket.socket], threads: int,
                 start: Callable[[int, int], subprocess.Popen[bytes]] = spawn) -> None:
        self.socks, self.threads, self.start = list(socks), threads, start
        self.procs = [start(sock.fileno(), threads) for sock in self.socks]
        self.restarts = [0] * len(self.socks)
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
                self.procs[slot] = self.start(self.socks[slot].fileno(), self.threads)
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
        for sock in self.socks:
            sock.close()
