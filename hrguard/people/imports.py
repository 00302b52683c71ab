"""Roster import (花名册导入) from .xlsx or .csv (UTF-8 with/without BOM, GBK/GB18030, UTF-16): the checks.

Two steps, both run by the background worker (``import_jobs``): ``validate_file`` reads and checks
every row (nothing is written) and returns an ``ImportReport``; ``import_jobs.run_import`` validates
again and inserts either the whole file (only when it is clean) or, when the user chose
``valid_only``, the valid rows, in short batches. The file is read through the guarded streaming
reader of ``platform.spreadsheets`` (caps on unpacked size, rows, columns and cells).

Rows are validated by ``inputs.clean_employee`` (the same rules as the form and the API); on top of
it come the file-level checks: file type by content, required columns, row limit, duplicate employee
numbers and ID numbers inside the file, dates out of order, Excel numbers that lost ID digits.
Unknown departments are errors unless ``create_departments`` is on: then they are created as
top-level departments when the import runs (listed in the report first)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from hrguard.core.crypto import blind_index
from hrguard.core.models import Company, Department, Position
from hrguard.core.validation import clean_plain_text, merge_errors
from hrguard.law import ids as law_ids
from hrguard.platform import spreadsheets

from .inputs import ID_INDEX_CONTEXT, TEXT_FIELDS, clean_employee, normalize_employee_no
from .models import Employee

DEFAULT_MAX_ROWS = 20_000
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # a zip bomb dressed as .xlsx is refused before parsing
BATCH = 500  # employees per write transaction (a moment of write lock each, on SQLite)
MAX_STORED_ERRORS = 5000  # problems kept in the job's report (the count is always exact)

# Field → accepted headers (first one is the canonical Chinese header used in templates/exports).
COLUMNS: dict[str, tuple[str, ...]] = {
    "employee_no": ("工号", "员工工号", "员工编号", "employee_no", "employee no", "employee number"),
    "name": ("姓名", "员工姓名", "name"),
    "gender": ("性别", "gender"),
    "birth_date": ("出生日期", "birth_date", "date of birth"),
    "department": ("部门", "所属部门", "department"),
    "position": ("岗位", "职位", "position"),
    "hire_date": ("入职日期", "hire_date", "hire date"),
    "work_start_date": ("参加工作日期", "首次参加工作日期", "work_start_date", "first employment date"),
    "status": ("员工状态", "状态", "status"),
    "employment_form": ("用工形式", "聘用形式", "employment_form", "employment form"),
    "id_type": ("证件类型", "id_type", "id type"),
    "id_number": ("证件号码", "身份证号", "身份证号码", "id_number", "id number"),
    "phone": ("手机号", "手机号码", "手机", "phone", "mobile"),
    "email": ("邮箱", "电子邮箱", "email"),
    "work_location": ("工作地点", "work_location", "work location"),
    "address": ("家庭住址", "住址", "address"),
    "emergency_contact": ("紧急联系人", "emergency_contact", "emergency contact"),
    "bank_account": ("银行账号", "银行卡号", "工资卡号", "bank_account", "bank account"),
}
REQUIRED = ("employee_no", "name", "department", "hire_date")
DATE_FIELDS = ("birth_date", "hire_date", "work_start_date")
# Chinese option values HR users type → model codes (anything else goes to clean_employee as it is).
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "gender": {"男": "M", "女": "F", "male": "M", "female": "F", "未知": ""},
    "status": {"待入职": "pending", "试用期": "probation", "试用": "probation", "在职": "active",
               "正式": "active", "待离职": "leaving", "已离职": "left", "离职": "left"},
    "employment_form": {"全职": "full_time", "实习": "intern", "兼职": "part_time",
                        "劳务派遣": "dispatched", "派遣": "dispatched", "外包": "outsourced"},
    "id_type": {"居民身份证": "resident", "身份证": "resident", "港澳居民居住证": "hk_macau_residence",
                "台湾居民居住证": "taiwan_residence", "外国人永久居留身份证": "foreign_permanent",
                "外国人工作许可证": "foreign_work_permit", "护照": "passport"},
}
_HEADER_LOOKUP = {
    "".join(alias.lower().split()): fld for fld, aliases in COLUMNS.items() for alias in aliases
}
class ImportFileError(Exception):
    """The file as a whole cannot be imported (type, encoding, columns, size)."""


Progress = Callable[[str, int, int | None], None]  # (phase, done, total)


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number (the header row counts)
    column: str  # "D 部门" or "" for a row-level problem
    field: str
    message: str


@dataclass
class ImportReport:
    filename: str
    sha256: str
    total_rows: int = 0
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    valid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    valid_count: int = 0
    stored: dict[str, int] = field(default_factory=dict)  # exact counts of a report read back from JSON

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors

    @property
    def bad_rows(self) -> int:
        return self.stored.get("bad_rows", len({e.row for e in self.errors}))

    @property
    def error_count(self) -> int:
        return self.stored.get("error_count", len(self.errors))

    @property
    def can_import_valid(self) -> bool:
        return not self.file_errors and bool(self.valid_count)

    def to_json(self) -> dict[str, Any]:
        """What the job keeps (no cleaned rows: they hold ID numbers in clear; the import step reads
        the encrypted staged file again)."""
        return {
            "filename": self.filename, "sha256": self.sha256, "total_rows": self.total_rows,
            "file_errors": self.file_errors, "warnings": self.warnings,
            "errors": [asdict(e) for e in self.errors[:MAX_STORED_ERRORS]], "error_count": self.error_count,
            "bad_rows": self.bad_rows, "valid_count": self.valid_count, "new_departments": self.new_departments,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportReport:
        return cls(
            filename=data.get("filename", ""), sha256=data.get("sha256", ""), total_rows=data.get("total_rows", 0),
            file_errors=list(data.get("file_errors", [])), warnings=list(data.get("warnings", [])),
            errors=[RowError(**e) for e in data.get("errors", [])],
            new_departments=list(data.get("new_departments", [])), valid_count=data.get("valid_count", 0),
            stored={"bad_rows": data.get("bad_rows", 0), "error_count": data.get("error_count", 0)},
        )


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped_rows: int
    new_departments: list[str]
    report: ImportReport


# --- reading ---------------------------------------------------------------------------------------


def max_rows() -> int:
    return int(getattr(settings, "HRGUARD_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def limits() -> spreadsheets.Limits:
    """Caps for a roster file, checked before and while parsing (see platform.spreadsheets): the sheet
    may hold a few blank or title rows besides the employees."""
    rows = max_rows() + 1000
    return spreadsheets.Limits(
        rows=rows, columns=256, cells=max(1_000_000, rows * 40),
        unpacked_bytes=int(getattr(settings, "HRGUARD_IMPORT_MAX_UNPACKED_BYTES", MAX_UNZIPPED_BYTES)),
    )


def header_key(text: Any) -> str:
    cleaned = "".join(str(text or "").replace("*", "").replace("＊", "").lower().split())
    return cleaned.replace("（", "(").split("(")[0]


def map_headers(cells: list[Any]) -> dict[int, str]:
    out: dict[int, str] = {}
    for index, cell in enumerate(cells):
        fld = _HEADER_LOOKUP.get(header_key(cell))
        if fld and fld not in out.values():
            out[index] = fld
    return out


# --- validation ------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _normalise(fld: str, value: Any) -> Any:
    if value is None:
        return ""
    if fld in DATE_FIELDS and isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    text = str(value).strip()
    return VALUE_ALIASES.get(fld, {}).get(text.lower() if fld == "gender" else text, text)


class _Lookup:
    """Departments and positions of the company, loaded once (no query per row)."""

    def __init__(self, company: Company, create_departments: bool) -> None:
        self.company = company
        self.create = create_departments
        self.depts: dict[str, Department] = {}
        for dept in Department.objects.filter(company=company).order_by("-path"):
            self.depts[dept.name] = dept  # the shallowest department of a name wins, like the form
        self.positions = {p.name: p for p in Position.objects.filter(company=company)}
        self.pending: dict[str, Department] = {}

    def department(self, name: str) -> Any:
        if name in self.depts:
            return self.depts[name]
        if self.create and name:
            return self.pending.setdefault(name, Department(company=self.company, name=name))
        return name  # clean_employee reports it as unknown

    def position(self, name: str) -> Any:
        return self.positions.get(name, name)


def validate_file(
    company: Company, content: bytes, filename: str = "", *, create_departments: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Read and check every row; write nothing. ``progress("checking", rows read, rows expected)`` is
    called as rows are read (the caller throttles)."""
    report = ImportReport(filename=filename[:200], sha256=hashlib.sha256(content).hexdigest())
    try:
        _validate(company, content, report, _Lookup(company, create_departments), progress)
    except (ImportFileError, spreadsheets.SpreadsheetError) as exc:
        report.file_errors.append(str(exc))
        report.valid.clear()
    report.valid_count = len(report.valid)
    return report


def _validate(
    company: Company, content: bytes, report: ImportReport, lookup: _Lookup, progress: Progress | None
) -> None:
    sheet = spreadsheets.open_rows(content, limits())
    rows = iter(sheet)
    columns: dict[int, str] = {}
    header_row = 0
    for number, cells in enumerate(rows, start=1):  # header: first of the first 10 rows naming 2+ columns
        columns = map_headers(cells)
        if len(columns) >= 2:
            header_row = number
            header_cells = cells
            break
        if number >= 10:
            break
    if not header_row:
        raise ImportFileError(_("No header row found: the first row must name the columns (工号, 姓名, 部门, …)."))
    missing = [COLUMNS[f][0] for f in REQUIRED if f not in columns.values()]
    if missing:
        raise ImportFileError(_("Required columns are missing: %(cols)s") % {"cols": ", ".join(missing)})
    labels = {fld: f"{get_column_letter(i + 1)} {str(header_cells[i]).strip()}" for i, fld in columns.items()}
    unknown = [str(c).strip() for i, c in enumerate(header_cells) if i not in columns and not _blank(c)]
    if unknown:
        report.warnings.append(_("Columns ignored: %(cols)s") % {"cols": ", ".join(unknown[:20])})
    checked: list[tuple[int, dict[str, Any], dict[str, list[str]]]] = []
    limit = max_rows()
    for number, cells in enumerate(rows, start=header_row + 1):
        if all(_blank(c) for c in cells):
            continue
        report.total_rows += 1
        if report.total_rows > limit:
            raise ImportFileError(
                _("Too many rows: at most %(n)d employees per file. Split the file and import it in parts.")
                % {"n": limit}
            )
        data = {fld: _normalise(fld, cells[i] if i < len(cells) else None) for i, fld in columns.items()}
        cleaned, errors = _check_row(company, number, data, cells, columns, labels, lookup, report)
        checked.append((number, cleaned, errors))
        if progress is not None:
            progress("checking", number, sheet.estimate)
    if report.total_rows == 0:
        raise ImportFileError(_("The file has a header row but no employees."))
    _check_unique(company, checked)
    for number, cleaned, errors in checked:
        if errors:
            report.errors.extend(
                RowError(number, labels.get(key, ""), key, message)
                for key, messages in errors.items()
                for message in messages
            )
        else:
            report.valid.append((number, cleaned))
    used = {id(c["department"]) for _n, c, e in checked if not e and c.get("department") is not None}
    report.new_departments = sorted(name for name, dept in lookup.pending.items() if id(dept) in used)


def _check_row(
    company: Company, number: int, data: dict[str, Any], cells: list[Any], columns: dict[int, str],
    labels: dict[str, str], lookup: _Lookup, report: ImportReport,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """One row through ``clean_employee`` (every field, same rules as the form and the API) without its
    per-row uniqueness queries: those are checked set-based for the whole file by ``_check_unique``."""
    errors: dict[str, list[str]] = {}
    raw_id = next((cells[i] for i, f in columns.items() if f == "id_number" and i < len(cells)), None)
    number_lost = isinstance(raw_id, int | float) and len(str(int(raw_id))) >= 15
    full = dict.fromkeys(COLUMNS, "")
    full.update(data)
    if number_lost:  # reported below with its own message instead of a check-digit error
        full["id_number"] = ""
    full["department"] = lookup.department(str(full["department"]))
    full["position"] = lookup.position(str(full["position"]))
    try:
        cleaned = clean_employee(company, full, partial=True, check_unique=False)
    except ValidationError as exc:
        merge_errors(errors, exc)
        cleaned = _identity_of(full, errors)
    if number_lost:
        errors.setdefault("id_number", []).append(
            _("Excel stored this ID number as a number and dropped digits: "
              "format the column as text and type the number again.")
        )
    work_start, hire = cleaned.get("work_start_date"), cleaned.get("hire_date")
    if work_start and hire and work_start > hire:
        errors.setdefault("work_start_date", []).append(_("First employment date is after the hire date."))
    return cleaned, errors


def _identity_of(full: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """For a row with errors: the employee number and ID number still take part in the duplicate checks
    (so a second row with the same number is reported too)."""
    out: dict[str, Any] = {"id_number": law_ids.normalize(str(full.get("id_number") or ""))}
    if "employee_no" not in errors:
        try:
            out["employee_no"] = normalize_employee_no(clean_plain_text(
                full.get("employee_no"), "employee_no", max_length=TEXT_FIELDS["employee_no"], required=True
            ))
        except ValidationError:
            pass
    return out


def _check_unique(company: Company, rows: list[tuple[int, dict[str, Any], dict[str, list[str]]]]) -> None:
    """Duplicate employee numbers and ID numbers (blind index) inside the file and against the company's
    employees: two queries per 1,000 rows instead of two per row."""
    first_no: dict[str, int] = {}
    first_id: dict[str, int] = {}
    for number, cleaned, errors in rows:
        no = cleaned.get("employee_no")
        if no:
            if no in first_no:
                errors.setdefault("employee_no", []).append(
                    _("Employee number %(no)s appears twice in the file (also row %(row)d).")
                    % {"no": no, "row": first_no[no]}
                )
            else:
                first_no[no] = number
        if cleaned.get("id_number"):
            cleaned["_id_index"] = blind_index(cleaned["id_number"], ID_INDEX_CONTEXT)
            if cleaned["_id_index"] in first_id:
                errors.setdefault("id_number", []).append(
                    _("The same ID number appears twice in the file (also row %(row)d).")
                    % {"row": first_id[cleaned["_id_index"]]}
                )
            else:
                first_id[cleaned["_id_index"]] = number
    taken_no: set[str] = set()
    taken_id: set[str] = set()
    nos, idx = list(first_no), list(first_id)
    employees = Employee.objects.filter(company=company)
    for start in range(0, max(len(nos), len(idx)), 1000):
        if nos[start : start + 1000]:
            taken_no.update(
                employees.filter(employee_no__in=nos[start : start + 1000]).values_list("employee_no", flat=True)
            )
        if idx[start : start + 1000]:
            taken_id.update(
                employees.filter(id_number_index__in=idx[start : start + 1000]).values_list(
                    "id_number_index", flat=True
                )
            )
    for _number, cleaned, errors in rows:
        if cleaned.get("employee_no") in taken_no:
            errors.setdefault("employee_no", []).append(
                _("Employee number %(no)s is already used.") % {"no": cleaned["employee_no"]}
            )
        if cleaned.pop("_id_index", None) in taken_id:
            errors.setdefault("id_number", []).append(_("Another employee already has this ID number."))
