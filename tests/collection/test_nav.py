"""The top navigation links the collection pages to exactly those who may open them (issue 12): readers see
the log and the numbers (HR also the policy page), the front desk granted logging only the phone form, everyone else nothing — and
every link shown opens (no 403 link)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
NAV = re.compile(r'href="([^"]+)" data-nav="(collection:[^"]+)"')


def nav(user: Any) -> tuple[Client, dict[str, str]]:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(user)
    html = client.get("/", follow=True).content.decode()
    return client, {name: href for href, name in NAV.findall(html)}


@pytest.mark.parametrize("key, expected", [
    ("hr", {"collection:log", "collection:new", "collection:numbers", "collection:policy"}),
    ("admin", {"collection:log", "collection:new", "collection:numbers", "collection:policy"}),
    ("legal", {"collection:log", "collection:numbers"}),
    ("employee", set()),
    ("manager", set()),
    ("finance", set()),
])
def test_collection_links_follow_the_permission(world: Any, key: str, expected: set[str]) -> None:
    client, links = nav(world.users[key])
    assert set(links) == expected
    for href in links.values():
        assert client.get(href).status_code == 200, href
    if "collection:log" not in expected:
        assert client.get("/collection/").status_code == 403


def test_front_desk_sees_only_the_form(world: Any, front_desk: Any) -> None:
    client, links = nav(front_desk)
    assert links == {"collection:new": "/collection/new/"}
    page = client.get("/collection/new/").content.decode()
    assert "登记催收来电" in page
    assert client.get("/collection/").status_code == 403
