"""Layouts of the 社保减员 (social-insurance reduction) and 退工/就业登记 (termination filing) lists: column
order, header and value mapping per city, as data. The shipped layouts follow the columns these bureaus'
spreadsheets commonly use (序号, 姓名, 证件号码, 减员年月, 减员原因 …); bureaus change their templates, so a
company admin picks one and edits it (``SILayout`` rows of the company override a shipped layout of the
same key). Unknown fields are refused, each one named."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REDUCTION, FILING = "reduction", "filing"
LIST_KINDS = {REDUCTION: gettext_lazy("Social-insurance reduction list (社保减员)"),
              FILING: gettext_lazy("Termination filing list (退工/就业登记)")}
MAX_COLUMNS = 40

# field -> what it is (shown in the editor). Values are computed by ``si_export.values_of``.
FIELDS: dict[str, Any] = {
    "seq": gettext_lazy("Row number"),
    "name": gettext_lazy("Name"),
    "id_type": gettext_lazy("ID type"),
    "id_number": gettext_lazy("ID number (masked unless the user may see it in full)"),
    "gender": gettext_lazy("Gender (M / F)"),
    "employee_no": gettext_lazy("Employee number"),
    "phone": gettext_lazy("Mobile phone (masked unless the user may see it in full)"),
    "department": gettext_lazy("Department"),
    "position": gettext_lazy("Position"),
    "hire_date": gettext_lazy("Hire date"),
    "termination_date": gettext_lazy("Termination date (the last working day)"),
    "reduction_month": gettext_lazy("Reduction month (YYYYMM, the month after the last day)"),
    "reason": gettext_lazy("Exit kind (resignation, mutual, for_cause, no_fault, layoff, expiry)"),
    "ground_article": gettext_lazy("Legal ground and article"),
    "contract_type": gettext_lazy("Contract type"),
    "work_location": gettext_lazy("Work location"),
    "company_name": gettext_lazy("Company name"),
    "credit_code": gettext_lazy("Unified social credit code"),
}

_REASON_CN = {"resignation": "个人辞职", "mutual": "协商解除", "for_cause": "单位解除", "no_fault": "单位解除",
              "layoff": "经济性裁员", "expiry": "劳动合同终止"}
_ID_CN = {"resident": "居民身份证", "hk_macau_residence": "港澳居民居住证", "taiwan_residence": "台湾居民居住证",
          "foreign_permanent": "外国人永久居留身份证", "foreign_work_permit": "外国人工作许可证", "passport": "护照"}
_GENDER_CN = {"M": "男", "F": "女"}


def _c(field: str, header: str, mapping: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {"field": field, "header": header, "map": dict(mapping or {})}


@dataclass(frozen=True)
class Layout:
    key: str
    name: str
    list_kind: str
    columns: tuple[dict[str, Any], ...]
    builtin: bool = True


BUILTIN: dict[str, Layout] = {layout.key: layout for layout in (
    Layout("generic", "通用减员名单", REDUCTION, (
        _c("seq", "序号"), _c("name", "姓名"), _c("id_type", "证件类型", _ID_CN), _c("id_number", "证件号码"),
        _c("gender", "性别", _GENDER_CN), _c("termination_date", "离职日期"), _c("reduction_month", "减员年月"),
        _c("reason", "减员原因", _REASON_CN))),
    Layout("shanghai", "上海 社保减员", REDUCTION, (
        _c("seq", "序号"), _c("name", "姓名"), _c("id_number", "身份证号码"), _c("reduction_month", "减员年月"),
        _c("reason", "减员原因", {"resignation": "辞职", "mutual": "协商解除", "for_cause": "解除劳动合同",
                                  "no_fault": "解除劳动合同", "layoff": "解除劳动合同", "expiry": "终止劳动合同"}),
        _c("termination_date", "离职日期"))),
    Layout("beijing", "北京 社保减员", REDUCTION, (
        _c("seq", "序号"), _c("name", "姓名"), _c("id_type", "证件类型", _ID_CN), _c("id_number", "公民身份号码"),
        _c("gender", "性别", _GENDER_CN), _c("termination_date", "离职日期"),
        _c("reason", "减少原因", {"resignation": "辞职", "mutual": "协商解除", "for_cause": "单位解除",
                                  "no_fault": "单位解除", "layoff": "单位解除", "expiry": "合同期满"}),
        _c("phone", "联系电话"))),
    Layout("shenzhen", "深圳 停保名单", REDUCTION, (
        _c("seq", "序号"), _c("name", "姓名"), _c("id_number", "身份证号码"), _c("reduction_month", "停保年月"),
        _c("reason", "停保原因", {"resignation": "离职", "mutual": "离职", "for_cause": "离职", "no_fault": "离职",
                                  "layoff": "离职", "expiry": "离职"}))),
    Layout("filing", "退工/就业登记名单", FILING, (
        _c("seq", "序号"), _c("name", "姓名"), _c("id_type", "证件类型", _ID_CN), _c("id_number", "证件号码"),
        _c("employee_no", "工号"), _c("hire_date", "入职日期"), _c("termination_date", "解除/终止日期"),
        _c("reason", "解除/终止类型", _REASON_CN), _c("ground_article", "依据条款"),
        _c("contract_type", "劳动合同类型"), _c("company_name", "用人单位名称"),
        _c("credit_code", "统一社会信用代码"))),
)}


def clean_columns(columns: Any) -> list[dict[str, Any]]:
    """Validate a layout's columns; refused (naming each bad field or row) or returned cleaned."""
    errors: list[str] = []
    if not isinstance(columns, list | tuple) or not columns:
        raise ValidationError({"columns": [_("Columns: add at least one column.")]})
    if len(columns) > MAX_COLUMNS:
        errors.append(_("Columns: at most %(n)d columns.") % {"n": MAX_COLUMNS})
    out = []
    for i, col in enumerate(columns, 1):
        if not isinstance(col, Mapping):
            errors.append(_("Column %(i)d: not a column.") % {"i": i})
            continue
        field, header = str(col.get("field") or "").strip(), str(col.get("header") or "").strip()
        mapping = col.get("map") or {}
        if field not in FIELDS:
            errors.append(_("Column %(i)d: unknown field “%(f)s”.") % {"i": i, "f": field[:40]})
        if not header or len(header) > 40:
            errors.append(_("Column %(i)d: the header is required (at most 40 characters).") % {"i": i})
        if not isinstance(mapping, Mapping) or any(len(str(k)) > 40 or len(str(v)) > 60 for k, v in mapping.items()):
            errors.append(_("Column %(i)d: the value mapping is not valid.") % {"i": i})
            mapping = {}
        out.append({"field": field, "header": header, "map": {str(k): str(v) for k, v in mapping.items()}})
    if errors:
        raise ValidationError({"columns": errors})
    return out


def parse_lines(text: str) -> list[dict[str, Any]]:
    """The editor's text form, one column a line: ``field | header | value=shown; value=shown``."""
    columns: list[dict[str, Any]] = []
    for raw in str(text or "").splitlines()[:MAX_COLUMNS + 1]:
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        mapping: dict[str, str] = {}
        for pair in (parts[2] if len(parts) > 2 else "").split(";"):
            if "=" in pair:
                k, v = pair.split("=", 1)
                mapping[k.strip()] = v.strip()
        columns.append({"field": parts[0], "header": parts[1] if len(parts) > 1 else "", "map": mapping})
    return columns


def to_lines(columns: Any) -> str:
    lines = []
    for c in columns:
        mapping = "; ".join(f"{k}={v}" for k, v in (c.get("map") or {}).items())
        lines.append(" | ".join(x for x in (c["field"], c["header"], mapping) if x) if mapping
                     else f"{c['field']} | {c['header']}")
    return "\n".join(lines)
