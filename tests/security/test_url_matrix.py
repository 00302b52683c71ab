"""Object-level access through every URL of the site (HTML views; the API has its own matrix).

The URLconf is walked at collection time. Company A's users (every role) request company B's objects,
the employee and the sales manager request another employee's (李工程, outside the sales tree), and an
anonymous client requests everything that is not on the public allow-list. All requests run once, inside
one transaction that is rolled back (``outcomes``); the parametrized tests below judge them per URL."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from . import matrix
from .objects import build

B_MARK, B_CO_MARK = "GLOBEXPRIV7Q", "GLOBEXCORP7Q"
ENG_MARK, ENG_CO_MARK = "ACMEENGPRIV7Q", "ACMECORP7Q"
ROLES = ("admin", "hr", "legal", "finance", "compliance", "manager", "employee", "engineer", "hrbp")
# To keep the run short, B's objects are requested by one user per distinct scope (hr ≈ admin and
# engineer ≈ employee in every rule), and the existence-oracle comparison by the three scope kinds.
CROSS_ROLES = ("admin", "legal", "finance", "compliance", "manager", "employee", "hrbp")
ENUM_ROLES = ("admin", "manager", "employee")
SAME_COMPANY_ROLES = ("employee", "manager")  # neither may reach 李工程 (研发部)
REP_MARK = "ACMEREPPRIV7Q"
# 欧阳娜娜 (销售部, no account of her own here) is out of reach for 张测试 and for 研发部's HR partner.
REP_ROLES = ("employee", "hrbp")
DENIED = {403, 404, 405}
pytestmark = pytest.mark.django_db  # also makes pytest-django create the test database for the module fixture
MISSING_PK = 987654321

ROUTES = [r for r in matrix.walk() if r.name]
HTML_ROUTES = [r for r in ROUTES if not r.api and r.name not in matrix.PUBLIC]
OBJECT_ROUTES = [r for r in HTML_ROUTES if r.kwargs and matrix.variants(r) is not None
                 and any(matrix.object_kinds(s) for s in matrix.variants(r) or [])]
LIST_ROUTES = [r for r in HTML_ROUTES if matrix.variants(r) is not None
               and not any(matrix.object_kinds(s) for s in matrix.variants(r) or [])]

# Known defects, by URL name and check (kept strict: fixing one turns its test red until removed here).
KNOWN: dict[tuple[str, str], str] = {}


@dataclass
class Outcomes:
    cross: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    same: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    enum: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    anon: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lists: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    public: list[str] = field(default_factory=list)
    own: dict[tuple[str, str], tuple[int, bool]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    missing_objects: dict[str, str] = field(default_factory=dict)
    b_events_by_a: list[str] = field(default_factory=list)
    requests: int = 0


def _login_redirect(resp: Any) -> bool:
    return resp.status_code == 302 and "/accounts/login/" in resp.get("Location", "")


def _leak(resp: Any, marks: tuple[str, ...]) -> str | None:
    if resp.status_code != 200:
        return None
    text = matrix.body_text(resp)
    hit = [m for m in marks if m in text]
    return f"body contains {hit}" if hit else None


def _judge(resp: Any, marks: tuple[str, ...]) -> str | None:
    """None if the request was refused properly; else what went wrong."""
    if resp.status_code >= 500:
        return f"{resp.status_code} server error"
    leak = _leak(resp, marks)
    if leak:
        return f"{resp.status_code}: {leak}"
    if resp.status_code in DENIED or _login_redirect(resp):
        return None
    where = f" → {resp.get('Location')}" if resp.status_code in (301, 302, 303) else ""
    return f"{resp.status_code}{where} (expected 403/404/405)"


def _show(resp: Any) -> str:
    return f"{resp.status_code} {resp.get('Location', '')}".strip()


def _same(one: Any, two: Any) -> bool:
    return _show(one) == _show(two)


def _request(client: Client, method: str, url: str) -> Any:
    return client.get(url) if method == "GET" else client.post(url, {})


def _run(out: Outcomes) -> None:
    from hrguard.evidence.models import EvidenceEvent
    from tests.conftest import build_world

    a = build_world("acme", "甲公司", 1)
    b = build_world("globex", "乙公司", 2)
    a_objs = build(a, "engineer", ENG_MARK, ENG_CO_MARK)
    from hrguard.core.models import User

    rep = a.employees["sales_rep"]
    rep.user = User.objects.create_user(username="acme-salesrep", password="pw-x", company=a.company, role="employee")
    rep.save(update_fields=["user"])
    rep_objs = build(a, "sales_rep", REP_MARK, ENG_CO_MARK, documents=False, tag="rep")
    out.missing_objects.update({f"A-rep:{k}": v for k, v in rep_objs.missing.items()})
    b_objs = build(b, "east_rep", B_MARK, B_CO_MARK)
    out.missing_objects.update({f"A:{k}": v for k, v in a_objs.missing.items()})
    out.missing_objects.update({f"B:{k}": v for k, v in b_objs.missing.items()})
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        clients[role].force_login(a.users[role])
    anon = Client()
    b_events = EvidenceEvent.objects.filter(company=b.company).count()
    b_marks = (B_MARK, B_CO_MARK)

    for route in OBJECT_ROUTES:
        for spec in matrix.variants(route) or []:
            b_kwargs = matrix.fill(spec, b_objs.ids, b_objs.extra)
            if b_kwargs is None:
                out.skipped[route.name] = f"no B object for {spec}"
                continue
            url = reverse(route.name, kwargs=b_kwargs)
            missing = {k: (MISSING_PK if isinstance(v, int) else "0" * 32) if not spec[k].startswith("=") else v
                       for k, v in b_kwargs.items()}
            missing_url = reverse(route.name, kwargs=missing)
            for role in CROSS_ROLES:
                client = clients[role]
                for method in ("GET", "POST"):
                    resp = _request(client, method, url)
                    out.requests += 1
                    problem = _judge(resp, b_marks)
                    check_enum = method == "GET" and role in ENUM_ROLES
                    other = _request(client, method, missing_url) if problem or check_enum else None
                    if problem and resp.status_code < 400 and _same(resp, other):
                        problem = None  # answered exactly as for an id that does not exist
                    if problem:
                        out.cross[route.name].append(f"{method} {url} as A/{role}: {problem}")
                    if check_enum and not _same(resp, other):
                        out.enum[route.name].append(
                            f"{method} {url} as A/{role}: {_show(resp)} for B's object but "
                            f"{_show(other)} for a missing one ({missing_url})")
            a_kwargs = matrix.fill(spec, a_objs.ids, a_objs.extra)
            if a_kwargs is not None:  # positive control: the same URL works for the company's own HR
                for role in ("admin", "compliance"):
                    resp = clients[role].get(reverse(route.name, kwargs=a_kwargs))
                    out.own[(route.name, role)] = (resp.status_code, ENG_MARK in matrix.body_text(resp))
            personal = all(k in matrix.PERSONAL for k in matrix.object_kinds(spec))
            a_kwargs = matrix.fill(spec, a_objs.ids, a_objs.extra)
            if personal and a_kwargs is not None:
                a_url = reverse(route.name, kwargs=a_kwargs)
                for role in SAME_COMPANY_ROLES:
                    for method in ("GET", "POST"):
                        resp = _request(clients[role], method, a_url)
                        out.requests += 1
                        problem = _judge(resp, (ENG_MARK,))
                        if problem:
                            out.same[route.name].append(f"{method} {a_url} as A/{role} (李工程's): {problem}")
            rep_kwargs = matrix.fill(spec, rep_objs.ids, rep_objs.extra)
            if personal and rep_kwargs is not None:
                rep_url = reverse(route.name, kwargs=rep_kwargs)
                for role in REP_ROLES:
                    for method in ("GET", "POST"):
                        resp = _request(clients[role], method, rep_url)
                        out.requests += 1
                        problem = _judge(resp, (REP_MARK,))
                        if problem:
                            out.same[route.name].append(f"{method} {rep_url} as A/{role} (欧阳娜娜's): {problem}")

    for route in LIST_ROUTES:
        for spec in matrix.variants(route) or []:
            url = reverse(route.name, kwargs=matrix.fill(spec, {}, {}))
            for query in ("", f"?employee={b_objs.ids['employee']}"):
                for role in ROLES if not query else ENUM_ROLES:
                    resp = _request(clients[role], "GET", url + query)
                    out.requests += 1
                    marks = b_marks + ((ENG_MARK,) if role in SAME_COMPANY_ROLES else ()) + (
                        (REP_MARK,) if role in REP_ROLES else ())
                    if resp.status_code >= 500:
                        out.lists[route.name].append(f"GET {url}{query} as A/{role}: {resp.status_code}")
                    elif leak := _leak(resp, marks):
                        out.lists[route.name].append(f"GET {url}{query} as A/{role}: {leak}")

    for route in HTML_ROUTES:
        for spec in matrix.variants(route) or [{k: "=1" for k in route.kwargs}]:
            kwargs = matrix.fill(spec, a_objs.ids, a_objs.extra)
            if kwargs is None:
                continue
            url = reverse(route.name, kwargs=kwargs)
            for method in ("GET", "POST"):
                resp = _request(anon, method, url)
                out.requests += 1
                if not (_login_redirect(resp) or resp.status_code in (401, 403, 405)):
                    out.anon[route.name].append(f"anonymous {method} {url}: {resp.status_code}")


    out.b_events_by_a = [f"{e.action} by {e.actor_name} ({e.subject_type} {e.subject_id})" for e in
                         EvidenceEvent.objects.filter(company=b.company).order_by("seq")[b_events:]]

    # Public pages with a bad secret: nothing behind them.
    bad = "x" * 32
    for name in ("signing:page", "signing:send_code", "signing:verify", "signing:sign", "signing:decline",
                 "signing:document"):
        url = reverse(name, kwargs={"token": bad})
        for method in ("GET", "POST"):
            resp = _request(anon, method, url)
            if resp.status_code not in (404, 405):
                out.public.append(f"anonymous {method} {url}: {resp.status_code} (expected 404)")
    for method in ("GET", "POST"):
        url = reverse("activation:activate", kwargs={"token": bad})
        resp = _request(anon, method, url)
        if resp.status_code != 404:
            out.public.append(f"anonymous {method} {url}: {resp.status_code} (expected 404)")
    real = reverse("signing:page", kwargs={"token": b_objs.extra.get("sign_token", bad)})
    for name in ("notify:sms_receipts",):
        for company in (a.company.pk, b.company.pk):
            url = reverse(name, kwargs={"company_id": company, "token": bad})
            resp = anon.post(url, data=b"[]", content_type="application/json")
            if resp.status_code != 404:
                out.public.append(f"anonymous POST {url}: {resp.status_code} (expected 404)")
    marks = (ENG_MARK, ENG_CO_MARK, B_MARK, B_CO_MARK, REP_MARK)
    for method, name in (("GET", "eap:ask"), ("GET", "eap:follow"), ("POST", "eap:ask"), ("POST", "eap:follow")):
        resp = _request(anon, method, reverse(name))
        if resp.status_code >= 500 or _leak(resp, marks) or resp.cookies:
            out.public.append(f"anonymous {method} {reverse(name)}: {resp.status_code} (EAP holds nothing, sets no "
                              "cookie)")
    if "sign_token" in b_objs.extra and anon.get(real).status_code != 200:
        out.public.append(f"the real signing link {real} does not open (the invalid-token check proves nothing)")



@pytest.fixture(scope="module")
def outcomes(django_db_setup: Any, django_db_blocker: Any) -> Outcomes:
    out = Outcomes()
    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # thousands of expected 403/404 warnings
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            _run(out)
            transaction.set_rollback(True)
    finally:
        quiet.setLevel(level)
    return out


def _check(bucket: dict[str, list[str]], name: str, check: str) -> None:
    problems = bucket.get(name, [])
    reason = KNOWN.get((name, check))
    if reason:
        pytest.xfail(reason) if problems else pytest.fail(f"known defect fixed, drop KNOWN entry: {reason}")
    assert not problems, "\n".join(problems)


def _params(routes: list[matrix.Route], check: str) -> list[Any]:
    return [pytest.param(r.name, id=r.name) for r in routes]


@pytest.mark.parametrize("name", _params(OBJECT_ROUTES, "cross"))
def test_other_company_objects_are_refused(outcomes: Outcomes, name: str) -> None:
    _check(outcomes.cross, name, "cross")


@pytest.mark.parametrize("name", _params(OBJECT_ROUTES, "enum"))
def test_other_company_objects_look_missing(outcomes: Outcomes, name: str) -> None:
    """B's object and a nonexistent id get the same status: existence is not disclosed."""
    _check(outcomes.enum, name, "enum")


@pytest.mark.parametrize("name", _params(OBJECT_ROUTES, "same"))
def test_other_employees_objects_are_refused(outcomes: Outcomes, name: str) -> None:
    _check(outcomes.same, name, "same")


@pytest.mark.parametrize("name", _params(LIST_ROUTES, "lists"))
def test_list_pages_never_show_other_company_or_colleagues(outcomes: Outcomes, name: str) -> None:
    _check(outcomes.lists, name, "lists")


@pytest.mark.parametrize("name", _params(HTML_ROUTES, "anon"))
def test_anonymous_is_sent_to_login(outcomes: Outcomes, name: str) -> None:
    _check(outcomes.anon, name, "anon")


def test_public_urls_hold_nothing_without_their_secret(outcomes: Outcomes) -> None:
    assert not outcomes.public, "\n".join(outcomes.public)


def test_no_evidence_written_in_other_company_by_company_a(outcomes: Outcomes) -> None:
    """All those POSTs to B's objects changed nothing there (every state change writes evidence)."""
    assert not outcomes.b_events_by_a, outcomes.b_events_by_a


def test_every_object_url_is_mapped(outcomes: Outcomes) -> None:
    """A new URL whose object kwargs this matrix cannot fill must be added to tests/security/matrix.py."""
    unmapped = [f"{r.name} ({r.route})" for r in HTML_ROUTES if matrix.variants(r) is None]
    assert not unmapped, "unmapped URLs: " + ", ".join(unmapped)
    assert not outcomes.skipped, outcomes.skipped
    assert not outcomes.missing_objects, outcomes.missing_objects
    assert outcomes.requests > 500


# (URL name, role) → the page must open for the company's own user and show the record's text.
OWN_CONTROL = {
    ("people:employee_detail", "admin"): False,
    ("evidence:employee_timeline", "admin"): False,
    ("activity:violation_detail", "compliance"): True,
    ("activity:complaint_detail", "compliance"): True,
    ("activity:cycle_detail", "admin"): False,
    ("documents:request_detail", "admin"): True,
    ("documents:envelope_detail", "admin"): False,
    ("notify:message", "admin"): False,
    ("workflows:instance_detail", "admin"): False,
    ("workflows:template_edit", "admin"): False,
    ("risk:alert", "admin"): True,
    ("risk:check", "admin"): True,
    ("risk:rule_edit", "admin"): False,
}


def test_positive_control_own_company_pages_open(outcomes: Outcomes) -> None:
    """The refusals above mean something only if the same URLs work for the owner company."""
    wrong = {}
    for key, needs_mark in OWN_CONTROL.items():
        if key[0] not in {r.name for r in ROUTES}:
            continue
        status, marked = outcomes.own.get(key, (0, False))
        if status != 200 or (needs_mark and not marked):
            wrong[key] = (status, marked)
    wrong.pop(("notify:message", "admin"), None)  # an HR user's inbox holds only their own messages
    assert not wrong, wrong


def test_public_allow_list_is_current() -> None:
    names = {r.name for r in ROUTES}
    stale = set(matrix.PUBLIC) - names
    assert not stale, f"allow-listed URLs that no longer exist: {stale}"
