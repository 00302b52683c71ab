"""The headcount-by-department and 入转调离 (movements) chart data for the last 12 months.

Both aggregates scan the company's employees or a year of lifecycle events, so they are cached per company and
day (``TTL`` seconds); saving or deleting an employee or a lifecycle event drops the company's entry (bulk
imports, which send no signals, show up within the TTL). The cache holds numbers only: labels are added per
request in the user's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.people import queries_ui
from hrguard.people import selectors as people
from hrguard.people.models import EmployeeStatus

TTL = 600  # seconds
MONTHS = 12


def _key(company_id: int, today: dt.date) -> str:
    return f"workbench:charts:{company_id}:{today:%Y%m%d}"


def people_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """post_save / post_delete of an employee or lifecycle event: the company's chart data is stale."""
    company_id = getattr(instance, "company_id", None)
    if company_id is not None:
        cache.delete(_key(company_id, timezone.localdate()))


def aggregates(company_id: int, *, today: dt.date) -> dict[str, Any]:
    """Numbers of both charts (cached): month ends, headcount per top department, movements per kind."""
    key = _key(company_id, today)
    data = cache.get(key)
    if data is None:
        heads = people.headcount_by_department(company_id, today=today, months=MONTHS)
        data = {
            "months": [f"{end:%Y-%m}" for end in heads.months],
            "departments": [{"name": name, "data": heads.counts[pk]} for pk, name in heads.departments],
            "movements": people.movements_by_month(company_id, today=today, months=MONTHS),
            "status": queries_ui.headcount_by_status_of(company_id),
        }
        cache.set(key, data, TTL)
    return data


def chart_data(company_id: int, *, today: dt.date) -> dict[str, Any]:
    """What the page hands to ``workbench.js`` (through ``json_script``): the numbers and their labels."""
    data = aggregates(company_id, today=today)
    labels = {"hire": _("Hires"), "regular": _("Confirmed after probation"), "transfer": _("Transfers"),
              "exit": _("Exits")}
    return {
        "months": data["months"],
        "headcount": {"title": _("Headcount by department (month end)"), "series": data["departments"]},
        "movements": {
            "title": _("Hires, confirmations, transfers and exits"),
            "series": [{"name": labels[k], "data": v} for k, v in data["movements"].items()],
        },
        "empty": _("No data yet."),
    }


def status_tiles(company_id: int, *, today: dt.date) -> list[dict[str, Any]]:
    """Employees per status (the roster's filter values), from the same cached aggregate."""
    counts = aggregates(company_id, today=today)["status"]
    return [{"status": value, "label": label, "count": counts.get(value, 0)} for value, label in EmployeeStatus.choices]
