"""Who may open which page: one predicate per URL name.

The same predicate decides whether a link to the page is drawn — the top navigation
(``context_processors.NAV_ENTRIES``), tabs and buttons in templates (``{% load pages %}``,
``{% if request.user|may_open:"documents:policy_edit" %}``) — and whether the view answers: views guard
themselves with ``@guard("url:name")`` or call ``may_open``. So no role is shown a link whose page
refuses it (403), and a page cannot be reached by a role the navigation hides it from.

Predicates owned by an app are named by dotted path (``external``) and imported on first use, so this
module imports no app code at start-up; an app that is missing or broken hides its pages.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import import_module
from typing import Any

import rules
from django.core.exceptions import PermissionDenied

from hrguard.core.roles import Role

from .scope import scope_of

UserCheck = Callable[[Any], bool]


# --- predicate helpers -----------------------------------------------------------------------------
def anyone(user: Any) -> bool:
    return True


def has_profile(user: Any) -> bool:
    """The user is an employee (has an employee record): self-service pages."""
    return bool(scope_of(user).employee_id)


def is_hr(user: Any) -> bool:
    return bool(user.is_hr)


def oversees(user: Any) -> bool:
    """Sees other people: roster readers, department managers and HR business partners."""
    scope = scope_of(user)
    return bool(user.reads_roster or scope.is_manager or scope.partnered_paths)


def is_manager(user: Any) -> bool:
    return scope_of(user).is_manager


def role_in(*roles: str) -> UserCheck:
    allowed = frozenset(roles)
    return lambda user: user.role in allowed


def perm(name: str) -> UserCheck:
    """A ``rules`` permission, asked of the rules registry alone: a "no" must not fall through to Django's
    model backend, which would load the user's and the groups' permission tables on every page."""
    return lambda user: rules.has_perm(name, user)


def any_of(*checks: UserCheck) -> UserCheck:
    return lambda user: any(check(user) for check in checks)


def external(dotted: str) -> UserCheck:
    """A predicate owned by another app ("package.module.function"), imported on first use."""

    found: list[Any] = []  # the function, once imported (asked for on every page by the navigation)

    def check(user: Any) -> bool:
        if not found:
            module_name, _sep, name = dotted.rpartition(".")
            try:
                found.append(getattr(import_module(module_name), name))
            except (ImportError, AttributeError):
                return False
        return bool(found[0](user))

    return check


DISCIPLINE = (Role.ADMIN, Role.HR, Role.LEGAL, Role.COMPLIANCE)
DOC_TRACKER = external("hrguard.documents.tracker.can_track")
DOC_SENDER = external("hrguard.documents.services.can_send")
DOC_EDITOR = external("hrguard.documents.library.can_edit_templates")
VIOLATION_READERS = any_of(role_in(*DISCIPLINE), has_profile)
SETTINGS_READERS = external("hrguard.configuration.permissions.can_view")
SETTINGS_ADMIN = external("hrguard.configuration.permissions.can_manage_accounts")
WEBHOOKS = external("hrguard.integrations.permissions.can_manage")
CALCULATORS = external("hrguard.calculators.permissions.can_calculate")
COMPLAINT_READERS = any_of(role_in(*DISCIPLINE, Role.CLIENT_SERVICE), is_manager)

# URL name → who may open it. Pages not listed are open to every signed-in user of a company (their
# views still filter what each user sees).
PAGES: dict[str, UserCheck] = {
    "people:employee_list": oversees,
    "people:my_profile": has_profile,
    "people:clause_list": is_hr,
    "activity:attendance_daily": any_of(has_profile, oversees),
    "activity:my_leave": has_profile,
    "activity:leave_approvals": any_of(is_hr, oversees),
    "activity:leave_list": oversees,
    "activity:my_expenses": has_profile,
    # HR reads every claim (an expense reader) without deciding; finance and managers decide.
    "activity:expense_approvals": any_of(role_in(Role.ADMIN, Role.HR, Role.FINANCE), is_manager),
    "activity:finance": perm("expenses.view_finance_overview"),
    "activity:cycles": any_of(has_profile, oversees),
    "activity:violation_list": VIOLATION_READERS,
    "activity:violation_export": VIOLATION_READERS,
    "activity:violation_create": external("hrguard.records.access.may_record_violations"),
    "activity:complaint_list": COMPLAINT_READERS,
    "activity:complaint_export": COMPLAINT_READERS,
    "activity:complaint_create": external("hrguard.records.access.may_record_complaints"),
    "activity:handbook": perm("discipline.manage_handbook"),
    "documents:mine": has_profile,
    "documents:request_list": DOC_TRACKER,
    "documents:request_create": DOC_SENDER,
    "documents:template_list": DOC_TRACKER,
    "documents:policy_edit": DOC_EDITOR,
    "documents:identity_policy": DOC_EDITOR,
    "notify:inbox": anyone,
    "notify:problems": is_hr,
    "evidence:timeline_search": oversees,
    "api-docs": role_in(Role.ADMIN, Role.HR, Role.IT),
    "workflows:template_list": perm("workflows.manage_templates"),
    "workflows:template_edit": perm("workflows.manage_templates"),
    # Settings (hrguard.configuration.permissions has the matrix): the 设置 home, logins and channels are
    # the administrator's alone; HR also reads the org tree and company facts and edits chat ids.
    "settings:index": SETTINGS_ADMIN,
    "settings:accounts": SETTINGS_ADMIN,
    "settings:accounts_new": SETTINGS_ADMIN,
    "settings:account_action": SETTINGS_ADMIN,
    "settings:org": SETTINGS_READERS,
    "settings:org_department": perm("configuration.manage_org"),
    "settings:org_position": perm("configuration.manage_org"),
    "settings:channels": SETTINGS_ADMIN,
    "settings:identities": SETTINGS_READERS,
    "settings:identity_save": SETTINGS_READERS,
    "settings:identity_import": SETTINGS_READERS,
    "settings:facts": SETTINGS_READERS,
    # Calculators and the departure risk report: HR, legal and the administrator.
    **{f"calculators:{name}": CALCULATORS for name in (
        "index", "compensation", "last_day", "probation", "annual_leave", "non_compete", "wages", "risk_report")},
    "offboarding:dashboard": perm("offboarding.view_dashboard"),
    "risk:alerts": perm("risk.view_alerts"),
    "risk:rules": perm("risk.manage_rules"),
    "risk:checks": is_hr,
    "noncompete:index": perm("noncompete.view_list"),
    # 设置 → 数据推送 (outbound webhooks): the company administrator's alone.
    **{f"webhooks:{name}": WEBHOOKS for name in ("endpoints", "endpoint", "rotate", "deliveries", "resend")},
    # Employee care (hrguard/care): HR care roles; emergency aid also finance; 我的关怀 every employee.
    "care:talks": perm("care.view_care"),
    "care:aid_list": perm("care.view_aid_list"),
    "care:programmes": perm("care.view_care"),
    "care:eap_admin": perm("care.view_care"),
    "care:mine": has_profile,
    # Cases (hrguard.cases.permissions): the list and statistics for admin, HR, legal, compliance (each case
    # is checked again by confidentiality and parties); opening one and the clients' revenue figures.
    "cases:list": perm("cases.view_stats"),
    "cases:stats": perm("cases.view_stats"),
    "cases:new": perm("cases.open_case"),
    "clients:list": perm("clients.view_clients"),
    "clients:import": perm("clients.manage_clients"),
    "clients:import_template": perm("clients.manage_clients"),
    "cases:keyperson_parameters": perm("cases.view_stats"),
    # Debt-collection contacts (hrguard.collection.permissions): the log and numbers for readers (admin, HR,
    # legal, granted readers); the phone form for those who log (admin, HR, a granted front desk).
    "collection:log": perm("collection.view_contacts"),
    "collection:numbers": perm("collection.view_contacts"),
    "collection:new": perm("collection.log_contact"),
    "collection:policy": perm("collection.manage"),
}


def check_for(url_name: str) -> UserCheck:
    """The predicate of a page (``anyone`` for pages not listed)."""
    return PAGES.get(url_name, anyone)


def may_open(user: Any, url_name: str) -> bool:
    if user is None or not user.is_authenticated or not getattr(user, "company_id", None):
        return False
    return bool(check_for(url_name)(user))


def guard(url_name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: 403 unless ``may_open(request.user, url_name)`` (put it under ``login_required``)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not may_open(request.user, url_name):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
