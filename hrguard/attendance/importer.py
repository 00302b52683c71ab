"""Punch import (打卡数据导入): from a clock's export file (run by the background worker, see
``attendance.jobs``) or the API.

* Every row is validated (employee number known, time readable); any error → the whole import is
  refused with every problem listed by row and column, and nothing is saved.
* Duplicates (already imported, or repeated in the file) are skipped by the database
  (``ON CONFLICT DO NOTHING`` on employee + time) and counted in the report.
* Rows out of order are fine (the daily computation uses MIN/MAX); they are counted for the report.
* Each punch is attributed to its work date using the employee's shift: a punch at 05:58 after a
  22:00–06:00 night shift belongs to the previous day's shift.
* Two streaming passes over the file (memory stays flat for big files): the first checks every row
  and writes nothing; the second inserts in batches of BATCH_ROWS, each its own short transaction
  with an evidence event, so a long import never holds the write lock for more than a moment. The
  days touched are then recomputed set-based, a week per transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.evidence import services as evidence
from hrguard.people.inputs import normalize_employee_no
from hrguard.people.models import Employee
from hrguard.platform import bulk
from hrguard.platform.errors import require

from .compute import recompute_days, refresh_statistics
from .models import AttendanceDay, Punch, PunchDeviceProfile, PunchImport
from .reader import RawPunch, default_profile_values, read_punch_file
from .shifts import boundaries

MINUTES_PER_DAY = 1440
CHUNK = 500  # rows per INSERT statement (7 parameters each)
BATCH_ROWS = 5000  # rows per write transaction (a moment of write lock each, on SQLite)
RECOMPUTE_DAYS = 7  # days recomputed per transaction
MAX_LISTED_ERRORS = 100
ANALYZE_AFTER = 5000  # new punches after which the planner statistics are refreshed
_DT = re.compile(
    r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+|\s*)"
    r"(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?(?:\.\d+)?秒?\s*$"
)
_D = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")
_T = re.compile(r"^\s*(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2}))?\s*$")
_IN = {"in", "i", "0", "上班", "签到", "上班签到", "进", "入", "checkin", "check-in", "c/in"}
Progress = Callable[[str, int, int | None], None]  # (phase, done, total)
_OUT = {"out", "o", "1", "下班", "签退", "下班签退", "出", "checkout", "check-out", "c/out"}


@dataclass
class ImportReport:
    rows: int = 0
    inserted: int = 0
    out_of_order: int = 0
    errors: list[str] = field(default_factory=list)
    error_count: int = 0

    def error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(_("Row %(row)d, %(col)s: %(msg)s") % {"row": line, "col": column, "msg": message})


def get_default_profile(company: Company) -> PunchDeviceProfile:
    values = default_profile_values()
    profile, _created = PunchDeviceProfile.objects.get_or_create(
        company=company, name=values.pop("name"), defaults=values
    )
    return profile


def _parse_when(raw: RawPunch, fmt: str) -> dt.datetime | None:
    value = raw.when
    if value in (None, "") and raw.date not in (None, "") and raw.time not in (None, ""):
        day, clock = _as_date(raw.date), _as_time(raw.time)
        return dt.datetime.combine(day, clock) if day and clock else None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    text = str(value or "").strip()
    if not text:
        return None
    if not fmt and len(text) in (16, 19) and text[4] == "-" and text[10] == " ":
        try:  # the common "YYYY-MM-DD HH:MM[:SS]" takes the fast C path
            return dt.datetime.fromisoformat(text)
        except ValueError:
            pass
    if fmt:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            return None
    match = _DT.match(text)
    if not match:
        return None
    y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
    try:
        return dt.datetime(y, mo, d, h, mi, s)
    except ValueError:
        return None


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _D.match(str(value or ""))
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _as_time(value: Any) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(microsecond=0)
    match = _T.match(str(value or ""))
    if not match:
        return None
    h, m, s = (int(g) if g else 0 for g in match.groups())
    return dt.time(h, m, s) if h < 24 and m < 60 and s < 60 else None


def _direction(value: Any) -> str | None:
    text = str(value or "").strip().lower()
    if not text:
        return ""
    if text in _IN:
        return "in"
    if text in _OUT:
        return "out"
    return None


def attribute(local: dt.datetime, boundary: int) -> tuple[dt.date, int]:
    """(work date, minute of that work date) for a local punch time and a shift boundary minute."""
    minute = local.hour * 60 + local.minute
    day = local.date()
    if minute < boundary - MINUTES_PER_DAY:
        return day - dt.timedelta(days=1), minute + MINUTES_PER_DAY
    if minute >= boundary:
        return day + dt.timedelta(days=1), minute - MINUTES_PER_DAY
    return day, minute


FIELDS = ["company_id", "employee_id", "punched_at", "work_date", "minute", "direction", "batch_id"]


@dataclass
class _Plan:
    """What the checking pass learnt (nothing written yet)."""

    report: ImportReport
    per_employee: dict[int, list[Any]] = field(default_factory=dict)  # id → [count, first, last]
    first_day: dt.date | None = None
    last_day: dt.date | None = None


class _Context:
    def __init__(self, company: Company, profile: PunchDeviceProfile | None) -> None:
        self.fmt = profile.datetime_format if profile else ""
        self.employees = dict(Employee.objects.filter(company=company).values_list("employee_no", "id"))
        self.assigned, self.default_boundary = boundaries(company.pk)
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.col_emp, self.col_time, self.col_dir = _("employee number"), _("time"), _("in/out")

    def parse(self, raw: RawPunch, report: ImportReport | None) -> tuple[int, dt.datetime, str] | None:
        """(employee id, local time, direction) of a row, or None (errors go to ``report`` if given)."""
        number = str(raw.employee_no if raw.employee_no is not None else "").strip()
        if isinstance(raw.employee_no, float | Decimal) and raw.employee_no == int(raw.employee_no):
            number = str(int(raw.employee_no))  # Excel turned "1001" into 1001.0
        emp_id = self.employees.get(number) or self.employees.get(normalize_employee_no(number))  # e01 = E01
        local = _parse_when(raw, self.fmt)
        direction = _direction(raw.direction)
        if report is not None:
            if not number:
                report.error(raw.line, self.col_emp, _("empty"))
            elif emp_id is None:
                report.error(
                    raw.line, self.col_emp, _("no employee with number %(no)s in this company") % {"no": number[:40]}
                )
            if local is None:
                shown = raw.when if raw.when not in (None, "") else f"{raw.date or ''} {raw.time or ''}".strip()
                message = _("not a readable date and time: %(v)s") % {"v": str(shown)[:40] or "—"}
                report.error(raw.line, self.col_time, message)
            if direction is None:
                message = _("unknown value %(v)s (use in/out or 上班/下班)") % {"v": str(raw.direction)[:20]}
                report.error(raw.line, self.col_dir, message)
        if emp_id is None or local is None or direction is None:
            return None
        return emp_id, local, direction

    def work_day(self, emp_id: int, local: dt.datetime) -> tuple[dt.date, int]:
        return attribute(local, self.assigned.get(emp_id, self.default_boundary))


def _check(ctx: _Context, rows: Iterable[RawPunch], progress: Progress | None, estimate: int) -> _Plan:
    """Pass 1: every row validated, nothing written. Raises ValidationError listing the problems."""
    plan = _Plan(ImportReport())
    report, last_seen = plan.report, {}
    for raw in rows:
        report.rows += 1
        parsed = ctx.parse(raw, report)
        if progress is not None:
            progress("checking", report.rows, estimate)
        if report.error_count or parsed is None:
            continue  # keep validating: every problem is listed
        emp_id, local, _direction = parsed
        previous = last_seen.get(emp_id)
        if previous is not None and local < previous:
            report.out_of_order += 1
        else:
            last_seen[emp_id] = local
        work_date, _minute = ctx.work_day(emp_id, local)
        plan.first_day = work_date if plan.first_day is None or work_date < plan.first_day else plan.first_day
        plan.last_day = work_date if plan.last_day is None or work_date > plan.last_day else plan.last_day
        stats = plan.per_employee.get(emp_id)
        if stats is None:
            plan.per_employee[emp_id] = [1, local, local]
        else:
            stats[0] += 1
            stats[1] = min(stats[1], local)
            stats[2] = max(stats[2], local)
    if report.error_count:
        messages = list(report.errors)
        if report.error_count > len(messages):
            messages.append(_("… and %(n)d more problems.") % {"n": report.error_count - len(messages)})
        raise ValidationError({"rows": messages})
    if report.rows == 0:
        raise ValidationError({"file": _("The file contains no punches.")})
    return plan


def _save(
    ctx: _Context, company: Company, batch: PunchImport, actor: User, rows: Iterable[RawPunch], total: int,
    progress: Progress | None,
) -> int:
    """Pass 2: insert in batches of BATCH_ROWS, each its own short transaction with an evidence event.
    Punches already stored are skipped by the database, so a re-run after a crash is harmless."""
    inserter = bulk.Inserter(Punch, FIELDS, skip_conflicts=True, chunk=CHUNK)
    done = saved = 0
    pending: list[list[Any]] = []

    def commit() -> None:
        nonlocal saved
        with transaction.atomic():
            before = inserter.inserted
            inserter.extend(pending)  # flushes every CHUNK rows
            inserter.flush()
            new = inserter.inserted - before
            evidence.record(company, actor, "attendance.punch_batch_saved", batch,
                            {"batch": batch.pk, "rows": len(pending), "inserted": new, "up_to_row": done})
        saved += new
        pending.clear()
        bulk.let_writers_in()
        if progress is not None:
            progress("saving", done, total)

    for raw in rows:
        parsed = ctx.parse(raw, None)
        if parsed is None:  # the file was checked: only a concurrent change of the roster gets here
            raise ValidationError({"rows": [_("The roster changed during the import: import the file again.")]})
        emp_id, local, direction = parsed
        work_date, minute = ctx.work_day(emp_id, local)
        pending.append([company.pk, emp_id, local.replace(tzinfo=ctx.tz), work_date, minute, direction or "", batch.pk])
        done += 1
        if len(pending) >= BATCH_ROWS:
            commit()
    if pending:
        commit()
    return saved


def import_punches(
    actor: User,
    company: Company,
    rows: Iterable[RawPunch] | Callable[[], Iterable[RawPunch]],
    *,
    source: str = "file",
    filename: str = "",
    sha256: str = "",
    profile: PunchDeviceProfile | None = None,
    progress: Progress | None = None,
    estimate: int = 0,
) -> PunchImport:
    """Check every row (nothing saved if any is wrong), then save in short batches, recompute the days
    touched (a week per transaction) and record the evidence. ``rows`` is a list or a function giving
    a fresh iterator (the file is read twice, streaming, instead of being held in memory)."""
    require(actor, "attendance.manage_attendance")
    if actor.company_id != company.pk or (profile is not None and profile.company_id != company.pk):
        raise ValidationError(_("You can only import punches into your own company."))
    fresh = rows if callable(rows) else (lambda: rows)
    ctx = _Context(company, profile)
    plan = _check(ctx, fresh(), progress, estimate)
    report = plan.report
    with transaction.atomic():
        batch = PunchImport.objects.create(
            company=company, profile=profile, source=source, filename=filename[:200], sha256=sha256,
            created_by=actor, rows=report.rows,
        )
        evidence.record(company, actor, "attendance.punch_import_started", batch,
                        {"title": filename or source, "rows": report.rows, "sha256": sha256})
    inserted = _save(ctx, company, batch, actor, fresh(), report.rows, progress)
    if inserted > ANALYZE_AFTER:
        refresh_statistics()
    if plan.first_day and plan.last_day:
        ids = list(plan.per_employee) if source == "api" else None
        written = _recompute(company, plan.first_day, plan.last_day, ids, progress)
        if written > ANALYZE_AFTER:
            refresh_statistics(AttendanceDay)
    with transaction.atomic():
        batch.inserted = inserted
        batch.duplicates = report.rows - batch.inserted
        batch.out_of_order = report.out_of_order
        batch.first_date, batch.last_date = plan.first_day, plan.last_day
        batch.save()
        _record_summary(company, actor, batch, plan, filename or source, sha256)
    return batch


def _recompute(
    company: Company, first: dt.date, last: dt.date, ids: list[int] | None, progress: Progress | None
) -> int:
    """Days recomputed a week at a time, each week its own short transaction (derived data: safe to
    redo)."""
    written, day, total = 0, first, (last - first).days + 1
    while day <= last:
        end = min(last, day + dt.timedelta(days=RECOMPUTE_DAYS - 1))
        written += recompute_days(company.pk, day, end, ids)
        bulk.let_writers_in()
        day = end + dt.timedelta(days=1)
        if progress is not None:
            progress("computing", (day - first).days, total)
    return written


def _record_summary(
    company: Company, actor: User, batch: PunchImport, plan: _Plan, title: str, sha256: str
) -> None:
    summary = {
        "title": title, "rows": batch.rows, "inserted": batch.inserted, "duplicates": batch.duplicates,
        "out_of_order": batch.out_of_order, "first_date": plan.first_day, "last_date": plan.last_day,
        "sha256": sha256,
    }
    events = [evidence.PendingEvent("attendance.punches_imported", evidence.Subject.of(batch), summary)]
    events += [
        evidence.PendingEvent(
            "attendance.punches_recorded", evidence.Subject.of(batch),
            {"title": f"{first:%Y-%m-%d}–{last:%Y-%m-%d} ({count})", "batch": batch.pk, "rows": count,
             "first": first, "last": last}, emp_id,
        )
        for emp_id, (count, first, last) in plan.per_employee.items()
    ]
    evidence.record_many(company, actor, events)


def import_file(
    actor: User, company: Company, profile: PunchDeviceProfile, data: bytes, filename: str,
    progress: Progress | None = None,
) -> PunchImport:
    digest = hashlib.sha256(data).hexdigest()
    return import_punches(
        actor, company, lambda: read_punch_file(profile, data), source="file", filename=filename, sha256=digest,
        profile=profile, progress=progress, estimate=0 if data[:4] == b"PK\x03\x04" else data.count(b"\n"),
    )


def api_rows(items: Iterable[dict[str, Any]]) -> list[RawPunch]:
    """Punches sent as JSON: [{"employee_no": "S001", "time": "2025-03-03 08:57", "direction": "in"}]."""
    return [
        RawPunch(
            line=i, employee_no=item.get("employee_no"), when=item.get("time"), direction=item.get("direction") or ""
        )
        for i, item in enumerate(items, start=1)
    ]
