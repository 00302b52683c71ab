"""Wage history: one row per employee and month (应发工资, everything paid — Regulation Art. 27), the input of
the Art. 47 monthly wage. Written by ``services.record_wage_month`` / ``services.import_wage_months``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WageMonth(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="wage_months")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    amount = models.DecimalField(_("wages paid (yuan)"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monthly wage")
        verbose_name_plural = _("wage history")
        constraints = [
            models.UniqueConstraint(fields=["company", "employee", "year", "month"], name="uniq_wage_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="wage_month_month"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="wage_month_amount"),
        ]
        indexes = [models.Index(fields=["company", "employee", "year", "month"], name="wage_month_lookup")]
        ordering = ["employee", "year", "month"]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.year}-{self.month:02d} {self.amount}"
