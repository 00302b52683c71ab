"""Business trips (出差), expense claims (报销) with receipts, and cash advances / loans (借款)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApprovalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("In approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class _Approvable(models.Model):
    # The outcome of the approval process (expenses.trip / expenses.claim on hrguard.workflows: manager,
    # then finance, unless the company edits the template), written only by its action
    # ``expenses.apply_outcome``. Which step it waits at, who decided: the process (records.processes).
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.SUBMITTED
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Trip(_Approvable):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="trips")
    start_date = models.DateField(_("departure"))
    end_date = models.DateField(_("return"))
    destination = models.CharField(_("destination"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=500)
    advance_requested = models.DecimalField(_("cash advance requested"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("business trip")
        verbose_name_plural = _("business trips")
        indexes = [models.Index(fields=["company", "employee", "start_date"], name="trip_employee")]
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.destination} {self.start_date}"


class ExpenseCategory(models.TextChoices):
    TRANSPORT = "transport", _("Transport")
    LODGING = "lodging", _("Lodging")
    MEALS = "meals", _("Meals")
    CLIENT = "client", _("Client entertainment")
    OFFICE = "office", _("Office supplies")
    OTHER = "other", _("Other")


class ExpenseClaim(_Approvable):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="expense_claims")
    trip = models.ForeignKey(Trip, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims")
    category = models.CharField(_("category"), max_length=10, choices=ExpenseCategory.choices)
    spent_on = models.DateField(_("date of expense"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    description = models.CharField(_("description"), max_length=500)

    class Meta:
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        indexes = [models.Index(fields=["company", "employee", "spent_on"], name="expense_employee")]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="expense_amount_positive")]
        ordering = ["-spent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.category} {self.amount}"


class AdvanceKind(models.TextChoices):
    TRAVEL_ADVANCE = "advance", _("Cash advance")  # 备用金 / 差旅借款
    LOAN = "loan", _("Loan")  # 员工借款


class Advance(models.Model):
    """Money the company paid out to the employee that is still owed back (needed at exit clearance)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="advances")
    kind = models.CharField(_("kind"), max_length=8, choices=AdvanceKind.choices)
    trip = models.ForeignKey(Trip, on_delete=models.SET_NULL, null=True, blank=True, related_name="advances")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    repaid = models.DecimalField(_("repaid"), max_digits=12, decimal_places=2, default=0)
    issued_on = models.DateField(_("paid out on"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("advance or loan")
        verbose_name_plural = _("advances and loans")
        indexes = [models.Index(fields=["company", "employee"], name="advance_employee")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="advance_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(repaid__gte=0) & models.Q(repaid__lte=models.F("amount")),
                name="advance_repaid_range",
            ),
        ]
        ordering = ["-issued_on", "-id"]

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.repaid


class AdvanceRepayment(models.Model):
    """A repayment in cash/transfer, or an offset against an approved expense claim (冲账)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    advance = models.ForeignKey(Advance, on_delete=models.PROTECT, related_name="repayments")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("date"))
    claim = models.ForeignKey(ExpenseClaim, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="repayment_positive")]
