"""Early warning: materialised signals, versioned rules, alerts with their stored explanation and triage,
consent-gated background/credit checks (see README.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrguard.core.fields import EncryptedTextField


class Purpose(models.TextChoices):
    """What a rule (and a consented check) may serve — PIPL Art. 6: a stated, limited purpose."""

    ATTENDANCE = "attendance", _("Attendance and working-time management")
    CONDUCT = "conduct", _("Conduct and compliance")
    FINANCE = "finance", _("Financial integrity (expenses, advances)")
    RETENTION = "retention", _("Retention of key people")
    HIRING = "hiring", _("Hiring and background verification")


class SignalValue(models.Model):
    """One signal's value for one employee in one month (the first day of the month), written by the scan.
    Only non-zero values are stored: a missing row is 0."""

    # The natural key is the primary key, and the table's only index: the terms read one signal over a
    # range of months (company, signal, month); nothing reads one employee's values (the alert keeps its
    # own facts). The scan writes ~2 M rows for 100,000 people, and a surrogate ``id`` with its own index
    # cost about as much again (bench/README.md, "Early warning").
    pk = models.CompositePrimaryKey("company", "signal", "month", "employee")
    # Derived data, recomputed by every scan: no database foreign-key constraints (on PostgreSQL each of the
    # ~2 M rows a full scan of 100,000 people writes queued two deferred constraint checks); deletion
    # still cascades through Django. On PostgreSQL the table is UNLOGGED, with MaterialisedMonth
    # (migration 0005): a crash empties both, and the next scan recomputes every month.
    company = models.ForeignKey("core.Company", on_delete=models.CASCADE, related_name="+", db_index=False,
                                db_constraint=False)
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+", db_index=False,
                                 db_constraint=False)
    signal = models.CharField(max_length=60)
    month = models.DateField()
    value = models.FloatField()


class MaterialisedMonth(models.Model):
    """A month whose signal values the scan has computed (older months are kept, recent ones redone).
    Written in the transaction that writes the month's values; on PostgreSQL UNLOGGED like SignalValue,
    so that a crash, which empties unlogged tables, never leaves a month marked without its values."""

    company = models.ForeignKey("core.Company", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "month"], name="risk_month_unique")]


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Rule(models.Model):
    """A named early-warning rule; its wording lives in versions (a save is a new version)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    key = models.SlugField(max_length=60)
    active = models.BooleanField(_("active"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "key"], name="risk_rule_key_unique")]

    def __str__(self) -> str:
        return self.key


class RuleVersion(models.Model):
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=100)
    expression = models.TextField(_("expression (CEL)"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    explanation = models.CharField(_("explanation template"), max_length=500)
    purposes = models.JSONField(_("purposes"), default=list)
    manager_visible = models.BooleanField(_("visible to the line manager"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "number"], name="risk_rule_version_unique")]


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISMISSED = "dismissed", _("Dismissed as a false alarm")
    ACTED = "acted", _("Acted on")


OPEN_STATES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class Outcome(models.TextChoices):
    TALK = "talk", _("Talk with the employee")
    CASE = "case", _("Incident case")
    CARE = "care", _("Care / support")


class Alert(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="alerts")
    version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="alerts")
    as_of = models.DateField(_("as of"))
    raised_at = models.DateTimeField(auto_now_add=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    explanation = models.TextField(_("explanation"))
    facts = models.JSONField(default=dict)  # {"expression", "version", "terms": [{"term", "label", "value"}]}
    status = models.CharField(_("status"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    outcome = models.CharField(_("action taken"), max_length=8, choices=Outcome.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)  # of a dismissal
    note = EncryptedTextField(_("HR note"), context="risk.alert.note")
    link_type = models.CharField(max_length=100, blank=True)  # "app_label.model" of what it led to
    link_id = models.PositiveBigIntegerField(null=True, blank=True)
    link_url = models.CharField(max_length=300, blank=True)
    link_label = models.CharField(max_length=100, blank=True)
    triaged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    triaged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["rule", "employee"], condition=Q(status__in=["open", "acknowledged"]),
            name="risk_alert_one_open")]
        indexes = [models.Index(fields=["company", "-raised_at"], name="risk_alert_recent"),
                   models.Index(fields=["company", "status"], name="risk_alert_status")]


class CheckKind(models.TextChoices):
    CREDIT_REPORT = "credit_report", _("Credit report supplied by the person")
    DISHONEST_DEBTOR = "dishonest_debtor", _("Court list of dishonest judgment debtors")
    SOCIAL_INSURANCE = "social_insurance", _("Social-insurance record")


class Check(models.Model):
    """One background/credit check, run only on a signed consent (the envelope) for one purpose."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    envelope = models.ForeignKey("documents.Envelope", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("check"), max_length=20, choices=CheckKind.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    adverse = models.BooleanField(_("adverse finding"), default=False)
    summary = EncryptedTextField(_("summary"), context="risk.check.summary")
    result = EncryptedTextField(_("result"), context="risk.check.result")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    ran_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["company", "employee"], name="risk_check_emp")]


class ScanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


ACTIVE_SCAN = ("queued", "running")


class ScanRun(models.Model):
    """A scan started from the page (立即扫描) or its dry run: who started it, and what it found. At most one
    queued or running per company (the constraint is the lock: a double click cannot start a second)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=ScanStatus.choices, default=ScanStatus.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    employees = models.PositiveIntegerField(default=0)
    raised = models.PositiveIntegerField(default=0)
    already_open = models.PositiveIntegerField(default=0)
    fired = models.JSONField(default=dict)  # rule key -> employees it holds for

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company"], condition=Q(status__in=["queued", "running"]),
                                               name="risk_scan_one_active")]
        indexes = [models.Index(fields=["company", "-created_at"], name="risk_scan_recent")]

    @property
    def would_fire(self) -> int:
        """Of a dry run: how many (person, rule) pairs the active rules hold for."""
        return sum(int(n) for n in (self.fired or {}).values())
