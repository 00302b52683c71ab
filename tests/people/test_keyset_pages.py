"""Roster paging by cursor: Next carries ``after=<employee number>``, Previous ``before=…``; a walk
through every page sees each employee once, in order, and a deep page costs the same queries."""

from __future__ import annotations

import html as html_lib
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.people.test_views import _bulk_employees, linked_ids

CLIENT_LANGUAGE = "en"  # these tests read the English UI (tests/conftest.py client_for)

URL = reverse("people:employee_list")


def link(page_html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', page_html)
    return html_lib.unescape(found.group(1)) if found else None


def numbers(page_html: str) -> list[str]:
    return re.findall(r'<td class="text-nowrap">([^<]+)</td>', page_html)


def test_walking_next_and_back_by_cursor(world, client_for):
    _bulk_employees(world, 110)  # 114 employees: pages of 50, 50, 14
    c = client_for(world.users["hr"])
    pages = [c.get(URL).content.decode()]
    while link(pages[-1], "next"):
        nxt = link(pages[-1], "next")
        assert "after=" in nxt and f"page={len(pages) + 1}" in nxt
        pages.append(c.get(nxt).content.decode())
    assert [len(numbers(p)) for p in pages] == [50, 50, 14]
    seen = [n for p in pages for n in numbers(p)]
    assert seen == sorted(seen) and len(set(seen)) == 114
    back = pages[-1]
    for expected in reversed(pages[:-1]):
        prev = link(back, "prev")
        assert prev is not None
        back = c.get(prev).content.decode()
        assert numbers(back) == numbers(expected)
    assert link(back, "prev") is None


def test_cursor_pages_keep_filters_and_old_page_links_still_work(world, client_for):
    _bulk_employees(world, 60)
    c = client_for(world.users["hr"])
    first = c.get(URL, {"q": "批量"}).content.decode()
    nxt = link(first, "next")
    assert nxt.startswith(f"{URL}?q=%E6%89%B9%E9%87%8F&page=2&after=")
    by_cursor = c.get(nxt).content.decode()
    by_number = c.get(URL, {"q": "批量", "page": 2}).content.decode()
    assert numbers(by_cursor) == numbers(by_number) and len(numbers(by_cursor)) == 10
    assert linked_ids(by_cursor).isdisjoint(linked_ids(first))


def test_deep_cursor_page_costs_the_same_queries_as_the_first(world, client_for):
    _bulk_employees(world, 60)
    c = client_for(world.users["hr"])
    c.get(URL)
    with CaptureQueriesContext(connection) as first:
        c.get(URL)
    with CaptureQueriesContext(connection) as deep:
        c.get(URL, {"page": 2, "after": "X0040"})
    assert len(deep.captured_queries) == len(first.captured_queries)
    # The page's own queries (not the signed-in user's, which counts the unread badge up to 100 ids).
    page = [q["sql"].upper() for q in deep.captured_queries if 'FROM "CORE_USER"' not in q["sql"].upper()]
    assert page and not any("OFFSET" in sql or "COUNT(" in sql for sql in page)
