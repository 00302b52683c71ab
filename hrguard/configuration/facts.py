"""Company facts the law needs: the city, and the local wage table (``core.LocalWage``) the calculators
read through ``hrguard.core.wages`` (e.g. the LCL Art. 47 cap: 3× the local average monthly wage).
Each change: one transaction, ``configuration.manage_facts``, an evidence event."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core import wages
from hrguard.core.models import Company, LocalWage, User, WageKind
from hrguard.core.validation import clean_plain_text, merge_errors
from hrguard.evidence import services as evidence
from hrguard.law.compensation import Compensation, economic_compensation
from hrguard.platform.errors import require

PERM = "configuration.manage_facts"
MIN_YEAR, MAX_YEAR = 1994, 2100  # the Labour Law (1994) introduced minimum wages


@transaction.atomic
def set_city(*, actor: User, city: str) -> Company:
    require(actor, PERM)
    city = clean_plain_text(city, "city", max_length=50, required=True)
    company = Company.objects.select_for_update().get(pk=actor.company_id)
    before, company.city = company.city, city
    company.save(update_fields=["city"])
    evidence.record(company, actor, "company.city_set", company, {"from": before, "to": city})
    return company


def _int_in(value: Any, field: str, low: int, high: int, errors: dict[str, list[str]], message: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        errors.setdefault(field, []).append(message)
    return number


def _amount(value: Any, errors: dict[str, list[str]]) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (decimal.InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not amount.is_finite() or not Decimal("0.01") <= amount <= Decimal("9999999"):
        errors.setdefault("amount", []).append(_("Enter an amount in yuan between 0.01 and 9,999,999."))
        return Decimal(0)
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def save_wage(*, actor: User, data: dict[str, Any]) -> LocalWage:
    """Add a figure, or replace the one of the same city, kind, year and month."""
    require(actor, PERM)
    errors: dict[str, list[str]] = {}
    try:
        city = clean_plain_text(data.get("city"), "city", max_length=50, required=True)
    except ValidationError as exc:
        merge_errors(errors, exc)
        city = ""
    kind = str(data.get("kind") or "")
    if kind not in WageKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind from the list."))
    year = _int_in(data.get("year"), "year", MIN_YEAR, MAX_YEAR, errors,
                   _("Enter a year from %(a)s to %(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR})
    month = _int_in(data.get("month") or 1, "month", 1, 12, errors, _("Enter a month from 1 to 12."))
    amount = _amount(data.get("amount"), errors)
    try:
        source = clean_plain_text(data.get("source"), "source", max_length=200, required=False)
    except ValidationError as exc:
        merge_errors(errors, exc)
        source = ""
    if errors:
        raise ValidationError(errors)
    row, created = LocalWage.objects.update_or_create(
        company_id=actor.company_id, city=city, kind=kind, year=year, month=month,
        defaults={"amount": amount, "source": source})
    evidence.record(actor.company_id, actor, "company.wage_saved", row, {
        "city": city, "kind": kind, "year": year, "month": month, "amount": str(amount), "source": source,
        "created": created})
    return row


@transaction.atomic
def delete_wage(*, actor: User, wage_id: Any) -> None:
    require(actor, PERM)
    row = LocalWage.objects.filter(company_id=actor.company_id, pk=_pk(wage_id)).first()
    if row is None:
        raise ValidationError({"wage": [_("No such figure.")]})
    evidence.record(actor.company_id, actor, "company.wage_deleted", row, {
        "city": row.city, "kind": row.kind, "year": row.year, "month": row.month, "amount": str(row.amount)})
    row.delete()


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def compensation_for(company: Any, *, service_months: int, monthly_wage: Decimal, end_date: dt.date,
                     service_days: int = 0, city: str | None = None) -> Compensation:
    """LCL Art. 47 compensation with the cap looked up in the company's wage table (the local average monthly
    wage of the year before ``end_date``); uncapped when no figure is entered (``cap_base`` is then None)."""
    local = wages.compensation_cap_base(company, end_date=end_date, city=city)
    return economic_compensation(service_months, monthly_wage, local, service_days=service_days)
