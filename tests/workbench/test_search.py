"""Global search: people by name or number, records by number — only what the user may see."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .conftest import TODAY, contract, leave_request

pytestmark = pytest.mark.django_db(transaction=True)


def found(client, q: str) -> tuple[list[str], str]:
    resp = client.get(reverse("search"), {"q": q})
    assert resp.status_code == 200
    html = resp.content.decode()
    return re.findall(r'data-kind="(\w+)"', html), html


def test_navigation_has_the_search_box(world, client_for):
    html = client_for(world.users["employee"]).get(reverse("home")).content.decode()
    assert 'action="/search/"' in html and "搜索姓名、工号或单号" in html


def test_hr_finds_people_by_name_and_number_in_own_company_only(world, other_world, client_for):
    hr = client_for(world.users["hr"])
    kinds, html = found(hr, "欧阳")
    assert kinds == ["employee"] and f'href="/people/{world.employees["sales_rep"].pk}/"' in html
    kinds, html = found(hr, "S00")
    assert kinds == ["employee"] * 3 and "王经理" in html
    assert other_world.company.name not in html
    assert f'/people/{other_world.employees["sales_rep"].pk}/' not in html


def test_employee_finds_only_themselves_and_their_own_records(world, client_for):
    mine = leave_request(world, "east_rep", start=TODAY)
    other = leave_request(world, "sales_rep", start=TODAY)
    c = client_for(world.users["employee"])
    assert found(c, "欧阳")[0] == []  # a colleague: not visible to an employee
    assert found(c, "张测试")[0] == ["employee"]
    kinds, html = found(c, f"#{mine.pk}")
    assert kinds == ["leave"] and 'href="/activity/leave/"' in html
    assert "leave" not in found(c, str(other.pk))[0]
    manager = client_for(world.users["manager"])
    kinds, html = found(manager, str(other.pk))  # the manager's team
    assert "leave" in kinds and 'href="/activity/leave/all/"' in html


def test_records_of_another_company_are_never_found(world, other_world, client_for):
    theirs = leave_request(other_world, "east_rep", start=TODAY)
    contract(other_world, "east_rep", "HT-GLOBEX-1", end=None, kind="open_ended")
    hr = client_for(world.users["hr"])
    assert "leave" not in found(hr, str(theirs.pk))[0]
    assert found(hr, "HT-GLOBEX-1")[0] == []
    contract(world, "east_rep", "HT-ACME-1", end=None, kind="open_ended")
    kinds, html = found(hr, "HT-ACME-1")
    assert kinds == ["contract"] and "劳动合同 HT-ACME-1" in html
    assert found(client_for(world.users["engineer"]), "HT-ACME-1")[0] == []  # someone else's contract


@pytest.mark.parametrize("q", ["x" * 101, "\x1b[31m", "a\tb"])
def test_bad_search_text_is_refused_in_chinese(world, client_for, q):
    resp = client_for(world.users["hr"]).get(reverse("search"), {"q": q})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "data-error" in html and ("控制字符" in html or "过长" in html)


def test_nul_in_the_search_text_is_a_bad_request(world, client_for):
    assert client_for(world.users["hr"]).get(reverse("search"), {"q": "a\x00b"}).status_code == 400  # core guard


def test_empty_search_explains_itself(world, client_for):
    resp = client_for(world.users["employee"]).get(reverse("search"))
    assert resp.status_code == 200 and "按姓名或工号搜索人员" in resp.content.decode()
