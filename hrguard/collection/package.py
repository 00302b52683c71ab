"""The evidence package for police or court (issue 12 §9): every evidence event of the contacts of one
agency or one employee — the contacts with their timestamps and attachment hashes, the notices and the
employee's answers, the escalation, the lawyer letters (the letter text itself as a document) and their
delivery, police reports — in the verified zip of ``hrguard.evidence.package`` (``hrguard
verify-package`` checks it offline)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.evidence import selectors as evidence_selectors
from hrguard.evidence.package import build_package

from .models import CollectionFile, Contact, LawyerLetter, PoliceReport, Response

MAX_EVENTS = 5000
SUBJECT_TYPES = ("collection.contact", "collection.collectionfile", "collection.response",
                 "collection.lawyerletter", "collection.policereport")


def _files(user: User, employee_id: int | None, agency: str) -> list[CollectionFile]:
    qs = CollectionFile.objects.filter(company_id=user.company_id).select_related("case", "employee")
    if employee_id is not None:
        qs = qs.filter(employee_id=employee_id)
    if agency:
        qs = qs.filter(contacts__agency=agency).distinct()
    return list(qs)


def _ids(files: list[CollectionFile], agency: str) -> dict[str, set[str]]:
    contacts = Contact.objects.filter(file__in=files)
    letters = LawyerLetter.objects.filter(file__in=files)
    if agency:
        contacts, letters = contacts.filter(agency=agency), letters.filter(agency=agency)
    return {
        "collection.contact": {str(pk) for pk in contacts.values_list("pk", flat=True)},
        "collection.collectionfile": {str(f.pk) for f in files},
        "collection.response": {str(pk) for pk in Response.objects.filter(file__in=files).values_list("pk", flat=True)},
        "collection.lawyerletter": {str(pk) for pk in letters.values_list("pk", flat=True)},
        "collection.policereport": {str(pk) for pk in PoliceReport.objects.filter(file__in=files)
                                    .values_list("pk", flat=True)},
    }


def _process_of(event: Any) -> str:
    record = evidence_selectors.decoded(event)
    data = record.get("data", record)
    return str(data.get("subject", "")) if isinstance(data, dict) else ""


def collection_package(*, actor: User, employee_id: int | None = None, agency: str = "") -> bytes:
    if not actor.has_perm("collection.manage"):
        raise PermissionDenied(_("You may not build collection evidence packages."))
    agency = (agency or "").strip()
    if employee_id is None and not agency:
        raise ValidationError({"agency": _("Choose an agency or an employee.")})
    files = [f for f in _files(actor, employee_id, agency) if actor.has_perm("collection.manage", f.case)]
    if not files:
        raise ValidationError({"agency": _("No collection contacts match.")})
    wanted = _ids(files, agency)
    wanted["cases.case"] = {str(f.case_id) for f in files}
    processes = {f"cases.case:{f.case_id}" for f in files}
    events = []
    for employee_id in {f.employee_id for f in files}:
        for event in evidence_selectors.for_employee(actor.company_id, employee_id, limit=MAX_EVENTS):
            if event.subject_id in wanted.get(event.subject_type, ()) or (
                    event.subject_type == "workflows.processinstance" and _process_of(event) in processes):
                events.append(event)
    letters = LawyerLetter.objects.filter(file__in=files, **({"agency": agency} if agency else {}))
    documents = [(f"lawyer-letter-{x.pk}.txt", x.body.encode(), "lawyer_letter") for x in letters]
    names = "、".join(sorted({f.employee.name for f in files}))
    title = f"催收联系证据包 — {agency or names}"
    return build_package(actor.company_id, title=title, events=events, documents=documents, actor=actor,
                         employee=files[0].employee if len({f.employee_id for f in files}) == 1 else None)
