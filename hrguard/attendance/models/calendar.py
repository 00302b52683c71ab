"""The company's work calendar: one row per date (workday, rest day or public holiday).

Seeded from the official calendar published by the State Council (via the ``chinese-calendar``
package); dates the package does not know fall back to plain weekends and are marked so the pages can
warn; HR can edit any date (source "manual"), which seeding never overwrites."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("Workday")  # 工作日 (incl. swapped workdays 调休上班)
    RESTDAY = "restday", _("Rest day")  # 休息日
    HOLIDAY = "holiday", _("Public holiday")  # 法定节假日


class CalendarSource(models.TextChoices):
    OFFICIAL = "official", _("Official calendar")
    FALLBACK = "fallback", _("Weekends only (official calendar not yet available)")
    MANUAL = "manual", _("Edited by the company")


class WorkCalendarDay(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    kind = models.CharField(_("day type"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=CalendarSource.choices)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("work calendar")
        constraints = [models.UniqueConstraint(fields=["company", "date"], name="uniq_calendar_day")]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"
