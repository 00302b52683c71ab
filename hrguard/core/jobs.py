"""Background file imports: the durable state is an ``ImportJob`` row; the work runs in the worker.

A page (or the API) checks the upload, stages the file encrypted at rest and creates the job in one
transaction; the Huey task is enqueued on commit (so it never runs before the row exists). The
worker claims the job with a conditional UPDATE (a second delivery of the same task does nothing),
calls the handler its app registered for the job's kind, and the handler reports progress and the
final report through this module. Huey has no acknowledgement: a job whose worker died keeps its
row, and ``requeue_stale`` (periodic) hands it out again; handlers are written to be re-run.

Apps register their handlers here (``register``) from ``AppConfig.ready``: core imports no app above
it."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .crypto import keyring
from .models import ImportJob, ImportJobStatus, User

log = logging.getLogger(__name__)
Handler = Callable[[ImportJob], None]
HANDLERS: dict[str, Handler] = {}
MAX_ATTEMPTS = 3
STALE_RUNNING = timedelta(minutes=10)  # no heartbeat for this long: the worker died
STALE_QUEUED = timedelta(minutes=5)  # the on-commit hand-off was lost (crash between commit and enqueue)
STAGED_FOR = timedelta(days=1)  # a checked file waits this long for the user's confirmation
PROGRESS_EVERY = 0.5  # seconds between progress writes (each one is a short write transaction)


def register(kind: str, handler: Handler) -> None:
    HANDLERS[kind] = handler


# --- the staged file ---------------------------------------------------------------------------------


def _path(job: ImportJob) -> str:
    if not job.token.isalnum() or len(job.token) != 32:
        raise ValueError("bad token")
    return f"imports/{job.company_id}/{job.created_by_id}/{job.token}.bin"


def _aead(job: ImportJob) -> tuple[AESGCM, bytes]:
    ring = keyring()
    context = f"core.import:{job.company_id}:{job.created_by_id}:{job.token}".encode()
    return AESGCM(ring.data_keys[ring.current]), context


def _stage(job: ImportJob, content: bytes) -> None:
    """The upload holds ID numbers and wages: encrypted at rest, bound to this job's owner."""
    aead, context = _aead(job)
    nonce = secrets.token_bytes(12)
    default_storage.save(_path(job), ContentFile(nonce + aead.encrypt(nonce, content, context)))


def load_file(job: ImportJob) -> bytes | None:
    try:
        with default_storage.open(_path(job)) as fh:
            blob = fh.read()
        aead, context = _aead(job)
        return aead.decrypt(blob[:12], blob[12:], context)
    except (ValueError, OSError, InvalidTag):
        return None


def discard_file(job: ImportJob) -> None:
    try:
        default_storage.delete(_path(job))
    except (ValueError, OSError):
        pass


# --- lifecycle ---------------------------------------------------------------------------------------


def create(
    actor: User, kind: str, content: bytes, filename: str, sha256: str, *, params: dict[str, Any] | None = None,
    step: str = "check",
) -> ImportJob:
    """Stage the file and queue the job's first step."""
    job = ImportJob(
        company_id=actor.company_id, created_by=actor, kind=kind, filename=" ".join(filename.split())[:200],
        sha256=sha256, token=secrets.token_hex(16), params=params or {}, step=step,
    )
    _stage(job, content)
    with transaction.atomic():
        job.save()
        enqueue(job)
    return job


def enqueue(job: ImportJob) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: _dispatch(job_id))


def _dispatch(job_id: int) -> None:
    from .tasks import run_import_job  # the task module imports this one

    run_import_job(job_id)


def restart(job: ImportJob, step: str, params: dict[str, Any]) -> bool:
    """Queue the next step of a finished job (e.g. "import" after "check", or after an import that
    found new errors and saved nothing); False when the job is running (a double click), saved
    something already, or another request restarted it first."""
    if job.status != ImportJobStatus.DONE or job.report.get("created"):
        return False
    with transaction.atomic():
        claimed = ImportJob.objects.filter(
            pk=job.pk, status=ImportJobStatus.DONE, updated_at=job.updated_at
        ).update(status=ImportJobStatus.QUEUED, step=step, params={**job.params, **params}, done=0, total=0,
                 phase="", attempts=0, finished_at=None, updated_at=timezone.now())
        if claimed:
            enqueue(job)
    return bool(claimed)


def run(job_id: int) -> None:
    """The worker's entry point: claim, run the handler, record a failure instead of losing it."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("company", "created_by").get(pk=job_id)
    handler = HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise LookupError(f"no handler for import kind {job.kind!r}")
        handler(job)
    except Exception:
        log.exception("import job %s failed", job_id)
        fail(job, _("The import stopped because of an internal error. Nothing more was saved; try again."))


class Progress:
    """Throttled progress writes: at most one short UPDATE every PROGRESS_EVERY seconds."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.total = 0
        self._last = 0.0

    def __call__(self, phase: str, done: int, total: int | None = None, *, force: bool = False) -> None:
        if total is not None:
            self.total = total
        now = time.monotonic()
        if not force and phase == self.job.phase and now - self._last < PROGRESS_EVERY:
            return
        self._last = now
        self.job.phase, self.job.done, self.job.total = phase, done, max(self.total, done)
        ImportJob.objects.filter(pk=self.job.pk).update(
            phase=phase, done=self.job.done, total=self.job.total, updated_at=timezone.now()
        )


def finish(job: ImportJob, report: dict[str, Any], *, failed: bool = False) -> None:
    job.report = report
    job.status = ImportJobStatus.FAILED if failed else ImportJobStatus.DONE
    job.finished_at = timezone.now()
    job.done = job.total = max(job.total, job.done)
    job.save(update_fields=["report", "status", "finished_at", "done", "total", "updated_at"])


def fail(job: ImportJob, message: str, **report: Any) -> None:
    finish(job, {**job.report, **report, "failure": message}, failed=True)


def requeue_stale(now: Any = None) -> int:
    """Hand out again jobs whose worker died (no heartbeat) or whose hand-off was lost; give up after
    MAX_ATTEMPTS with a message the page shows."""
    now = now or timezone.now()
    count = 0
    stale = ImportJob.objects.filter(status=ImportJobStatus.RUNNING, updated_at__lt=now - STALE_RUNNING)
    lost = ImportJob.objects.filter(status=ImportJobStatus.QUEUED, updated_at__lt=now - STALE_QUEUED)
    for job in [*stale, *lost]:
        if job.attempts >= MAX_ATTEMPTS:
            fail(job, _("The import was interrupted several times and was given up. Upload the file again."))
            continue
        with transaction.atomic():
            if ImportJob.objects.filter(pk=job.pk, status=job.status, updated_at=job.updated_at).update(
                status=ImportJobStatus.QUEUED, updated_at=now
            ):
                enqueue(job)
                count += 1
    return count


def purge_files(now: Any = None) -> int:
    """Staged files of jobs finished more than STAGED_FOR ago (a checked roster nobody confirmed)."""
    now = now or timezone.now()
    old = ImportJob.objects.filter(finished_at__lt=now - STAGED_FOR).exclude(token="")
    count = 0
    for job in old:
        discard_file(job)
        ImportJob.objects.filter(pk=job.pk).update(token="")
        count += 1
    return count


def visible(user: User) -> Any:
    """The jobs a user may look at: their own, in their company."""
    return ImportJob.objects.filter(company_id=user.company_id, created_by=user)
