"""State changes of client records: keyword-only, one transaction, permission, evidence.

* ``save_client(*, actor, name, since=None, annual_revenue=None, revenue_share=None, note="", client_id=None)``
* ``set_coverage(*, actor, client_id, employee, role="primary", since=None, revenue_share=None, readiness="")``
  — refused when the shares of that employee's clients would sum over 100%;
* ``remove_coverage(*, actor, coverage_id)``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee

from .models import Client, ClientCoverage, CoverageRole, Readiness

HUNDRED = Decimal(100)


def _require(actor: User) -> None:
    if not actor.has_perm("clients.manage_clients"):
        raise PermissionDenied(_("You may not change client records."))


def _amount(value: Any, field: str, *, high: Decimal | None = None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite() or number < 0 or (high is not None and number > high):
        limit = _("between 0 and %(high)s") % {"high": high} if high is not None else _("0 or more")
        raise ValidationError({field: _("Enter a number %(limit)s.") % {"limit": limit}})
    if number.as_tuple().exponent < -2 or number >= Decimal("1e12"):
        raise ValidationError({field: _("At most 2 decimals and under 1,000,000,000,000.")})
    return number


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}) from None
    if day > dt.date.today() or day.year < 1950:
        raise ValidationError({field: _("The date must lie between 1950 and today.")})
    return day


@transaction.atomic
def save_client(*, actor: User, name: str, since: Any = None, annual_revenue: Any = None, revenue_share: Any = None,
                note: str = "", client_id: int | None = None) -> Client:
    _require(actor)
    name = (name or "").strip()
    if not name or len(name) > 200 or "\x00" in name:
        raise ValidationError({"name": _("Enter the client's name (at most 200 characters).")})
    values = {"name": name, "since": _date(since, "since"),
              "annual_revenue": _amount(annual_revenue, "annual_revenue"),
              "revenue_share": _amount(revenue_share, "revenue_share", high=HUNDRED),
              "note": (note or "").strip()[:300]}
    if client_id is not None:
        client = Client.objects.select_for_update().filter(company_id=actor.company_id, pk=client_id).first()
        if client is None:
            raise Http404(_("No such client."))
    else:
        client = Client(company_id=actor.company_id)
    if Client.objects.filter(company_id=actor.company_id, name=name).exclude(pk=client.pk).exists():
        raise ValidationError({"name": _("A client of this name exists already.")})
    share = values["revenue_share"]
    if share is not None:
        others = (Client.objects.filter(company_id=actor.company_id).exclude(pk=client.pk)
                  .aggregate(total=Sum("revenue_share"))["total"] or Decimal(0))
        if others + share > HUNDRED:
            raise ValidationError({"revenue_share": _(
                "The company's clients would make up %(total)s%% of its revenue — at most 100%%.") % {
                "total": others + share}})
    for key, value in values.items():
        setattr(client, key, value)
    client.save()
    evidence.record(actor.company_id, actor, "client.saved", client,
                    {k: v for k, v in values.items() if k != "note"})
    return client


def book_share(employee: Employee, *, excluding: int | None = None) -> Decimal:
    """Sum of the revenue shares (%) of the employee's clients (one query)."""
    qs = ClientCoverage.objects.filter(company_id=employee.company_id, employee_id=employee.pk)
    if excluding is not None:
        qs = qs.exclude(pk=excluding)
    return qs.aggregate(total=Sum("revenue_share"))["total"] or Decimal(0)


@transaction.atomic
def set_coverage(*, actor: User, client_id: int, employee: Employee, role: str = CoverageRole.PRIMARY,
                 since: Any = None, revenue_share: Any = None, readiness: str = "") -> ClientCoverage:
    _require(actor)
    client = Client.objects.filter(company_id=actor.company_id, pk=client_id).first()
    if client is None:
        raise Http404(_("No such client."))
    if employee.company_id != actor.company_id:
        raise ValidationError({"employee": _("The employee belongs to another company.")})
    if role not in CoverageRole.values:
        raise ValidationError({"role": _("Choose primary or secondary.")})
    if readiness and readiness not in Readiness.values:
        raise ValidationError({"readiness": _("Choose a readiness.")})
    share = _amount(revenue_share, "revenue_share", high=HUNDRED)
    # Lock the employee's coverage rows so two saves at once cannot pass 100% together.
    list(ClientCoverage.objects.select_for_update().filter(company_id=actor.company_id, employee_id=employee.pk))
    row = ClientCoverage.objects.filter(company_id=actor.company_id, client=client, employee=employee).first()
    others = book_share(employee, excluding=row.pk if row else None)
    if share is not None and others + share > HUNDRED:
        raise ValidationError({"revenue_share": _(
            "The shares of %(name)s's clients would sum to %(total)s%% — at most 100%%. "
            "Correct the other clients' shares first.") % {"name": employee.name, "total": others + share}})
    row = row or ClientCoverage(company_id=actor.company_id, client=client, employee=employee, created_by=actor)
    row.role, row.since, row.revenue_share, row.readiness = role, _date(since, "since"), share, readiness
    row.save()
    evidence.record(actor.company_id, actor, "client.coverage_saved", client,
                    {"employee": employee.pk, "role": role, "revenue_share": share, "readiness": readiness},
                    employee=employee)
    return row


@transaction.atomic
def remove_coverage(*, actor: User, coverage_id: int) -> None:
    _require(actor)
    row = ClientCoverage.objects.filter(company_id=actor.company_id, pk=coverage_id).select_related("client").first()
    if row is None:
        raise Http404(_("No such coverage."))
    evidence.record(actor.company_id, actor, "client.coverage_removed", row.client, {"employee": row.employee_id},
                    employee=row.employee_id)
    row.delete()
