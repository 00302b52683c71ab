"""API paging by opaque cursor (keyset), page numbers kept for old links."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hrguard.api.pagination import decode_cursor, encode_cursor
from hrguard.core.models import Department
from tests.people.test_views import _bulk_employees


def test_next_links_carry_a_cursor_and_walk_every_row_once(world, api):
    _bulk_employees(world, 21)  # 25 employees
    hr = api(world.users["hr"])
    body = hr.get("/api/v1/employees/", {"page_size": 10}).json()
    pages = [body]
    while body["next"]:
        assert "cursor=" in body["next"] and f"page={body['page'] + 1}" in body["next"]
        body = hr.get(body["next"]).json()
        pages.append(body)
    assert [p["page"] for p in pages] == [1, 2, 3]
    seen = [r["employee_no"] for p in pages for r in p["results"]]
    assert seen == sorted(seen) and len(set(seen)) == 25
    back = pages[-1]
    for expected in reversed(pages[:-1]):
        back = hr.get(back["previous"]).json()
        assert [r["employee_no"] for r in back["results"]] == [r["employee_no"] for r in expected["results"]]
    assert back["previous"] is None and back["page"] == 1


def test_cursor_page_uses_no_offset_and_old_page_numbers_still_work(world, api):
    _bulk_employees(world, 21)
    hr = api(world.users["hr"])
    second = hr.get("/api/v1/employees/", {"page_size": 10}).json()["next"]
    with CaptureQueriesContext(connection) as ctx:
        by_cursor = hr.get(second).json()
    assert not any(" OFFSET " in q["sql"].upper() for q in ctx.captured_queries)
    by_number = hr.get("/api/v1/employees/", {"page_size": 10, "page": 2}).json()
    assert by_cursor["results"] == by_number["results"]


def test_bad_cursor_falls_back_to_the_page_number(world, api):
    hr = api(world.users["hr"])
    resp = hr.get("/api/v1/employees/", {"cursor": "not!base64", "page": 1})
    assert resp.status_code == 200 and len(resp.json()["results"]) == 4
    assert decode_cursor(encode_cursor("S002", "n")) == {"v": "S002", "d": "n"}
    assert decode_cursor(encode_cursor("x", "sideways")) is None


def test_lists_without_a_unique_order_keep_page_numbers(world, api):
    for i in range(4):
        Department.objects.create(company=world.company, name=f"分部{i}", parent=world.depts["root"])
    hr = api(world.users["hr"])
    body = hr.get("/api/v1/departments/", {"page_size": 3}).json()  # 8 departments, ordered by path
    assert len(body["results"]) == 3
    assert "page=2" in body["next"] and "cursor=" not in body["next"]
    second = hr.get(body["next"]).json()
    assert second["page"] == 2 and len(second["results"]) == 3
    assert {d["id"] for d in second["results"]}.isdisjoint(d["id"] for d in body["results"])
