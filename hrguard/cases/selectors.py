"""Tenant-scoped reads of cases: what the user may list (a party never sees the case; confidentiality
decides the rest — see ``permissions``), one case with its parties, links and engine steps, the clock,
and statistics. Lists are a constant number of queries whatever their size."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hrguard.core.models import User
from hrguard.core.roles import HR_ROLES
from hrguard.people.scope import scope_of
from hrguard.workflows import selectors as workflow_selectors

from . import types
from .models import Case, CaseLink, CaseMember, CaseParty, CaseState, Confidentiality, RootCause
from .permissions import NORMAL_READERS, RESTRICTED_READERS, STRICT_READERS


def _visible_types(user: User) -> list[str]:
    return [t.key for t in types.all_types() if not t.view_perm or user.has_perm(t.view_perm)]


def visible_cases(user: User) -> QuerySet[Case]:
    """The cases the user may see, as one filtered query (the same rules as ``cases.view_case``)."""
    if not user.is_authenticated or user.company_id is None:
        return Case.objects.none()
    company = user.company_id
    employee_id = scope_of(user).employee_id
    party = Exists(CaseParty.objects.filter(company_id=company, case_id=OuterRef("pk")).filter(
        Q(user_id=user.pk) | Q(employee_id=employee_id or -1)))
    member = Exists(CaseMember.objects.filter(company_id=company, case_id=OuterRef("pk"), user_id=user.pk))
    levels = [lvl for lvl, readers in ((Confidentiality.NORMAL, NORMAL_READERS),
                                       (Confidentiality.RESTRICTED, RESTRICTED_READERS),
                                       (Confidentiality.STRICT, STRICT_READERS)) if user.role in readers]
    admitted = Q(confidentiality__in=levels) | Q(opened_by_id=user.pk) | member
    partnered = scope_of(user).partnered_paths
    if partnered:
        paths = Q()
        for path in partnered:
            paths |= Q(subject_employee__department_path__startswith=path)
        admitted |= Q(confidentiality=Confidentiality.NORMAL) & paths
    qs = Case.objects.filter(company_id=company, case_type__in=_visible_types(user)).filter(admitted).filter(~party)
    if employee_id:
        qs = qs.exclude(subject_employee_id=employee_id)
    return qs


def case_list(user: User, *, state: str = "", case_type: str = "", limit: int = 100) -> list[Case]:
    qs = visible_cases(user).select_related("subject_employee", "opened_by")
    if state in CaseState.values:
        qs = qs.filter(state=state)
    if case_type:
        qs = qs.filter(case_type=case_type)
    return list(qs.order_by("-opened_at", "-id")[:limit])


def case_for(user: User, pk: Any) -> Case:
    """One case the user may see, or Http404 (another company's, a party's own, too confidential)."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such case.")) from None
    case = (Case.objects.filter(company_id=user.company_id, pk=number)
            .select_related("subject_employee", "subject_employee__department", "opened_by", "closed_by").first())
    if case is None or not user.has_perm("cases.view_case", case):
        raise Http404(_("No such case."))
    return case


def handling_seconds(case: Case, now: dt.datetime | None = None) -> int:
    """Total handling time: the closed periods plus the running one."""
    total = case.handling_seconds or 0
    if case.state == CaseState.OPEN:
        total += max(0, int(((now or timezone.now()) - case.last_opened_at).total_seconds()))
    return total


@dataclass
class StepView:
    step: Any
    overdue: bool
    paused: bool


@dataclass
class CaseDetail:
    case: Case
    case_type: types.CaseType | None
    parties: list[CaseParty]
    links: list[CaseLink]
    members: list[CaseMember]
    steps: list[StepView] = field(default_factory=list)
    actionable: set[int] = field(default_factory=set)
    process_state: str = ""
    handling_seconds: int = 0
    can_manage: bool = False


def case_detail(user: User, pk: Any) -> CaseDetail:
    case = case_for(user, pk)
    now = timezone.now()
    detail = CaseDetail(
        case=case, case_type=types.get(case.case_type),
        parties=list(CaseParty.objects.filter(company_id=case.company_id, case=case).select_related("employee")
                     .order_by("kind", "id")),
        links=list(CaseLink.objects.filter(company_id=case.company_id, case=case).order_by("added_at", "id")),
        members=list(CaseMember.objects.filter(company_id=case.company_id, case=case).select_related("user")),
        handling_seconds=handling_seconds(case, now), can_manage=user.has_perm("cases.manage_case", case),
    )
    if case.process_id:
        process = workflow_selectors.instance_detail(user=user, instance_id=case.process_id)
        detail.process_state = process.instance.state
        detail.actionable = process.actionable
        detail.steps = [StepView(s, s.state == "open" and s.due_at is not None and s.due_at < now,
                                 s.state == "paused") for s in process.steps]
    return detail


@dataclass
class OwnSteps:
    """What the owner of a step sees of a case they may not read: the case's number and type, whom it is
    about, and their own steps (form, due time, their outcome) — no description, parties, links, members
    nor the other steps."""

    case: Case
    case_type: types.CaseType | None
    steps: list[StepView]
    actionable: set[int]


def own_steps(user: User, pk: Any) -> OwnSteps:
    """The steps of a case's process assigned to the user (or acted on by them), when the user may not
    read the case itself; Http404 for anyone else — another company, a party (never, whatever step they
    hold), someone who holds no step of it."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such case.")) from None
    case = (Case.objects.filter(company_id=user.company_id, pk=number, process__isnull=False)
            .select_related("subject_employee").first())
    if case is None or not user.has_perm("cases.view_own_step", case):
        raise Http404(_("No such case."))
    now = timezone.now()
    steps = workflow_selectors.held_steps(user=user, company_id=case.company_id, instance_id=case.process_id)
    return OwnSteps(case=case, case_type=types.get(case.case_type), steps=[
        StepView(s, s.state == "open" and s.due_at is not None and s.due_at < now, s.state == "paused")
        for s in steps], actionable={s.pk for s in steps if workflow_selectors.may_act(user=user, step=s)})


@dataclass
class Stats:
    total: int
    open: int
    by_type: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_root_cause: list[tuple[str, int]]
    median_hours: float | None
    median_by_type: dict[str, float]


def case_stats(user: User) -> Stats:
    """Counts by type, category and root cause and the median handling time of closed cases (4 queries)."""
    qs = visible_cases(user)
    by_type = {r["case_type"]: r["n"] for r in qs.values("case_type").annotate(n=Count("id")).order_by()}
    by_cat = list(qs.values("case_type", "category").annotate(n=Count("id")).order_by("-n", "category"))
    by_root = list(qs.exclude(root_cause="").values("root_cause").annotate(n=Count("id")).order_by("-n"))
    closed = list(qs.filter(state=CaseState.CLOSED, handling_seconds__isnull=False)
                  .values_list("case_type", "handling_seconds")[:10000])
    per_type: dict[str, list[int]] = {}
    for key, seconds in closed:
        per_type.setdefault(key, []).append(seconds)
    label = {t.key: t for t in types.all_types()}
    causes = dict(RootCause.choices)
    return Stats(
        total=sum(by_type.values()), open=qs.filter(state=CaseState.OPEN).count(),
        by_type=[(str(label[k].label) if k in label else k, n) for k, n in by_type.items()],
        by_category=[(label[r["case_type"]].category_label(r["category"]) if r["case_type"] in label
                      else r["category"], r["n"]) for r in by_cat if r["category"]],
        by_root_cause=[(str(causes.get(r["root_cause"], r["root_cause"])), r["n"]) for r in by_root],
        median_hours=round(statistics.median(s for _, s in closed) / 3600, 1) if closed else None,
        median_by_type={str(label[k].label) if k in label else k: round(statistics.median(v) / 3600, 1)
                        for k, v in per_type.items()},
    )


def is_hr(user: User) -> bool:
    return user.is_authenticated and user.role in HR_ROLES
