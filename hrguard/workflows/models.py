"""The process engine's tables: templates (versioned definitions), running instances, their steps and
the pause history of each step's SLA clock. Every row carries ``company`` (the tenant), company first in
indexes and unique constraints (Citus-ready)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The engine's own modules (and its tests) still name these from here; other apps import hrguard.workflows.types.
from .types import OPEN_STATES, InstanceState, PartyRole, StepKind, StepState  # noqa: F401


class ProcessTemplate(models.Model):
    """A process a company runs (``key`` e.g. ``leave.request``); its steps live in versions."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("process template")
        verbose_name_plural = _("process templates")
        constraints = [models.UniqueConstraint(fields=["company", "key"], name="wf_template_key")]
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} ({self.name})"


class TemplateVersion(models.Model):
    """One saved definition of a template. Never changed once saved: editing makes a new version, and
    an instance keeps the version it started with."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(ProcessTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        constraints = [models.UniqueConstraint(fields=["company", "template", "number"], name="wf_version_number")]
        ordering = ["template_id", "-number"]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and ProcessInstance.objects.filter(template_version_id=self.pk).exists():
            raise ValidationError(_("This version is in use by running or past processes: save a new version."))
        super().save(*args, **kwargs)


class ProcessInstance(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    template_version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="instances")
    template_key = models.CharField(max_length=60)  # copied from the template, for filtering
    title = models.CharField(_("title"), max_length=200, blank=True)
    subject_type = models.CharField(max_length=60)  # "leave.leaverequest"
    subject_id = models.CharField(max_length=64)
    subject_employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=InstanceState.choices, default=InstanceState.RUNNING)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)  # approved | rejected | cancelled | done
    context = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    total_seconds = models.PositiveIntegerField(null=True, blank=True)  # wall clock, start → end
    paused_seconds = models.PositiveIntegerField(default=0)  # sum of the steps' pauses

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        indexes = [
            models.Index(fields=["company", "subject_type", "subject_id"], name="wf_instance_subject"),
            models.Index(fields=["company", "state", "template_key"], name="wf_instance_state"),
            models.Index(fields=["company", "started_by", "state"], name="wf_instance_starter"),
            # "Started by me", newest first, read as an ordered index range (no sort of every row).
            models.Index(fields=["company", "started_by", "-started_at", "-id"], name="wf_instance_started"),
        ]
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.template_key} {self.subject_type}:{self.subject_id}"


class ProcessParty(models.Model):
    """A person the instance is about (its subject, a complainant…): never acts on it, never sees its
    restricted steps. ``user`` is copied from the employee so the task queries need no join."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="parties")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    role = models.CharField(max_length=20, choices=PartyRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "instance", "employee", "role"], name="wf_party_unique"),
        ]
        indexes = [models.Index(fields=["company", "user", "instance"], name="wf_party_user")]


class Step(models.Model):
    """One step of a running instance, copied from its template version at start. ``group`` is the
    position of its stage in the definition: the steps of one stage (a parallel group) open together, and
    the next stage opens when all of them are done."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    instance = models.ForeignKey(ProcessInstance, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=60)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=StepKind.choices)
    group = models.PositiveIntegerField(default=0)
    order = models.PositiveIntegerField(default=0)
    state = models.CharField(_("state"), max_length=10, choices=StepState.choices, default=StepState.WAITING)
    restricted = models.BooleanField(default=False)  # hidden from the instance's parties
    # role | manager | department_head | hrbp | user | subject (copied from the template)
    assignee_rule = models.CharField(max_length=20, blank=True)
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignee_role = models.CharField(max_length=20, blank=True)
    assignee_note = models.CharField(max_length=300, blank=True)  # why the step went where it went
    due_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    paused_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)  # open → close, pauses excluded
    acted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        constraints = [models.UniqueConstraint(fields=["company", "instance", "key"], name="wf_step_key")]
        indexes = [
            # The to-do and overdue lists read ``ORDER BY due_at, id LIMIT n`` as an ordered range of these
            # (``id`` last: PostgreSQL would otherwise sort every step of the range; SQLite has it anyway).
            models.Index(fields=["company", "assignee_user", "state", "due_at", "id"], name="wf_step_user"),
            models.Index(fields=["company", "assignee_role", "state", "due_at", "id"], name="wf_step_role"),
            models.Index(fields=["company", "state", "due_at", "id"], name="wf_step_due"),
        ]
        ordering = ["instance_id", "group", "order"]

    def __str__(self) -> str:
        return f"{self.instance_id}/{self.key} ({self.state})"


class StepPause(models.Model):
    """One pause of a step's SLA clock, with the reasons given for pausing and resuming."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=300)
    paused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    paused_at = models.DateTimeField()
    resumed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    resumed_at = models.DateTimeField(null=True, blank=True)
    resume_reason = models.CharField(max_length=300, blank=True)
    seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["step_id", "paused_at", "id"]
