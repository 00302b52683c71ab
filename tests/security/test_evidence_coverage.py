"""Every state change of the services leaves an evidence event (right action, actor, employee, subject)
written in the same transaction: when the evidence write fails the change is gone too, and a refused
change leaves no event.

"Evidence down" is a real database trigger that aborts inserts into the evidence table (SQLite and
PostgreSQL), created inside the test's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from hrguard.evidence.models import EvidenceEvent

from .objects import compliance_user

pytestmark = pytest.mark.django_db

TABLE = EvidenceEvent._meta.db_table
WATCHED_APPS = (
    "core", "people", "records", "attendance", "leave", "expenses", "performance", "discipline", "documents", "notify",
    "deadlines", "configuration", "workflows", "offboarding", "calculators", "noncompete", "care", "cases", "clients",
    "collection",
)


@contextmanager
def evidence_down() -> Iterator[None]:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("CREATE OR REPLACE FUNCTION sec_evidence_down() RETURNS trigger AS $$ "
                        "BEGIN RAISE EXCEPTION 'evidence down'; END; $$ LANGUAGE plpgsql")
            cur.execute(f"CREATE TRIGGER sec_evidence_down BEFORE INSERT ON {TABLE} "
                        "FOR EACH ROW EXECUTE FUNCTION sec_evidence_down()")
        else:
            cur.execute(f"CREATE TRIGGER sec_evidence_down BEFORE INSERT ON {TABLE} "
                        "BEGIN SELECT RAISE(ABORT, 'evidence down'); END")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"DROP TRIGGER sec_evidence_down{' ON ' + TABLE if connection.vendor == 'postgresql' else ''}")


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the apps that services change (small test database)."""
    out = {}
    for model in apps.get_models():
        if model._meta.app_label in WATCHED_APPS and not model._meta.proxy:
            out[model._meta.label] = list(model.objects.order_by("pk").values())
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [label for label in after if before.get(label) != after[label]]


@dataclass
class Case:
    name: str
    setup: Callable[[Any], Any]  # world → prepared context (whatever the call needs)
    call: Callable[[Any, Any], Any]  # (world, ctx) → changed object
    action: str  # expected action (prefix match when it ends with ".")
    actor: str  # world.users key
    employee: str | None  # world.employees key the event concerns
    bad: Callable[[Any, Any], Any] | None = None  # a refused variant of the call


def _emp(w: Any, key: str = "east_rep") -> Any:
    return w.employees[key]


def _leave(w: Any) -> Any:
    from hrguard.leave import services

    return services.request_leave(w.users["employee"], _emp(w), {"leave_type": "sick", "start_date": "2025-03-04",
                                                                 "end_date": "2025-03-04", "reason": "发烧"})


def _claim(w: Any) -> Any:
    from hrguard.expenses import services

    return services.submit_claim(w.users["employee"], _emp(w), {"category": "transport", "spent_on": "2025-03-05",
                                                                "amount": "88", "description": "高铁"},
                                 [("票据.pdf", b"%PDF-1.4 ticket")])


def _violation(w: Any) -> Any:
    from hrguard.discipline import violations

    officer = compliance_user(w)
    clause = violations.save_clause(officer, w.company, {"code": "5.3", "title": "私下交易"})
    return violations.record_violation(officer, _emp(w), {"clause": clause.pk, "occurred_on": "2025-03-03",
                                                          "facts": "私下成交"})


def _contract(w: Any) -> Any:
    from hrguard.people import contracts

    return contracts.create_contract(w.users["hr"], _emp(w), {
        "contract_no": "HT-1", "contract_type": "open_ended", "start_date": dt.date(2021, 1, 4), "wage": "9000",
        "work_location": "上海"}, [])


def _envelope(w: Any) -> Any:
    from hrguard.documents import services, signer
    from hrguard.documents.library import ensure_default_templates
    from hrguard.documents.models import DocumentTemplate, Envelope

    ensure_default_templates(w.company)
    version = DocumentTemplate.objects.filter(company=w.company, name="合规承诺书").first().latest
    res = services.send_request(w.company, actor=w.users["hr"], version=version, employees=[_emp(w)],
                                channels=["inapp"], deadline_at=timezone.now() + dt.timedelta(days=5))
    env = Envelope.objects.get(request=res.request)
    return signer.find(res.tokens[env.employee_id])


def _new_employee_data(w: Any) -> dict[str, Any]:
    from tests.conftest import make_id

    return {"employee_no": "N900", "name": "赵新人", "department": w.depts["rnd"].pk, "hire_date": "2024-05-06",
            "id_number": make_id(seq="777"), "phone": "13700001111"}


FLOW = {"stages": [
    {"key": "manager", "name": "上级审批", "kind": "approval", "assignee": {"rule": "manager"}},
    {"key": "finance", "name": "财务审核", "kind": "approval", "assignee": {"rule": "role", "role": "finance"}},
]}


def _flow(w: Any) -> Any:
    from hrguard.workflows import editing
    from hrguard.workflows.models import ProcessTemplate

    if not ProcessTemplate.objects.filter(company=w.company, key="sec.flow").exists():
        editing.create_template(actor=w.users["admin"], company=w.company, key="sec.flow", name="安全",
                                definition=FLOW)
    return None


def _flow_step(w: Any) -> Any:
    from hrguard.workflows import services

    _flow(w)
    instance = services.start(actor=w.users["hr"], company=w.company, template_key="sec.flow", subject=_emp(w),
                              subject_employee=_emp(w))
    return instance.steps.get(key="manager")


def _workflow_cases() -> list[Case]:
    from hrguard.workflows import editing, services

    return [
        Case("workflows.create_template", lambda w: None, lambda w, c: editing.create_template(
            actor=w.users["admin"], company=w.company, key="sec.other", name="另一个", definition=FLOW)[0].template,
            "process.template_saved", "admin", None,
            bad=lambda w, c: editing.create_template(actor=w.users["admin"], company=w.company, key="sec.bad",
                                                     name="坏", definition={"stages": [{"parallel": []}]})),
        Case("workflows.start", _flow, lambda w, c: services.start(
            actor=w.users["hr"], company=w.company, template_key="sec.flow", subject=_emp(w),
            subject_employee=_emp(w)), "process.started", "hr", "east_rep",
            bad=lambda w, c: services.start(actor=w.users["engineer"], company=w.company, template_key="sec.flow",
                                            subject=_emp(w), subject_employee=_emp(w))),
        Case("workflows.act", _flow_step, lambda w, c: services.act(
            actor=w.users["manager"], step_id=c.pk, action="approve"), "process.step_approved", "manager", "east_rep",
            bad=lambda w, c: services.act(actor=w.users["finance"], step_id=c.pk, action="approve")),
        Case("workflows.pause", _flow_step, lambda w, c: services.pause(
            actor=w.users["manager"], step_id=c.pk, reason="等材料"), "process.step_paused", "manager", "east_rep",
            bad=lambda w, c: services.pause(actor=w.users["manager"], step_id=c.pk, reason="")),
        Case("workflows.cancel", _flow_step, lambda w, c: services.cancel(
            actor=w.users["hr"], instance_id=c.instance_id, reason="重复"), "process.cancelled", "hr", "east_rep",
            bad=lambda w, c: services.cancel(actor=w.users["engineer"], instance_id=c.instance_id, reason="x")),
    ]


def _cases() -> list[Case]:
    from hrguard.discipline import complaints, violations
    from hrguard.documents import signer
    from hrguard.expenses import services as expenses
    from hrguard.leave import services as leave
    from hrguard.people import contracts
    from hrguard.people import services as people
    from hrguard.performance import services as perf

    nothing = lambda w: None  # noqa: E731
    return [
        Case("people.create_employee", nothing, lambda w, c: people.create_employee(
            w.users["hr"], w.company, _new_employee_data(w)), "employee.created", "hr", None,
            bad=lambda w, c: people.create_employee(w.users["hr"], w.company, {**_new_employee_data(w),
                                                                               "id_number": "110105199003071231"})),
        Case("people.update_employee", nothing, lambda w, c: people.update_employee(
            w.users["hr"], _emp(w), {"phone": "13911112222"}), "employee.updated", "hr", "east_rep",
            bad=lambda w, c: people.update_employee(w.users["manager"], _emp(w, "engineer"), {"phone": "13911112222"})),
        Case("people.update_own_contact", nothing, lambda w, c: people.update_own_contact(
            w.users["employee"], _emp(w), {"phone": "13911113333"}), "employee.contact_updated", "employee", "east_rep",
            bad=lambda w, c: people.update_own_contact(w.users["employee"], _emp(w), {"department": w.depts["rnd"].pk})),
        Case("people.record_lifecycle", nothing, lambda w, c: people.record_lifecycle(
            w.users["hr"], _emp(w), "transfer", dt.date(2025, 1, 2), department=w.depts["rnd"].pk),
            "lifecycle.transfer", "hr", "east_rep",
            bad=lambda w, c: people.record_lifecycle(w.users["hr"], _emp(w), "transfer", dt.date(2019, 1, 2),
                                                     department=w.depts["rnd"].pk)),
        Case("people.reveal_sensitive", nothing, lambda w, c: people.reveal_sensitive(w.users["hr"], _emp(w), "phone")
             and _emp(w), "sensitive.read", "hr", "east_rep",
             bad=lambda w, c: people.reveal_sensitive(w.users["manager"], _emp(w), "phone")),
        Case("contracts.create_contract", nothing, lambda w, c: _contract(w), "contract.", "hr", "east_rep",
             bad=lambda w, c: contracts.create_contract(w.users["manager"], _emp(w), {"contract_no": "X"}, [])),
        Case("contracts.add_supplementary", _contract, lambda w, c: contracts.add_supplementary(
            w.users["hr"], c, {"effective_date": dt.date(2022, 1, 4), "title": "调薪", "body": "月薪调整为一万"}),
            "contract.supplement_added", "hr", "east_rep",
            bad=lambda w, c: contracts.add_supplementary(w.users["hr"], c, {"title": "调薪"})),
        Case("leave.request_leave", nothing, lambda w, c: _leave(w), "leave.requested", "employee", "east_rep",
             bad=lambda w, c: leave.request_leave(w.users["employee"], _emp(w), {"leave_type": "sick",
                                                  "start_date": "2025-03-05", "end_date": "2025-03-01"})),
        Case("leave.decide_leave", _leave, lambda w, c: leave.decide_leave(w.users["manager"], c, True),
             "leave.approved", "manager", "east_rep",
             bad=lambda w, c: leave.decide_leave(w.users["manager"], c, False, "")),
        Case("leave.cancel_leave", _leave, lambda w, c: leave.cancel_leave(w.users["employee"], c),
             "leave.cancelled", "employee", "east_rep",
             bad=lambda w, c: leave.cancel_leave(w.users["engineer"], c)),
        Case("expenses.submit_trip", nothing, lambda w, c: expenses.submit_trip(
            w.users["employee"], _emp(w), {"start_date": "2025-03-05", "end_date": "2025-03-06", "destination": "杭州",
                                           "purpose": "拜访"}), "trip.submitted", "employee", "east_rep"),
        Case("expenses.submit_claim", nothing, lambda w, c: _claim(w), "expense.submitted", "employee", "east_rep",
             bad=lambda w, c: expenses.submit_claim(w.users["employee"], _emp(w), {"category": "transport",
                                                    "spent_on": "2025-03-05", "amount": "-5", "description": "x"})),
        Case("expenses.decide", _claim, lambda w, c: expenses.decide(w.users["manager"], c, True),
             "process.step_approved",
             "manager", "east_rep", bad=lambda w, c: expenses.decide(w.users["engineer"], c, True)),
        Case("expenses.issue_advance", nothing, lambda w, c: expenses.issue_advance(
            w.users["finance"], _emp(w), {"kind": "loan", "amount": "1000", "issued_on": "2025-03-01", "purpose": "借款"}),
            "advance.issued", "finance", "east_rep",
            bad=lambda w, c: expenses.issue_advance(w.users["employee"], _emp(w), {"kind": "loan", "amount": "1000",
                                                    "issued_on": "2025-03-01", "purpose": "借款"})),
        Case("performance.create_plan", nothing, lambda w, c: perf.create_plan(
            w.users["manager"], _emp(w), {"goals": "提升回款", "start_date": "2025-03-01", "deadline": "2025-05-31"}),
            "improvement_plan.created", "manager", "east_rep",
            bad=lambda w, c: perf.create_plan(w.users["manager"], _emp(w, "engineer"), {
                "goals": "x", "start_date": "2025-03-01", "deadline": "2025-05-31"})),
        Case("violations.record_violation", nothing, lambda w, c: _violation(w), "violation.recorded", "compliance",
             "east_rep"),
        Case("violations.investigate", _violation, lambda w, c: violations.investigate(
            compliance_user(w), c, "调取聊天记录"), "violation.investigated", "compliance", "east_rep",
            bad=lambda w, c: violations.investigate(w.users["employee"], c, "x")),
        Case("violations.decide", _violation, lambda w, c: violations.decide(
            compliance_user(w), c, {"decision": "warning", "decision_note": "警告"}), "violation.decided",
            "compliance", "east_rep",
            bad=lambda w, c: violations.decide(compliance_user(w), c, {"decision": "nonsense"})),
        Case("complaints.record_complaint", nothing, lambda w, c: complaints.record_complaint(
            compliance_user(w), _emp(w), {"client": "周女士", "received_on": "2025-03-05", "facts": "未回访"}),
            "complaint.recorded", "compliance", "east_rep",
            bad=lambda w, c: complaints.record_complaint(w.users["employee"], _emp(w), {
                "client": "周女士", "received_on": "2025-03-05", "facts": "未回访"})),
        Case("documents.send_request", nothing, lambda w, c: _envelope(w), "documents.sent", "hr", "east_rep"),
        Case("signing.mark_opened", _envelope, lambda w, c: signer.mark_opened(c) or c, "documents.opened",
             "", "east_rep"),
        Case("signing.decline", _envelope, lambda w, c: signer.decline(c, verified=True, reason="不同意"),
             "documents.declined", "", "east_rep",
             bad=lambda w, c: signer.decline(c, verified=False, reason="不同意")),
        *_settings_cases(),
    ]


def _settings_cases() -> list[Case]:
    from hrguard.configuration import accounts, channels, facts, org

    nothing = lambda w: None  # noqa: E731
    rep = lambda w: w.employees["sales_rep"].pk  # noqa: E731
    return [
        Case("settings.create_login", nothing, lambda w, c: accounts.create_login(
            actor=w.users["admin"], employee_id=rep(w)).user, "account.created", "admin", "sales_rep",
            bad=lambda w, c: accounts.create_login(actor=w.users["hr"], employee_id=rep(w))),
        Case("settings.deactivate", nothing, lambda w, c: accounts.deactivate(
            actor=w.users["admin"], user_id=w.users["finance"].pk), "account.deactivated", "admin", None,
            bad=lambda w, c: accounts.deactivate(actor=w.users["admin"], user_id=w.users["admin"].pk)),
        Case("settings.change_role", nothing, lambda w, c: accounts.change_role(
            actor=w.users["admin"], user_id=w.users["legal"].pk, role="hr"), "account.role_changed", "admin", None,
            bad=lambda w, c: accounts.change_role(actor=w.users["admin"], user_id=w.users["legal"].pk, role="x")),
        Case("settings.move_department", nothing, lambda w, c: org.move_department(
            actor=w.users["admin"], department_id=w.depts["east"].pk, parent_id=w.depts["rnd"].pk),
            "department.moved", "admin", None,
            bad=lambda w, c: org.move_department(actor=w.users["admin"], department_id=w.depts["sales"].pk,
                                                 parent_id=w.depts["east"].pk)),
        Case("settings.save_wage", nothing, lambda w, c: facts.save_wage(actor=w.users["admin"], data={
            "city": "上海", "kind": "average", "year": 2025, "amount": "12307"}), "company.wage_saved", "admin", None,
            bad=lambda w, c: facts.save_wage(actor=w.users["admin"], data={"city": "上海", "kind": "average"})),
        Case("settings.set_identities", nothing, lambda w, c: channels.set_identities(
            actor=w.users["hr"], employee_id=rep(w), values={"wecom": "ouyang"}) and w.employees["sales_rep"],
            "notify.identities_set", "hr", "sales_rep",
            bad=lambda w, c: channels.set_identities(actor=w.users["hr"], employee_id=rep(w),
                                                     values={"wecom": "a b"})),
    ]


def _exit(w: Any) -> Any:
    from hrguard.offboarding import services

    return services.start_exit(actor=w.users["hr"], employee=_emp(w), kind="resignation",
                               notice_date=dt.date(2026, 11, 2), reason="个人发展")


def _exit_cases() -> list[Case]:
    from decimal import Decimal

    from hrguard.calculators import services as calculators
    from hrguard.offboarding import items
    from hrguard.offboarding import services as offboarding

    nothing = lambda w: None  # noqa: E731
    return [
        Case("offboarding.start_exit", nothing, lambda w, c: _exit(w), "offboarding.exit_started", "hr", "east_rep",
             bad=lambda w, c: offboarding.start_exit(actor=w.users["employee"], employee=_emp(w, "engineer"),
                                                     kind="resignation", notice_date=dt.date(2026, 11, 2))),
        Case("offboarding.cancel_exit", _exit, lambda w, c: offboarding.cancel_exit(
            actor=w.users["hr"], exit_id=c.pk, reason="员工撤回辞职"), "offboarding.exit_cancelled", "hr", "east_rep",
            bad=lambda w, c: offboarding.cancel_exit(actor=w.users["hr"], exit_id=c.pk, reason="")),
        Case("offboarding.set_rehire", _exit, lambda w, c: offboarding.set_rehire(
            actor=w.users["hr"], exit_id=c.pk, eligible=False, reason="违纪"), "offboarding.rehire_set", "hr",
            "east_rep", bad=lambda w, c: offboarding.set_rehire(actor=w.users["employee"], exit_id=c.pk,
                                                                eligible=True, reason="x")),
        Case("offboarding.add_item", _exit, lambda w, c: items.add_item(
            actor=w.users["hr"], exit_id=c.pk, kind="asset", name="笔记本电脑", receiver_role="it"),
            "offboarding.item_added", "hr", "east_rep",
            bad=lambda w, c: items.add_item(actor=w.users["hr"], exit_id=c.pk, kind="nonsense", name="x")),
        Case("calculators.record_wage_month", nothing, lambda w, c: calculators.record_wage_month(
            actor=w.users["hr"], employee=_emp(w), year=2026, month=10, amount=Decimal("12000")),
            "wage_month.recorded", "hr", "east_rep",
            bad=lambda w, c: calculators.record_wage_month(actor=w.users["hr"], employee=_emp(w), year=2026,
                                                           month=13, amount=Decimal("12000"))),
    ]


def _former(w: Any) -> Any:
    """李工程 left 95 days ago; a non-compete clause in the contract."""
    from hrguard.people.models import Contract, ContractClause

    emp = _emp(w, "engineer")
    emp.status, emp.termination_date = "left", timezone.localdate() - dt.timedelta(days=95)
    emp.save(update_fields=["status", "termination_date"])
    contract = Contract.objects.create(company=w.company, employee=emp, contract_no="NC-1", contract_type="open_ended",
                                       start_date=emp.hire_date, wage=12000, work_location="上海")
    ContractClause.objects.create(contract=contract, title="竞业限制", body="二年", category="non_compete")
    return emp


def _agreement(w: Any) -> Any:
    from hrguard.noncompete import services

    return services.start_agreement(actor=w.users["hr"], employee=_former(w), term_months=12, region="上海",
                                    scope="同类业务", monthly_compensation="4000", role="senior_technical",
                                    eligibility_reason="核心研发")


def _noncompete_cases() -> list[Case]:
    from hrguard.noncompete import actions
    from hrguard.noncompete import services as nc

    today = timezone.localdate
    return [
        Case("noncompete.start_agreement", lambda w: None, lambda w, c: _agreement(w), "noncompete.started", "hr",
             "engineer", bad=lambda w, c: nc.start_agreement(
                 actor=w.users["hr"], employee=_former(w), term_months=25, region="上海", scope="x",
                 monthly_compensation="4000", role="senior_technical", eligibility_reason="y")),
        Case("noncompete.record_payment", _agreement, lambda w, c: nc.record_payment(
            actor=w.users["finance"], month_id=c.months.get(seq=1).pk, paid_on=today(), amount="4000"),
            "noncompete.payment_recorded", "finance", "engineer", bad=lambda w, c: nc.record_payment(
                actor=w.users["legal"], month_id=c.months.get(seq=1).pk, paid_on=today(), amount="4000")),
        Case("noncompete.record_finding", _agreement, lambda w, c: actions.record_finding(
            actor=w.users["hr"], agreement_id=c.pk, found_on=today(), employer="乙公司", source="社保记录"),
            "noncompete.finding_recorded", "hr", "engineer", bad=lambda w, c: actions.record_finding(
                actor=w.users["hr"], agreement_id=c.pk, found_on=today(), employer="", source="社保记录")),
        Case("noncompete.release", _agreement, lambda w, c: actions.release(
            actor=w.users["hr"], agreement_id=c.pk, released_on=today(), reason="业务调整", channels=["email"]),
            "noncompete.released", "hr", "engineer", bad=lambda w, c: actions.release(
                actor=w.users["finance"], agreement_id=c.pk, released_on=today(), reason="x", channels=["email"])),
    ]



def _loan(w: Any, paid: bool = False) -> Any:
    from hrguard.care import aid
    from hrguard.workflows import services as engine
    from hrguard.workflows.models import Step

    loan = aid.apply(actor=w.users["employee"], employee=_emp(w), amount="12000", reason="医疗费")
    for role in ("hr", "finance"):
        step = Step.objects.get(instance__subject_type="care.aidloan", instance__subject_id=str(loan.pk), state="open")
        engine.act(actor=w.users[role], step_id=step.pk, action="approve")
    loan.refresh_from_db()
    return aid.disburse(actor=w.users["finance"], loan=loan, paid_on="2026-11-01") if paid else loan


def _care_cases() -> list[Case]:
    from hrguard.care import aid, programmes
    from hrguard.care import services as care

    def nothing(w: Any) -> None:
        return None

    return [
        Case("care.record_talk", nothing, lambda w, c: care.record_talk(
            actor=w.users["hr"], employee=_emp(w), held_on="2026-11-20", participants="人事", summary="谈心"),
            "care.talk_recorded", "hr", "east_rep",
            bad=lambda w, c: care.record_talk(actor=w.users["manager"], employee=_emp(w), held_on="2026-11-20",
                                              participants="x", summary="x")),
        Case("care.apply_aid", nothing, lambda w, c: aid.apply(
            actor=w.users["employee"], employee=_emp(w), amount="3000", reason="房租"), "care.aid_applied",
            "employee", "east_rep",
            bad=lambda w, c: aid.apply(actor=w.users["employee"], employee=_emp(w), amount="50001", reason="x")),
        Case("care.disburse_aid", _loan, lambda w, c: aid.disburse(actor=w.users["finance"], loan=c,
                                                                   paid_on="2026-11-01"),
             "care.aid_disbursed", "finance", "east_rep",
             bad=lambda w, c: aid.disburse(actor=w.users["hr"], loan=c, paid_on="2026-11-01")),
        Case("care.schedule_aid", _loan, lambda w, c: aid.set_schedule(
            actor=w.users["finance"], loan=c, installments=[{"due_on": "2027-01-31", "amount": "12000"}]),
            "care.aid_scheduled", "finance", "east_rep",
            bad=lambda w, c: aid.set_schedule(actor=w.users["finance"], loan=c,
                                              installments=[{"due_on": "2027-01-31", "amount": "11999"}])),
        # The repayment's event is about the loan (its balance): the call hands back the loan.
        Case("care.repay_aid", lambda w: _loan(w, paid=True), lambda w, c: aid.repay(
            actor=w.users["finance"], loan=c, amount="2000", paid_on="2026-11-20").loan, "care.aid_repaid", "finance",
            "east_rep", bad=lambda w, c: aid.repay(actor=w.users["finance"], loan=c, amount="12001",
                                                   paid_on="2026-11-20")),
        Case("care.set_aid_limit", nothing, lambda w, c: care.set_aid_limit(actor=w.users["hr"], company=w.company,
                                                                             limit="30000"),
             "care.aid_limit_set", "hr", None,
             bad=lambda w, c: care.set_aid_limit(actor=w.users["employee"], company=w.company, limit="1")),
        Case("care.record_flex", nothing, lambda w, c: programmes.record_flex(
            actor=w.users["hr"], employee=_emp(w), start_date="2026-12-01", end_date="2027-01-31",
            pattern="10:00–19:00", reason="照顾家人"), "care.flex_approved", "hr", "east_rep",
            bad=lambda w, c: programmes.record_flex(actor=w.users["hr"], employee=_emp(w), start_date="2026-12-01",
                                                    end_date="2026-01-31", pattern="x", reason="x")),
        Case("care.create_course", nothing, lambda w, c: programmes.create_course(
            actor=w.users["hr"], company=w.company, title="季度财商课", sessions=["2027-01-10"]),
            "care.course_created", "hr", None,
            bad=lambda w, c: programmes.create_course(actor=w.users["hr"], company=w.company, title="x",
                                                      sessions=[])),
    ]



def _incident(w: Any) -> Any:
    from hrguard.cases import services

    return services.open_case(actor=w.users["hr"], case_type="general", title="设备丢失", subject_employee=_emp(w))


def _client(w: Any) -> Any:
    from hrguard.clients import services

    return services.save_client(actor=w.users["hr"], name="华东汽车", revenue_share="15")


def _collection_cases() -> list[Case]:
    from hrguard.collection import services

    def log(w: Any, **kw: Any) -> Any:
        data = {"employee": _emp(w), "occurred_at": timezone.now() - dt.timedelta(hours=1), "channel": "call",
                "agency": "某某资产管理有限公司", "caller_number": "021-5555 0101", **kw}
        return services.log_contact(actor=w.users["hr"], **data)

    return [
        Case("collection.log_contact", lambda w: None, lambda w, c: log(w), "collection.contact_logged", "hr",
             "east_rep", bad=lambda w, c: log(w, agency="")),
    ]


def _case_cases() -> list[Case]:
    from hrguard.cases import services
    from hrguard.clients import services as clients

    return [
        Case("cases.open_case", lambda w: None, lambda w, c: _incident(w), "case.opened", "hr", "east_rep",
             bad=lambda w, c: services.open_case(actor=w.users["engineer"], case_type="general", title="x")),
        Case("cases.link", _incident, lambda w, c: services.link(
            actor=w.users["hr"], case_id=c.pk, target_type="risk.alert", target_id="3").case, "case.linked", "hr",
            "east_rep", bad=lambda w, c: services.link(actor=w.users["hr"], case_id=c.pk, target_type="x",
                                                      target_id="3")),
        Case("cases.add_party", _incident, lambda w, c: services.add_party(
            actor=w.users["hr"], case_id=c.pk, employee=_emp(w, "engineer"), kind="witness").case, "case.party_added",
            "hr", "east_rep", bad=lambda w, c: services.add_party(actor=w.users["hr"], case_id=c.pk,
                                                                 employee=_emp(w, "engineer"), kind="subject")),
        Case("cases.close_case", _incident, lambda w, c: services.close_case(
            actor=w.users["hr"], case_id=c.pk, root_cause="process"), "case.closed", "hr", "east_rep",
            bad=lambda w, c: services.close_case(actor=w.users["hr"], case_id=c.pk, root_cause="")),
        Case("clients.save_client", lambda w: None, lambda w, c: _client(w), "client.saved", "hr", None,
             bad=lambda w, c: clients.save_client(actor=w.users["hr"], name="x", revenue_share="101")),
        Case("clients.set_coverage", _client, lambda w, c: clients.set_coverage(
            actor=w.users["hr"], client_id=c.pk, employee=_emp(w), revenue_share="60").client, "client.coverage_saved",
            "hr", "east_rep", bad=lambda w, c: clients.set_coverage(actor=w.users["hr"], client_id=c.pk,
                                                                   employee=_emp(w), revenue_share="160")),
    ]


CASES = {c.name: c for c in [*_cases(), *_workflow_cases(), *_exit_cases(), *_noncompete_cases(), *_care_cases(),
                             *_case_cases(), *_collection_cases()]}


def _ids_concerning(obj: Any) -> set[str]:
    """The object and, for a record or step run by the process engine, its process and that process's
    steps: an engine action's event names the step or the process, not the record."""
    from hrguard.workflows import selectors as process_selectors
    from hrguard.workflows.models import Step

    ids = {str(obj.pk)}
    instance_id = getattr(obj, "instance_id", None)
    if instance_id is None and obj._meta.app_label != "workflows":
        instance = process_selectors.instance_for(subject=obj)
        instance_id = instance.pk if instance is not None else None
    if instance_id is not None:
        ids.add(str(instance_id))
        ids |= {str(pk) for pk in Step.objects.filter(instance_id=instance_id).values_list("pk", flat=True)}
    return ids


def _events_since(company: Any, seq: int) -> list[EvidenceEvent]:
    return list(EvidenceEvent.objects.filter(company=company, seq__gte=seq).order_by("seq"))


def _head(company: Any) -> int:
    last = EvidenceEvent.objects.filter(company=company).order_by("-seq").first()
    return last.seq + 1 if last else 0


@pytest.mark.parametrize("name", sorted(CASES))
def test_change_writes_event(world: Any, name: str) -> None:
    case = CASES[name]
    compliance_user(world)
    ctx = case.setup(world)
    start = _head(world.company)
    obj = case.call(world, ctx)
    events = _events_since(world.company, start)
    match = [e for e in events if (e.action.startswith(case.action) if case.action.endswith(".")
                                   else e.action == case.action)]
    assert match, f"no {case.action} event; got {[e.action for e in events]}"
    ev = match[-1]
    if case.actor:
        assert ev.actor_id == world.users[case.actor].pk, (ev.actor_id, ev.actor_name)
    if case.employee:
        assert ev.employee_id == world.employees[case.employee].pk
    if obj is not None and hasattr(obj, "pk") and ev.subject_id and case.action.endswith(".") is False:
        concerned = _ids_concerning(obj)
        assert any(e.subject_id in concerned for e in match) or ev.employee_id == obj.pk, (ev.subject_type,
                                                                                          ev.subject_id)


@pytest.mark.parametrize("name", sorted(CASES))
def test_failed_evidence_write_undoes_the_change(world: Any, name: str) -> None:
    """Same transaction: if the event cannot be written, nothing of the change remains."""
    case = CASES[name]
    compliance_user(world)
    ctx = case.setup(world)
    before = snapshot()
    with evidence_down(), pytest.raises((DatabaseError, RuntimeError)):
        with transaction.atomic():  # the test's own savepoint, so the database stays usable afterwards
            case.call(world, ctx)
    assert not diff(before, snapshot()), f"changed without evidence: {diff(before, snapshot())}"


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items() if c.bad))
def test_refused_change_leaves_no_event(world: Any, name: str) -> None:
    case = CASES[name]
    compliance_user(world)
    ctx = case.setup(world)
    start = _head(world.company)
    before = snapshot()
    from hrguard.documents.signer import SigningError

    with pytest.raises((ValidationError, PermissionDenied, SigningError)):
        with transaction.atomic():
            case.bad(world, ctx)  # type: ignore[misc]
    assert not _events_since(world.company, start)
    assert not diff(before, snapshot())


@pytest.mark.django_db(transaction=True)
def test_evidence_outside_a_transaction_is_refused() -> None:
    from hrguard.core.models import Company
    from hrguard.evidence import services

    company = Company.objects.create(code="solo", name="单独")
    with pytest.raises(RuntimeError):
        services.record(company, None, "test.outside")
    assert not EvidenceEvent.objects.filter(company=company).exists()
