"""Browser-test harness (Playwright + Debian Chromium + pytest-django's live server).

Reuse in any ``tests/e2e/test_*.py``:

    def test_something(page, login, e2e_world, console_log):
        login(page, "acme-hr", password_for("hr"))
        page.goto("/people/")
        ...
        assert csp_violations(console_log) == []

* Every test in this folder is marked ``e2e`` automatically (select/deselect with ``-m e2e``).
* ``page.goto("/path")`` is relative to the live server (``base_url`` points at it).
* The browser sends ``Accept-Language: zh-CN`` like a Chinese user's browser.
* Chromium comes from Debian (``/usr/lib/chromium/chromium``); never run ``playwright install``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import World, build_world

CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).parent
_CSP = re.compile(r"content security policy|content-security-policy", re.IGNORECASE)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def e2e_world(transactional_db: Any) -> World:
    """Company "acme" (甲公司) with departments, employees and one user per role (see tests/conftest.py).
    Log in as ``acme-<key>`` with ``password_for(key)``; keys: admin, hr, legal, finance, manager,
    employee (张测试, S002), engineer, hrbp."""
    return build_world("acme", "甲公司", 1)


@pytest.fixture
def e2e_other_world(transactional_db: Any) -> World:
    """A second company ("globex", 乙公司) for cross-tenant checks."""
    return build_world("globex", "乙公司", 2)


def password_for(key: str) -> str:
    """Password of the ``<company>-<key>`` users made by ``build_world``."""
    return "pw-" + key * 2


def do_login(page: Any, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", password)
    with page.expect_navigation():
        # The login form's own button (the navbar has language-switch buttons too).
        page.locator("form[action$='/accounts/login/'] [type='submit'], form:has(input[name='password']) [type='submit']").first.click()
    if "/accounts/login/" in page.url:
        raise AssertionError(f"login failed for {username}: still on {page.url}")


@pytest.fixture
def login(live_server: Any) -> Callable[[Any, str, str], None]:
    """``login(page, username, password)``: sign in through the login page (fails loudly if refused)."""
    return do_login


@pytest.fixture
def console_log(page: Any) -> Iterator[list[str]]:
    """Browser console messages and page errors of this test's page, as "type: text" strings."""
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda err: messages.append(f"pageerror: {err}"))
    yield messages


def csp_violations(messages: list[str]) -> list[str]:
    """The console messages that report a Content Security Policy violation."""
    return [m for m in messages if _CSP.search(m)]


def shoot(page: Any, path: str | Path, *, full_page: bool = True) -> None:
    """Save a screenshot of ``page`` for a person to look at after the run.

    Chromium sometimes answers "Unable to capture screenshot" when asked for a full-page capture while
    the compositor has no frame yet (just after a viewport resize or a navigation). Wait for the page to
    load and for two animation frames, and ask again a few times before giving up.
    """
    for attempt in range(4):
        page.wait_for_load_state("load")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        try:
            page.screenshot(path=str(path), full_page=full_page)
            return
        except PlaywrightError as exc:
            if "Unable to capture screenshot" not in str(exc) or attempt == 3:
                raise
            page.wait_for_timeout(250 * (attempt + 1))
