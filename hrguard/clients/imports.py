"""客户导入: an Excel/CSV sheet of clients and who serves them, read through the platform spreadsheet reader
(guarded: type by content, zip and row caps) and written like the roster import — every row is checked
first; with any error nothing is saved and the report lists the problems by row and column.

One row per client and serving employee (a client served by two people takes two rows; a client nobody
serves yet takes one row with the employee number blank). Columns (Chinese headers, English accepted):
客户名称 | 合作年限（年） | 年营收（元） | 占公司营收（%） | 服务员工工号 | 服务角色 | 占该员工业绩（%） | 接任准备度.
The client's own values (years, revenue, company share) may be repeated on its other rows or left blank
there; two rows of one client that disagree are an error. An existing client (same name) is updated, an
existing coverage (same client and employee) replaced.

Refused as a whole file: the company's clients summing over 100% of its revenue, and the shares of one
employee's clients (those in the file plus those already recorded and not in the file) over 100%."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.people.selectors import visible_employees
from hrguard.platform.spreadsheets import Limits, SpreadsheetError, open_rows, workbook

from .models import Client, ClientCoverage, CoverageRole, Readiness

LIMITS = Limits(rows=5_001, columns=30, cells=150_000, unpacked_bytes=16 * 1024 * 1024)
MAX_ERRORS = 200
MAX_YEARS = 75
HUNDRED = Decimal(100)
# key: (template header, other accepted headers)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("客户名称", ("客户", "name", "client", "client name")),
    "years": ("合作年限（年）", ("合作年限", "合作年限(年)", "years", "years of relationship")),
    "annual_revenue": ("年营收（元）", ("年营收", "年营收(元)", "年收入（元）", "annual revenue", "annual_revenue")),
    "revenue_share": ("占公司营收（%）", ("占公司营收", "占公司营收(%)", "营收占比", "revenue share", "revenue_share")),
    "employee_no": ("服务员工工号", ("工号", "员工工号", "employee number", "employee_no")),
    "role": ("服务角色", ("角色", "role")),
    "book_share": ("占该员工业绩（%）", ("占该员工业绩", "占该员工业绩(%)", "占员工业绩（%）", "book share",
                                       "share of the employee's book")),
    "readiness": ("接任准备度", ("继任准备度", "readiness")),
}
REQUIRED = ("name",)
ROLE_WORDS = {"主要负责": CoverageRole.PRIMARY, "主要": CoverageRole.PRIMARY, "主": CoverageRole.PRIMARY,
              "primary": CoverageRole.PRIMARY, "协助": CoverageRole.SECONDARY, "次要": CoverageRole.SECONDARY,
              "辅助": CoverageRole.SECONDARY, "secondary": CoverageRole.SECONDARY}
READINESS_WORDS = {"可立即接任": Readiness.READY, "可接任": Readiness.READY, "ready": Readiness.READY,
                   "一年内可接任": Readiness.ONE_YEAR, "一年内": Readiness.ONE_YEAR, "one_year": Readiness.ONE_YEAR,
                   "尚未具备": Readiness.LATER, "尚需培养": Readiness.LATER, "later": Readiness.LATER}
EXAMPLE = [("华东汽车集团", 12, 3000000, 15, "S0001", "主要负责", 45, ""),
           ("华东汽车集团", "", "", "", "S0002", "协助", "", "可立即接任"),
           ("星海电子", 5, 2000000, 10, "S0001", "主要负责", 30, "")]


@dataclass
class ClientValues:
    line: int
    name: str
    years: int | None
    annual_revenue: Decimal | None
    revenue_share: Decimal | None


@dataclass
class CoverageValues:
    line: int
    client: str
    employee_id: int
    employee_no: str
    role: str
    share: Decimal | None
    readiness: str


@dataclass
class ImportReport:
    clients: dict[str, ClientValues] = field(default_factory=dict)
    coverage: list[CoverageValues] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    columns: dict[str, int] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    saved_coverage: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def template_xlsx() -> bytes:
    """The downloadable template: the Chinese headers and three example rows."""
    return workbook(_("Clients"), [h for h, _others in COLUMNS.values()], EXAMPLE)


def _header(values: list[Any]) -> dict[str, int]:
    names = [re.sub(r"\s+", "", str(v or "")).lower() for v in values]
    found: dict[str, int] = {}
    for key, (main, others) in COLUMNS.items():
        options = {re.sub(r"\s+", "", o).lower() for o in (main, *others)}
        for i, name in enumerate(names):
            if name in options:
                found[key] = i
                break
    return found


def _text(values: list[Any], columns: dict[str, int], key: str) -> str:
    i = columns.get(key)
    value = values[i] if i is not None and i < len(values) else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").strip()


def _number(text: str, *, high: Decimal | None = None) -> Decimal | None:
    """A non-negative number (2 decimals at most), or None when unreadable — the caller reports it."""
    text = text.replace(",", "").replace("，", "").replace("¥", "").replace("元", "").rstrip("%％").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or (high is not None and number > high) or number >= Decimal("1e12"):
        return None
    return number.quantize(Decimal("0.01"))


def _client_row(line: int, values: list[Any], columns: dict[str, int]) -> tuple[ClientValues, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    name = _text(values, columns, "name")
    if not name or len(name) > 200 or "\x00" in name:
        problems.append(("客户名称", _("Enter the client's name (at most 200 characters).")))
    years_text, revenue_text, share_text = (_text(values, columns, k) for k in ("years", "annual_revenue",
                                                                                 "revenue_share"))
    years = None
    if years_text:
        number = _number(years_text, high=Decimal(MAX_YEARS))
        if number is None or number != number.to_integral_value():
            problems.append(("合作年限（年）", _("Enter whole years between 0 and %(n)d.") % {"n": MAX_YEARS}))
        else:
            years = int(number)
    revenue = _number(revenue_text) if revenue_text else None
    if revenue_text and revenue is None:
        problems.append(("年营收（元）", _("Enter an amount of 0 or more (yuan).")))
    share = _number(share_text, high=HUNDRED) if share_text else None
    if share_text and share is None:
        problems.append(("占公司营收（%）", _("Enter a share between 0 and 100.")))
    return ClientValues(line, name, years, revenue, share), problems


def _merge(report: ImportReport, row: ClientValues) -> list[tuple[str, str]]:
    """The first row of a client gives its values; a later row may repeat them or leave them blank."""
    first = report.clients.get(row.name)
    if first is None:
        report.clients[row.name] = row
        return []
    problems = []
    for attr, column in (("years", "合作年限（年）"), ("annual_revenue", "年营收（元）"),
                         ("revenue_share", "占公司营收（%）")):
        mine, theirs = getattr(row, attr), getattr(first, attr)
        if mine is not None and theirs is None:
            setattr(first, attr, mine)
        elif mine is not None and mine != theirs:
            problems.append((column, _("Differs from row %(line)d of the same client.") % {"line": first.line}))
    return problems


def _coverage_row(line: int, values: list[Any], columns: dict[str, int], client: str,
                  ids: dict[str, int]) -> tuple[CoverageValues | None, list[tuple[str, str]]]:
    number = _text(values, columns, "employee_no")
    role_text, share_text, ready_text = (_text(values, columns, k) for k in ("role", "book_share", "readiness"))
    if not number:
        if role_text or share_text or ready_text:
            return None, [("服务员工工号", _("Enter the number of the employee who serves the client."))]
        return None, []
    problems = []
    if number not in ids:
        problems.append(("服务员工工号", _("No employee with this number.")))
    role = ROLE_WORDS.get(role_text.lower(), "") if role_text else CoverageRole.PRIMARY
    if not role:
        problems.append(("服务角色", _("Enter 主要负责 or 协助.")))
    share = _number(share_text, high=HUNDRED) if share_text else None
    if share_text and share is None:
        problems.append(("占该员工业绩（%）", _("Enter a share between 0 and 100.")))
    readiness = READINESS_WORDS.get(ready_text.lower(), "") if ready_text else ""
    if ready_text and not readiness:
        problems.append(("接任准备度", _("Enter 可立即接任, 一年内可接任 or 尚未具备.")))
    if problems:
        return None, problems
    return CoverageValues(line, client, ids[number], number, role, share, readiness), []


def _read(actor: User, content: bytes, report: ImportReport) -> list[tuple[int, list[Any]]] | None:
    try:
        rows = iter(open_rows(content, LIMITS))
        columns = _header(next(rows, None) or [])
        if any(k not in columns for k in REQUIRED) or "employee_no" not in columns:
            report.errors.append((1, "", _("The first row must name the columns 客户名称 and 服务员工工号 "
                                            "(download the template).")))
            return None
        report.columns = columns
        return [(line, list(v)) for line, v in enumerate(rows, start=2) if any(x not in (None, "") for x in v)]
    except SpreadsheetError as exc:
        report.errors.append((0, "", str(exc)))
        return None


def _add(report: ImportReport, line: int, problems: list[tuple[str, str]]) -> bool:
    report.errors.extend((line, column, message) for column, message in problems)
    return len(report.errors) >= MAX_ERRORS


def parse(actor: User, content: bytes) -> ImportReport:
    """Every row checked; ``report.errors`` empty means the file may be written."""
    report = ImportReport()
    raw = _read(actor, content, report)
    if raw is None:
        return report
    if not raw:
        report.errors.append((0, "", _("The file has no client rows.")))
        return report
    columns = report.columns
    numbers = {_text(v, columns, "employee_no") for _line, v in raw} - {""}
    ids = dict(visible_employees(actor).filter(employee_no__in=numbers).values_list("employee_no", "pk"))
    seen: dict[tuple[str, int], int] = {}
    for line, values in raw:
        client, problems = _client_row(line, values, columns)
        if client.name and not problems:
            problems += _merge(report, client)
        if client.name:
            cov, more = _coverage_row(line, values, columns, client.name, ids)
            problems += more
            if cov is not None:
                key = (cov.client, cov.employee_id)
                if key in seen:
                    problems.append(("服务员工工号", _("This employee serves this client on row %(line)d already.")
                                     % {"line": seen[key]}))
                else:
                    seen[key] = line
                    report.coverage.append(cov)
        if problems and _add(report, line, problems):
            return report
    if not report.errors:
        _check_totals(actor, report)
    return report


def _check_totals(actor: User, report: ImportReport) -> None:
    """Company total and each employee's book, counting what is recorded and not replaced by the file."""
    others = Client.objects.filter(company_id=actor.company_id).exclude(name__in=list(report.clients))
    existing = {c.name: c.revenue_share for c in Client.objects.filter(company_id=actor.company_id,
                                                                           name__in=list(report.clients))}
    total = sum((s for s in others.values_list("revenue_share", flat=True) if s is not None), Decimal(0))
    for c in report.clients.values():
        share = c.revenue_share if c.revenue_share is not None else existing.get(c.name)
        total += share or Decimal(0)
    if total > HUNDRED:
        report.errors.append((0, "占公司营收（%）", _(
            "The company's clients would make up %(total)s%% of its revenue — at most 100%%.") % {"total": total}))
    by_employee: dict[int, list[CoverageValues]] = {}
    for cov in report.coverage:
        by_employee.setdefault(cov.employee_id, []).append(cov)
    kept = (ClientCoverage.objects.filter(company_id=actor.company_id, employee_id__in=list(by_employee))
            .select_related("client").values_list("employee_id", "client__name", "revenue_share"))
    in_file = {(c.client, c.employee_id) for c in report.coverage}
    recorded: dict[int, Decimal] = {}
    for employee_id, client_name, share in kept:
        if (client_name, employee_id) not in in_file:
            recorded[employee_id] = recorded.get(employee_id, Decimal(0)) + (share or Decimal(0))
    for employee_id, rows in by_employee.items():
        book = recorded.get(employee_id, Decimal(0)) + sum((r.share or Decimal(0) for r in rows), Decimal(0))
        if book > HUNDRED:
            for r in rows:
                report.errors.append((r.line, "占该员工业绩（%）", _(
                    "The shares of the clients of %(no)s would sum to %(total)s%% — at most 100%%.") % {
                    "no": r.employee_no, "total": book}))


def _since(years: int | None, today: dt.date) -> dt.date | None:
    if years is None:
        return None
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def import_clients(*, actor: User, content: bytes, source: str = "") -> ImportReport:
    """Check every row; with no error write all clients and coverage in one transaction with one
    evidence event. Permission: ``clients.manage_clients``."""
    if not actor.has_perm("clients.manage_clients"):
        raise PermissionDenied(_("You may not change client records."))
    with transaction.atomic():
        # Lock the company's clients first so a concurrent save cannot pass 100% together with this file.
        current = {c.name: c for c in Client.objects.select_for_update().filter(company_id=actor.company_id)}
        report = parse(actor, content)
        if report.errors:
            return report
        _write(actor, report, current)
        evidence.record(actor.company_id, actor, "client.imported", None, {
            "source": source[:200], "rows": len(report.coverage), "clients_created": report.created,
            "clients_updated": report.updated, "coverage": report.saved_coverage})
    return report


def _write(actor: User, report: ImportReport, current: dict[str, Client]) -> None:
    today = timezone.localdate()
    for values in report.clients.values():
        client = current.get(values.name) or Client(company_id=actor.company_id, name=values.name)
        is_new = client.pk is None
        if values.years is not None:
            client.since = _since(values.years, today)
        if values.annual_revenue is not None:
            client.annual_revenue = values.annual_revenue
        if values.revenue_share is not None:
            client.revenue_share = values.revenue_share
        client.save()
        current[values.name] = client
        report.created += is_new
        report.updated += not is_new
    for cov in report.coverage:
        client = current[cov.client]
        ClientCoverage.objects.update_or_create(
            company_id=actor.company_id, client=client, employee_id=cov.employee_id,
            defaults={"role": cov.role, "revenue_share": cov.share, "readiness": cov.readiness},
            create_defaults={"role": cov.role, "revenue_share": cov.share, "readiness": cov.readiness,
                             "created_by": actor})
        report.saved_coverage += 1
