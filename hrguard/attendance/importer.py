"""Punch import (打卡数据导入): from a clock's export file or the API, in one transaction.

* Every row is validated (employee number known, time readable); any error → the whole import is
  refused with every problem listed by row and column, and nothing is saved.
* Duplicates (already imported, or repeated in the file) are skipped by the database
  (``ON CONFLICT DO NOTHING`` on employee + time) and counted in the report.
* Rows out of order are fine (the daily computation uses MIN/MAX); they are counted for the report.
* Each punch is attributed to its work date using the employee's shift: a punch at 05:58 after a
  22:00–06:00 night shift belongs to the previous day's shift.
* Rows are inserted in multi-row statements as they are parsed (memory stays flat for big files);
  the days touched are then recomputed set-based."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from hrguard.core.models import Company, User
from hrguard.evidence import services as evidence
from hrguard.people.models import Employee
from hrguard.platform.errors import require

from .compute import recompute_days, refresh_statistics
from .models import AttendanceDay, Punch, PunchDeviceProfile, PunchImport
from .reader import RawPunch, default_profile_values, read_punch_file
from .shifts import boundaries

MINUTES_PER_DAY = 1440
CHUNK = 500  # rows per INSERT statement (7 parameters each)
MAX_LISTED_ERRORS = 100
ANALYZE_AFTER = 5000  # new punches after which the planner statistics are refreshed
_DT = re.compile(
    r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+|\s*)"
    r"(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?(?:\.\d+)?秒?\s*$"
)
_D = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")
_T = re.compile(r"^\s*(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2}))?\s*$")
_IN = {"in", "i", "0", "上班", "签到", "上班签到", "进", "入", "checkin", "check-in", "c/in"}
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


def _db_datetime(tz: zoneinfo.ZoneInfo) -> Any:
    """Local naive time → the value the database column takes (what Django's adapters would produce:
    UTC text on SQLite, an aware datetime on PostgreSQL), without Django's per-call overhead."""
    if connection.vendor == "sqlite":
        return lambda local: str(local - tz.utcoffset(local))
    if connection.vendor == "postgresql":  # COPY takes Python values
        return lambda local: local.replace(tzinfo=tz)
    adapt = connection.ops.adapt_datetimefield_value
    return lambda local: adapt(local.replace(tzinfo=tz))


def attribute(local: dt.datetime, boundary: int) -> tuple[dt.date, int]:
    """(work date, minute of that work date) for a local punch time and a shift boundary minute."""
    minute = local.hour * 60 + local.minute
    day = local.date()
    if minute < boundary - MINUTES_PER_DAY:
        return day - dt.timedelta(days=1), minute + MINUTES_PER_DAY
    if minute >= boundary:
        return day + dt.timedelta(days=1), minute - MINUTES_PER_DAY
    return day, minute


COLUMNS = "company_id, employee_id, punched_at, work_date, minute, direction, batch_id"


class _Inserter:
    """Multi-row INSERT … ON CONFLICT DO NOTHING statements of CHUNK rows (SQLite and others)."""

    def __init__(self) -> None:
        self.table = Punch._meta.db_table
        self.pending: list[tuple[Any, ...]] = []
        self.inserted = 0
        self._sql: dict[int, str] = {}

    def add(self, row: tuple[Any, ...]) -> None:
        self.pending.append(row)
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        n = len(self.pending)
        sql = self._sql.get(n)
        if sql is None:
            values = ",".join(["(%s,%s,%s,%s,%s,%s,%s)"] * n)
            # Table name from the model; every value is a bound parameter.
            sql = f"INSERT INTO {self.table} ({COLUMNS}) VALUES {values} ON CONFLICT DO NOTHING"  # noqa: S608
            self._sql[n] = sql
        with connection.cursor() as cursor:
            cursor.execute(sql, list(chain.from_iterable(self.pending)))
            self.inserted += max(cursor.rowcount, 0)
        self.pending.clear()

    def finish(self) -> int:
        self.flush()
        return self.inserted

    def abort(self) -> None:
        self.pending.clear()


class _CopyInserter:
    """PostgreSQL: COPY the rows into a temporary table while parsing, then one
    INSERT … SELECT … ON CONFLICT DO NOTHING (its row count is the number of new punches)."""

    LOAD = "activity_punch_load"

    def __init__(self) -> None:
        self.wrapper = connection.cursor()
        self.raw = self.wrapper.cursor  # the psycopg cursor under Django's wrapper
        self.raw.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {self.LOAD} (company_id bigint, employee_id bigint, "
            "punched_at timestamptz, work_date date, minute integer, direction varchar(3), batch_id bigint) "
            "ON COMMIT DROP"
        )
        self.raw.execute(f"TRUNCATE {self.LOAD}")
        self._copy_cm = self.raw.copy(f"COPY {self.LOAD} ({COLUMNS}) FROM STDIN")
        self._copy = self._copy_cm.__enter__()
        self._open = True

    def add(self, row: tuple[Any, ...]) -> None:
        self._copy.write_row(row)

    def _close(self, exc: BaseException | None = None) -> None:
        if self._open:
            self._open = False
            if exc is None:
                self._copy_cm.__exit__(None, None, None)
            else:
                try:
                    self._copy_cm.__exit__(type(exc), exc, None)
                except Exception:  # noqa: S110 - the COPY is being abandoned; the transaction rolls back
                    pass

    def finish(self) -> int:
        self._close()
        table = Punch._meta.db_table
        self.raw.execute(
            f"INSERT INTO {table} ({COLUMNS}) SELECT {COLUMNS} FROM {self.LOAD} ON CONFLICT DO NOTHING"  # noqa: S608
        )
        inserted = max(self.raw.rowcount, 0)
        self.raw.execute(f"TRUNCATE {self.LOAD}")
        self.wrapper.close()
        return inserted

    def abort(self) -> None:
        self._close(RuntimeError("import refused"))
        self.wrapper.close()


def _inserter() -> _Inserter | _CopyInserter:
    return _CopyInserter() if connection.vendor == "postgresql" else _Inserter()


@transaction.atomic
def import_punches(
    actor: User,
    company: Company,
    rows: Iterable[RawPunch],
    *,
    source: str = "file",
    filename: str = "",
    sha256: str = "",
    profile: PunchDeviceProfile | None = None,
) -> PunchImport:
    require(actor, "activity.manage_attendance")
    if actor.company_id != company.pk or (profile is not None and profile.company_id != company.pk):
        raise ValidationError(_("You can only import punches into your own company."))
    fmt = profile.datetime_format if profile else ""
    employees = dict(Employee.objects.filter(company=company).values_list("employee_no", "id"))
    assigned, default_boundary = boundaries(company.pk)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    adapt_dt = _db_datetime(tz)
    adapt_d = (lambda d: d) if connection.vendor == "postgresql" else connection.ops.adapt_datefield_value
    batch = PunchImport.objects.create(
        company=company, profile=profile, source=source, filename=filename[:200], sha256=sha256, created_by=actor
    )
    report = ImportReport()
    inserter = _inserter()
    last_seen: dict[int, dt.datetime] = {}
    per_employee: dict[int, list[Any]] = {}  # id → [count, first, last]
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    col_emp, col_time, col_dir = _("employee number"), _("time"), _("in/out")
    try:
        for raw in rows:
            report.rows += 1
            number = str(raw.employee_no if raw.employee_no is not None else "").strip()
            if isinstance(raw.employee_no, float | Decimal) and raw.employee_no == int(raw.employee_no):
                number = str(int(raw.employee_no))  # Excel turned "1001" into 1001.0
            emp_id = employees.get(number)
            local = _parse_when(raw, fmt)
            direction = _direction(raw.direction)
            if not number:
                report.error(raw.line, col_emp, _("empty"))
            elif emp_id is None:
                report.error(
                    raw.line, col_emp, _("no employee with number %(no)s in this company") % {"no": number[:40]}
                )
            if local is None:
                shown = raw.when if raw.when not in (None, "") else f"{raw.date or ''} {raw.time or ''}".strip()
                message = _("not a readable date and time: %(v)s") % {"v": str(shown)[:40] or "—"}
                report.error(raw.line, col_time, message)
            if direction is None:
                message = _("unknown value %(v)s (use in/out or 上班/下班)") % {"v": str(raw.direction)[:20]}
                report.error(raw.line, col_dir, message)
            if report.error_count or emp_id is None or local is None:
                continue  # keep validating; nothing is inserted once an error was seen
            previous = last_seen.get(emp_id)
            if previous is not None and local < previous:
                report.out_of_order += 1
            else:
                last_seen[emp_id] = local
            work_date, minute = attribute(local, assigned.get(emp_id, default_boundary))
            first_day = work_date if first_day is None or work_date < first_day else first_day
            last_day = work_date if last_day is None or work_date > last_day else last_day
            stats = per_employee.get(emp_id)
            if stats is None:
                per_employee[emp_id] = [1, local, local]
            else:
                stats[0] += 1
                stats[1] = min(stats[1], local)
                stats[2] = max(stats[2], local)
            inserter.add((
                company.pk, emp_id, adapt_dt(local), adapt_d(work_date), minute, direction or "",
                batch.pk,
            ))
    except BaseException:
        inserter.abort()  # leave no COPY half-open on the connection
        raise
    if report.error_count or report.rows == 0:
        inserter.abort()
    if report.error_count:
        messages = list(report.errors)
        if report.error_count > len(messages):
            messages.append(_("… and %(n)d more problems.") % {"n": report.error_count - len(messages)})
        raise ValidationError({"rows": messages})
    if report.rows == 0:
        raise ValidationError({"file": _("The file contains no punches.")})
    inserted = inserter.finish()
    batch.rows = report.rows
    batch.inserted = inserted
    batch.duplicates = report.rows - inserted
    batch.out_of_order = report.out_of_order
    batch.first_date, batch.last_date = first_day, last_day
    batch.save()
    if inserted > ANALYZE_AFTER:
        refresh_statistics()
    if first_day and last_day:
        # A clock's file covers everyone: employees without punches are absent on its workdays. Punches
        # pushed through the API concern only the employees they name.
        written = recompute_days(company.pk, first_day, last_day, list(per_employee) if source == "api" else None)
        if written > ANALYZE_AFTER:
            refresh_statistics(AttendanceDay)
    summary = {
        "title": filename or source, "rows": batch.rows, "inserted": batch.inserted, "duplicates": batch.duplicates,
        "out_of_order": batch.out_of_order, "first_date": first_day, "last_date": last_day, "sha256": sha256,
    }
    events = [evidence.PendingEvent("attendance.punches_imported", evidence.Subject.of(batch), summary)]
    events += [
        evidence.PendingEvent(
            "attendance.punches_recorded", evidence.Subject.of(batch),
            {"title": f"{first:%Y-%m-%d}–{last:%Y-%m-%d} ({count})", "batch": batch.pk, "rows": count,
             "first": first, "last": last}, emp_id,
        )
        for emp_id, (count, first, last) in per_employee.items()
    ]
    evidence.record_many(company, actor, events)
    return batch


def import_file(
    actor: User, company: Company, profile: PunchDeviceProfile, data: bytes, filename: str
) -> PunchImport:
    digest = hashlib.sha256(data).hexdigest()
    return import_punches(
        actor, company, read_punch_file(profile, data), source="file", filename=filename, sha256=digest,
        profile=profile,
    )


def api_rows(items: Iterable[dict[str, Any]]) -> list[RawPunch]:
    """Punches sent as JSON: [{"employee_no": "S001", "time": "2025-03-03 08:57", "direction": "in"}]."""
    return [
        RawPunch(
            line=i, employee_no=item.get("employee_no"), when=item.get("time"), direction=item.get("direction") or ""
        )
        for i, item in enumerate(items, start=1)
    ]
