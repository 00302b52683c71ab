"""Base layout: navigation by role, strict CSP (no inline script/style), Chinese by default, login page,
language switch, vendored assets."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from hrguard.web.context_processors import NAV_ENTRIES, NavEntry, build_nav, external

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
NAV_ATTR = re.compile(r'data-nav="([^"]+)"')

# Nav entries each role must see (⊆) and must not see (∩ = ∅). Users come from tests/conftest.py:
# "manager" is an employee who manages the sales department; "hrbp" partners R&D; admin/hr/legal/
# finance/hrbp have no employee record of their own.
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "admin": (
        {"people:employee_list", "people:clause_list", "activity:attendance_daily", "activity:leave_list",
         "activity:finance", "activity:expense_approvals", "activity:violation_list",
         "activity:complaint_list", "activity:handbook", "evidence:timeline_search", "api-docs"},
        {"people:my_profile", "activity:my_leave", "activity:my_expenses"},
    ),
    "hr": (
        {"people:employee_list", "people:clause_list", "activity:leave_approvals", "activity:finance",
         "activity:violation_list", "activity:handbook", "evidence:timeline_search", "api-docs",
         "documents:request_list", "documents:request_create", "documents:template_list", "notify:inbox",
         "notify:problems"},
        {"people:my_profile", "activity:my_expenses", "documents:mine"},
    ),
    "legal": (
        {"people:employee_list", "activity:violation_list", "activity:complaint_list",
         "evidence:timeline_search"},
        {"people:clause_list", "activity:finance", "activity:handbook", "api-docs", "people:my_profile"},
    ),
    "finance": (
        {"activity:finance", "activity:expense_approvals"},
        {"people:employee_list", "activity:violation_list", "evidence:timeline_search", "people:clause_list",
         "activity:attendance_daily"},
    ),
    "manager": (
        {"people:employee_list", "people:my_profile", "activity:my_leave", "activity:leave_approvals",
         "activity:expense_approvals", "activity:complaint_list", "evidence:timeline_search"},
        {"people:clause_list", "activity:finance", "activity:handbook", "api-docs"},
    ),
    "employee": (
        {"people:my_profile", "activity:my_leave", "activity:my_expenses", "activity:attendance_daily",
         "activity:violation_list", "activity:cycles", "documents:mine", "notify:inbox"},
        {"people:employee_list", "evidence:timeline_search", "activity:complaint_list", "activity:finance",
         "people:clause_list", "activity:leave_approvals", "activity:expense_approvals", "api-docs",
         "documents:request_list", "documents:request_create", "documents:template_list", "notify:problems"},
    ),
    "hrbp": (
        {"people:employee_list", "evidence:timeline_search", "activity:leave_list"},
        {"people:my_profile", "people:clause_list", "activity:finance", "api-docs"},
    ),
}


def nav_of(html: str) -> set[str]:
    return set(NAV_ATTR.findall(html))


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_nav_by_role(world, role, client_for):
    must, must_not = EXPECTED[role]
    resp = client_for(world.users[role]).get(reverse("home"), follow=True)
    assert resp.status_code in (200, 404)  # 404: "no employee record" pages still render the layout
    html = resp.content.decode()
    seen = nav_of(html)
    assert must <= seen, f"{role} misses {must - seen}"
    assert not (must_not & seen), f"{role} must not see {must_not & seen}"
    assert world.company.name in html  # company name in the bar
    assert f'action="{reverse("logout")}"' in html and 'method="post"' in html


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_nav_link_opens(world, role, client_for):
    """Each link a role is shown opens for that role (no dead or forbidden entries), without inline code."""
    c = client_for(world.users[role])
    html = c.get(reverse("home"), follow=True).content.decode()
    hrefs = set(re.findall(r'<a class="(?:nav-link|dropdown-item)[^"]*" href="([^"]+)" data-nav=', html))
    assert hrefs
    for href in sorted(hrefs):
        if href.startswith("/api/docs"):
            continue  # Swagger UI page: its own template and CSP exemption are the API's business
        resp = c.get(href)
        assert resp.status_code == 200, href
        assert_no_inline_code(resp.content.decode())  # every page keeps to the strict CSP


def test_missing_url_name_is_skipped_and_extra_entries_show(world):
    request = RequestFactory().get("/people/me/")
    request.user = world.users["employee"]
    entries = [
        *NAV_ENTRIES,
        NavEntry("documents", "Not installed", "nope:missing"),
        NavEntry("documents", "Profile again", "people:my_profile"),
    ]
    groups = {g.key: g for g in build_nav(request, entries)}
    extra = [link.url_name for link in groups["documents"].links if link.label in ("Not installed", "Profile again")]
    assert extra == ["people:my_profile"]
    active = [link.url_name for g in groups.values() for link in g.links if link.active]
    assert active == ["people:my_profile"]  # one active link even when two entries share the URL


def test_external_predicate_of_a_missing_app_hides_the_entry(world):
    user = world.users["hr"]
    assert external("hrguard.nonexistent.module.check")(user) is False
    assert external("hrguard.web.context_processors.no_such_function")(user) is False
    assert external("hrguard.people.pages.is_hr")(user) is True


def test_active_entry_is_longest_prefix(world, client_for):
    html = client_for(world.users["manager"]).get(reverse("people:my_profile")).content.decode()
    active = re.findall(r'class="(?:nav-link|dropdown-item) active" href="([^"]+)" data-nav="([^"]+)"', html)
    assert active == [(reverse("people:my_profile"), "people:my_profile")]


def test_anonymous_has_no_nav(client):
    html = client.get(reverse("login")).content.decode()
    assert nav_of(html) == set()


# --- CSP ------------------------------------------------------------------------------------------
def assert_no_inline_code(html: str) -> None:
    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S):
        if 'type="application/json"' in attrs:  # json_script data: never executed, allowed by the CSP
            continue
        assert "src=" in attrs and not body.strip(), f"inline script: {attrs} {body[:80]}"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html), "inline style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    assert "javascript:" not in html


@pytest.mark.parametrize("role", ["hr", "employee", "manager"])
def test_csp_header_and_no_inline_code(world, role, client_for):
    resp = client_for(world.users[role]).get(reverse("home"), follow=True)
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    html = resp.content.decode()
    assert_no_inline_code(html)
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false' in html
    for asset in ("vendor/htmx/htmx.min.js", "vendor/alpinejs-csp/cdn.min.js",
                  "vendor/bootstrap/bootstrap.bundle.min.js", "vendor/bootstrap/bootstrap.min.css",
                  "hrguard/app.js", "hrguard/app.css"):
        assert f"/static/{asset}" in html


def test_login_page_has_no_inline_code(client):
    resp = client.get(reverse("login"))
    assert "Content-Security-Policy" in resp.headers
    assert_no_inline_code(resp.content.decode())


# --- language -------------------------------------------------------------------------------------
def test_chinese_by_default_even_for_english_browsers(world, client_for):
    c = client_for(world.users["hr"], HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    resp = c.get(reverse("people:employee_list"))
    html = resp.content.decode()
    assert '<html lang="zh-hans">' in html
    assert resp.headers["Content-Language"] == "zh-hans"
    assert "花名册" in html and "退出登录" in html
    assert "Cookie" in resp.headers["Vary"]


def test_set_language_switches_to_english_and_back(world, client_for):
    c = client_for(world.users["hr"], HTTP_ACCEPT_LANGUAGE="zh-CN")
    resp = c.post(reverse("set_language"), {"language": "en", "next": "/people/"})
    assert resp.status_code == 302 and resp["Location"] == "/people/"
    assert int(resp.cookies["django_language"]["max-age"]) >= 300 * 24 * 3600  # remembered, not per session
    html = c.get("/people/").content.decode()
    assert '<html lang="en">' in html and "Roster" in html and "Log out" in html and "花名册" not in html
    c.post(reverse("set_language"), {"language": "zh-hans", "next": "/people/"})
    html = c.get("/people/").content.decode()
    assert '<html lang="zh-hans">' in html and "花名册" in html


def test_unknown_language_cookie_falls_back_to_chinese(world, client_for):
    c = client_for(world.users["hr"])
    c.cookies["django_language"] = "xx"
    assert '<html lang="zh-hans">' in c.get("/people/").content.decode()


def test_language_switch_form(world, client_for):
    html = client_for(world.users["employee"]).get(reverse("people:my_profile")).content.decode()
    form = re.search(r'<form class="hrg-lang-form.*?</form>', html, flags=re.S)
    assert form and f'action="{reverse("set_language")}"' in form.group(0)
    assert 'name="language" value="en"' in form.group(0) and 'name="language" value="zh-hans"' in form.group(0)
    assert 'name="next" value="/people/me/"' in form.group(0)


# --- login / logout -------------------------------------------------------------------------------
def test_login_page_is_chinese_and_logs_in(world, client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "登录" in html and 'name="username"' in html and 'name="password"' in html
    assert 'type="submit"' in html
    resp = client.post(reverse("login"), {"username": "acme-hr", "password": "pw-hrhr"})
    assert resp.status_code == 302 and resp["Location"] == reverse("home")


def test_login_shows_errors(world, client):
    resp = client.post(reverse("login"), {"username": "acme-hr", "password": "wrong-password"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "data-login-error" in html
    assert "用户名" in html and "密码" in html


def test_logout_is_a_post(world, client_for):
    c = client_for(world.users["hr"])
    assert c.post(reverse("logout")).status_code == 302
    assert c.get(reverse("home")).status_code == 302  # back to login


# --- assets and partials --------------------------------------------------------------------------
def _vendor_module() -> Any:
    spec = importlib.util.spec_from_file_location("vendor_assets", ROOT / "scripts" / "vendor_assets.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vendored_assets_match_manifest_and_lockfile():
    module = _vendor_module()
    assert module.check() == []
    manifest = json.loads((module.MANIFEST).read_text(encoding="utf-8"))
    versions = {e["name"]: e["version"] for e in manifest}
    assert versions == module.locked_versions()
    assert versions["htmx.org"].startswith("2.0.")
    assert versions["@alpinejs/csp"].startswith("3.")
    assert versions["bootstrap"].startswith("5.3.")
    assert versions["echarts"].startswith("6.")
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"] == versions  # exact pins
    for entry in manifest:
        assert finders.find(f"vendor/{entry['file']}"), entry["file"]


def test_pagination_partial_with_page_obj():
    page = Paginator(list(range(100)), 10).page(3)
    html = render_to_string("_partials/pagination.html", {"page_obj": page, "query": "q=x"})
    assert 'href="?q=x&amp;page=2"' in html and 'href="?q=x&amp;page=4"' in html
    assert 'aria-current="page"><span class="page-link">3<' in html
    assert render_to_string("_partials/pagination.html", {"page_obj": Paginator([1], 10).page(1)}).strip() == ""


def test_pagination_partial_count_free():
    html = render_to_string("_partials/pagination.html", {"prev_query": "page=1", "next_query": "page=3", "page": 2})
    assert 'href="?page=1"' in html and 'href="?page=3"' in html
