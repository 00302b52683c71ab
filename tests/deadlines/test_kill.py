"""THE KILL TEST: a sweep process SIGKILLed mid-run loses no reminder and doubles none.

Reminders are deadlines whose handler only enqueues an email into the outbox (idempotency key = the
deadline key) inside the deadline's transaction; delivery claims the outbox row separately after commit.
The sweep runs in a real subprocess against the test database and a real SMTP server (aiosmtpd) that
counts what it receives."""

from __future__ import annotations

import collections
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from hrguard.deadlines import services as deadlines
from hrguard.deadlines.models import Deadline, DeadlineState
from hrguard.notify import delivery, services
from hrguard.notify.adapters import configure
from hrguard.notify.models import MessageState, OutboxMessage
from tests.notify.fakes import SmtpServer

from .kill_handlers import ACTION

pytestmark = pytest.mark.django_db(transaction=True)
WORKER = Path(__file__).with_name("sweep_worker.py")
N = 6
K = 3


@pytest.fixture
def smtp() -> Any:
    with SmtpServer() as server:
        yield server


def _worker(tmp_path: Path, now: dt.datetime | None = None, block_after: int | None = None) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "HRGUARD_WORKER_DB_NAME": str(connection.settings_dict["NAME"]),
        "HRGUARD_WORKER_KEYS_DIR": str(settings.HRGUARD_KEYS_DIR),
        "HRGUARD_TEST_MARKER": str(tmp_path / "blocked"),
    }
    env.pop("HRGUARD_TEST_BLOCK_AFTER", None)
    if block_after is not None:
        env["HRGUARD_TEST_BLOCK_AFTER"] = str(block_after)
    if now is not None:
        env["HRGUARD_WORKER_NOW"] = now.isoformat()
    return subprocess.Popen(
        [sys.executable, str(WORKER)], env=env, cwd=str(WORKER.parents[2]),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _finish(proc: subprocess.Popen[str]) -> str:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-3000:]
    return out


def _wait(cond: Any, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        if proc.poll() is not None:
            raise AssertionError(f"worker exited early: {proc.communicate()[1][-3000:]}")
        time.sleep(0.02)
    raise AssertionError("timed out waiting for the worker")


def _schedule(world: Any, smtp: SmtpServer) -> None:
    configure(world.company, "email", {"host": "127.0.0.1", "port": smtp.port, "from_address": "hr@acme.test"})
    emp = world.employees["east_rep"]
    now = timezone.now()
    with transaction.atomic():
        for i in range(N):
            deadlines.schedule(world.company, f"remind:{i}", ACTION, emp, now - dt.timedelta(minutes=1))


def _after_leases() -> dt.datetime:
    """The moment the dead sweeper's leases run out (read from the rows, not guessed)."""
    leases = Deadline.objects.filter(state=DeadlineState.PENDING).values_list("lease_until", flat=True)
    assert all(leases)
    return max(leases) + dt.timedelta(seconds=1)


def _received_keys(smtp: SmtpServer) -> collections.Counter[str]:
    with smtp.lock:
        return collections.Counter(str(m["Subject"]).removeprefix("提醒 ") for m in smtp.messages)


def test_kill_during_handler_loses_nothing_doubles_nothing(world: Any, smtp: SmtpServer, tmp_path: Path) -> None:
    _schedule(world, smtp)
    proc = _worker(tmp_path, block_after=K)
    # K reminders are out; the (K+1)-th handler is inside its transaction: kill the process there.
    _wait(lambda: smtp.count() >= K and (tmp_path / "blocked").exists(), proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert smtp.count() == K
    assert Deadline.objects.filter(state=DeadlineState.DONE).count() == K  # the killed one rolled back

    # Restarted at once: the dead sweeper's leases still hold, nothing is taken twice or early.
    _finish(_worker(tmp_path))
    assert smtp.count() == K
    # Once the lease has expired, the next sweep finishes the job.
    after = _after_leases()
    out = _finish(_worker(tmp_path, now=after))
    assert f"done={N - K}" in out
    assert smtp.wait_for(N)
    assert _received_keys(smtp) == {f"remind:{i}": 1 for i in range(N)}
    assert Deadline.objects.filter(state=DeadlineState.DONE).count() == N
    assert OutboxMessage.objects.filter(state=MessageState.SENT).count() == N
    # And nothing more happens on yet another sweep.
    _finish(_worker(tmp_path, now=after + deadlines.LEASE))
    assert smtp.count() == N


def test_kill_during_smtp_send_never_resends(world: Any, smtp: SmtpServer, tmp_path: Path) -> None:
    """The worst window: the SMTP server has the K-th mail but the worker dies before hearing "250".
    That message is never re-sent automatically; the reaper marks it unknown for HR; all others go
    out exactly once."""
    _schedule(world, smtp)
    smtp.hang_after = K
    proc = _worker(tmp_path)
    _wait(lambda: smtp.count() >= K, proc)
    time.sleep(0.2)  # let the worker sit in its SMTP call (it cannot progress: the server never answers)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    smtp.hang_after = None
    hung = OutboxMessage.objects.get(state=MessageState.SENDING)
    assert OutboxMessage.objects.filter(state=MessageState.SENT).count() == K - 1

    out = _finish(_worker(tmp_path, now=_after_leases()))
    assert f"done={N - K}" in out
    assert smtp.wait_for(N)
    assert _received_keys(smtp) == {f"remind:{i}": 1 for i in range(N)}
    hung.refresh_from_db()
    assert hung.state == MessageState.SENDING  # not re-sent by the restart

    later = timezone.now() + delivery.STUCK_AFTER + dt.timedelta(seconds=1)
    assert delivery.reap_stuck(later) == 1
    assert delivery.deliver_due(later) == 0
    hung.refresh_from_db()
    assert hung.state == MessageState.UNKNOWN
    assert [m.pk for m in services.problems(world.company.pk)] == [hung.pk]
    assert smtp.count() == N  # exactly once each, including the one whose outcome the worker never saw
