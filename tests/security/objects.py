"""Builds one object of every kind the URLs and API address, for a given world and employee, through the
apps' own services (so the rows are realistic: evidence events, attachments, envelopes, files).

Free-text fields carry ``marker`` so a page or API answer that leaks one of these rows is detectable by
searching for the marker text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone


@dataclass
class Objects:
    """Primary keys by kind (the kinds are the keys of ``KINDS`` in the URL map)."""

    ids: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # kind → why it could not be built


def csv_bytes(lines: list[str]) -> bytes:
    return ("\n".join(["工号,时间,类型", *lines]) + "\n").encode("utf-8")


def compliance_user(world: Any) -> Any:
    from hrguard.core.models import User

    user = User.objects.filter(company=world.company, role="compliance").first()
    if user is None:
        user = User.objects.create_user(username=f"{world.company.code}-compliance", password="pw-compliance",
                                        company=world.company, role="compliance")
    world.users.setdefault("compliance", user)
    return user


def _try(out: Objects, kind: str, fn: Any, ids: dict[str, int]) -> None:
    ids.clear()
    try:
        with transaction.atomic():
            fn()
    except Exception as exc:
        out.missing[kind] = f"{type(exc).__name__}: {exc}"[:300]
    else:
        out.ids.update(ids)


def build(world: Any, emp_key: str, marker: str, company_marker: str, *, documents: bool = True,
          tag: str = "") -> Objects:
    """Records of every kind about ``world.employees[emp_key]``, created by the person who would. Records
    about the employee carry ``marker``; company-wide ones (cycle, clauses, rules) ``company_marker``."""
    out = Objects()
    emp = world.employees[emp_key]
    hr, finance = world.users["hr"], world.users["finance"]
    me = emp.user or hr
    boss = world.users["manager"] if emp.department.path.startswith(world.depts["sales"].path) else hr
    officer = compliance_user(world)
    out.ids["employee"] = emp.pk
    out.ids["department"] = emp.department_id
    out.ids["position"] = emp.position_id
    tag = tag or emp_key
    ids: dict[str, int] = {}  # filled by the step running now; kept only if the step commits

    def activity() -> None:
        from hrguard.attendance import importer
        from hrguard.attendance.models import AttendanceDay, PunchImport, Shift
        from hrguard.discipline import complaints, violations
        from hrguard.expenses import services as expenses
        from hrguard.leave import services as leave
        from hrguard.performance import services as performance
        from hrguard.records.models import Attachment

        no = emp.employee_no
        day = "2025-03-03" if emp_key == "east_rep" else "2025-03-10"
        importer.import_file(hr, world.company, importer.get_default_profile(world.company),
                             csv_bytes([f"{no},{day} 09:30,上班", f"{no},{day} 18:00,下班"]), f"{tag}.csv")
        ids["punch_import"] = PunchImport.objects.filter(company=world.company).order_by("-pk").first().pk
        attendance = AttendanceDay.objects.filter(company=world.company, employee=emp).first()
        if attendance:
            ids["attendance_day"] = attendance.pk
        shift = Shift.objects.filter(company=world.company).first()
        if shift:
            ids["shift"] = shift.pk
        ids["leave"] = leave.request_leave(me, emp, {"leave_type": "sick", "start_date": "2025-03-04",
                                                         "end_date": "2025-03-04", "reason": marker}).pk
        ids["trip"] = expenses.submit_trip(me, emp, {"start_date": "2025-03-05", "end_date": "2025-03-06",
                                                         "destination": marker, "purpose": marker}).pk
        claim = expenses.submit_claim(me, emp, {"category": "transport", "spent_on": "2025-03-05", "amount": "88",
                                                "description": marker}, [("票据.pdf", b"%PDF-1.4 ticket")])
        ids["claim"] = claim.pk
        ids["advance"] = expenses.issue_advance(finance, emp, {"kind": "loan", "amount": "1000",
                                                                   "issued_on": "2025-03-01", "purpose": marker}).pk
        from hrguard.performance.models import ReviewCycle

        cycle = ReviewCycle.objects.filter(company=world.company).first() or performance.create_cycle(
            hr, world.company, {"name": f"2025Q1 {company_marker}", "start_date": "2025-01-01", "end_date": "2025-03-31"})
        ids["cycle"] = cycle.pk
        ids["review"] = performance.set_kpis(boss, emp, cycle, [{"name": marker, "weight": "100"}]).pk
        ids["plan"] = performance.create_plan(boss, emp, {"goals": marker, "start_date": "2025-03-01",
                                                              "deadline": "2025-05-31"}).pk
        clause = violations.save_clause(officer, world.company, {"code": f"5.{emp.pk}", "title": company_marker})
        ids["handbook_clause"] = clause.pk
        violation = violations.record_violation(officer, emp, {"clause": clause.pk, "occurred_on": "2025-03-03",
                                                               "facts": marker}, [("截图.pdf", b"%PDF-1.4 x")])
        ids["violation"] = violation.pk
        from hrguard.workflows.models import Step
        from hrguard.workflows.selectors import instance_for

        process = instance_for(subject=violation)  # its handling runs on the process engine
        ids["process_instance"] = process.pk
        ids["process_step"] = Step.objects.filter(instance=process).order_by("group", "order").first().pk
        ids["complaint"] = complaints.record_complaint(officer, emp, {"client": marker, "received_on": "2025-03-05",
                                                                          "facts": marker}).pk
        from hrguard.discipline.models import DisciplineReview

        # Opened by the escalation ladder in real life; created directly here (no service opens one on demand).
        ids["discipline_review"] = DisciplineReview.objects.create(
            company=world.company, employee=emp, violation_ids=[violation.pk], outcome=marker).pk
        ids["punch_profile"] = importer.get_default_profile(world.company).pk
        ids["attachment"] = Attachment.objects.get(owner_type="violation", owner_id=violation.pk).pk
        ids["claim_attachment"] = Attachment.objects.get(owner_type="expense", owner_id=claim.pk).pk

    def escalation() -> None:
        from hrguard.discipline import violations
        from hrguard.discipline.models import EscalationRule

        rule = EscalationRule.objects.filter(company=world.company).first() or violations.save_rule(
            officer, world.company, {"name": company_marker, "threshold": 3, "window_days": 365})
        ids["escalation_rule"] = rule.pk
        from hrguard.workflows.defaults import ensure_default_templates
        from hrguard.workflows.models import ProcessTemplate

        ensure_default_templates(world.company)
        ids["process_template"] = ProcessTemplate.objects.filter(company=world.company).order_by("key").first().pk

    def people() -> None:
        from hrguard.people import contracts as contract_services
        from hrguard.people.models import ClauseTemplate

        tpl = ClauseTemplate.objects.filter(company=world.company).first() or ClauseTemplate.objects.create(
            company=world.company, code="NC", title=company_marker, body=company_marker, category="non_compete")
        ids["clause_template"] = tpl.pk
        contract = contract_services.create_contract(
            hr, emp, {"contract_no": f"HT-{tag}", "contract_type": "open_ended", "start_date": dt.date(2021, 1, 4),
                      "wage": "9000", "work_location": marker}, [(tpl.pk, True)])
        ids["contract"] = contract.pk
        sup = contract_services.add_supplementary(hr, contract, {"effective_date": dt.date(2022, 1, 4),
                                                                  "title": marker, "body": marker})
        ids["supplementary"] = sup.pk

    def notify() -> None:
        from hrguard.notify import services as notify_services

        recipient = emp.user or emp
        (msg,) = notify_services.enqueue(world.company, recipient=recipient, channels=["inapp"], subject=marker,
                                         body=marker, idempotency_key=f"sec-{world.company.code}-{tag}",
                                         employee=emp)
        from hrguard.notify import delivery

        delivery.deliver(msg.pk)  # what the worker does after commit (tests never commit)
        ids["message"] = msg.pk

    def docs() -> None:
        from hrguard.documents import services as doc_services
        from hrguard.documents.library import ensure_default_templates
        from hrguard.documents.models import DocumentFile, DocumentTemplate, Envelope

        ensure_default_templates(world.company)
        template = DocumentTemplate.objects.filter(company=world.company, name="合规承诺书").first()
        if template is None:
            template = DocumentTemplate.objects.filter(company=world.company).first()
        version = template.latest
        ids["doc_template"] = template.pk
        out.extra["doc_version_number"] = version.number
        res = doc_services.send_request(world.company, actor=hr, version=version, employees=[emp],
                                        channels=["inapp"], deadline_at=timezone.now() + dt.timedelta(days=10),
                                        title=marker, skip_unreachable=True)
        env = Envelope.objects.get(request=res.request)
        ids["signing_request"] = res.request.pk
        ids["envelope"] = env.pk
        out.extra["sign_token"] = res.tokens[env.employee_id]
        doc_services.ensure_original(env)
        ids["document_file"] = DocumentFile.objects.filter(envelope=env).first().pk

    def staged_import() -> None:
        from hrguard.core.models import ImportJob

        for kind, name in (("roster", "import_job"), ("punches", "punch_job")):
            ids[name] = ImportJob.objects.create(
                company=world.company, created_by=hr, kind=kind, status="done", filename=f"{tag}.csv",
                report={"filename": f"{tag}.csv", "valid_count": 1, "total_rows": 1},
            ).pk

    for kind, fn in (("activity", activity), ("escalation_rule", escalation), ("people", people),
                     ("notify", notify), ("import", staged_import)):
        _try(out, kind, fn, ids)
    def exits() -> None:
        from hrguard.offboarding import services as exit_services
        from hrguard.offboarding import threads

        exit_ = exit_services.start_exit(actor=hr, employee=emp, kind="resignation", notice_date=dt.date(2025, 3, 3),
                                         reason=marker)
        ids["exit"] = exit_.pk
        ids["exit_item"] = exit_.items.order_by("pk").first().pk
        threads.post_message(actor=hr, exit_id=exit_.pk, body=marker)
        if "envelope" in out.ids:  # the exit's documents: a link to the envelope made above
            from hrguard.offboarding.models import ExitDocument

            ids["exit_document"] = ExitDocument.objects.create(
                company_id=exit_.company_id, exit=exit_, kind="separation_certificate", envelope_id=out.ids["envelope"]).pk
        noncompete(exit_)

    def noncompete(exit_: Any) -> None:
        from hrguard.noncompete import actions, offers, proofs
        from hrguard.noncompete import services as nc_services
        from hrguard.people.models import Contract, ContractClause

        contract = Contract.objects.create(company=world.company, employee=emp, contract_no=f"NC-{tag}-{emp.pk}",
                                           contract_type="open_ended", start_date=emp.hire_date, wage=10000,
                                           work_location="上海")
        ContractClause.objects.create(contract=contract, title="竞业限制", body=marker, category="non_compete")
        offer = offers.offer_for_exit(exit_)
        agreement = nc_services.start_agreement(actor=hr, agreement_id=offer.pk, term_months=6, region=marker,
                                                scope=marker, monthly_compensation="3000", role="confidentiality",
                                                eligibility_reason=marker)
        month = agreement.months.select_related("agreement", "agreement__employee").get(seq=1)
        token = proofs.issue_request(month)
        png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
               b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
               b"\x00\x00\x00\x00IEND\xaeB`\x82")
        proof = proofs.upload_by_link(token=token, kind="employment", upload=(f"{marker}.png", png), note=marker)
        finding = actions.record_finding(actor=hr, agreement_id=agreement.pk, found_on=timezone.localdate(),
                                         employer=marker, source=marker, attachment=(f"{marker}.txt", marker.encode()))
        ids.update(noncompete=agreement.pk, noncompete_month=month.pk, noncompete_proof=proof.pk,
                   noncompete_finding=finding.pk)

    def risk() -> None:
        from hrguard.documents.models import Envelope
        from hrguard.risk.defaults import ensure_default_rules
        from hrguard.risk.models import Alert, Check, RuleVersion

        rule = ensure_default_rules(world.company)[0]
        version = RuleVersion.objects.filter(rule=rule).order_by("-number").first()
        RuleVersion.objects.filter(pk=version.pk).update(name=f"{version.name} {company_marker}")
        ids["risk_rule"] = rule.pk
        ids["alert"] = Alert.objects.create(company=world.company, employee=emp, rule=rule, version=version,
                                            as_of=dt.date(2025, 3, 3), severity="low", explanation=marker,
                                            facts={"terms": []}).pk
        envelope = Envelope.objects.filter(employee=emp).order_by("pk").first()
        if envelope is not None:
            ids["risk_check"] = Check.objects.create(company=world.company, employee=emp, envelope=envelope,
                                                     kind="credit_report", purpose="hiring", summary=marker,
                                                     result="{}").pk

    def webhooks() -> None:
        from hrguard.integrations import services as webhook_services
        from hrguard.offboarding.models import Exit

        issued = webhook_services.create_endpoint(actor=world.users["admin"], url="http://127.0.0.1:9/hooks",
                                                  events=["exit.started"], description=company_marker)
        ids["webhook_endpoint"] = issued.endpoint.pk
        exit_ = Exit.objects.get(pk=out.ids["exit"])
        rows = webhook_services.emit(company_id=world.company.pk, event_type="exit.started", exit_=exit_)
        ids["webhook_delivery"] = next(d.pk for d in rows if d.endpoint_id == issued.endpoint.pk)

    def care() -> None:
        from hrguard.care import aid, programmes
        from hrguard.care import services as care_services

        ids["talk"] = care_services.record_talk(actor=hr, employee=emp, held_on="2025-03-03", participants="人事",
                                                summary=marker).pk
        ids["aid_loan"] = aid.apply(actor=me, employee=emp, amount="1000", reason=marker).pk
        ids["course"] = programmes.create_course(actor=hr, company=world.company, title=company_marker,
                                                 sessions=["2025-04-01"]).pk

    def collection() -> None:
        from hrguard.collection import letters as collection_letters
        from hrguard.collection import services as collection

        contact = collection.log_contact(actor=hr, employee=emp, occurred_at=timezone.now() - dt.timedelta(hours=1),
                                         channel="call", agency=marker, caller_number=f"139{emp.pk:08d}", said=marker)
        ids["collection_case"] = contact.file.case_id
        ids["collection_contact"] = contact.pk
        ids["collection_letter"] = collection_letters.issue_letter(actor=hr, file_id=contact.file.case_id,
                                                                   agency=marker).pk

    def cases() -> None:
        from hrguard.cases import services as case_services
        from hrguard.clients import services as client_services

        case = case_services.open_case(actor=hr, case_type="keyperson", title=marker, subject_employee=emp,
                                       description=marker, links=[{"target_type": "risk.alert", "target_id": "1",
                                                                   "label": marker}])
        ids["case"] = case.pk
        client = client_services.save_client(actor=hr, name=f"{marker} 客户{tag}", note=marker)
        client_services.set_coverage(actor=hr, client_id=client.pk, employee=emp, revenue_share="30")
        ids["client"] = client.pk

    if documents:
        _try(out, "documents", docs, ids)
    _try(out, "collection", collection, ids)
    _try(out, "exits", exits, ids)
    _try(out, "risk", risk, ids)
    _try(out, "webhooks", webhooks, ids)
    _try(out, "care", care, ids)
    _try(out, "cases", cases, ids)
    return out
