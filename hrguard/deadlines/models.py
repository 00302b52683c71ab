"""Durable deadlines: every timer is a row, never an in-memory timer."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineState(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class Deadline(models.Model):
    """Something to do at ``due_at``. ``key`` is unique: scheduling the same deadline twice is a no-op.

    A sweep claims due rows by setting ``lease_until``/``lease_owner`` (under SELECT … FOR UPDATE SKIP
    LOCKED on PostgreSQL), then, per row, marks it done with a conditional UPDATE and runs the handler in
    that same transaction. A worker that dies mid-run rolls back; the row stays pending and, once the
    lease expires, another sweep takes it again."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=200, unique=True)
    action = models.CharField(max_length=80)
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=64)
    due_at = models.DateTimeField()
    payload = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=DeadlineState.choices, default=DeadlineState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=32, blank=True)  # token of the sweep holding the lease
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline")
        indexes = [models.Index(fields=["state", "due_at"], name="deadline_due")]

    def __str__(self) -> str:
        return f"{self.action} {self.subject_type}:{self.subject_id} @ {self.due_at:%Y-%m-%d %H:%M}"
