"""Violations and discipline (违纪处理), the escalation ladder, and client complaints (客户投诉)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HandbookClause(models.Model):
    """A rule of the employee handbook (员工手册) that a violation can cite."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("clause number"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("handbook clause")
        verbose_name_plural = _("handbook clauses")
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="uniq_handbook_code")]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ViolationStatus(models.TextChoices):
    """Where a violation stands, read from its outcome (``Violation.status``): the flow itself —
    investigate → decide → acknowledge — runs on the process engine (``discipline.violation``)."""

    REPORTED = "reported", _("Reported")
    INVESTIGATING = "investigating", _("Under investigation")
    DECIDED = "decided", _("Decided")
    DISMISSED = "dismissed", _("Not substantiated")


class ViolationDecision(models.TextChoices):
    WARNING = "warning", _("Warning")  # 警告
    SERIOUS_WARNING = "serious_warning", _("Serious warning")  # 严重警告
    SUSPENSION = "suspension", _("Suspension")  # 停职
    BONUS_DEDUCTION = "bonus_deduction", _("Bonus deduction")  # 扣减奖金
    DISMISSAL_RECOMMENDATION = "dismissal", _("Dismissal recommended")  # 建议解除
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")  # 不成立


SUBSTANTIATED = [d for d in ViolationDecision.values if d != ViolationDecision.NOT_SUBSTANTIATED]


class ViolationAck(models.TextChoices):
    NOT_REQUESTED = "", _("Not yet notified")
    PENDING = "pending", _("Awaiting the employee's acknowledgement")  # derived, never stored
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the employee")
    REFUSED = "refused", _("Employee refused to sign")


class Violation(models.Model):
    """A reported breach of the handbook. Its flow (investigate → decide → acknowledge) runs on the
    process engine; the row keeps the facts and the outcome, written only by the engine's actions
    (``workflows.hooks.discipline``): investigation notes, the decision and the acknowledgement."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="violations")
    clause = models.ForeignKey(HandbookClause, on_delete=models.PROTECT, related_name="violations")
    occurred_on = models.DateField(_("date of the incident"))
    facts = models.TextField(_("facts"))
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    investigation = models.TextField(_("investigation notes"), blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=ViolationDecision.choices, blank=True)
    decision_note = models.TextField(_("reasons for the decision"), blank=True)
    deduction_amount = models.DecimalField(
        _("deduction amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    suspension_days = models.PositiveIntegerField(_("suspension days"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    ack = models.CharField(_("acknowledgement"), max_length=12, choices=ViolationAck.choices, blank=True, default="")
    ack_at = models.DateTimeField(null=True, blank=True)
    ack_note = models.CharField(_("acknowledgement note"), max_length=500, blank=True)
    ack_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        indexes = [models.Index(fields=["company", "employee", "occurred_on"], name="violation_employee")]
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.clause_id} {self.occurred_on}"

    @property
    def status(self) -> str:
        if self.decision == ViolationDecision.NOT_SUBSTANTIATED:
            return ViolationStatus.DISMISSED
        if self.decision:
            return ViolationStatus.DECIDED
        return ViolationStatus.INVESTIGATING if self.investigation else ViolationStatus.REPORTED

    def get_status_display(self) -> str:
        return str(ViolationStatus(self.status).label)

    @property
    def ack_state(self) -> str:
        """"pending" while a substantiated decision waits for the employee's acknowledgement."""
        if self.ack:
            return self.ack
        return ViolationAck.PENDING if self.status == ViolationStatus.DECIDED else ""

    def get_ack_display(self) -> str:
        return str(ViolationAck(self.ack_state).label) if self.ack_state else ""


def status_q(status: str) -> models.Q:
    """Violations in a status (``Violation.status``), as a filter."""
    if status == ViolationStatus.DISMISSED:
        return models.Q(decision=ViolationDecision.NOT_SUBSTANTIATED)
    if status == ViolationStatus.DECIDED:
        return models.Q(decision__in=SUBSTANTIATED)
    if status == ViolationStatus.INVESTIGATING:
        return models.Q(decision="") & ~models.Q(investigation="")
    if status == ViolationStatus.REPORTED:
        return models.Q(decision="", investigation="")
    return models.Q(pk__in=[])


class EscalationRule(models.Model):
    """阶梯处理: ``threshold`` decided violations within ``window_days`` open a dismissal review."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    threshold = models.PositiveIntegerField(_("number of violations"))
    window_days = models.PositiveIntegerField(_("within (days)"), default=365)
    count_decisions = models.JSONField(
        _("decisions counted"), default=list, blank=True,
        help_text=_("Empty = every decided violation counts."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation ladder")

    def __str__(self) -> str:
        return self.name


class DisciplineReview(models.Model):
    """A dismissal review opened by the escalation ladder. It runs on the process engine
    (``discipline.dismissal_review``); the row keeps the outcome, written by the engine's action when the
    process ends (open while it is empty)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(EscalationRule, on_delete=models.SET_NULL, null=True, related_name="+")
    violation_ids = models.JSONField(default=list)
    opened_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dismissal review")
        verbose_name_plural = _("dismissal reviews")
        ordering = ["-opened_at"]

    @property
    def is_open(self) -> bool:
        return not self.outcome


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    SETTLED = "settled", _("Settled")
    REJECTED = "rejected", _("Rejected")


class ClientComplaint(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="client_complaints")
    client = models.CharField(_("client"), max_length=200)
    received_on = models.DateField(_("date received"))
    claimed_loss = models.DecimalField(_("claimed loss"), max_digits=14, decimal_places=2, default=0)
    facts = models.TextField(_("facts"))
    status = models.CharField(_("status"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    settled_amount = models.DecimalField(
        _("settlement amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    violations = models.ManyToManyField(Violation, blank=True, related_name="complaints")

    class Meta:
        verbose_name = _("client complaint")
        verbose_name_plural = _("client complaints")
        indexes = [models.Index(fields=["company", "employee", "status"], name="complaint_employee")]
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.client} {self.received_on}"
