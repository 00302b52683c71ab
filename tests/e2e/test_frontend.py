"""Browser checks of the base layout: login in Chinese, role navigation, language switch both ways, the
vendored libraries (htmx, Alpine CSP build, Bootstrap, ECharts) load and run under the strict CSP."""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import expect

from .conftest import csp_violations, password_for, shoot

NAV_PNG = Path(tempfile.gettempdir()) / "frontend_nav.png"
LOGIN_PNG = Path(tempfile.gettempdir()) / "frontend_login.png"
EMPLOYEE_PNG = Path(tempfile.gettempdir()) / "frontend_employee.png"


def switch_to(page, code: str) -> None:
    button = page.locator(f"form.hrg-lang-form button[name='language'][value='{code}']").first
    with page.expect_navigation():
        button.click()


def test_login_nav_language_switch_and_libraries(page, login, e2e_world, console_log):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text("登录")
    shoot(page, LOGIN_PNG, full_page=False)

    login(page, "acme-hr", password_for("hr"))
    page.goto("/people/")
    nav = page.locator("#hrg-nav")
    expect(nav.locator("[data-nav='people:employee_list']")).to_have_text("花名册")
    expect(nav.locator("[data-nav-group='people'] > a.dropdown-toggle")).to_have_text("人员")
    expect(page.locator("[data-nav='people:employee_list']")).to_have_class("dropdown-item active")
    expect(page.locator("[data-nav='people:my_profile']")).to_have_count(0)  # HR user has no own file

    # Libraries are loaded and initialised (scripts are deferred: wait for them).
    page.wait_for_function("() => window.htmx && window.Alpine && window.bootstrap && window.hrguard")
    assert page.evaluate("() => htmx.version").startswith("2.0.")
    assert page.evaluate("() => htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("() => document.querySelectorAll('head style').length") == 0

    # Bootstrap dropdown opens (bootstrap.bundle + Popper work under the CSP).
    nav.locator("[data-nav-group='people'] > a.dropdown-toggle").click()
    expect(nav.locator("[data-nav-group='people'] .dropdown-menu")).to_be_visible()
    shoot(page, NAV_PNG, full_page=False)  # looked at by hand after a run
    page.keyboard.press("Escape")

    switch_to(page, "en")
    expect(page).to_have_url(f"{page.url.split('/people/')[0]}/people/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-nav='people:employee_list']")).to_have_text("Roster")
    page.goto("/activity/leave/all/")  # the choice sticks across pages
    expect(page.locator("html")).to_have_attribute("lang", "en")

    switch_to(page, "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("[data-nav='people:employee_list']")).to_have_text("花名册")

    assert csp_violations(console_log) == []
    assert [m for m in console_log if m.startswith(("error", "pageerror"))] == []


def test_alpine_component_and_echarts_under_csp(page, login, e2e_world, console_log):
    """An Alpine component registered in app.js reacts to clicks, and ECharts draws a chart from a
    data-echarts attribute with its Chinese locale — all with script-src 'self'."""
    login(page, "acme-hr", password_for("hr"))
    page.goto("/")
    page.wait_for_function("() => window.Alpine && window.hrguard")
    page.evaluate(
        """() => {
          const box = document.createElement('div');
          box.id = 'alpine-probe';
          box.setAttribute('x-data', 'disclosure');
          box.innerHTML = '<button type="button" x-on:click="toggle">t</button><p x-show="open">shown</p>';
          document.querySelector('main').appendChild(box);
        }"""
    )
    probe = page.locator("#alpine-probe p")
    expect(probe).to_be_hidden()
    page.locator("#alpine-probe button").click()
    expect(probe).to_be_visible()

    page.add_script_tag(url="/static/vendor/echarts/echarts.min.js")
    page.wait_for_function("() => window.echarts")
    page.evaluate(
        """() => {
          const el = document.createElement('div');
          el.id = 'chart-probe';
          el.className = 'hrg-chart';
          el.setAttribute('data-echarts', JSON.stringify({
            tooltip: {}, xAxis: {type: 'category', data: ['在职', '试用期']}, yAxis: {type: 'value'},
            series: [{type: 'bar', data: [3, 1]}],
            toolbox: {feature: {saveAsImage: {}}}
          }));
          document.querySelector('main').appendChild(el);
          hrguard.initCharts(document);
        }"""
    )
    expect(page.locator("#chart-probe")).to_have_attribute("data-echarts-ready", "true")
    expect(page.locator("#chart-probe canvas")).to_have_count(1)
    # Chinese locale of ECharts: the toolbox "save as image" title.
    title = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-probe'))"
        ".getOption().toolbox[0].feature.saveAsImage.title"
    )
    assert title == "保存为图片"
    assert csp_violations(console_log) == []


def test_employee_sees_self_service_nav_and_logs_out(page, login, e2e_world, console_log):
    login(page, "acme-employee", password_for("employee"))
    expect(page.locator("h1")).to_have_text("工作台")  # every role lands on 工作台
    expect(page.locator("[data-nav='people:my_profile']")).to_have_text("我的档案")
    expect(page.locator("[data-nav='people:employee_list']")).to_have_count(0)
    expect(page.locator("[data-nav='evidence:timeline_search']")).to_have_count(0)
    shoot(page, str(EMPLOYEE_PNG))
    page.locator("[data-user-menu]").click()
    with page.expect_navigation():
        page.locator("[data-logout]").click()
    expect(page).to_have_url(f"{page.url.split('/accounts/')[0]}/accounts/login/")
    expect(page.locator("input[name='username']")).to_be_visible()
    assert csp_violations(console_log) == []


def test_expired_session_during_htmx_request_goes_to_login(page, login, e2e_world, console_log):
    login(page, "acme-hr", password_for("hr"))
    page.goto("/people/")
    page.wait_for_function("() => window.htmx && window.hrguard")
    page.context.clear_cookies()  # the session ends (logout elsewhere, expiry)
    page.locator("main input[name='q']").press_sequentially("欧阳", delay=30)
    page.wait_for_url("**/accounts/login/**")
    expect(page.locator("input[name='username']")).to_be_visible()
    expect(page.locator("#roster")).to_have_count(0)  # a whole page, not a form inside the table
