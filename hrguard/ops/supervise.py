"""Keeping the embedded worker tied to ``hrguard run``, and alone on its queue.

* ``die_with_parent`` runs in the child between fork and exec (``Popen(preexec_fn=…)``): on Linux it
  asks the kernel (``prctl(PR_SET_PDEATHSIG)``) to send the worker SIGTERM when its parent dies — even
  by SIGKILL, when no Python code of the parent runs any more.
* ``watch_parent`` is the portable second line: a daemon thread in the worker that notices its parent
  pid changed (re-parented to init) and stops the worker. It covers platforms without prctl and the
  window where the parent died before prctl took effect.
* ``lock_queue`` holds an exclusive ``flock`` on ``<queue file>.lock`` for the life of the consumer:
  a second consumer on the same SQLite queue (a restart while an old worker lingers, or a second
  ``hrguard run``) stops with a message naming the holder's pid. The kernel drops the lock when the
  holder dies, however it dies, so there is never a stale lock to clean up.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import signal
import sys
import threading
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1
PARENT_ENV = "HRGUARD_PARENT_PID"
WATCH_INTERVAL = 0.5
GRACE = 10.0

_held_locks: list[int] = []


class QueueBusy(RuntimeError):
    """Another consumer already holds this queue."""


def die_with_parent(parent_pid: int, sig: int = signal.SIGTERM) -> None:
    """For ``preexec_fn``: the kernel signals this process when the parent dies (Linux)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl: nobody would signal us
        os._exit(1)


def _watch(parent_pid: int, interval: float, grace: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(interval)
    print(f"hrguard worker: parent {parent_pid} is gone, stopping", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(grace)
    os._exit(1)  # SIGTERM handling did not end the process in time


def watch_parent(parent_pid: int | None = None, interval: float = WATCH_INTERVAL, grace: float = GRACE) -> bool:
    """Stop this process when ``parent_pid`` (default: ``$HRGUARD_PARENT_PID``) stops being its
    parent. Returns whether a watchdog was started."""
    if parent_pid is None:
        value = os.environ.get(PARENT_ENV, "")
        if not value.isdigit():
            return False
        parent_pid = int(value)
    if os.getppid() != parent_pid:
        print(f"hrguard worker: parent {parent_pid} is gone, not starting", file=sys.stderr, flush=True)
        raise SystemExit(1)
    threading.Thread(target=_watch, args=(parent_pid, interval, grace), name="parent-watchdog", daemon=True).start()
    return True


def lock_queue(queue_file: str | Path) -> int:
    """Take the exclusive consumer lock of a SQLite queue; raises ``QueueBusy`` if it is held."""
    path = Path(f"{queue_file}.lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
        os.close(fd)
        raise QueueBusy(
            f"another HRGuard worker (pid {holder}) is already consuming the queue {queue_file}; "
            "only one embedded worker may run per queue. Stop it first (or stop the `hrguard run` it belongs to)."
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    _held_locks.append(fd)  # held (never closed) until the process exits
    return fd
