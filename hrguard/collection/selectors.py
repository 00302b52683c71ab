"""Reads of collection contacts (issue 12 §5, §8). Every read of the log is a sensitive read: it writes
``collection.viewed``; a refused attempt writes ``collection.access_denied`` (in its own transaction, so
the refusal survives the 403) and raises ``PermissionDenied``.

* ``contact_log(user, *, employee_id=None, agency="", limit=200)`` → contacts (one query);
* ``file_detail(user, case_id)`` → ``FileDetail`` (contacts, responses, letters, police reports);
* ``files_for(user)`` → open and closed collection files the user may read;
* ``monthly(user, *, months=12, as_of=None)`` → per month: by agency, by employee, response times,
  outcomes, and the before/after comparison around the first lawyer letter;
* ``contacts_last_30_days(company_id, as_of)`` → ``{employee_id: count}`` — set-based, for the risk
  signal "collection contacts in the last 30 days" (one query, no permission: a system read);
* ``own_files(user)`` — the employee's own files (self-service answer page; no contact details)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.evidence.services import Subject
from hrguard.people.scope import scope_of

from .models import CollectionFile, Contact, FileStatus, LawyerLetter, PoliceReport, Response

ATTACHMENT_OWNER = "collection.contact"


def deny(user: Any, what: str, target: Any = None) -> None:
    """Record the refused attempt (committed even though the request ends in a 403) and refuse."""
    if getattr(user, "is_authenticated", False) and user.company_id is not None:
        with transaction.atomic():
            evidence.record(user.company_id, user, "collection.access_denied",
                            Subject("collection.log", str(target or "all")), {"what": what, "role": user.role})
    raise PermissionDenied(_("You may not see collection contacts."))


def _require_view(user: Any, what: str, case: Any = None, target: Any = None) -> None:
    if not user.has_perm("collection.view_contacts", case):
        deny(user, what, target)


def _visible_contacts(user: User) -> QuerySet[Contact]:
    qs = Contact.objects.filter(company_id=user.company_id)
    own = scope_of(user).employee_id
    return qs.exclude(employee_id=own) if own is not None else qs


def contact_log(user: User, *, employee_id: int | None = None, agency: str = "", limit: int = 200) -> list[Contact]:
    _require_view(user, "log")
    qs = _visible_contacts(user).select_related("employee", "file__case", "logged_by")
    if employee_id is not None:
        qs = qs.filter(employee_id=employee_id)
    if agency:
        qs = qs.filter(agency=agency)
    rows = list(qs.order_by("-occurred_at", "-id")[:limit])
    with transaction.atomic():
        evidence.record(user.company_id, user, "collection.viewed", Subject("collection.log", "all"),
                        {"rows": len(rows), "employee": employee_id, "agency": agency})
    return rows


def contact_for(user: User, pk: Any) -> Contact:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        key = 0
    contact = (Contact.objects.select_related("employee", "file__case", "logged_by")
               .filter(company_id=user.company_id, pk=key).first())
    _require_view(user, "contact", contact.file.case if contact else None, key)
    if contact is None:
        deny(user, "contact", key)
    assert contact is not None
    with transaction.atomic():
        evidence.record(user.company_id, user, "collection.viewed", contact, {"contact": contact.pk},
                        employee=contact.employee_id)
    return contact


def contact_for_attachment(user: User, pk: int) -> Contact | None:
    contact = Contact.objects.select_related("file__case").filter(company_id=user.company_id, pk=pk).first()
    if contact is None or not user.has_perm("collection.view_contacts", contact.file.case):
        return None
    return contact


def files_for(user: User, *, limit: int = 200) -> list[CollectionFile]:
    _require_view(user, "files")
    own = scope_of(user).employee_id
    qs = (CollectionFile.objects.filter(company_id=user.company_id).select_related("case", "employee")
          .annotate(n_contacts=Count("contacts")))
    if own is not None:
        qs = qs.exclude(employee_id=own)
    return list(qs.order_by("-created_at")[:limit])


@dataclass
class FileDetail:
    file: CollectionFile
    contacts: list[Contact]
    responses: list[Response]
    letters: list[LawyerLetter]
    police_reports: list[PoliceReport]
    agencies: list[str] = field(default_factory=list)


def file_detail(user: User, case_id: Any) -> FileDetail:
    try:
        key = int(case_id)
    except (TypeError, ValueError):
        key = 0
    file = (CollectionFile.objects.select_related("case", "employee")
            .filter(company_id=user.company_id, case_id=key).first())
    _require_view(user, "file", file.case if file else None, key)
    if file is None:
        deny(user, "file", key)
    assert file is not None
    contacts = list(file.contacts.select_related("logged_by").order_by("occurred_at", "id"))
    with transaction.atomic():
        evidence.record(user.company_id, user, "collection.viewed", file, {"case": file.case.number},
                        employee=file.employee_id)
    return FileDetail(file=file, contacts=contacts, responses=list(file.responses.order_by("created_at")),
                      letters=list(file.letters.order_by("created_at")),
                      police_reports=list(file.police_reports.order_by("reported_on")),
                      agencies=sorted({c.agency for c in contacts}))


def own_files(user: User) -> list[CollectionFile]:
    """The employee's own files: only that something was recorded and when an answer is due."""
    own = scope_of(user).employee_id
    if own is None:
        return []
    return list(CollectionFile.objects.filter(company_id=user.company_id, employee_id=own)
                .exclude(status=FileStatus.CLOSED).select_related("case").order_by("-created_at"))


def own_file(user: User, case_id: Any) -> CollectionFile:
    try:
        key = int(case_id)
    except (TypeError, ValueError):
        key = 0
    for f in own_files(user):
        if f.case_id == key:
            return f
    raise PermissionDenied(_("You may answer only about yourself."))


def pending_answer(file: CollectionFile) -> Contact | None:
    return file.contacts.filter(responded_at__isnull=True).order_by("response_due_at").first()


def contacts_last_30_days(company_id: int, as_of: dt.datetime | None = None) -> dict[int, int]:
    as_of = as_of or timezone.now()
    rows = (Contact.objects.filter(company_id=company_id, occurred_at__gt=as_of - dt.timedelta(days=30),
                                   occurred_at__lte=as_of)
            .values("employee_id").annotate(n=Count("id")).order_by())
    return {r["employee_id"]: r["n"] for r in rows}


@dataclass
class Month:
    key: str  # "2026-11"
    total: int = 0
    by_agency: dict[str, int] = field(default_factory=dict)
    by_employee: dict[str, int] = field(default_factory=dict)
    median_response_hours: float | None = None
    answered: int = 0
    unanswered: int = 0


@dataclass
class Numbers:
    months: list[Month]
    agencies: list[str]
    letter_at: dt.datetime | None
    before: int  # contacts in the 30 days before the first lawyer letter
    after: int  # contacts in the 30 days after it
    outcomes: dict[str, int]


def _month_keys(as_of: dt.date, months: int) -> list[str]:
    y, m = as_of.year, as_of.month
    keys = []
    for _i in range(months):
        keys.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return list(reversed(keys))


def monthly(user: User, *, months: int = 12, as_of: dt.datetime | None = None) -> Numbers:
    """Per month (local time); contacts by employee only for readers of the log. Three queries."""
    _require_view(user, "numbers")
    as_of = as_of or timezone.now()
    keys = _month_keys(timezone.localtime(as_of).date(), months)
    table = {k: Month(k) for k in keys}
    hours: dict[str, list[float]] = defaultdict(list)
    by_agency: dict[str, Counter[str]] = defaultdict(Counter)
    by_employee: dict[str, Counter[str]] = defaultdict(Counter)
    y, m = (int(x) for x in keys[0].split("-"))
    start = timezone.make_aware(dt.datetime(y, m, 1)) - dt.timedelta(days=31)
    contacts = list(_visible_contacts(user).filter(occurred_at__gte=start).select_related("employee").only(
        "occurred_at", "agency", "notified_at", "responded_at", "employee__name"))
    for c in contacts:
        key = timezone.localtime(c.occurred_at).strftime("%Y-%m")
        if key not in table:
            continue
        row = table[key]
        row.total += 1
        by_agency[key][c.agency] += 1
        by_employee[key][c.employee.name] += 1
        if c.responded_at and c.notified_at:
            row.answered += 1
            hours[key].append((c.responded_at - c.notified_at).total_seconds() / 3600)
        else:
            row.unanswered += 1
    for key, row in table.items():
        row.by_agency, row.by_employee = dict(by_agency[key]), dict(by_employee[key])
        row.median_response_hours = round(statistics.median(hours[key]), 1) if hours[key] else None
    first = LawyerLetter.objects.filter(company_id=user.company_id).order_by("created_at").first()
    letter_at = first.created_at if first else None
    window = dt.timedelta(days=30)
    before = sum(1 for c in contacts if letter_at and letter_at - window <= c.occurred_at < letter_at)
    after = sum(1 for c in contacts if letter_at and letter_at <= c.occurred_at < letter_at + window)
    outcomes = dict(Counter(CollectionFile.objects.filter(company_id=user.company_id)
                            .values_list("status", flat=True)))
    return Numbers(months=list(table.values()), agencies=sorted({a for c in by_agency.values() for a in c}),
                   letter_at=letter_at, before=before, after=after, outcomes=outcomes)
