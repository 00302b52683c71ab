"""Template context shared by every page: the current company and the navigation bar.

The navigation is one list, ``NAV_ENTRIES``: to add a page to the top bar, append a ``NavEntry``
(group, label, URL name, who sees it). Entries whose URL name does not resolve (an app not installed
yet) are skipped, so the page never crashes on a missing route. Groups with a single visible entry
render as a plain link, others as a dropdown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from hrguard.core.roles import Role
from hrguard.people.scope import scope_of

UserCheck = Callable[[Any], bool]


# --- who sees what -------------------------------------------------------------------------------
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


def role_in(*roles: str) -> UserCheck:
    allowed = frozenset(roles)
    return lambda user: user.role in allowed


def perm(name: str) -> UserCheck:
    return lambda user: user.has_perm(name)


def any_of(*checks: UserCheck) -> UserCheck:
    return lambda user: any(check(user) for check in checks)


def external(dotted: str) -> UserCheck:
    """A predicate owned by another app ("package.module.function"), imported on first use, so this
    module never imports app code at start-up; an app that is missing or broken hides its entries."""

    def check(user: Any) -> bool:
        module_name, _sep, name = dotted.rpartition(".")
        try:
            func = getattr(import_module(module_name), name)
        except (ImportError, AttributeError):
            return False
        return bool(func(user))

    return check


DISCIPLINE = (Role.ADMIN, Role.HR, Role.LEGAL, Role.COMPLIANCE)
DOC_TRACKER = external("hrguard.documents.tracker.can_track")
DOC_SENDER = external("hrguard.documents.services.can_send")


@dataclass(frozen=True)
class NavEntry:
    group: str  # a key of NAV_GROUPS
    label: Any  # lazy translated string
    url_name: str
    visible: UserCheck = anyone


# Top-bar groups, in display order.
NAV_GROUPS: list[tuple[str, Any]] = [
    ("people", _("People")),
    ("attendance", _("Attendance & leave")),
    ("expenses", _("Expenses")),
    ("performance", _("Performance")),
    ("discipline", _("Discipline")),
    ("documents", _("Documents")),
    ("notifications", _("Notifications")),
    ("evidence", _("Evidence")),
    ("system", _("System")),
]

# Every navigable page. Apps added later append their entries here (one place).
NAV_ENTRIES: list[NavEntry] = [
    NavEntry("people", _("Roster"), "people:employee_list", oversees),
    NavEntry("people", _("My profile"), "people:my_profile", has_profile),
    NavEntry("people", _("Clause library"), "people:clause_list", is_hr),
    NavEntry("attendance", _("Attendance"), "activity:attendance_daily", any_of(has_profile, oversees)),
    NavEntry("attendance", _("My leave"), "activity:my_leave", has_profile),
    NavEntry("attendance", _("Leave approvals"), "activity:leave_approvals", any_of(is_hr, oversees)),
    NavEntry("attendance", _("All leave"), "activity:leave_list", oversees),
    NavEntry("expenses", _("My expenses"), "activity:my_expenses", has_profile),
    NavEntry(
        "expenses",
        _("Expense approvals"),
        "activity:expense_approvals",
        any_of(role_in(Role.ADMIN, Role.FINANCE), lambda u: scope_of(u).is_manager),
    ),
    NavEntry("expenses", _("Finance"), "activity:finance", perm("activity.view_finance_overview")),
    NavEntry("performance", _("Performance cycles"), "activity:cycles", any_of(has_profile, oversees)),
    NavEntry(
        "discipline",
        _("Violations"),
        "activity:violation_list",
        any_of(role_in(*DISCIPLINE), has_profile),
    ),
    NavEntry(
        "discipline",
        _("Client complaints"),
        "activity:complaint_list",
        any_of(role_in(*DISCIPLINE, Role.CLIENT_SERVICE), lambda u: scope_of(u).is_manager),
    ),
    NavEntry("discipline", _("Employee handbook"), "activity:handbook", perm("activity.manage_handbook")),
    NavEntry("documents", _("My documents"), "documents:mine", has_profile),
    NavEntry("documents", _("Signing requests"), "documents:request_list", DOC_TRACKER),
    NavEntry("documents", _("Send for signing"), "documents:request_create", DOC_SENDER),
    NavEntry("documents", _("Document templates"), "documents:template_list", DOC_TRACKER),
    NavEntry("notifications", _("Inbox"), "notify:inbox"),
    NavEntry("notifications", _("Undelivered notifications"), "notify:problems", is_hr),
    NavEntry("evidence", _("Evidence timeline"), "evidence:timeline_search", oversees),
    NavEntry("system", _("API documentation"), "api-docs", role_in(Role.ADMIN, Role.HR, Role.IT)),
]


@dataclass
class NavLink:
    label: Any
    url: str
    url_name: str
    active: bool = False


@dataclass
class NavGroup:
    key: str
    label: Any
    links: list[NavLink] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)


_URLS: dict[tuple[str, str | None, str, str], str | None] = {}


def _url(name: str) -> str | None:
    """``reverse(name)``, remembered per URL configuration: the navigation's ~20 routes are fixed for the
    life of the process, and reversing them cost ~0.3 ms a page."""
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), name)
    if key not in _URLS:
        try:
            _URLS[key] = reverse(name)
        except NoReverseMatch:
            _URLS[key] = None
    return _URLS[key]


def build_nav(request: HttpRequest, entries: list[NavEntry] | None = None) -> list[NavGroup]:
    """The navigation groups the request's user may see (empty for anonymous users)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "company_id", None):
        return []
    groups = {key: NavGroup(key, label) for key, label in NAV_GROUPS}
    links: list[NavLink] = []
    for entry in NAV_ENTRIES if entries is None else entries:
        url = _url(entry.url_name)
        if url is None or entry.group not in groups or not entry.visible(user):
            continue
        link = NavLink(entry.label, url, entry.url_name)
        groups[entry.group].links.append(link)
        links.append(link)
    # The longest URL that prefixes the current path marks the active page ("/people/me/" beats "/people/").
    path = request.path
    matches = [link for link in links if path == link.url or path.startswith(link.url.rstrip("/") + "/")]
    if matches:
        max(matches, key=lambda link: len(link.url)).active = True
    return [group for group in groups.values() if group.links]


def hrguard(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    company = getattr(user, "company", None) if user and user.is_authenticated else None
    return {
        "current_company": company,
        # Lazy: partial (htmx) responses that never show the bar don't pay for it.
        "nav_groups": SimpleLazyObject(lambda: build_nav(request)),
    }
