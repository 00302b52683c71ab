"""The engine's states and kinds as values other apps may compare with (``instance.state ==
InstanceState.RUNNING``, ``step.state in OPEN_STATES``): the public surface of these constants. Other apps import
them from here (or call ``selectors`` / ``services``), never from ``workflows.models`` — a contract in
``.importlinter`` forbids that. ``models.py`` uses the same classes for its field choices."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InstanceState(models.TextChoices):
    RUNNING = "running", _("In progress")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class PartyRole(models.TextChoices):
    SUBJECT = "subject", _("Subject")
    COMPLAINANT = "complainant", _("Complainant")
    OTHER = "other", pgettext_lazy("process party", "Other party")


class StepKind(models.TextChoices):
    TASK = "task", _("Task")
    APPROVAL = "approval", _("Approval")
    SIGNATURE = "signature", _("Signature request")
    WAIT = "wait", _("Wait until a date")


class StepState(models.TextChoices):
    WAITING = "waiting", _("Not started")
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")
    SKIPPED = "skipped", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (StepState.OPEN, StepState.PAUSED)
