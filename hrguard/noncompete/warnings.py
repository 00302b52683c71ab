"""The 工作台 section of the non-compete follow-up (registered with ``hrguard.deadlines.watch`` in
``apps.ready``):
offers to decide after an exit, and agreements with compensation unpaid after its due date — with the months
unpaid and, from 3 months (SPC (I) Art. 38), that the former employee may cancel. One query, capped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrguard.deadlines.watch import Watch
from hrguard.law import noncompete as law

from .models import AgreementState, MonthState
from .selectors import agreements_for

LIMIT = 20


def hr_warnings(user: Any, today: dt.date) -> list[Watch]:
    if not user.has_perm("noncompete.view_list"):
        return []
    rows = (agreements_for(user).filter(Q(state=AgreementState.OFFERED) | Q(
        state__in=[AgreementState.ACTIVE, AgreementState.ENDED, AgreementState.RELEASED],
        months__state=MonthState.DUE, months__due_date__lt=today)).select_related("employee")
        .annotate(unpaid=Count("months", filter=Q(months__state=MonthState.DUE, months__due_date__lt=today)),
                  oldest=Min("months__due_date", filter=Q(months__state=MonthState.DUE, months__due_date__lt=today)))
        .distinct().order_by("oldest", "-created_at")[:LIMIT])
    out = []
    for a in rows:
        url = reverse("noncompete:detail", args=[a.pk])
        if a.state == AgreementState.OFFERED:
            out.append(Watch(_("Decide on the non-compete follow-up"), url, a.last_day, who=a.employee.name,
                             detail=_("The contract has a non-compete clause: %(clause)s") % {"clause": a.clause_title},
                             kind="noncompete_offer", badge=_("To decide"), tone="warning", overdue=False,
                             law=(law.ART_24,)))
            continue
        may_cancel = law.employee_may_cancel(a.unpaid)
        detail = _("The former employee may cancel the non-compete.") if may_cancel else _(
            "Pay before 3 months are unpaid: the former employee may then cancel.")
        out.append(Watch(ngettext("Non-compete compensation unpaid for %(n)d month",
                                  "Non-compete compensation unpaid for %(n)d months", a.unpaid) % {"n": a.unpaid},
                         url, a.oldest, who=a.employee.name, detail=detail, kind="noncompete_unpaid",
                         badge=_("May cancel") if may_cancel else _("Unpaid"), tone="danger", overdue=True,
                         law=(law.SPC_I_38,)))
    return out
