"""``core.middleware.ContentSecurityPolicyMiddleware``: the headers django-csp's own middleware sets, for
every kind of response, with the policy built once per setting."""

from __future__ import annotations

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from hrguard.core.middleware import ContentSecurityPolicyMiddleware

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def _headers(middleware_class: type, *, path: str = "/people/", prepare=None, nonce: bool = False) -> dict:
    request = RequestFactory().get(path)
    response = HttpResponse("page")
    if prepare:
        prepare(response)
    middleware = middleware_class(lambda _request: response)
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)  # a template asked for the nonce
    out = middleware.process_response(request, response)
    return {name: out.headers.get(name) for name in HEADERS}


def _exempt(response):
    response._csp_exempt = True


def _update(response):
    response._csp_update = {"img-src": ["https://img.example.cn"]}


def _report_only_exempt(response):
    response._csp_exempt_ro = True


CASES = [
    {},
    {"prepare": _exempt},
    {"prepare": _update},
    {"prepare": _report_only_exempt},
    {"nonce": True},
    {"path": "/api/v1/people/"},
]


@pytest.mark.parametrize("case", CASES)
def test_same_headers_as_django_csp(case: dict) -> None:
    expected = _headers(CSPMiddleware, **case)
    for _ in range(2):
        assert _headers(ContentSecurityPolicyMiddleware, **case) == expected


REPORT_ONLY = {"EXCLUDE_URL_PREFIXES": ["/api/"], "DIRECTIVES": {"default-src": ["'none'"],
                                                                 "report-uri": "/csp-report/"}}


@pytest.mark.parametrize("case", CASES)
def test_changed_settings_are_followed(case: dict) -> None:
    before = _headers(ContentSecurityPolicyMiddleware, **case)
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=REPORT_ONLY,
                           CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'self'", "https:"]}}):
        expected = _headers(CSPMiddleware, **case)
        assert _headers(ContentSecurityPolicyMiddleware, **case) == expected
        if not case:
            assert expected["Content-Security-Policy"].startswith("default-src 'self' https:")
            assert expected["Content-Security-Policy-Report-Only"].startswith("default-src 'none'")
    assert _headers(ContentSecurityPolicyMiddleware, **case) == before


def test_the_nonce_is_refused_after_the_response() -> None:
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda _request: HttpResponse("page"))
    middleware.process_request(request)
    middleware.process_response(request, HttpResponse("page"))
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
