"""Performance: review cycles, per-person KPIs with weights (re-settable mid-cycle with a reason),
scores and ratings, and improvement plans (绩效改进计划)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewCycle(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    is_open = models.BooleanField(_("open"), default=True)
    # Rating bands: [[min_score, rating], ...] highest first; company data, not law.
    rating_bands = models.JSONField(_("rating bands"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="uniq_cycle_name")]
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.name


class ReviewStatus(models.TextChoices):
    PLANNED = "planned", _("Goals set")
    SCORED = "scored", _("Scored")


class Review(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="reviews")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(_("status"), max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED)
    total_score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=10, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("performance review")
        verbose_name_plural = _("performance reviews")
        constraints = [models.UniqueConstraint(fields=["cycle", "employee"], name="uniq_review")]


class KpiItem(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("KPI"), max_length=200)
    target = models.CharField(_("target"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["position", "id"]


class WeightChange(models.Model):
    """A mid-cycle re-weighting, with its reason (e.g. client retention 20% → 50%)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="weight_changes")
    before = models.JSONField(default=list)
    after = models.JSONField(default=list)
    reason = models.CharField(_("reason"), max_length=500)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]


class PlanStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    PASSED = "passed", _("Goals met")
    FAILED = "failed", _("Goals not met")
    CANCELLED = "cancelled", _("Cancelled")


class ImprovementPlan(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="improvement_plans")
    review = models.ForeignKey(Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans")
    goals = models.TextField(_("goals"))
    start_date = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        ordering = ["-start_date", "-id"]
