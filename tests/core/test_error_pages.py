"""Error pages are the project's own, in Chinese by default, and never leak details."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_404_page_is_chinese_and_inside_the_layout(world):
    c = Client()
    c.force_login(world.users["hr"])
    resp = c.get("/people/999999999/")
    assert resp.status_code == 404
    html = resp.content.decode()
    assert "不存在" in html and 'lang="zh-hans"' in html


def test_403_page(world):
    c = Client()
    c.force_login(world.users["employee"])
    resp = c.get("/people/clauses/")
    assert resp.status_code == 403
    assert "无权" in resp.content.decode() or "没有权限" in resp.content.decode()
