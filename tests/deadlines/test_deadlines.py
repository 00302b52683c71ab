"""Deadlines: idempotent schedule/cancel, sweep runs each handler once, failures back off, leases."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from hrguard.deadlines import services as deadlines
from hrguard.deadlines.models import Deadline, DeadlineState
from hrguard.evidence import services as evidence

CALLS: list[str] = []


@deadlines.handler("test.record")
def _record(dl: Deadline) -> None:
    CALLS.append(dl.key)
    evidence.record(dl.company_id, None, "test.deadline_ran", dl, {"key": dl.key})


@deadlines.handler("test.explode")
def _explode(dl: Deadline) -> None:
    evidence.record(dl.company_id, None, "test.should_roll_back", dl, {})
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _clear_calls() -> None:
    CALLS.clear()


def _past() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=1)


@pytest.mark.django_db
def test_schedule_is_idempotent_and_cancel(world: Any) -> None:
    emp = world.employees["east_rep"]
    a = deadlines.schedule(world.company, "probation:1:remind", "test.record", emp, _past(), {"n": 1})
    b = deadlines.schedule(world.company, "probation:1:remind", "test.record", emp, _past() + dt.timedelta(days=9))
    assert a.pk == b.pk and b.payload == {"n": 1}
    assert (a.subject_type, a.subject_id) == ("people.employee", str(emp.pk))
    deadlines.schedule(world.company, "probation:1:final", "test.record", emp, _past())
    deadlines.schedule(world.company, "probation:2:final", "test.record", emp, _past())
    assert deadlines.cancel("probation:1:") == 2
    assert deadlines.cancel("probation:1:") == 0
    assert deadlines.sweep() == 1
    assert CALLS == ["probation:2:final"]


@pytest.mark.django_db
def test_sweep_runs_each_due_deadline_once(world: Any) -> None:
    emp = world.employees["east_rep"]
    for i in range(3):
        deadlines.schedule(world.company, f"d{i}", "test.record", emp, _past())
    deadlines.schedule(world.company, "future", "test.record", emp, timezone.now() + dt.timedelta(days=1))
    assert deadlines.sweep() == 3
    assert deadlines.sweep() == 0
    assert sorted(CALLS) == ["d0", "d1", "d2"]
    assert Deadline.objects.get(key="future").state == DeadlineState.PENDING
    assert deadlines.sweep(timezone.now() + dt.timedelta(days=2)) == 1
    done = Deadline.objects.get(key="d0")
    assert done.state == DeadlineState.DONE and done.attempts == 1 and done.done_at is not None


@pytest.mark.django_db
def test_failing_handler_rolls_back_and_backs_off(world: Any) -> None:
    from hrguard.evidence.models import EvidenceEvent

    emp = world.employees["east_rep"]
    deadlines.schedule(world.company, "bad", "test.explode", emp, _past())
    deadlines.schedule(world.company, "orphan", "no.such.action", emp, _past())
    now = timezone.now()
    assert deadlines.sweep(now) == 0
    bad = Deadline.objects.get(key="bad")
    assert bad.state == DeadlineState.PENDING and bad.attempts == 1 and "boom" in bad.last_error
    assert not EvidenceEvent.objects.filter(action="test.should_roll_back").exists()
    assert "no handler" in Deadline.objects.get(key="orphan").last_error
    assert deadlines.sweep(now) == 0  # backing off: not retried yet
    assert Deadline.objects.get(key="bad").attempts == 1
    for _ in range(deadlines.MAX_ATTEMPTS):
        now += dt.timedelta(hours=5)
        deadlines.sweep(now)
    bad.refresh_from_db()
    assert bad.state == DeadlineState.FAILED and bad.attempts == deadlines.MAX_ATTEMPTS


@pytest.mark.django_db
def test_leased_rows_wait_for_lease_expiry(world: Any) -> None:
    emp = world.employees["east_rep"]
    deadlines.schedule(world.company, "leased", "test.record", emp, _past())
    now = timezone.now()
    assert deadlines._claim(now, 10, "crashed-sweeper")  # a sweeper claimed it, then died
    assert deadlines.sweep(now) == 0
    assert deadlines.sweep(now + deadlines.LEASE - dt.timedelta(seconds=1)) == 0
    assert deadlines.sweep(now + deadlines.LEASE + dt.timedelta(seconds=1)) == 1
    assert CALLS == ["leased"]
    # The crashed sweeper comes back to life: its lease is gone, it must not run the handler again.
    assert deadlines._run_one(Deadline.objects.get(key="leased").pk, now, "crashed-sweeper") is False
    assert CALLS == ["leased"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweepers_run_each_deadline_once(world: Any) -> None:
    emp = world.employees["east_rep"]
    with transaction.atomic():
        for i in range(40):
            deadlines.schedule(world.company, f"c{i:02d}", "test.record", emp, _past())
    barrier = threading.Barrier(4)
    totals: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            totals.append(deadlines.sweep(limit=15))
            totals.append(deadlines.sweep(limit=15))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(totals) == 40
    assert sorted(CALLS) == [f"c{i:02d}" for i in range(40)]
    assert Deadline.objects.filter(state=DeadlineState.DONE).count() == 40


@pytest.mark.django_db
def test_periodic_task_and_command(world: Any) -> None:
    from django.core.management import call_command

    from hrguard.deadlines.tasks import sweep_deadlines

    emp = world.employees["east_rep"]
    deadlines.schedule(world.company, "p1", "test.record", emp, _past())
    sweep_deadlines.call_local()
    deadlines.schedule(world.company, "p2", "test.record", emp, _past())
    call_command("sweep", "--no-deliver")
    assert CALLS == ["p1", "p2"]
