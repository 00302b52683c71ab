"""Template variables: the names an admin may use as ``{{ name }}``, and how each gets its value.

Two sources: facts about the employee/company (resolved at sending, frozen in the envelope) and values
HR types when sending (``REQUEST_VARIABLES``: reason, amount, dates…). Substitution is plain string
replacement — the text is never evaluated as a template language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")

# name -> label (Chinese label shown to admins in the editor's variable list)
EMPLOYEE_VARIABLES: dict[str, str] = {
    "employee_name": "员工姓名",
    "employee_no": "工号",
    "id_number": "身份证号码（按模板设置脱敏或完整显示）",
    "position": "岗位",
    "department": "部门",
    "hire_date": "入职日期",
    "termination_date": "离职日期",
    "contract_type": "劳动合同类型",
    "contract_start": "劳动合同起始日期",
    "contract_end": "劳动合同终止日期",
    "contract_term": "劳动合同期限",
    "contract_no": "劳动合同编号",
    "work_location": "工作地点",
    "wage": "月工资（元）",
    "probation": "试用期",
    "contract_clauses": "劳动合同条款（来自条款库，关键条款单独确认）",
    "years_of_service": "本单位工作年限",
    "company_name": "公司名称",
    "company_credit_code": "统一社会信用代码",
    "today": "出具日期",
}
REQUEST_VARIABLES: dict[str, str] = {
    "reason": "事由 / 解除理由",
    "effective_date": "生效日期",
    "amount": "金额（元）",
    "agency_name": "催收机构名称",
    "law_firm": "律师事务所",
    "handbook_version": "员工手册版本",
    "items": "事项清单",
    "reply_days": "回复期限（天）",
}
ALL_VARIABLES: dict[str, str] = {**EMPLOYEE_VARIABLES, **REQUEST_VARIABLES}


def label(name: str) -> str:
    """The short Chinese label of a variable (without the editor's explanation in brackets)."""
    return ALL_VARIABLES.get(name, name).split("（")[0]


def used_variables(text: str) -> list[str]:
    """Names used in ``text``, in order of first appearance."""
    seen: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name not in seen:
            seen.append(name)
    return seen


def check_text(text: str) -> list[str]:
    """Validate placeholders; returns the names used. Unknown names are refused, each one named."""
    names = used_variables(text)
    unknown = [n for n in names if n not in ALL_VARIABLES]
    stray = PLACEHOLDER.sub("", text)
    errors: list[str] = []
    for name in unknown:
        errors.append(_("Unknown variable “%(name)s”.") % {"name": name or "{{ }}"})
    if "{{" in stray or "}}" in stray or "{%" in stray:
        errors.append(_("Unbalanced braces: write variables as {{ name }}."))
    if errors:
        raise ValidationError(errors)
    return names


def substitute(text: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), text)


def mask_id(value: str) -> str:
    """``110105********123X``: region code and last four digits stay visible."""
    value = value.strip()
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def cn_date(value: dt.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def service_length(start: dt.date | None, end: dt.date) -> str:
    """Years and months of service, e.g. ``3年2个月``."""
    if start is None or end < start:
        return ""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    years, rest = divmod(max(months, 0), 12)
    if years and rest:
        return f"{years}年{rest}个月"
    if years:
        return f"{years}年"
    return f"{rest}个月"


def _contract(employee: Any) -> Any:
    from hrguard.people.models import Contract

    return Contract.objects.filter(employee=employee).order_by("-start_date").first()


CONTRACT_VARIABLES = frozenset({
    "contract_type", "contract_start", "contract_end", "contract_term", "contract_no", "work_location", "wage",
    "probation", "contract_clauses",
})
_UNSET = object()


def latest_contracts(employee_ids: list[int]) -> dict[int, Any]:
    """The newest contract of each employee, in one query (for batches)."""
    from hrguard.people.models import Contract

    out: dict[int, Any] = {}
    for start in range(0, len(employee_ids), 5000):
        for c in Contract.objects.filter(employee_id__in=employee_ids[start:start + 5000]).order_by(
                "employee_id", "-start_date", "-pk"):
            out.setdefault(c.employee_id, c)
    return out


def employee_values(employee: Any, company: Any, *, show_full_id: bool, today: dt.date,
                    names: list[str] | None = None, contract: Any = _UNSET) -> dict[str, str]:
    """Values of the employee variables (only ``names`` when given, to spare queries in batches)."""
    wanted = set(names) if names is not None else set(EMPLOYEE_VARIABLES)
    out: dict[str, str] = {"company_name": company.name, "today": cn_date(today), "employee_name": employee.name}
    if "employee_no" in wanted:
        out["employee_no"] = employee.employee_no
    if "id_number" in wanted:
        raw = employee.id_number or ""
        out["id_number"] = raw if show_full_id else mask_id(raw)
    if "position" in wanted:
        out["position"] = employee.position.name if employee.position_id else ""
    if "department" in wanted:
        out["department"] = employee.department.name if employee.department_id else ""
    if "hire_date" in wanted:
        out["hire_date"] = cn_date(employee.hire_date)
    if "termination_date" in wanted:
        out["termination_date"] = cn_date(employee.termination_date)
    if "years_of_service" in wanted:
        out["years_of_service"] = service_length(employee.hire_date, employee.termination_date or today)
    if "company_credit_code" in wanted:
        out["company_credit_code"] = company.credit_code or ""
    if wanted & CONTRACT_VARIABLES:
        if contract is _UNSET:
            contract = _contract(employee)
        if contract is not None:
            out["contract_type"] = str(contract.get_contract_type_display())
            out["contract_start"] = cn_date(contract.start_date)
            out["contract_end"] = cn_date(contract.end_date) if contract.end_date else "无固定期限"
            out["contract_term"] = (
                f"{cn_date(contract.start_date)}至{cn_date(contract.end_date)}" if contract.end_date
                else f"自{cn_date(contract.start_date)}起无固定期限"
            )
            out.update(contract_details(contract, wanted))
        else:
            for key in CONTRACT_VARIABLES:
                out[key] = ""
    return out


def contract_details(contract: Any, wanted: set[str]) -> dict[str, str]:
    """Number, place, wage, probation and the clauses of a contract (the 劳动合同 template)."""
    out = {"contract_no": contract.contract_no, "work_location": contract.work_location,
           "wage": f"{contract.wage:,.2f}"}
    out["probation"] = f"{contract.probation_months}个月" if contract.probation_months else "无试用期"
    if "contract_clauses" in wanted:
        lines = []
        for n, clause in enumerate(contract.clauses.all(), start=1):
            mark = "【关键条款，须单独确认】" if clause.is_key else ""
            lines.append(f"第{n}条　{clause.title}{mark}")
            lines.append(clause.body)
        out["contract_clauses"] = "\n".join(lines) or "（无其他约定条款）"
    return out


def missing_request_values(names: list[str], extra: Mapping[str, str]) -> list[str]:
    return [n for n in names if n in REQUEST_VARIABLES and not str(extra.get(n, "")).strip()]
