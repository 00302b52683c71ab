"""社保减员 and 退工/就业登记 exports: the employments that end in a date range (an exit not withdrawn whose last
working day falls in it), written in the company's chosen layout (``si_layouts``) with the platform's
spreadsheet writer (formula escaping). ID numbers and phones are unmasked only for users who may export
them unmasked (``people.export_employees_unmasked``). Every export is an evidence event naming the range,
the layout, how many people and whether it was unmasked."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.core.validation import clean_plain_text
from hrguard.evidence import services as evidence
from hrguard.people.services import mask
from hrguard.platform import spreadsheets

from . import grounds
from .models import Exit, ExitState, SILayout
from .si_layouts import BUILTIN, FIELDS, LIST_KINDS, REDUCTION, Layout, clean_columns

MAX_RANGE_DAYS = 366
MAX_ROWS = 5000


def may_export(user: User) -> bool:
    return bool(user.is_authenticated and user.has_perm("offboarding.export_si"))


def layouts_for(company_id: int) -> dict[str, Layout]:
    """The shipped layouts with the company's own (same key: the company's edit wins)."""
    out = dict(BUILTIN)
    for row in SILayout.objects.filter(company_id=company_id).order_by("key"):
        out[row.key] = Layout(row.key, row.name, row.list_kind, tuple(row.columns), builtin=False)
    return out


def layout_for(company_id: int, key: str) -> Layout:
    found = layouts_for(company_id).get(str(key or "generic"))
    if found is None:
        raise ValidationError({"layout": [_("Layout: unknown layout “%(k)s”.") % {"k": str(key)[:40]}]})
    return found


@transaction.atomic
def save_layout(*, actor: User, key: str, name: str, list_kind: str, columns: Any) -> SILayout:
    """A company admin saves a layout (a shipped one edited under its key, or a new one)."""
    if not actor.has_perm("offboarding.edit_si_layouts"):
        raise PermissionDenied(_("Only HR or the company administrator may edit export layouts."))
    errors: dict[str, list[str]] = {}
    key = str(key or "").strip().lower()
    if not key or len(key) > 40 or not all(c.isascii() and (c.isalnum() or c in "-_") for c in key):
        errors["key"] = [_("Key: letters, digits, - and _ only (at most 40).")]
    try:
        name = clean_plain_text(name, "name", max_length=100, required=True)
    except ValidationError as exc:
        errors["name"] = list(exc.messages)
    if list_kind not in LIST_KINDS:
        errors["list_kind"] = [_("List: choose the reduction list or the filing list.")]
    try:
        cleaned = clean_columns(columns)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    row, _created = SILayout.objects.update_or_create(
        company_id=actor.company_id, key=key,
        defaults={"name": name, "list_kind": list_kind, "columns": cleaned, "updated_by": actor})
    evidence.record(actor.company_id, actor, "offboarding.si_layout_saved", row,
                    data={"key": key, "name": name, "list_kind": list_kind, "columns": cleaned})
    return row


def _day(value: Any, field: str, label: str, errors: dict[str, list[str]]) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        errors[field] = [_("%(label)s: enter a date as YYYY-MM-DD.") % {"label": label}]
        return None


def clean_range(date_from: Any, date_to: Any) -> tuple[dt.date, dt.date]:
    errors: dict[str, list[str]] = {}
    start = _day(date_from, "from", _("From"), errors)
    end = _day(date_to, "to", _("To"), errors)
    if start and end and start > end:
        errors["from"] = [_("From: %(a)s is after To (%(b)s).") % {"a": start.isoformat(), "b": end.isoformat()}]
    elif start and end and (end - start).days > MAX_RANGE_DAYS:
        errors["to"] = [_("To: the range may span at most one year.")]
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None
    return start, end


def ending_exits(user: User, start: dt.date, end: dt.date) -> list[Exit]:
    """Employments that end in the range (one query)."""
    return list(Exit.objects.filter(company_id=user.company_id, last_day__gte=start, last_day__lte=end)
                .exclude(state=ExitState.CANCELLED)
                .select_related("employee", "employee__department", "employee__position", "contract",
                                "employee__company")
                .order_by("last_day", "employee__employee_no")[:MAX_ROWS])


def _month_after(day: dt.date) -> str:
    nxt = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return f"{nxt:%Y%m}"


def values_of(exit_: Exit, seq: int, *, unmasked: bool) -> dict[str, Any]:
    e = exit_.employee
    contract = exit_.contract
    return {
        "seq": seq, "name": e.name, "id_type": e.id_type,
        "id_number": (e.id_number or "") if unmasked else mask(e.id_number or "", "id_number"),
        "gender": e.gender, "employee_no": e.employee_no,
        "phone": (e.phone or "") if unmasked else mask(e.phone or "", "phone"),
        "department": e.department.name if e.department_id else "",
        "position": e.position.name if e.position_id else "",
        "hire_date": exit_.employment_start, "termination_date": exit_.last_day,
        "reduction_month": _month_after(exit_.last_day), "reason": exit_.kind,
        "ground_article": grounds.ground_label(exit_.ground),
        "contract_type": str(contract.get_contract_type_display()) if contract is not None else "",
        "work_location": e.work_location, "company_name": e.company.name, "credit_code": e.company.credit_code or "",
    }


def _cell(column: dict[str, Any], values: dict[str, Any]) -> Any:
    value = values.get(column["field"], "")
    mapping = column.get("map") or {}
    return mapping.get(str(value), value) if mapping else value


@dataclass
class Export:
    layout: Layout
    start: dt.date
    end: dt.date
    headers: list[str]
    rows: list[list[Any]]
    unmasked: bool

    @property
    def filename(self) -> str:
        return f"{self.layout.list_kind}-{self.layout.key}-{self.start:%Y%m%d}-{self.end:%Y%m%d}.xlsx"


def build(*, actor: User, date_from: Any, date_to: Any, layout: str = "generic") -> Export:
    """The rows of the list (a read: the preview on the page). Refused for users who may not export."""
    if not may_export(actor):
        raise PermissionDenied(_("Only HR may export social-insurance lists."))
    start, end = clean_range(date_from, date_to)
    chosen = layout_for(actor.company_id, layout)
    unmasked = bool(actor.has_perm("people.export_employees_unmasked"))
    rows = []
    for seq, exit_ in enumerate(ending_exits(actor, start, end), 1):
        values = values_of(exit_, seq, unmasked=unmasked)
        rows.append([_cell(c, values) for c in chosen.columns])
    return Export(chosen, start, end, [c["header"] for c in chosen.columns], rows, unmasked)


@transaction.atomic
def export(*, actor: User, date_from: Any, date_to: Any, layout: str = "generic") -> tuple[Export, bytes]:
    """The Excel file of the list, with its evidence event (the file holds ID numbers)."""
    result = build(actor=actor, date_from=date_from, date_to=date_to, layout=layout)
    title = "减员名单" if result.layout.list_kind == REDUCTION else "退工登记名单"
    data = spreadsheets.workbook(title, result.headers, result.rows)
    evidence.record(actor.company_id, actor, "offboarding.si_exported", None, data={
        "layout": result.layout.key, "list_kind": result.layout.list_kind, "from": result.start, "to": result.end,
        "rows": len(result.rows), "unmasked": result.unmasked, "sha256": spreadsheets_digest(data),
        "exported_at": timezone.now()})
    return result, data


def spreadsheets_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def field_choices() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in FIELDS.items()]
