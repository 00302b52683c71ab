"""Template context shared by every page: the current company and the navigation bar.

The navigation is one list, ``NAV_ENTRIES``: to add a page to the top bar, append a ``NavEntry``
(group, label, URL name); who sees it is the page's predicate in ``pages.PAGES``, which its view checks
too. Entries whose URL name does not resolve (an app not installed
yet) are skipped, so the page never crashes on a missing route. Groups with a single visible entry
render as a plain link, others as a dropdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from hrguard.notify.services import BADGE_CAP, unread_up_to
from hrguard.people.pages import UserCheck, anyone, check_for, external

# Who sees which link: the page predicates of ``pages`` (the views check the same ones).
__all__ = ["NAV_ENTRIES", "NavEntry", "build_nav", "external", "hrguard"]


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
    ("processes", _("Processes")),
    ("exits", _("Exits")),
    ("risk", _("Early warning")),
    ("cases", _("Cases")),
    ("documents", _("Documents")),
    ("notifications", _("Notifications")),
    ("evidence", _("Evidence")),
    ("calculators", _("Calculators")),
    ("system", _("System")),
    ("settings", _("Settings")),
]

# Every navigable page. Apps added later append their entries here (one place); who sees an entry is
# the page's predicate in ``pages.PAGES``, the one its view checks.
def _entry(group: str, label: Any, url_name: str) -> NavEntry:
    return NavEntry(group, label, url_name, check_for(url_name))


NAV_ENTRIES: list[NavEntry] = [
    _entry("people", _("Roster"), "people:employee_list"),
    _entry("people", _("My profile"), "people:my_profile"),
    _entry("people", _("Clause library"), "people:clause_list"),
    _entry("people", _("Departments and positions"), "settings:org"),
    _entry("attendance", _("Attendance"), "activity:attendance_daily"),
    _entry("attendance", _("My leave"), "activity:my_leave"),
    _entry("attendance", _("Leave approvals"), "activity:leave_approvals"),
    _entry("attendance", _("All leave"), "activity:leave_list"),
    _entry("expenses", _("My expenses"), "activity:my_expenses"),
    _entry("expenses", _("Expense approvals"), "activity:expense_approvals"),
    _entry("expenses", _("Finance"), "activity:finance"),
    _entry("performance", _("Performance cycles"), "activity:cycles"),
    _entry("discipline", _("Violations"), "activity:violation_list"),
    _entry("discipline", _("Client complaints"), "activity:complaint_list"),
    _entry("discipline", _("Employee handbook"), "activity:handbook"),
    _entry("processes", _("My tasks"), "workflows:tasks"),
    _entry("processes", _("Processes"), "workflows:instance_list"),
    _entry("processes", _("Process templates"), "workflows:template_list"),
    _entry("exits", _("Exits in progress"), "offboarding:dashboard"),
    _entry("exits", _("My exit"), "offboarding:mine"),
    _entry("risk", _("Alerts"), "risk:alerts"),
    _entry("risk", _("Early-warning rules"), "risk:rules"),
    _entry("risk", _("Background checks"), "risk:checks"),
    _entry("risk", _("Early-warning rules applied to me"), "risk:mine"),
    _entry("exits", _("Non-compete follow-up"), "noncompete:index"),
    _entry("people", _("My care"), "care:mine"),
    _entry("people", _("Care talks"), "care:talks"),
    _entry("people", _("Emergency aid"), "care:aid_list"),
    _entry("people", _("Care programmes"), "care:programmes"),
    _entry("people", _("EAP (anonymous counts)"), "care:eap_admin"),
    _entry("cases", _("Incident cases"), "cases:list"),
    _entry("cases", _("Case statistics"), "cases:stats"),
    _entry("cases", _("Clients"), "clients:list"),
    _entry("cases", _("Collection contacts"), "collection:log"),
    _entry("cases", _("Log a collection contact"), "collection:new"),
    _entry("cases", _("Collection numbers"), "collection:numbers"),
    _entry("cases", _("Financial conduct policy"), "collection:policy"),
    _entry("documents", _("My documents"), "documents:mine"),
    _entry("documents", _("Signing requests"), "documents:request_list"),
    _entry("documents", _("Send for signing"), "documents:request_create"),
    _entry("documents", _("Document templates"), "documents:template_list"),
    _entry("notifications", _("Inbox"), "notify:inbox"),
    _entry("notifications", _("Undelivered notifications"), "notify:problems"),
    _entry("evidence", _("Evidence timeline"), "evidence:timeline_search"),
    _entry("calculators", _("Economic compensation"), "calculators:compensation"),
    _entry("calculators", _("Last working day"), "calculators:last_day"),
    _entry("calculators", _("Maximum probation"), "calculators:probation"),
    _entry("calculators", _("Statutory annual leave"), "calculators:annual_leave"),
    _entry("calculators", _("Non-compete compensation"), "calculators:non_compete"),
    _entry("calculators", _("Wage history"), "calculators:wages"),
    _entry("system", _("API documentation"), "api-docs"),
    _entry("settings", _("Settings"), "settings:index"),  # 设置: company administrators only
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


def _url(name: str, configuration: tuple[Any, ...] | None = None) -> str | None:
    """``reverse(name)``, remembered per URL configuration (``_configuration()``, which a caller asking
    for many names may pass): the navigation's ~20 routes are fixed for the life of the process, and
    reversing them cost ~0.3 ms a page."""
    key = (*(configuration or _configuration()), name)
    if key not in _URLS:
        try:
            _URLS[key] = reverse(name)
        except NoReverseMatch:
            _URLS[key] = None
    return _URLS[key]


def _configuration() -> tuple[Any, ...]:
    return settings.ROOT_URLCONF, get_urlconf(), get_script_prefix()


def build_nav(request: HttpRequest, entries: list[NavEntry] | None = None) -> list[NavGroup]:
    """The navigation groups the request's user may see (empty for anonymous users)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "company_id", None):
        return []
    groups = {key: NavGroup(key, label) for key, label in NAV_GROUPS}
    links: list[NavLink] = []
    configuration = _configuration()
    for entry in NAV_ENTRIES if entries is None else entries:
        url = _url(entry.url_name, configuration)
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
        # The navigation's unread badge: one read of at most 100 ids on the inbox index, only on pages that
        # draw the bar ("99+" beyond).
        "unread_count": SimpleLazyObject(lambda: _unread(user)),
    }


def _unread(user: Any) -> str:
    if user is None or not user.is_authenticated or not getattr(user, "company_id", None):
        return ""
    n = unread_up_to(user, BADGE_CAP)
    return "" if n == 0 else f"{BADGE_CAP}+" if n > BADGE_CAP else str(n)
