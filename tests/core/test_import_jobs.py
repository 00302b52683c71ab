"""Background import jobs: claimed once, failures recorded, lost hand-offs and dead workers re-queued."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from hrguard.core import jobs
from hrguard.core.models import ImportJob, ImportJobStatus


@pytest.fixture
def handler() -> Any:
    calls: list[int] = []

    def run(job: ImportJob) -> None:
        calls.append(job.pk)
        if job.params.get("boom"):
            raise RuntimeError("boom")
        jobs.finish(job, {"ok": True})

    jobs.register("test-kind", run)
    yield calls
    jobs.HANDLERS.pop("test-kind", None)


def make(world: Any, **params: Any) -> ImportJob:
    return jobs.create(world.users["hr"], "test-kind", b"data", "f.csv", "0" * 64, params=params)


def test_a_job_runs_once_even_when_delivered_twice(world, handler):
    job = make(world)
    jobs.run(job.pk)
    jobs.run(job.pk)  # Huey may deliver a task again: the conditional claim makes it a no-op
    job.refresh_from_db()
    assert handler == [job.pk] and job.status == ImportJobStatus.DONE and job.attempts == 1
    assert job.report == {"ok": True} and job.finished_at is not None


def test_the_job_is_handed_to_the_worker_on_commit(world, handler, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = make(world)
    assert handler == [] and len(callbacks) == 1  # nothing runs before the row is committed
    callbacks[0]()
    assert handler == [job.pk]


def test_a_crashing_handler_leaves_a_failed_job_with_a_message(world, handler):
    job = make(world, boom=True)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and job.report["failure"]


def test_stale_jobs_are_requeued_then_given_up(world, handler, django_capture_on_commit_callbacks):
    job = make(world)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING, attempts=1)
    later = timezone.now() + jobs.STALE_RUNNING + dt.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):  # the immediate test worker runs it again
        assert jobs.requeue_stale(later) == 1
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and handler == [job.pk]
    dead = make(world)
    ImportJob.objects.filter(pk=dead.pk).update(status=ImportJobStatus.RUNNING, attempts=jobs.MAX_ATTEMPTS)
    assert jobs.requeue_stale(later) == 0
    dead.refresh_from_db()
    assert dead.status == ImportJobStatus.FAILED and dead.report["failure"] and handler == [job.pk]


def test_restart_only_from_a_finished_step_that_saved_nothing(world, handler):
    job = make(world)
    assert not jobs.restart(job, "import", {})  # still queued
    jobs.run(job.pk)
    job.refresh_from_db()
    assert jobs.restart(job, "import", {"valid_only": True})
    job.refresh_from_db()
    assert job.step == "import" and job.params["valid_only"] is True
    assert not jobs.restart(job, "import", {})  # the same state cannot be claimed twice
    jobs.finish(job, {"created": 3})
    job.refresh_from_db()
    assert not jobs.restart(job, "import", {})  # something was saved: never again


def test_jobs_are_visible_to_their_owner_only(world, other_world, handler):
    job = make(world)
    assert list(jobs.visible(world.users["hr"])) == [job]
    assert not jobs.visible(world.users["admin"]).exists()
    assert not jobs.visible(other_world.users["hr"]).exists()


def test_staged_files_of_old_finished_jobs_are_purged(world, handler):
    job = make(world)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert jobs.purge_files() == 0 and jobs.load_file(job) == b"data"  # still waiting for a confirmation
    assert jobs.purge_files(timezone.now() + jobs.STAGED_FOR + dt.timedelta(seconds=1)) == 1
    assert jobs.load_file(job) is None
    job.refresh_from_db()
    assert job.token == ""
