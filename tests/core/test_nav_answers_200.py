"""Every link of the top navigation answers 200 to the role it is shown to (not a redirect, an error page or
an empty 404), and the collection pages are in the 案件 menu of exactly those who may use them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.core.test_nav_links import EXTRA_ROLES, nav_links, users

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", [
    "admin", "hr", "hrbp", "legal", "finance", "manager", "employee", "engineer", *EXTRA_ROLES,
])
def test_every_nav_link_answers_200(world: Any, key: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(users(world)[key])
    top = nav_links(client.get("/").content.decode())
    answers = {url: client.get(url).status_code for url in sorted(top)}
    assert {url: status for url, status in answers.items() if status != 200} == {}


@pytest.mark.parametrize(("key", "shown"), [("hr", True), ("legal", True), ("admin", True), ("employee", False),
                                             ("finance", False)])
def test_collection_log_in_the_menu_of_its_readers(world: Any, key: str, shown: bool) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(users(world)[key])
    assert ("/collection/" in nav_links(client.get("/").content.decode())) is shown


@pytest.mark.parametrize(("key", "lands_on"), [("hr", "/care/talks/"), ("finance", "/care/aid/"),
                                                ("employee", "/care/mine/")])
def test_care_index_opens_the_first_care_page_the_user_may_see(world: Any, key: str, lands_on: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(users(world)[key])
    resp = client.get("/care/")
    assert resp.status_code == 302 and resp["Location"] == lands_on
