"""The OpenAPI schema documents every operation with its errors; the Swagger UI page works under the strict CSP
with assets from the sidecar package (no CDN)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

OWN_PREFIXES = ("/api/v1/employees", "/api/v1/departments", "/api/v1/positions", "/api/v1/contracts",
                "/api/v1/clauses", "/api/v1/me")


def schema() -> dict[str, Any]:
    resp = Client().get("/api/schema/", {"format": "json"})
    assert resp.status_code == 200
    return resp.json()


def test_every_operation_documents_its_error_responses(db):
    doc = schema()
    assert doc["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    ops = [(p, m, op) for p, item in doc["paths"].items() if p.startswith(OWN_PREFIXES) for m, op in item.items()]
    assert len(ops) >= 20
    for path, method, op in ops:
        codes = set(op["responses"])
        assert {"401", "403"} <= codes, (method, path)
        if "{id}" in path:
            assert "404" in codes, (method, path)
        if method in ("post", "patch"):
            assert {"400", "409", "413"} <= codes, (method, path)
        assert "429" in codes, (method, path)
        assert "Retry-After" in op["responses"]["429"]["headers"], (method, path)
        for code in codes - {"200", "201"}:
            error = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert error == "#/components/schemas/ApiError", (method, path, code)
    token = doc["paths"]["/api/v1/auth/token/"]["post"]
    assert set(token["responses"]) == {"200", "400", "413", "429"}
    assert token.get("security", [{}]) == [{}] and "security" not in doc  # no credentials needed
    assert "put" not in doc["paths"]["/api/v1/employees/{id}/"]  # partial update only


def test_schema_lists_plugged_in_app_apis(db):
    """Operations of apps plugged in through ``<app>.api_urls`` (activity) are in the same schema."""
    paths = schema()["paths"]
    assert any(p.startswith("/api/v1/activity/") for p in paths)


def test_project_docs_route_is_the_csp_safe_view():
    """/api/docs/ of the real URL conf must be served by hrguard.api.docs.SwaggerView (the package default
    inlines its start-up script and style, which the site's CSP blocks)."""
    from django.urls import resolve

    from hrguard.api.docs import SwaggerView

    view = resolve("/api/docs/").func
    assert getattr(view, "view_class", None) is SwaggerView


@pytest.mark.urls("tests.api.urls_docs")
def test_swagger_page_has_no_inline_code_and_local_assets(db):
    client = Client()
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "<style" not in html and "style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 3 and all(body.strip() == "" for _attrs, body in scripts)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources)  # same origin: sidecar static files
    assert any("swagger-ui-dist/swagger-ui-bundle.js" in src for src in sources)
    for src in sources:
        asset = client.get(src.replace("&amp;", "&"))
        assert asset.status_code == 200, src
    init = client.get("/api/docs/", {"script": ""})
    assert init["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in init.content.decode() and "/api/schema/" in init.content.decode()


CHROMIUM = "/usr/lib/chromium/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.urls("tests.api.urls_docs")
@pytest.mark.xfail(strict=False, reason="known defect (2026-12-01): with /api/v1/noncompete/ mounted together with "
                   "the exit and risk APIs, Swagger UI renders only the first tag's first ten operations and no error; "
                   "each app alone renders fully; the schema validates (manage.py spectacular --validate). Open.")
def test_swagger_ui_renders_in_chromium_without_csp_violations(live_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    messages: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda msg: messages.append(msg.text))
            page.on("pageerror", lambda err: messages.append(str(err)))
            page.goto(f"{live_server.url}/api/docs/")
            # The UI renders its tag sections one after another: wait for the one asserted below.
            page.wait_for_selector(".swagger-ui .opblock-tag:has-text('employees')", timeout=20000)
            tags = page.locator(".opblock-tag").all_inner_texts()
        finally:
            browser.close()
    assert any("employees" in t for t in tags)
    assert not [m for m in messages if re.search("content security policy", m, re.I)], messages
