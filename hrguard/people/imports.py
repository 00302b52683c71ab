"""Roster import (花名册导入) from .xlsx or .csv (UTF-8 with/without BOM, GBK/GB18030, UTF-16).

Two steps, both service calls: ``validate_file`` reads and checks every row (nothing is written) and
returns an ``ImportReport``; ``run_import`` validates again inside one transaction and bulk-inserts
either the whole file (only when it is clean) or, when the user chose ``valid_only``, the valid rows.

Rows are validated by ``inputs.clean_employee`` (the same rules as the form and the API); on top of
it come the file-level checks: file type by content, required columns, row limit, duplicate employee
numbers and ID numbers inside the file, dates out of order, Excel numbers that lost ID digits.
Unknown departments are errors unless ``create_departments`` is on: then they are created as
top-level departments when the import runs (listed in the report first)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import secrets
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from hrguard.core import crypto
from hrguard.core.crypto import blind_index, keyring
from hrguard.core.fields import EncryptedTextField
from hrguard.core.models import Company, Department, Position, User
from hrguard.core.validation import clean_plain_text, merge_errors
from hrguard.evidence.services import PendingEvent, Subject, record, record_many
from hrguard.law import ids as law_ids
from hrguard.platform.errors import require

from .inputs import ID_INDEX_CONTEXT, PHONE_INDEX_CONTEXT, TEXT_FIELDS, clean_employee
from .models import Employee, IdType, LifecycleEvent, LifecycleKind

DEFAULT_MAX_ROWS = 20_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a zip bomb dressed as .xlsx is refused before parsing

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
_BINARY_MAGIC = {
    b"\xd0\xcf\x11\xe0": "xls",
    b"%PDF": "pdf",
    b"\x89PNG": "image",
    b"\xff\xd8\xff": "image",
    b"GIF8": "image",
    b"MZ": "program",
    b"\x7fELF": "program",
}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (type, encoding, columns, size)."""


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

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def can_import_valid(self) -> bool:
        return not self.file_errors and bool(self.valid)


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped_rows: int
    new_departments: list[str]
    report: ImportReport


# --- reading ---------------------------------------------------------------------------------------


def max_rows() -> int:
    return int(getattr(settings, "HRGUARD_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def sniff_type(content: bytes) -> str:
    """"xlsx" or "csv" by content; raises ImportFileError for anything else."""
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as zf:
                names = set(zf.namelist())
                unzipped = sum(i.file_size for i in zf.infolist())
        except zipfile.BadZipFile as exc:
            raise ImportFileError(_("The file is damaged (not a readable .xlsx workbook).")) from exc
        if "xl/workbook.xml" not in names:
            raise ImportFileError(_("This is not an Excel workbook (.xlsx). Save the roster as .xlsx or .csv."))
        if unzipped > MAX_UNZIPPED_BYTES:
            raise ImportFileError(_("The workbook is too large once unpacked."))
        return "xlsx"
    for magic, kind in _BINARY_MAGIC.items():
        if content.startswith(magic):
            if kind == "xls":
                raise ImportFileError(
                    _("Old Excel 97-2003 files (.xls) are not supported: save the file as .xlsx and upload again.")
                )
            raise ImportFileError(_("This file is not a spreadsheet (.xlsx or .csv)."))
    head = content[:4096]
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")) and any(b < 9 or 13 < b < 32 for b in head if b != 27):
        raise ImportFileError(_("This file is not a spreadsheet (.xlsx or .csv)."))
    return "csv"


def decode_text(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")  # GBK files from Chinese Excel/WPS; GB18030 is a superset
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("Cannot read the text encoding: save the file as UTF-8 CSV or .xlsx.")) from exc


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    text = decode_text(content)
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise ImportFileError(_("The file is damaged (not a readable .xlsx workbook).")) from exc
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()


def read_rows(content: bytes) -> Iterator[list[Any]]:
    return _xlsx_rows(content) if sniff_type(content) == "xlsx" else _csv_rows(content)


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
    company: Company, content: bytes, filename: str = "", *, create_departments: bool = False
) -> ImportReport:
    """Read and check every row; write nothing."""
    report = ImportReport(filename=filename[:200], sha256=hashlib.sha256(content).hexdigest())
    try:
        _validate(company, content, report, _Lookup(company, create_departments))
    except ImportFileError as exc:
        report.file_errors.append(str(exc))
        report.valid.clear()
    return report


def _validate(company: Company, content: bytes, report: ImportReport, lookup: _Lookup) -> None:
    rows = read_rows(content)
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
    id_number = cleaned.get("id_number", "")
    work_start, hire = cleaned.get("work_start_date"), cleaned.get("hire_date")
    if work_start and hire and work_start > hire:
        errors.setdefault("work_start_date", []).append(_("First employment date is after the hire date."))
    born = law_ids.birth_date_of(id_number) if cleaned.get("id_type") == IdType.RESIDENT else None
    if born and cleaned.get("birth_date") and born != cleaned["birth_date"]:
        errors.setdefault("birth_date", []).append(
            _("Date of birth differs from the one in the ID number (%(d)s).") % {"d": born.isoformat()}
        )
    return cleaned, errors


def _identity_of(full: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """For a row with errors: the employee number and ID number still take part in the duplicate checks
    (so a second row with the same number is reported too)."""
    out: dict[str, Any] = {"id_number": law_ids.normalize(str(full.get("id_number") or ""))}
    if "employee_no" not in errors:
        try:
            out["employee_no"] = clean_plain_text(
                full.get("employee_no"), "employee_no", max_length=TEXT_FIELDS["employee_no"], required=True
            )
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


# --- import ----------------------------------------------------------------------------------------


def run_import(
    actor: User, company: Company, content: bytes, filename: str = "", *,
    valid_only: bool = False, create_departments: bool = False, per_employee_events: bool = True,
) -> ImportResult:
    """Validate again and import in one transaction. Without ``valid_only`` a file with any error
    imports nothing (the report says why)."""
    require(actor, "people.import_employees")
    if actor.company_id != company.pk:
        raise ValidationError(_("You can only add employees to your own company."))
    with transaction.atomic():
        report = validate_file(company, content, filename, create_departments=create_departments)
        if report.file_errors or not report.valid or (report.errors and not valid_only):
            return ImportResult(0, report.bad_rows, [], report)
        created_depts = _create_departments(report)
        valid = [cleaned for _row, cleaned in report.valid]
        try:
            with transaction.atomic():
                pks = _insert_employees(company, valid)
        except IntegrityError as exc:  # a concurrent import or edit took an employee number meanwhile
            raise ValidationError(_("Another change to the roster happened meanwhile: upload the file again.")) from exc
        note = str(_("Imported"))
        bulk_insert(
            LifecycleEvent,
            {"company_id": company.pk, "kind": LifecycleKind.HIRE, "note": note, "created_by_id": actor.pk},
            [
                {"employee_id": pk, "effective_date": c["hire_date"],
                 "changes": {"department": c["department"].name, "position": str(c["position"] or "")}}
                for pk, c in zip(pks, valid, strict=True)
            ],
        )
        record(
            company, actor, "employee.imported", None,
            {
                "file": report.filename, "sha256": report.sha256, "rows": report.total_rows,
                "created": len(valid), "skipped_rows": sorted({e.row for e in report.errors}),
                "mode": "valid_only" if report.errors else "all", "new_departments": created_depts,
                "first_employee_no": valid[0]["employee_no"], "last_employee_no": valid[-1]["employee_no"],
            },
        )
        if per_employee_events:
            subject_type = f"{Employee._meta.app_label}.{Employee._meta.model_name}"
            record_many(company, actor, [
                PendingEvent(
                    "employee.created", Subject(subject_type, str(pk)),
                    {"employee_no": c["employee_no"], "name": c["name"], "department": c["department"].name,
                     "hire_date": c["hire_date"], "source": "import", "import_sha256": report.sha256},
                    pk,
                )
                for pk, c in zip(pks, valid, strict=True)
            ])
    return ImportResult(len(valid), report.bad_rows, created_depts, report)


def _insert_employees(company: Company, valid: list[dict[str, Any]]) -> list[int]:
    """Insert the cleaned rows; returns the new primary keys in row order. The blind indexes and the
    department path are what ``inputs.apply_indexes`` would set."""
    rows = []
    for cleaned in valid:
        row = {k: v for k, v in cleaned.items() if k not in ("department", "position")}
        row["department_id"] = cleaned["department"].pk
        row["department_path"] = cleaned["department"].path
        row["position_id"] = cleaned["position"].pk if cleaned.get("position") else None
        row["id_number_index"] = blind_index(row["id_number"], ID_INDEX_CONTEXT) if row.get("id_number") else ""
        row["phone_index"] = blind_index(row["phone"], PHONE_INDEX_CONTEXT) if row.get("phone") else ""
        rows.append(row)
    bulk_insert(Employee, {"company_id": company.pk}, rows)
    numbers = [row["employee_no"] for row in rows]
    found: dict[str, int] = {}
    for start in range(0, len(numbers), 1000):  # the unique (company, employee_no) maps rows to keys
        found.update(
            Employee.objects.filter(company=company, employee_no__in=numbers[start : start + 1000])
            .values_list("employee_no", "pk")
        )
    return [found[number] for number in numbers]


def bulk_insert(model: type[Model], constants: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """``INSERT … VALUES`` through ``executemany`` without building model instances: values that are
    the same for every row (tenant, actor, timestamps, defaults) are prepared once, the rest with a
    converter per field type (encryption for ``EncryptedTextField``). No signals, like ``bulk_create``."""
    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    varying = {key for row in rows[:1] for key in row}
    fixed: dict[str, Any] = {}
    converters: dict[str, Any] = {}
    for f in fields:
        if f.attname in varying:
            converters[f.attname] = _converter(f)
        elif f.attname in constants:
            fixed[f.attname] = f.get_db_prep_save(constants[f.attname], connection)
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fixed[f.attname] = f.get_db_prep_save(now, connection)
        else:
            fixed[f.attname] = f.get_db_prep_save(f.get_default(), connection)
    names = [f.attname for f in fields]
    quote = connection.ops.quote_name  # identifiers come from the model, quoted; values are parameters
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            params = [
                [converters[n](row[n]) if n in converters else fixed[n] for n in names]
                for row in rows[start : start + 1000]
            ]
            cursor.executemany(sql, params)


def _converter(f: Field) -> Any:
    if isinstance(f, EncryptedTextField):
        context = f.context
        return lambda v: crypto.encrypt(str(v), context) if v else ""
    if isinstance(f, models.DateTimeField | models.JSONField):
        return lambda v: f.get_db_prep_save(v, connection)
    if isinstance(f, models.DateField):
        adapt = connection.ops.adapt_datefield_value
        return lambda v: None if v is None else adapt(v)
    return lambda v: v


def _create_departments(report: ImportReport) -> list[str]:
    """Save the departments the report planned to create (the cleaned rows hold the same objects)."""
    made: list[str] = []
    for _row, cleaned in report.valid:
        dept = cleaned.get("department")
        if dept is not None and dept.pk is None:
            dept.save()
            made.append(dept.name)
    return sorted(made)


# --- staged uploads (between the report and the confirm button) ------------------------------------


def _staged_path(actor: User, token: str) -> str:
    if not token.isalnum() or len(token) != 32:
        raise ValueError("bad token")
    return f"imports/{actor.company_id}/{actor.pk}/{token}.bin"


def _aead(actor: User, token: str) -> tuple[AESGCM, bytes]:
    ring = keyring()
    return AESGCM(ring.data_keys[ring.current]), f"people.import:{actor.pk}:{token}".encode()


def stage(actor: User, content: bytes, filename: str) -> str:
    """Keep an uploaded file until the user confirms, encrypted at rest (it holds ID numbers) and
    readable only by the same user. Returns the token the confirm form sends back."""
    token = secrets.token_hex(16)
    aead, context = _aead(actor, token)
    nonce = secrets.token_bytes(12)
    name = " ".join(filename.split())[:200].encode()
    blob = nonce + aead.encrypt(nonce, len(name).to_bytes(2, "big") + name + content, context)
    default_storage.save(_staged_path(actor, token), ContentFile(blob))
    return token


def load_staged(actor: User, token: str) -> tuple[bytes, str] | None:
    try:
        path = _staged_path(actor, token)
        with default_storage.open(path) as fh:
            blob = fh.read()
        aead, context = _aead(actor, token)
        plain = aead.decrypt(blob[:12], blob[12:], context)
    except (ValueError, OSError, InvalidTag):
        return None
    size = int.from_bytes(plain[:2], "big")
    return plain[2 + size :], plain[2 : 2 + size].decode(errors="replace")


def discard(actor: User, token: str) -> None:
    try:
        default_storage.delete(_staged_path(actor, token))
    except (ValueError, OSError):
        pass
