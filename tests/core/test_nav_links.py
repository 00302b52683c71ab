"""Every link a role is shown answers that role without 403: the top navigation and, one click further,
every link on the pages it leads to (sub-navigation tabs, "record" and "export" buttons).

Navigation and view permissions come from the same predicates (``people.pages``); this test walks the
real pages so that a link shown to a role whose view refuses it is caught wherever it is drawn."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

from hrguard.core.models import User
from hrguard.web.context_processors import NAV_ENTRIES

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]+)"')
SKIP = ("/accounts/logout", "/i18n/", "/static/", "/api/", "/evidence/verify")
EXTRA_ROLES = ("compliance", "it", "client_service")
DEPTH = 2  # nav page → its links → their links
# The API documentation is public (API clients read it before they have an account); the top bar lists
# it only for the technical roles.
OPEN_BY_DESIGN = {"api-docs"}


def users(world: Any) -> dict[str, Any]:
    found = dict(world.users)
    for role in EXTRA_ROLES:
        found[role] = User.objects.create_user(
            username=f"acme-{role}", password="x", company=world.company, role=role
        )
    return found


def links(html: str) -> set[str]:
    return {unescape(h) for h in HREF.findall(html) if h.startswith("/") and not h.startswith(SKIP)}


def nav_links(html: str) -> set[str]:
    nav = html.split('<nav', 1)[1].split("</nav>", 1)[0] if "<nav" in html else ""
    return links(nav)


@pytest.mark.parametrize("key", [
    "admin", "hr", "hrbp", "legal", "finance", "manager", "employee", "engineer", *EXTRA_ROLES,
])
def test_no_link_shown_to_a_role_answers_403(world: Any, key: str) -> None:
    user = users(world)[key]
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(user)
    home = client.get("/", follow=True)
    assert home.status_code == 200
    top = nav_links(home.content.decode())
    assert top, "the navigation shows this role nothing"
    refused: list[str] = []
    seen: set[str] = set(top)
    frontier = [("nav", url) for url in sorted(top)]
    for _depth in range(DEPTH):
        following: list[tuple[str, str]] = []
        for origin, url in frontier:
            resp = client.get(url)
            if resp.status_code == 403:
                refused.append(f"{origin} → {url}")
                continue
            if resp.status_code != 200 or "html" not in resp.get("Content-Type", ""):
                continue
            for link in sorted(links(resp.content.decode()) - seen):
                seen.add(link)
                following.append((url, link))
        frontier = following
    for origin, url in frontier:  # the last ring: only their status
        if client.get(url).status_code == 403:
            refused.append(f"{origin} → {url}")
    assert refused == [], f"{key} is shown links that answer 403: {refused}"


def test_every_nav_entry_is_checked_by_the_same_predicate_as_its_view() -> None:
    from hrguard.people import pages

    for entry in NAV_ENTRIES:
        assert entry.visible is pages.check_for(entry.url_name), entry.url_name


@pytest.mark.parametrize("key", [
    "admin", "hr", "hrbp", "legal", "finance", "manager", "employee", "engineer", *EXTRA_ROLES,
])
def test_each_page_answers_exactly_the_roles_its_predicate_admits(world: Any, key: str) -> None:
    from django.urls import NoReverseMatch, reverse

    from hrguard.people import pages

    user = users(world)[key]
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(user)
    mismatches = []
    for url_name in set(pages.PAGES) - OPEN_BY_DESIGN:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        status = client.get(url).status_code
        if (status not in (403, 404)) != pages.may_open(user, url_name):  # 404: "you have no such record"
            mismatches.append(f"{url_name}: predicate {pages.may_open(user, url_name)}, GET {status}")
    assert not mismatches, " | ".join(mismatches)
