"""Device profiles (考勤机型号): the column mapping of one clock model's export, saved per company so the
next month's file imports with one click. Columns by header text ("工号") or 1-based position ("1")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.evidence import services as evidence
from hrguard.platform.errors import require
from hrguard.records.inputs import Errors

from .models import PunchDeviceProfile

COLUMNS = ("employee_column", "datetime_column", "date_column", "time_column", "direction_column")


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "on", "yes")


@transaction.atomic
def save_profile(actor: User, company: Company, data: dict[str, Any]) -> PunchDeviceProfile:
    """Create or update (by name) a device profile. Needs the employee-number column and either a
    date-time column or separate date and time columns; a custom format must be a valid strftime pattern."""
    require(actor, "attendance.manage_attendance")
    if actor.company_id != company.pk:
        raise ValidationError(_("You can only change your own company's device profiles."))
    errors = Errors()
    name = errors.text(data.get("name"), "name", max_length=80, required=True)
    cols = {c: errors.text(data.get(c), c, max_length=60) for c in COLUMNS}
    if not cols["employee_column"]:
        errors.add("employee_column", _("Say which column holds the employee number."))
    if not cols["datetime_column"] and not (cols["date_column"] and cols["time_column"]):
        errors.add("datetime_column", _("Give the date-time column, or both the date and the time columns."))
    has_header = _truthy(data.get("has_header", True))
    if not has_header:
        for c, value in cols.items():
            if value and not value.isdigit():
                errors.add(c, _("Without a header row, give columns by number (1, 2, …)."))
    fmt = errors.text(data.get("datetime_format"), "datetime_format", max_length=40)
    if fmt:
        try:
            sample = dt.datetime(2025, 3, 3, 8, 57, 6)
            if dt.datetime.strptime(sample.strftime(fmt), fmt).date() != sample.date():
                raise ValueError(fmt)
        except ValueError:
            errors.add("datetime_format", _("Not a date-time pattern (e.g. %Y/%m/%d %H:%M)."))
    errors.raise_if_any()
    profile, created = PunchDeviceProfile.objects.update_or_create(
        company=company, name=name, defaults={**cols, "has_header": has_header, "datetime_format": fmt},
    )
    evidence.record(company, actor, "attendance.profile_saved", profile,
                    {"title": name, "created": created, **cols, "has_header": has_header, "datetime_format": fmt})
    return profile
