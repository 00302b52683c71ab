"""The navigation of the role with the most menus (HR) fits a 1280 px and a 1024 px desktop: its groups wrap
onto a second line instead of pushing the search box and the account menu off the screen."""

from __future__ import annotations

from .conftest import password_for


def test_hr_navigation_never_overflows_a_desktop(page, login, e2e_world):  # type: ignore[no-untyped-def]
    login(page, "acme-hr", password_for("hr"))
    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = page.locator("[data-global-search]").bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
