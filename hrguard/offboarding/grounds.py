"""Which legal grounds each kind of exit may use, the earliest lawful last day, and what the law
forbids or requires — all asked of ``hrguard.law.termination`` (no number is encoded here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrguard.law import termination as law
from hrguard.law.citations import Violation
from hrguard.law.termination import Ground, Protection

from .models import ExitKind

G = Ground
KIND_GROUNDS: dict[str, tuple[Ground, ...]] = {
    ExitKind.RESIGNATION: (G.RESIGNATION, G.EMPLOYER_FAULT, G.EMPLOYER_FAULT_IMMEDIATE),
    ExitKind.MUTUAL: (G.MUTUAL_EMPLOYER_PROPOSED, G.MUTUAL_EMPLOYEE_PROPOSED),
    ExitKind.FOR_CAUSE: tuple(sorted(law.FOR_CAUSE)),
    ExitKind.NO_FAULT: tuple(sorted(law.NO_FAULT)),
    ExitKind.LAYOFF: (G.LAYOFF,),
    ExitKind.EXPIRY: (G.EXPIRY, G.PENSION, G.DEATH, G.BANKRUPTCY, G.CLOSURE),
}
# 劝退 is not a ground: the exit records the ground actually used — an agreement the employer proposed
# (compensation due, Art. 46) or the employee's own resignation.
PERSUASION_GROUNDS = (G.MUTUAL_EMPLOYER_PROPOSED, G.RESIGNATION)
PROTECTIONS = tuple(Protection)


def law_text(v: Violation) -> str:
    """The refusal in the user's language; the law's messages already end with their article (once)."""
    zh = (get_language() or "zh-hans").startswith("zh")
    return v.message_zh if zh else v.message_en


def ground_label(ground: str) -> str:
    try:
        info = law.GROUNDS[Ground(ground)]
    except ValueError:
        return ground
    zh = (get_language() or "zh-hans").startswith("zh")
    return f"{info.zh if zh else info.en}（{info.citation.zh}）" if zh else f"{info.en} ({info.citation.en})"


def grounds_of(kind: str) -> tuple[Ground, ...]:
    return KIND_GROUNDS.get(kind, ())


@dataclass
class Facts:
    """What the exit is decided on: the employee's situation at the notice date."""

    in_probation: bool
    protections: set[Protection] = field(default_factory=set)
    contract_end: dt.date | None = None
    open_ended: bool = False


@dataclass
class Plan:
    ground: Ground
    earliest_last_day: dt.date
    union_required: bool
    compensation_due: bool
    notes: list[str] = field(default_factory=list)  # what the screen tells HR (and the employee)


def earliest_last_day(ground: Ground, *, notice_date: dt.date, facts: Facts, pay_in_lieu: bool,
                      union_notified_on: dt.date | None) -> dt.date:
    if ground == G.RESIGNATION:
        return law.resignation_effective_date(notice_date, facts.in_probation)
    if ground in law.NO_FAULT and not pay_in_lieu:
        return law.no_fault_notice_date(notice_date)
    if ground == G.LAYOFF:
        start = max(notice_date, union_notified_on or notice_date)
        return start + dt.timedelta(days=law.LAYOFF_EXPLAIN_DAYS_AHEAD)
    if ground == G.EXPIRY and facts.contract_end is not None:
        return max(notice_date, facts.contract_end)
    return notice_date


def _ground(kind: str, ground: Any, persuasion: bool, errors: dict[str, list[str]]) -> Ground | None:
    allowed = grounds_of(kind)
    if not allowed:
        errors.setdefault("kind", []).append(_("Choose the kind of exit."))
        return None
    try:
        chosen = Ground(str(ground)) if ground not in (None, "") else (
            allowed[0] if len(allowed) == 1 or kind == ExitKind.RESIGNATION else None)
    except ValueError:
        chosen = None
    if chosen is None or chosen not in allowed:
        errors.setdefault("ground", []).append(_("Choose a legal ground that fits this kind of exit."))
        return None
    if persuasion and chosen not in PERSUASION_GROUNDS:
        errors.setdefault("ground", []).append(_(
            "A persuasion (劝退) is recorded as the ground actually used: an agreement proposed by the company "
            "(LCL Art. 36) or the employee's own resignation (LCL Art. 37)."))
        return None
    return chosen


def plan(*, kind: str, ground: Any, persuasion: bool, pay_in_lieu: bool, notice_date: dt.date, last_day: dt.date,
         facts: Facts, union_notified_on: dt.date | None) -> tuple[Plan | None, dict[str, list[str]]]:
    """Check the exit against the law; (plan, {}) or (None, errors by field)."""
    errors: dict[str, list[str]] = {}
    chosen = _ground(kind, ground, persuasion, errors)
    if chosen is None:
        return None, errors
    info = law.GROUNDS[chosen]
    if pay_in_lieu and chosen not in law.NO_FAULT:
        errors.setdefault("pay_in_lieu", []).append(
            _("Pay in lieu of notice applies only to a dismissal under LCL Art. 40."))
    if chosen == G.EXPIRY and facts.open_ended:
        errors.setdefault("ground", []).append(_("An open-ended contract does not expire (LCL Art. 44(1))."))
    bar = law.can_terminate(chosen, facts.protections, in_probation=facts.in_probation)
    if bar is not None:
        errors.setdefault("ground", []).append(law_text(bar))
    union = law.union_notice_required(chosen)
    if union and union_notified_on is None:
        errors.setdefault("union_notified_on", []).append(_(
            "A termination by the company must be notified to the union with its reasons beforehand "
            "(LCL Art. 43): record the date the union was notified."))
    elif union and union_notified_on is not None and union_notified_on > last_day:
        errors.setdefault("union_notified_on", []).append(
            _("The union is notified before the contract ends (LCL Art. 43), not after the last day."))
    if last_day < notice_date:
        errors.setdefault("last_day", []).append(_("The last working day cannot be before the notice date."))
    earliest = earliest_last_day(chosen, notice_date=notice_date, facts=facts, pay_in_lieu=pay_in_lieu,
                                 union_notified_on=union_notified_on)
    if not errors and last_day < earliest:
        errors.setdefault("last_day", []).append(_last_day_error(chosen, earliest, facts))
    if errors:
        return None, errors
    return Plan(chosen, earliest, union, info.compensation_due, notes(chosen, facts, persuasion)), {}


def _last_day_error(ground: Ground, earliest: dt.date, facts: Facts) -> str:
    if ground == G.RESIGNATION:
        days = law.resignation_notice_days(facts.in_probation)
        return _("A resignation takes effect %(days)d days after the written notice (LCL Art. 37): the last day is "
                 "%(date)s at the earliest. An earlier date needs an agreement (LCL Art. 36).") % {
            "days": days, "date": earliest.isoformat()}
    if ground in law.NO_FAULT:
        return _("Without pay in lieu, a dismissal under LCL Art. 40 needs %(days)d days' written notice: the last "
                 "day is %(date)s at the earliest.") % {"days": law.NO_FAULT_NOTICE_DAYS, "date": earliest.isoformat()}
    if ground == G.EXPIRY:
        return _("The contract ends on %(date)s; it cannot be ended earlier as an expiry.") % {
            "date": earliest.isoformat()}
    return _("The last day is %(date)s at the earliest.") % {"date": earliest.isoformat()}


def notes(ground: Ground, facts: Facts, persuasion: bool) -> list[str]:
    out = []
    if ground == G.RESIGNATION:
        out.append(_("A resignation with notice cannot be refused by the company (LCL Art. 37): it takes effect on "
                     "the statutory last day whatever the state of the handover."))
    if persuasion:
        out.append(_("Persuasion (劝退) is recorded as the ground actually used; if the company proposed the "
                     "departure, economic compensation is due (LCL Art. 46)."))
    if law.GROUNDS[ground].compensation_due:
        out.append(_("Economic compensation is due (LCL Art. 46); it is paid when the handover is complete "
                     "(LCL Art. 50)."))
    return out


def protections_from(values: Iterable[Any]) -> tuple[set[Protection], list[str]]:
    found, bad = set(), []
    for v in values or []:
        try:
            found.add(Protection(str(v)))
        except ValueError:
            bad.append(str(v))
    return found, bad


def protection_label(p: str) -> str:
    try:
        prot = Protection(p)
    except ValueError:
        return p
    zh = (get_language() or "zh-hans").startswith("zh")
    return law.PROTECTION_ZH[prot] if zh else law.PROTECTION_EN[prot]


def is_zh() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


def law_text_plain(text: str, citation: Any) -> str:
    return f"{text}（{citation.zh}）" if is_zh() else f"{text} ({citation.en})"
