"""Labor contracts: creation with statutory checks (via hrguard.law), clauses, supplementary agreements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.core.validation import clean_plain_text, merge_errors, parse_amount
from hrguard.evidence import services as evidence
from hrguard.law import contracts as law_contracts
from hrguard.platform.errors import require

from .inputs import _date
from .models import (
    ClauseTemplate,
    Contract,
    ContractClause,
    ContractStatus,
    ContractType,
    Employee,
    SupplementaryAgreement,
)


def _money(value: Any, field: str, errors: dict[str, list[str]], required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(_("This field is required."))
        return None
    try:
        return parse_amount(value, field)
    except ValidationError as exc:
        merge_errors(errors, exc)
        return None


def _law_message(violation: Any) -> str:
    zh = (get_language() or "zh-hans").startswith("zh")
    return str(violation.message_zh if zh else violation.message_en)


@transaction.atomic
def create_contract(
    actor: User, employee: Employee, data: dict[str, Any], clauses: list[tuple[int, bool]] | None = None
) -> Contract:
    """Create a contract. ``clauses``: (clause template id, is_key) pairs from the company library."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    require(actor, "people.change_contracts", employee)
    errors: dict[str, list[str]] = {}
    ctype = str(data.get("contract_type") or "")
    if ctype not in ContractType.values:
        errors.setdefault("contract_type", []).append(_("Choose a contract type."))
    start = _date(data.get("start_date"), "start_date", errors, required=True)
    end = _date(data.get("end_date"), "end_date", errors, required=ctype == ContractType.FIXED_TERM)
    if ctype == ContractType.OPEN_ENDED and end:
        errors.setdefault("end_date", []).append(_("An open-ended contract has no end date."))
    if start and end and end < start:
        errors.setdefault("end_date", []).append(_("End date is before the start date."))
    try:
        probation = int(data.get("probation_months") or 0)
        if probation < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors.setdefault("probation_months", []).append(_("Probation must be a whole number of months."))
        probation = 0
    wage = _money(data.get("wage"), "wage", errors)
    probation_wage = _money(data.get("probation_wage"), "probation_wage", errors, required=False)
    texts: dict[str, str] = {}
    for key, max_len, required in (
        ("contract_no", 40, True), ("work_location", 100, True), ("task_description", 300, False)
    ):
        try:
            texts[key] = clean_plain_text(data.get(key), key, max_length=max_len, required=required)
        except ValidationError as exc:
            merge_errors(errors, exc)
    if ctype == ContractType.TASK_BASED and not texts.get("task_description"):
        errors.setdefault("task_description", []).append(_("Describe the task of a task-based contract."))
    if texts.get("contract_no") and Contract.objects.filter(
        company=employee.company, contract_no=texts["contract_no"]
    ).exists():
        errors.setdefault("contract_no", []).append(
            _("Contract number %(no)s is already used.") % {"no": texts["contract_no"]}
        )
    if start and ctype in ContractType.values and not errors.get("end_date"):
        prior = Contract.objects.filter(employee=employee, probation_months__gt=0).exists()
        for violation in law_contracts.validate_probation(
            law_contracts.ContractType(ctype), start, end, probation, prior_probation=prior
        ):
            errors.setdefault("probation_months", []).append(_law_message(violation))
        if probation and wage is not None and probation_wage is not None:
            for violation in law_contracts.validate_probation_wage(probation_wage, wage, local_min_wage=None):
                errors.setdefault("probation_wage", []).append(_law_message(violation))
    library: dict[int, ClauseTemplate] = {}
    if clauses:
        ids = [cid for cid, _key in clauses]
        library = {c.pk: c for c in ClauseTemplate.objects.filter(company=employee.company, pk__in=ids, active=True)}
        missing = [str(cid) for cid in ids if cid not in library]
        if missing:
            errors.setdefault("clauses", []).append(_("Unknown clauses: %(ids)s") % {"ids": ", ".join(missing)})
    if errors:
        raise ValidationError(errors)
    assert start is not None and wage is not None
    probation_end = None
    if probation:
        probation_end = law_contracts.add_months(start, probation) - dt.timedelta(days=1)
    contract = Contract.objects.create(
        company=employee.company, employee=employee, contract_type=ctype, start_date=start, end_date=end,
        probation_months=probation, probation_end_date=probation_end, wage=wage, probation_wage=probation_wage,
        status=ContractStatus.ACTIVE, signed_date=_date(data.get("signed_date"), "signed_date", {}), **texts,
    )
    agreed = []
    for order, (cid, is_key) in enumerate(clauses or []):
        tpl = library[cid]
        agreed.append(
            ContractClause(
                contract=contract, template=tpl, title=tpl.title, body=tpl.body, category=tpl.category,
                is_key=bool(is_key), order=order,
            )
        )
    ContractClause.objects.bulk_create(agreed)
    evidence.record(
        employee.company, actor, "contract.created", contract, employee=employee,
        data={
            "contract_no": contract.contract_no, "type": ctype, "start": start, "end": end,
            "probation_months": probation, "work_location": contract.work_location,
            "clauses": [{"title": c.title, "key": c.is_key} for c in agreed],
        },
    )
    return contract


@transaction.atomic
def set_clause_key(actor: User, clause: ContractClause, is_key: bool) -> ContractClause:
    clause = ContractClause.objects.select_for_update().select_related("contract__employee").get(pk=clause.pk)
    employee = clause.contract.employee
    require(actor, "people.change_contracts", employee)
    if clause.is_key != is_key:
        clause.is_key = is_key
        clause.save(update_fields=["is_key"])
        evidence.record(
            employee.company, actor, "contract.clause_key_changed", clause.contract, employee=employee,
            data={"clause": clause.title, "is_key": is_key},
        )
    return clause


@transaction.atomic
def add_supplementary(actor: User, contract: Contract, data: dict[str, Any]) -> SupplementaryAgreement:
    contract = Contract.objects.select_related("employee").get(pk=contract.pk)
    require(actor, "people.change_contracts", contract.employee)
    errors: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for key, max_len in (("title", 200), ("body", 20000)):
        try:
            texts[key] = clean_plain_text(data.get(key), key, max_length=max_len, required=True)
        except ValidationError as exc:
            merge_errors(errors, exc)
    effective = _date(data.get("effective_date"), "effective_date", errors, required=True)
    if effective and effective < contract.start_date:
        errors.setdefault("effective_date", []).append(_("Effective date is before the contract starts."))
    if errors:
        raise ValidationError(errors)
    agreement = SupplementaryAgreement.objects.create(
        company=contract.company, contract=contract, effective_date=effective, **texts
    )
    evidence.record(
        contract.company, actor, "contract.supplement_added", agreement, employee=contract.employee,
        data={"contract_no": contract.contract_no, "title": agreement.title, "effective_date": effective},
    )
    return agreement


@transaction.atomic
def save_clause_template(
    actor: User, company: Any, data: dict[str, Any], instance: ClauseTemplate | None = None
) -> ClauseTemplate:
    require(actor, "people.manage_clauses")
    errors: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for key, max_len in (("code", 40), ("title", 200), ("body", 20000)):
        try:
            texts[key] = clean_plain_text(data.get(key), key, max_length=max_len, required=True)
        except ValidationError as exc:
            merge_errors(errors, exc)
    category = str(data.get("category") or "other")
    from .models import ClauseCategory

    if category not in ClauseCategory.values:
        errors.setdefault("category", []).append(_("Unknown category."))
    dup = ClauseTemplate.objects.filter(company=company, code=texts.get("code", ""))
    if instance:
        dup = dup.exclude(pk=instance.pk)
    if texts.get("code") and dup.exists():
        errors.setdefault("code", []).append(_("Clause code already used."))
    if errors:
        raise ValidationError(errors)
    tpl = instance or ClauseTemplate(company=company)
    for key, value in texts.items():
        setattr(tpl, key, value)
    tpl.category = category
    tpl.key_by_default = bool(data.get("key_by_default"))
    tpl.save()
    evidence.record(company, actor, "clause.saved", tpl, {"code": tpl.code, "title": tpl.title, "category": category})
    return tpl


# The key clauses every company's library starts with (issue 12 §1, seed 000): an admin edits or
# deactivates them like any other clause; ``ensure_default_clauses`` adds those missing by code and never
# overwrites an edit.
DEFAULT_CLAUSES: tuple[tuple[str, str, str, str], ...] = (
    (
        "finance-disclosure", "个人财务状况告知", "finance_disclosure",
        "乙方因个人债务引发的催收、诉讼或财产保全等事项可能影响其履职或甲方正常经营的（如催收人员联系"
        "甲方或甲方客户、同事），乙方应在知悉后及时如实告知甲方人力资源部门，并配合甲方依法处理。甲方仅为"
        "维护正常经营秩序使用上述信息，严格保密，不向任何第三方（包括催收机构）提供，不因乙方的个人债务"
        "本身对乙方作出不利处理。",
    ),
    (
        "confidentiality", "保密义务", "confidentiality",
        "乙方在劳动合同期间及劳动合同解除或终止后，应对甲方的商业秘密、客户信息及员工个人信息承担保密"
        "义务，未经甲方书面同意，不得以任何方式复制、披露、使用或允许他人使用。本条款所称商业秘密包括但"
        "不限于客户名单、交易信息、经营数据、技术资料及内部管理文件。",
    ),
    (
        "no-private-trading", "禁止私下与客户交易", "no_private_trading",
        "乙方不得利用职务便利私下接受客户委托、代客户操作账户或进行交易，不得与客户发生私下资金往来、"
        "借贷或利益输送，不得向客户承诺收益或分担损失。乙方违反本条款的，按甲方依法制定并公示的规章制度"
        "处理；给甲方造成损失的，依法承担赔偿责任。",
    ),
)


@transaction.atomic
def ensure_default_clauses(company: Any) -> int:
    """Add the default key clauses missing from ``company``'s library (by code). Returns how many were added."""
    have = set(ClauseTemplate.objects.filter(company=company).values_list("code", flat=True))
    added = [
        ClauseTemplate(company=company, code=code, title=title, body=body, category=category, key_by_default=True)
        for code, title, category, body in DEFAULT_CLAUSES if code not in have
    ]
    ClauseTemplate.objects.bulk_create(added)
    return len(added)


def mark_acknowledged(*, contract_clause_ids: list[int], employee_id: int, at: dt.datetime) -> int:
    """Stamp the employee's acknowledgement of key clauses of their own contract (called inside the signing
    transaction of ``documents.signer``, whose envelope — link plus one-time code — is the authority; the
    evidence event is the signing's). Clauses of another person's contract are never touched."""
    return ContractClause.objects.filter(
        pk__in=contract_clause_ids, contract__employee_id=employee_id, acknowledged_at__isnull=True
    ).update(acknowledged_at=at)
