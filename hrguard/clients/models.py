"""Clients as records (seed 001): who the company earns from, how long, how much, and which employees
serve them. Core positions are ``core.Position.is_core`` (already there, edited on the organisation
settings page); offboarding's handover can read coverage later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Client(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("client name"), max_length=200)
    since = models.DateField(_("client since"), null=True, blank=True)
    annual_revenue = models.DecimalField(_("annual revenue (yuan)"), max_digits=14, decimal_places=2, null=True,
                                         blank=True)
    revenue_share = models.DecimalField(_("share of company revenue (%)"), max_digits=5, decimal_places=2, null=True,
                                        blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="client_name_unique"),
            models.CheckConstraint(condition=models.Q(revenue_share__gte=0, revenue_share__lte=100),
                                   name="client_share_range"),
            models.CheckConstraint(condition=models.Q(annual_revenue__gte=0), name="client_revenue_positive"),
        ]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CoverageRole(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")


class Readiness(models.TextChoices):
    READY = "ready", _("Ready now")
    ONE_YEAR = "one_year", _("Ready within a year")
    LATER = "later", _("Not yet ready")


class ClientCoverage(models.Model):
    """An employee serving a client. ``revenue_share`` is the share (%) of the employee's own book that
    comes through this client — the shares of one employee's clients sum to at most 100."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="coverage")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10, choices=CoverageRole.choices, default=CoverageRole.PRIMARY)
    since = models.DateField(_("serving since"), null=True, blank=True)
    revenue_share = models.DecimalField(_("share of the employee's book (%)"), max_digits=5, decimal_places=2,
                                        null=True, blank=True)
    readiness = models.CharField(_("successor readiness"), max_length=10, choices=Readiness.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("client coverage")
        verbose_name_plural = _("client coverage")
        constraints = [models.UniqueConstraint(fields=["company", "client", "employee"], name="coverage_unique")]
        indexes = [models.Index(fields=["company", "employee"], name="coverage_employee")]
