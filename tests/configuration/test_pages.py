"""Who may open the settings pages (the matrix of ``hrguard.configuration.permissions``), the 设置 link,
Chinese on every page, and a constant number of queries whatever the company's size."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from hrguard.core.models import User
from hrguard.people.models import Employee

pytestmark = pytest.mark.django_db

ADMIN_ONLY = ["/settings/", "/settings/accounts/", "/settings/accounts/new/", "/settings/channels/"]
READ_FOR_HR = ["/settings/org/", "/settings/identities/", "/settings/identities/import/",
               "/settings/facts/"]
ADMIN_POSTS = ["/settings/accounts/action/"]
ORG_POSTS = ["/settings/org/department/", "/settings/org/position/"]  # the org structure: admin and HR
POSTS = ADMIN_POSTS + ORG_POSTS
# Latin words allowed on a Chinese settings page: product and protocol names, field codes users type.
ALLOWED = {"HRGuard", "HRBP", "SMTP", "STARTTLS", "SSL", "TLS", "AccessKey", "Corp", "Agent", "App", "Key",
           "Secret", "CorpID", "AgentID", "AppKey", "AppID", "Excel", "API", "acme", "admin", "compliance",
           "employee", "engineer", "finance", "hrbp", "legal", "manager", "test"}


@pytest.mark.parametrize("role", ["admin", "hr", "hrbp", "legal", "finance", "manager", "employee"])
def test_the_permission_matrix(world, client_for, role):
    client = client_for(world.users[role])
    for url in ADMIN_ONLY:
        assert client.get(url).status_code == (200 if role == "admin" else 403), url
    for url in READ_FOR_HR:
        assert client.get(url).status_code == (200 if role in ("admin", "hr") else 403), url
    for url in ADMIN_POSTS:
        status = client.post(url, {"action": "nothing"}).status_code
        assert status == (302 if role == "admin" else 403), url
    for url in ORG_POSTS:
        status = client.post(url, {"action": "nothing"}).status_code
        assert status == (302 if role in ("admin", "hr") else 403), url


def test_anonymous_is_sent_to_sign_in(client):
    for url in ADMIN_ONLY + READ_FOR_HR + POSTS:
        resp = client.get(url)
        assert resp.status_code == 302 and "/accounts/login/" in resp["Location"], url


def test_the_settings_link_is_for_admins_only(world, client_for):
    for role in ("admin", "hr", "employee"):
        nav = client_for(world.users[role]).get("/people/me/" if role == "employee" else "/people/")
        html = nav.content.decode().split("<nav", 1)[1].split("</nav>", 1)[0]
        assert ('href="/settings/"' in html) is (role == "admin"), role
        if role == "admin":
            assert ">设置<" in html


def test_pages_are_chinese(world, client_for):
    client = client_for(world.users["admin"])
    for url in ADMIN_ONLY + READ_FOR_HR + [f"/settings/org/?dept={world.depts['sales'].pk}"]:
        html = client.get(url).content.decode()
        main = html.split("<main", 1)[-1].split(">", 1)[1].split("</main>", 1)[0]
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", main, flags=re.S))
        words = set(re.findall(r"[A-Za-z]{3,}", text)) - ALLOWED
        assert not words, f"{url}: {sorted(words)}"


def _grow(world, n: int) -> None:
    dept = world.depts["east"]
    rows = [Employee(company=world.company, employee_no=f"G{i:05d}", name=f"员工{i}", department=dept,
                     department_path=dept.path, hire_date=dt.date(2024, 1, 1)) for i in range(n)]
    Employee.objects.bulk_create(rows)
    users = User.objects.bulk_create([User(username=f"acme-g{i:05d}", company=world.company, role="employee")
                                      for i in range(n // 2)])
    for emp, user in zip(rows, users, strict=False):
        emp.user = user
    Employee.objects.bulk_update(rows[: len(users)], ["user"])


@pytest.mark.parametrize("url", ["/settings/", "/settings/accounts/", "/settings/accounts/new/",
                                 "/settings/identities/", "/settings/org/", "/settings/facts/",
                                 "/settings/channels/"])
def test_query_count_does_not_grow_with_the_company(world, client_for, django_assert_max_num_queries, url):
    client = client_for(world.users["admin"])
    with django_assert_max_num_queries(16) as small:
        assert client.get(url).status_code == 200
    _grow(world, 300)
    with django_assert_max_num_queries(16) as big:
        assert client.get(url).status_code == 200
    assert _page_queries(big) == _page_queries(small)


def _page_queries(captured) -> int:
    """Queries of the page itself (not the session bookkeeping, which depends on the clock)."""
    return sum(1 for q in captured.captured_queries
               if "django_session" not in q["sql"] and not q["sql"].startswith(("SAVEPOINT", "RELEASE")))
