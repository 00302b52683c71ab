"""Incident cases (案件): one generic ``Case`` per incident, whatever its type. A type (registered in
``types``) brings its own engine template, its own permission and, if it needs them, its own fields
table (a model with a one-to-one ``case`` key, e.g. collection contacts); nothing here changes for a new
type. Every row carries ``company`` first in indexes and constraints."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("Normal")
    RESTRICTED = "restricted", _("Restricted")
    STRICT = "strict", _("Strictly confidential")


class CaseState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PartyKind(models.TextChoices):
    SUBJECT = "subject", pgettext_lazy("case party", "Employee concerned")
    COMPLAINANT = "complainant", _("Complainant")
    WITNESS = "witness", _("Witness")


class RootCause(models.TextChoices):
    COMPENSATION = "compensation", _("Pay and benefits")
    CAREER = "career", _("Career development")
    MANAGEMENT = "management", _("Management relationship")
    COMPETITOR = "competitor", _("Poached by a competitor")
    PROCESS = "process", _("Missing process or control")
    CONDUCT = "conduct", _("Personal conduct")
    PERSONAL = "personal", _("Personal or family reasons")
    OTHER = "other", _("Other")


class Case(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    case_type = models.CharField(_("case type"), max_length=40)  # a key registered in hrguard.cases.types
    number = models.CharField(_("case number"), max_length=30)  # AJ-2026-0001, per company and year
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=40, blank=True)
    confidentiality = models.CharField(_("confidentiality"), max_length=12, choices=Confidentiality.choices,
                                       default=Confidentiality.NORMAL)
    description = models.TextField(_("description"), blank=True)
    subject_employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("employee concerned"))
    state = models.CharField(_("state"), max_length=8, choices=CaseState.choices, default=CaseState.OPEN)
    process = models.ForeignKey("workflows.ProcessInstance", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField()
    last_opened_at = models.DateTimeField()  # start of the current open period (== opened_at until reopened)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    handling_seconds = models.PositiveIntegerField(null=True, blank=True)  # summed over open periods
    root_cause = models.CharField(_("root cause"), max_length=20, choices=RootCause.choices, blank=True)
    review_notes = models.TextField(_("post-incident review"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [models.UniqueConstraint(fields=["company", "number"], name="case_number_unique")]
        indexes = [
            models.Index(fields=["company", "-opened_at", "-id"], name="case_opened"),
            models.Index(fields=["company", "case_type", "state"], name="case_type_state"),
            models.Index(fields=["company", "subject_employee"], name="case_subject"),
        ]
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", args=[self.pk])


class CaseParty(models.Model):
    """A person the case is about or who reported or witnessed it: never acts on it, never sees it."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("role in the case"), max_length=12, choices=PartyKind.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "case", "employee", "kind"],
                                               name="case_party_unique")]
        indexes = [models.Index(fields=["company", "user", "case"], name="case_party_user")]


class CaseMember(models.Model):
    """A user on the case team: sees a restricted or strictly confidential case (besides the roles the
    level admits) — e.g. the legal counsel assigned."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "case", "user"], name="case_member_unique")]


class CaseLink(models.Model):
    """A record linked to the case (an alert, a violation, a complaint, a document…): generic by
    ``target_type`` (``app_label.model``) and ``target_id``, so no app below needs to know cases."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=64)
    label = models.CharField(_("label"), max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "case", "target_type", "target_id"],
                                               name="case_link_unique")]
        indexes = [models.Index(fields=["company", "target_type", "target_id"], name="case_link_target")]


class CaseCounter(models.Model):
    """The last number given per company and year (locked when a case is opened)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "year"], name="case_counter_year")]


class KeyPersonParameters(models.Model):
    """A company's assumptions for key-person estimates (defaults from seed 001). Missing row = defaults."""

    company = models.OneToOneField("core.Company", on_delete=models.PROTECT, related_name="+")
    recruit_multiple_low = models.DecimalField(_("recruiting cost, low (× annual salary)"), max_digits=4,
                                               decimal_places=2, default=1.5)
    recruit_multiple_high = models.DecimalField(_("recruiting cost, high (× annual salary)"), max_digits=4,
                                                decimal_places=2, default=2)
    ramp_months_low = models.PositiveSmallIntegerField(_("ramp-up months, low"), default=6)
    ramp_months_high = models.PositiveSmallIntegerField(_("ramp-up months, high"), default=12)
    # Share of a client's revenue lost during ramp-up, by relationship length (under 3 years / 3–10 / over 10).
    churn_short = models.DecimalField(_("churn, relationship under 3 years (%)"), max_digits=5, decimal_places=2,
                                      default=50)
    churn_medium = models.DecimalField(_("churn, relationship 3 to 10 years (%)"), max_digits=5, decimal_places=2,
                                       default=30)
    churn_long = models.DecimalField(_("churn, relationship over 10 years (%)"), max_digits=5, decimal_places=2,
                                     default=15)
    updated_at = models.DateTimeField(auto_now=True)
