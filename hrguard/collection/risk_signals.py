"""The early-warning signal "collection contacts" (issue 12): contacts logged about each employee per month
and in a day window (e.g. ``collection_contacts("30d") >= 3``), set-based, registered with the risk app's
signal registry (risk sits below this app; the arrow points down)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrguard.risk.providers import monthly_query
from hrguard.risk.registry import SignalSpec, register_signal

from .models import Contact


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def monthly(company_id: int, first: dt.date, stop: dt.date) -> Iterable[tuple[int, dt.date, float]]:
    rows = monthly_query(Contact.objects.filter(company_id=company_id, occurred_at__gte=_start(first),
                                                occurred_at__lt=_start(stop)), "occurred_at", Count("id"))
    for emp, month, value in rows:
        if value:
            yield emp, month.date() if isinstance(month, dt.datetime) else month, float(value)


def days(company_id: int, first_day: dt.date, last_day: dt.date) -> Iterable[tuple[int, float]]:
    rows = (Contact.objects.filter(company_id=company_id, occurred_at__gte=_start(first_day),
                                   occurred_at__lt=_start(last_day + dt.timedelta(days=1)))
            .values("employee_id").annotate(v=Count("id")).values_list("employee_id", "v").order_by())
    return ((emp, float(v)) for emp, v in rows if v)


def register() -> None:
    register_signal(SignalSpec(name="collection_contacts", label=_("Collection contacts"), unit=_("contacts"),
                               source="collection", monthly=monthly, days=days))
