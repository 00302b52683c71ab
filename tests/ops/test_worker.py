"""The embedded worker dies with ``hrguard run`` and is the only consumer of its SQLite queue.

Real processes, real signals: ``hrguard run`` is SIGKILLed (no Python code of it runs afterwards) and
its worker must go too; a second consumer on the same queue is refused while the first lives, and
allowed once it is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .procs import alive, embedded_env, free_port, hrguard, lock_holder, wait_until

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _stop(*procs: subprocess.Popen[str]) -> None:
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.communicate(timeout=30)


def test_worker_dies_when_run_is_sigkilled_and_a_restart_consumes_alone(tmp_path: Path) -> None:
    env = embedded_env(tmp_path)
    queue = tmp_path / "var" / "huey.sqlite3"
    run = hrguard("run", "--no-demo", "--port", str(free_port()), env=env)
    worker = 0
    try:
        line = ""
        for line in run.stdout:  # type: ignore[union-attr]
            if line.startswith("Worker started"):
                break
        worker = int(line.split("pid ")[1].rstrip(").\n"))
        wait_until(lambda: lock_holder(queue) == worker, 60, "the worker to take the queue lock")
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        wait_until(lambda: not alive(worker), 15, f"worker {worker} to die with its parent")

        # Restarted: the new worker gets the queue (the kernel released the dead one's lock).
        again = hrguard("run_huey", env=env)
        wait_until(lambda: lock_holder(queue) == again.pid, 60, "the restarted worker to take the lock")
        assert again.poll() is None
        _stop(again)
    finally:
        _stop(run)
        if worker and alive(worker):  # the failure being tested: do not leave it running
            os.kill(worker, signal.SIGKILL)


def test_second_consumer_on_the_same_queue_is_refused(tmp_path: Path) -> None:
    env = embedded_env(tmp_path)
    queue = tmp_path / "var" / "huey.sqlite3"
    first = hrguard("run_huey", env=env)
    try:
        wait_until(lambda: lock_holder(queue) == first.pid, 60, "the first consumer to take the lock")
        second = hrguard("run_huey", env=env)
        _out, err = second.communicate(timeout=60)
        assert second.returncode != 0
        assert f"another HRGuard worker (pid {first.pid}) is already consuming the queue {queue}" in err
        assert first.poll() is None and lock_holder(queue) == first.pid

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        third = hrguard("run_huey", env=env)
        wait_until(lambda: lock_holder(queue) == third.pid, 60, "a consumer to start once the first is dead")
        _stop(third)
    finally:
        _stop(first)


def test_parent_watchdog_stops_an_orphan_without_the_kernel_signal(tmp_path: Path) -> None:
    """A worker whose parent did not arrange PR_SET_PDEATHSIG (here: a shell) still stops when the
    parent named in HRGUARD_PARENT_PID dies."""
    env = embedded_env(tmp_path)
    pidfile = tmp_path / "worker.pid"
    script = (f'HRGUARD_PARENT_PID=$$ "{sys.executable}" -m hrguard.cli run_huey & echo $! > "{pidfile}"; wait')
    shell = subprocess.Popen(["sh", "-c", script], env=env, cwd=str(Path(__file__).resolve().parents[2]),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: pidfile.exists() and pidfile.read_text().strip().isdigit(), 30, "the worker pid")
        worker = int(pidfile.read_text())
        queue = tmp_path / "var" / "huey.sqlite3"
        wait_until(lambda: lock_holder(queue) == worker, 60, "the worker to start")
        shell.send_signal(signal.SIGKILL)
        shell.wait(timeout=30)
        wait_until(lambda: not alive(worker), 20, f"orphaned worker {worker} to stop")
    finally:
        if shell.poll() is None:
            shell.kill()
        if pidfile.exists() and pidfile.read_text().strip().isdigit() and alive(int(pidfile.read_text())):
            os.kill(int(pidfile.read_text()), signal.SIGKILL)
