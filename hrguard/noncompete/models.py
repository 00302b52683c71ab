"""Non-compete follow-up after an exit (issue 10 §8): the agreement as applied, its monthly schedule
(compensation due and paid, the former employee's proof of employment), the no-login proof links, the
proof files and HR's new-employer findings. Every row carries ``company`` (company first in constraints
and indexes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AgreementState(models.TextChoices):
    OFFERED = "offered", _("To decide")  # 待启动: the exit completed, HR has not started the follow-up
    ACTIVE = "active", _("In force")  # 履行中
    RELEASED = "released", _("Released by the employer")  # 已解除
    ENDED = "ended", _("Term ended")  # 已到期
    DECLINED = "declined", _("Not pursued")  # 不启动


class EligibleRole(models.TextChoices):
    """LCL Art. 24 (values of ``hrguard.law.noncompete.Role``)."""

    SENIOR_MANAGER = "senior_manager", _("Senior manager")
    SENIOR_TECHNICAL = "senior_technical", _("Senior technical staff")
    CONFIDENTIALITY = "confidentiality", _("Other staff with a confidentiality duty")
    OTHER = "other", _("None of these")


class Agreement(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    exit = models.ForeignKey("offboarding.Exit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=AgreementState.choices, default=AgreementState.OFFERED)
    role = models.CharField(_("eligible role"), max_length=20, choices=EligibleRole.choices, blank=True)
    eligibility_reason = models.CharField(_("eligibility reason"), max_length=300, blank=True)
    by_position = models.BooleanField(default=False)  # the position carries the confidentiality duty
    clause_title = models.CharField(max_length=200, blank=True)  # the contract's 竞业限制 clause
    last_day = models.DateField(_("last working day"), null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    scope = models.CharField(_("scope"), max_length=500, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    monthly_compensation = models.DecimalField(_("monthly compensation"), max_digits=12, decimal_places=2,
                                               null=True, blank=True)
    compensation_is_default = models.BooleanField(default=False)
    average_wage = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    minimum_wage = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    liquidated_damages = models.DecimalField(_("liquidated damages"), max_digits=14, decimal_places=2, null=True,
                                             blank=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    release_payment = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    release_reason = models.CharField(max_length=300, blank=True)
    release_request_id = models.IntegerField(null=True, blank=True)  # documents.SigningRequest
    declined_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("non-compete agreement")
        constraints = [
            models.UniqueConstraint(fields=["company", "exit"], condition=Q(exit__isnull=False),
                                    name="noncompete_one_per_exit"),
        ]
        indexes = [models.Index(fields=["company", "state", "start_date"], name="noncompete_state")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.employee} {self.start_date or ''}"


class MonthState(models.TextChoices):
    DUE = "due", _("Due")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class ProofState(models.TextChoices):
    NONE = "", _("Not requested yet")
    REQUESTED = "requested", _("Requested")
    ANSWERED = "answered", _("Received")


class Month(models.Model):
    """One month of the restriction: the compensation due for it and the proof of employment asked for it."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="months")
    seq = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    due_date = models.DateField(_("due date"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    state = models.CharField(max_length=10, choices=MonthState.choices, default=MonthState.DUE)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = models.DecimalField(_("paid amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proof_state = models.CharField(max_length=10, choices=ProofState.choices, blank=True, default=ProofState.NONE)
    proof_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["company", "agreement", "seq"], name="noncompete_month_seq")]
        indexes = [models.Index(fields=["company", "state", "due_date"], name="noncompete_month_due")]
        ordering = ["agreement_id", "seq"]


class ProofLink(models.Model):
    """The no-login link of one month's proof request (192-bit token, only its SHA-256 stored)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    month = models.ForeignKey(Month, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Proof(models.Model):
    """A file the former employee sent: 在职证明 or 社保记录 (content checked by its bytes, hashed)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    month = models.ForeignKey(Month, on_delete=models.CASCADE, related_name="proofs")
    link = models.ForeignKey(ProofLink, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=20)  # employment | social_insurance | none (not employed)
    note = models.CharField(max_length=500, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    mime = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    content = models.BinaryField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Finding(models.Model):
    """A new-employer finding (a breach record)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="findings")
    found_on = models.DateField(_("found on"))
    employer = models.CharField(_("new employer"), max_length=200)
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    mime = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    content = models.BinaryField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-found_on", "-id"]
