"""HR's answers to the agency (issue 12 §4): the lawyer letter from the documents template 致催收机构律师函,
filled with the logged facts and the rules that bind collectors (``law.collection``), its delivery
(registered-mail tracking number or email), and a police report. One transaction each, evidence each.

* ``issue_letter(*, actor, file_id, agency)`` → ``LawyerLetter`` (body hashed into the evidence);
* ``record_delivery(*, actor, letter_id, method, reference, delivered_at=None)``;
* ``record_police_report(*, actor, file_id, reported_on, station, receipt_no, scan=None)``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.documents import library
from hrguard.evidence import services as evidence
from hrguard.law import collection as law
from hrguard.records import files
from hrguard.records.inputs import Errors

from .models import Contact, DeliveryMethod, FileStatus, LawyerLetter, PoliceReport
from .services import _text, locked_file, settings_for

LETTER_KIND = "lawyer_letter"
POLICE_OWNER = "collection.police"  # records.Attachment.owner_type: at most 20 characters
VARIABLE = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def _template(actor: User) -> Any:
    library.ensure_default_templates(actor.company)
    for template in library.templates_for(actor):
        if template.kind == LETTER_KIND and template.active:
            return template.latest
    raise ValidationError({"template": _("The company has no lawyer-letter template.")})


def _facts(contacts: list[Contact]) -> str:
    lines = []
    for c in sorted(contacts, key=lambda x: x.occurred_at):
        marks = [label for flag, label in ((c.employee_named, "点名员工"), (c.amount_mentioned, "提及欠款金额"),
                                           (c.asked_to_collect, "要求公司代为催收"), (c.threats, "威胁或辱骂"),
                                           (c.night, "夜间联系")) if flag]
        when = timezone.localtime(c.occurred_at).strftime("%Y-%m-%d %H:%M")
        times = f"（同一来电 {c.repeats + 1} 次）" if c.repeats else ""
        lines.append(f"{when} {c.get_channel_display()} 来电号码 {c.caller_number or '未显示'}{times}"
                     + (f"：{'、'.join(marks)}" if marks else ""))
    return "\n".join(lines)


def render_letter(actor: User, file: Any, agency: str) -> tuple[str, int | None]:
    version = _template(actor)
    contacts = [c for c in Contact.objects.filter(file=file, agency=agency)]
    if not contacts:
        raise ValidationError({"agency": _("No contact from this agency was logged.")})
    conf = settings_for(file.company_id)
    values = {"law_firm": conf.law_firm or actor.company.name, "company_name": actor.company.name,
              "employee_name": file.employee.name, "agency_name": agency, "reply_days": str(conf.reply_days)}
    body = VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), version.body)
    breached = law.rules_breached(third_party=True, night=any(c.night for c in contacts),
                                  threats=any(c.threats for c in contacts), repeated=len(contacts) > 1)
    facts = _facts(contacts)
    cited = "\n".join(f"{i}. {rule.cited_zh}" for i, rule in enumerate(breached, 1))
    text = (f"致：{agency}\n\n{body}\n\n附一、经登记的联系记录（共 {len(contacts)} 条）：\n{facts}\n\n"
            f"附二、贵方行为违反的规定：\n{cited}")
    return text, version.number


@transaction.atomic
def issue_letter(*, actor: User, file_id: int, agency: str) -> LawyerLetter:
    file = locked_file(actor, file_id)
    errors = Errors()
    agency = _text(agency, "agency", errors, required=True)
    errors.raise_if_any()
    body, version = render_letter(actor, file, agency)
    digest = hashlib.sha256(body.encode()).hexdigest()
    letter = LawyerLetter.objects.create(company_id=file.company_id, file=file, agency=agency, body=body,
                                         sha256=digest, template_version=version, created_by=actor)
    file.status = FileStatus.LETTER_SENT
    file.save(update_fields=["status"])
    evidence.record(file.company_id, actor, "collection.letter_issued", letter,
                    {"case": file.case.number, "agency": agency, "sha256": digest, "template_version": version},
                    employee=file.employee_id)
    return letter


@transaction.atomic
def record_delivery(*, actor: User, letter_id: int, method: str, reference: str,
                    delivered_at: dt.datetime | None = None) -> LawyerLetter:
    letter = LawyerLetter.objects.select_for_update().filter(company_id=actor.company_id, pk=letter_id).first()
    if letter is None:
        raise PermissionDenied(_("You may not act on these collection contacts."))
    file = locked_file(actor, letter.file.case_id)
    errors = Errors()
    if method not in DeliveryMethod.values:
        errors.add("method", _("Choose registered mail or email."))
    reference = _text(reference, "reference", errors, required=True)
    if method == DeliveryMethod.EMAIL and reference and "@" not in reference:
        errors.add("reference", _("Enter the agency's email address."))
    errors.raise_if_any()
    letter.delivery_method, letter.delivery_ref = method, reference
    letter.delivered_at = delivered_at or timezone.now()
    letter.save(update_fields=["delivery_method", "delivery_ref", "delivered_at"])
    evidence.record(letter.company_id, actor, "collection.letter_delivered", letter,
                    {"case": file.case.number, "method": method, "reference": reference,
                     "delivered_at": letter.delivered_at.isoformat(), "sha256": letter.sha256},
                    employee=file.employee_id)
    return letter


@transaction.atomic
def record_police_report(*, actor: User, file_id: int, reported_on: dt.date | None, station: str, receipt_no: str,
                         scan: Any = None) -> PoliceReport:
    file = locked_file(actor, file_id)
    errors = Errors()
    if not isinstance(reported_on, dt.date):
        errors.add("reported_on", _("Enter the date of the report."))
    elif reported_on > timezone.localdate():
        errors.add("reported_on", _("The date cannot be in the future."))
    station = _text(station, "station", errors, required=True)
    receipt_no = _text(receipt_no, "receipt_no", errors, required=True, max_length=100)
    scans = [scan] if scan is not None else []
    files.check_uploads(errors, scans, "scan")
    errors.raise_if_any()
    assert isinstance(reported_on, dt.date)
    report = PoliceReport.objects.create(company_id=file.company_id, file=file, reported_on=reported_on,
                                         station=station, receipt_no=receipt_no, created_by=actor)
    saved = files.store(actor, POLICE_OWNER, report, file.employee, scans)
    evidence.record(file.company_id, actor, "collection.police_report", report,
                    {"case": file.case.number, "reported_on": reported_on.isoformat(), "station": station,
                     "receipt_no": receipt_no, "scan": files.described(saved)}, employee=file.employee_id)
    return report
