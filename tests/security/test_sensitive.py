"""Sensitive data: encrypted at rest, findable only through blind indexes, masked for roles that may not
read it, every unmasked read in the evidence log; markup never rendered; security headers and cookies;
password guessing on the login form."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from hrguard.evidence.models import EvidenceEvent

from .matrix import body_text

pytestmark = pytest.mark.django_db

RECORD_APPS = ("records", "attendance", "leave", "expenses", "performance", "discipline")
SENSITIVE = ("id_number", "phone", "bank_account")
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def plain_values(emp: Any) -> dict[str, str]:
    return {f: getattr(emp, f) for f in SENSITIVE}


# --- at rest -----------------------------------------------------------------------------------------


def test_sensitive_columns_hold_no_plaintext(world: Any) -> None:
    emp = world.employees["sales_rep"]
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone, bank_account, id_number_index, phone_index "
                    "FROM people_employee WHERE id = %s", [emp.pk])
        raw = cur.fetchone()
    values = plain_values(emp)
    assert all(values.values())
    text = " ".join(str(c) for c in raw)
    for field, value in values.items():
        assert value not in text, f"{field} stored in plaintext"
        assert value[-8:] not in text, f"{field}: a long tail of the value is stored in plaintext"
    # Two employees with the same bank account: ciphertexts differ (random nonce), values decrypt back.
    other = world.employees["east_rep"]
    with connection.cursor() as cur:
        cur.execute("SELECT bank_account FROM people_employee WHERE id IN (%s, %s)", [emp.pk, other.pk])
        a, b = (r[0] for r in cur.fetchall())
    assert a != b and emp.bank_account == other.bank_account


def test_notification_addresses_hold_no_plaintext(world: Any) -> None:
    from django.db import transaction

    from hrguard.notify import services as notify
    from hrguard.notify.adapters import configure

    emp = world.employees["east_rep"]
    configure(world.company, "sms", {"sign_name": "甲公司", "template_code": "SMS_1"},
              {"access_key_id": "a", "access_key_secret": "b"})
    with transaction.atomic():
        notify.enqueue(world.company, recipient=emp, channels=["sms"], subject="s", body="b", idempotency_key="sec-sms")
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM notify_outboxmessage WHERE idempotency_key = %s", ["sec-sms"])
        rows = cur.fetchall()
    assert rows
    assert emp.phone not in " ".join(str(c) for r in rows for c in r)


def test_evidence_log_never_holds_sensitive_values(world: Any, client_for: Any) -> None:
    """Evidence is kept for years and exported: creating, changing and revealing must not copy values."""
    from hrguard.people import services

    hr = world.users["hr"]
    emp = world.employees["sales_rep"]
    services.update_employee(hr, emp, {"phone": "13912345678", "bank_account": "6222020200998877665"})
    emp.refresh_from_db()
    for field in SENSITIVE:
        services.reveal_sensitive(hr, emp, field)
    client = client_for(hr)
    client.post(reverse("people:reveal", args=[emp.pk, "id_number"]))
    records = " ".join(EvidenceEvent.objects.filter(company=world.company).values_list("record", flat=True))
    for value in ("13912345678", "6222020200998877665", emp.id_number, "6222020200112233445"):
        assert value not in records


def test_blind_index_finds_exact_values_only(world: Any, other_world: Any, client_for: Any) -> None:
    from hrguard.core.crypto import blind_index
    from hrguard.people.inputs import ID_INDEX_CONTEXT, PHONE_INDEX_CONTEXT
    from hrguard.people.models import Employee

    emp = world.employees["sales_rep"]
    assert Employee.objects.get(company=world.company, phone_index=blind_index(emp.phone, PHONE_INDEX_CONTEXT)) == emp
    assert Employee.objects.get(company=world.company,
                                id_number_index=blind_index(emp.id_number, ID_INDEX_CONTEXT)) == emp
    assert emp.phone_index != blind_index(emp.phone, ID_INDEX_CONTEXT)  # contexts separate the indexes
    hr = client_for(world.users["hr"])
    page = hr.get(reverse("people:employee_list"), {"q": emp.phone}).content.decode()
    assert emp.employee_no in page and "S001" not in page
    page = hr.get(reverse("people:employee_list"), {"q": emp.id_number.lower()}).content.decode()
    assert emp.employee_no in page
    # The same phone of the other company's employee is not found from company A.
    theirs = other_world.employees["sales_rep"]
    page = hr.get(reverse("people:employee_list"), {"q": theirs.phone}).content.decode()
    assert "欧阳娜娜" not in page


@pytest.mark.parametrize("channel", ["web", "api"])
@pytest.mark.parametrize("role", ["manager", "legal"])
def test_search_by_sensitive_value_needs_permission_to_read_it(world: Any, role: str, channel: str, client_for: Any) -> None:
    from rest_framework.authtoken.models import Token

    target = world.employees["sales_rep"]  # visible to both (manager: own department; legal: roster)
    if channel == "web":
        client, url = client_for(world.users[role]), reverse("people:employee_list")
    else:
        token, _ = Token.objects.get_or_create(user=world.users[role])
        client, url = Client(HTTP_AUTHORIZATION=f"Token {token.key}"), "/api/v1/employees/"
    assert target.employee_no in client.get(url).content.decode()
    for value in (target.phone, target.id_number):
        page = client.get(url, {"q": value}).content.decode()
        assert target.employee_no not in page, f"{role} confirmed {value!r} by searching ({channel})"


# --- masking -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "target"), [
    ("manager", "sales_rep"), ("legal", "sales_rep"), ("hrbp", "engineer"), ("hr", "sales_rep"),
    ("employee", "east_rep"),
])
def test_pages_show_sensitive_fields_masked(world: Any, role: str, target: str, client_for: Any) -> None:
    """Profile, roster, export and API: masked for everyone until an explicit (audited) reveal."""
    emp = world.employees[target]
    client = client_for(world.users[role])
    detail = client.get(reverse("people:employee_detail", args=[emp.pk]))
    if detail.status_code == 302:  # one's own record lives at people:my_profile
        detail = client.get(detail["Location"])
    assert detail.status_code == 200
    html = detail.content.decode()
    assert emp.phone[:3] + "****" + emp.phone[-4:] in html
    texts = [html, client.get(reverse("people:employee_list")).content.decode()]
    export = client.get(reverse("people:employee_export"))
    if export.status_code == 200:
        texts.append(body_text(export))
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=world.users[role])
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get(f"/api/v1/employees/{emp.pk}/")
    assert api.status_code == 200
    texts.append(api.content.decode())
    for text in texts:
        for field, value in plain_values(emp).items():
            assert value not in text, f"{field} unmasked for {role}"


@pytest.mark.parametrize("role", ["manager", "legal", "hrbp", "finance"])
def test_roles_without_permission_cannot_reveal(world: Any, role: str, client_for: Any) -> None:
    emp = world.employees["engineer" if role == "hrbp" else "sales_rep"]
    client = client_for(world.users[role])
    before = EvidenceEvent.objects.filter(action="sensitive.read").count()
    for field in SENSITIVE:
        resp = client.post(reverse("people:reveal", args=[emp.pk, field]))
        assert resp.status_code in (403, 404)
        assert getattr(emp, field) not in resp.content.decode()
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=world.users[role])
    resp = Client(HTTP_AUTHORIZATION=f"Token {token.key}").post(
        f"/api/v1/employees/{emp.pk}/reveal/", {"field": "phone"}, content_type="application/json")
    assert resp.status_code in (403, 404) and emp.phone not in resp.content.decode()
    assert EvidenceEvent.objects.filter(action="sensitive.read").count() == before


def test_export_unmasked_only_for_sensitive_readers(world: Any, client_for: Any) -> None:
    emp = world.employees["sales_rep"]
    legal = client_for(world.users["legal"]).get(reverse("people:employee_export"), {"unmasked": "1"})
    if legal.status_code == 200:
        assert emp.id_number not in body_text(legal)
    hr = client_for(world.users["hr"]).get(reverse("people:employee_export"), {"unmasked": "1"})
    assert hr.status_code == 200 and emp.id_number in body_text(hr)
    event = EvidenceEvent.objects.filter(company=world.company, actor_id=world.users["hr"].pk).order_by("-seq")[0]
    assert "export" in event.action and "true" in event.record.lower()


def test_reveal_writes_evidence_with_actor_and_field(world: Any, client_for: Any) -> None:
    emp = world.employees["sales_rep"]
    hr = world.users["hr"]
    client = client_for(hr)
    for field in SENSITIVE:
        resp = client.post(reverse("people:reveal", args=[emp.pk, field]))
        assert resp.status_code == 200 and getattr(emp, field) in resp.content.decode()
        event = EvidenceEvent.objects.filter(company=world.company, action="sensitive.read").order_by("-seq")[0]
        assert event.actor_id == hr.pk and event.employee_id == emp.pk
        assert f'"{field}"' in event.record
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=hr)
    resp = Client(HTTP_AUTHORIZATION=f"Token {token.key}").post(
        f"/api/v1/employees/{emp.pk}/reveal/", {"field": "phone"}, content_type="application/json")
    if resp.status_code == 400:  # the API may want all fields or a list
        resp = Client(HTTP_AUTHORIZATION=f"Token {token.key}").post(f"/api/v1/employees/{emp.pk}/reveal/")
    assert resp.status_code == 200 and emp.phone in resp.content.decode()
    event = EvidenceEvent.objects.filter(company=world.company, action="sensitive.read").order_by("-seq")[0]
    assert event.actor_id == hr.pk and "phone" in event.record


# --- markup ------------------------------------------------------------------------------------------


def test_services_refuse_markup(world: Any) -> None:
    """Text fields refuse HTML at the service layer (the first line of defence)."""
    from django.core.exceptions import ValidationError

    from hrguard.leave import services as leave
    from hrguard.people import services

    emp = world.employees["east_rep"]
    with pytest.raises(ValidationError):
        leave.request_leave(world.users["employee"], emp, {"leave_type": "sick", "start_date": "2025-03-04",
                                                           "end_date": "2025-03-04", "reason": XSS})
    with pytest.raises(ValidationError):
        services.update_employee(world.users["hr"], emp, {"name": XSS})
    with pytest.raises(ValidationError):
        services.update_own_contact(world.users["employee"], emp, {"address": XSS})


RAW_XSS = "<script>alert(1)</script>"


def test_markup_in_stored_text_is_never_rendered(world: Any, client_for: Any) -> None:
    """Rows that bypassed the services (old data, imports, a bug) still come out escaped: every text
    column of the records built for 张测试 is overwritten with a script tag, then the pages are read."""
    from django.apps import apps
    from django.db import models

    from hrguard.core.fields import EncryptedTextField
    from tests.security.objects import build

    mark = "XSSMARK"
    objs = build(world, "east_rep", mark, mark, documents=False, tag="xss")
    assert not objs.missing, objs.missing
    touched = []
    for model in apps.get_models():
        if model._meta.app_label not in (*RECORD_APPS, "people", "notify"):
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField) and not isinstance(f, EncryptedTextField):
                rows = model.objects.filter(**{f"{f.name}__contains": mark})
                if rows.exists() and (f.max_length or 999) >= len(RAW_XSS):
                    rows.update(**{f.name: RAW_XSS})
                    touched.append(f"{model.__name__}.{f.name}")
    from hrguard.people.models import Employee

    Employee.objects.filter(pk=objs.ids["employee"]).update(name=RAW_XSS)
    assert len(touched) >= 8, touched
    ids = objs.ids
    pages = {
        "hr": [reverse("people:employee_list"), reverse("people:employee_detail", args=[ids["employee"]]),
               reverse("activity:leave_list"), reverse("activity:expense_approvals"),
               reverse("activity:cycle_detail", args=[ids["cycle"]]), reverse("people:clause_list"),
               reverse("evidence:employee_timeline", args=[ids["employee"]])],
        "compliance": [reverse("activity:violation_list"), reverse("activity:complaint_list"),
                       reverse("activity:handbook"), reverse("activity:violation_detail", args=[ids["violation"]]),
                       reverse("activity:complaint_detail", args=[ids["complaint"]])],
        "manager": [reverse("activity:leave_approvals"), reverse("activity:expense_approvals")],
        "employee": [reverse("activity:my_leave"), reverse("activity:my_expenses"), reverse("notify:inbox"),
                     reverse("people:my_profile"), reverse("notify:message", args=[ids["message"]])],
        "finance": [reverse("activity:finance")],
    }
    escaped = 0
    for role, urls in pages.items():
        client = client_for(world.users[role])
        for url in urls:
            resp = client.get(url)
            assert resp.status_code == 200, (role, url, resp.status_code)
            html = resp.content.decode()
            assert RAW_XSS not in html, f"unescaped script on {url} as {role}"
            escaped += "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert escaped >= 10, escaped  # the text is on the pages, escaped


# --- headers, cookies, login -------------------------------------------------------------------------


def _csp(resp: Any) -> dict[str, list[str]]:
    header = resp.get("Content-Security-Policy", "")
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("who", ["anonymous", "hr"])
def test_security_headers(world: Any, who: str, client_for: Any) -> None:
    client = Client() if who == "anonymous" else client_for(world.users["hr"])
    urls = [reverse("login"), reverse("healthz"), "/api/docs/"]
    if who == "hr":
        urls += [reverse("people:employee_list"), reverse("people:employee_detail", args=[world.employees["east_rep"].pk]),
                 reverse("documents:request_list"), "/api/v1/me/"]
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200, url
        csp = _csp(resp)
        assert csp, f"no CSP on {url}"
        scripts = csp.get("script-src") or csp.get("default-src") or []
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, (url, scripts)
        assert csp.get("frame-ancestors") == ["'none'"] or resp.get("X-Frame-Options") == "DENY", url
        assert csp.get("object-src") == ["'none'"], url
        assert resp.get("X-Content-Type-Options") == "nosniff", url
        assert resp.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")


def test_signing_page_headers(world: Any) -> None:
    """The public signing page (opened from SMS/e-mail) gets the same strict policy and no referrer leak."""
    import datetime as dt

    from django.utils import timezone

    from hrguard.documents import services as doc_services
    from hrguard.documents.library import ensure_default_templates
    from hrguard.documents.models import DocumentTemplate

    ensure_default_templates(world.company)
    version = DocumentTemplate.objects.filter(company=world.company, name="合规承诺书").first().latest
    res = doc_services.send_request(world.company, actor=world.users["hr"], version=version,
                                    employees=[world.employees["engineer"]], channels=["inapp"],
                                    deadline_at=timezone.now() + dt.timedelta(days=3))
    token = next(iter(res.tokens.values()))
    resp = Client().get(reverse("signing:page", args=[token]))
    assert resp.status_code == 200
    scripts = _csp(resp).get("script-src") or _csp(resp).get("default-src") or []
    assert scripts and "'unsafe-inline'" not in scripts
    assert resp.get("Referrer-Policy") in ("same-origin", "no-referrer")  # the token is in the URL
    assert "no-store" in resp.get("Cache-Control", "") or "private" in resp.get("Cache-Control", "")


def test_cookie_flags(world: Any) -> None:
    client = Client()
    page = client.get(reverse("login"))
    csrf = page.cookies.get(settings.CSRF_COOKIE_NAME)
    assert csrf is not None and csrf["samesite"] in ("Lax", "Strict")
    resp = client.post(reverse("login"), {"username": world.users["hr"].username, "password": "pw-hrhr",
                                          "csrfmiddlewaretoken": csrf.value})
    assert resp.status_code == 302
    session = resp.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] in ("Lax", "Strict")
    assert settings.SESSION_COOKIE_AGE <= 14 * 24 * 3600


def test_production_settings_mark_cookies_secure(tmp_path: Any) -> None:
    code = ("from hrguard.settings import production as p; "
            "print(p.SESSION_COOKIE_SECURE, p.CSRF_COOKIE_SECURE, getattr(p, 'SECURE_HSTS_SECONDS', 0), p.DEBUG)")
    env = {**os.environ, "HRGUARD_SECRET_KEY": "x" * 50, "HRGUARD_KEYS_DIR": str(tmp_path),
           "HRGUARD_DATABASE_URL": "postgres://app@db.example:5432/hr", "HRGUARD_REDIS_URL": "redis://127.0.0.1:6379/5"}
    env.pop("HRGUARD_INSECURE_COOKIES", None)
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False, cwd=root)
    assert out.returncode == 0, out.stderr[-2000:]
    session_secure, csrf_secure, _hsts, debug = out.stdout.split()
    assert session_secure == "True" and csrf_secure == "True" and debug == "False"


def test_login_form_limits_password_guessing(world: Any) -> None:
    """After repeated failures the right password is refused too (429), the lock is in the evidence log,
    and an unknown username is answered exactly like a known one (no account enumeration)."""
    user = world.users["hr"]
    client = Client()
    statuses = {}
    for name in (user.username, "no-such-user"):
        statuses[name] = [client.post(reverse("login"), {"username": name, "password": "wrong-password"},
                                      REMOTE_ADDR=f"10.0.0.{len(statuses) + 1}").status_code for _ in range(12)]
    assert statuses[user.username] == statuses["no-such-user"]
    assert statuses[user.username][-1] == 429
    resp = client.post(reverse("login"), {"username": user.username, "password": "pw-hrhr"}, REMOTE_ADDR="10.0.0.9")
    assert resp.status_code == 429 and "_auth_user_id" not in client.session
    locked = EvidenceEvent.objects.filter(company=world.company, action="auth.locked")
    assert locked.count() == 1 and user.username in locked[0].record


def test_unmasked_values_are_not_cached(world: Any, client_for: Any) -> None:
    from rest_framework.authtoken.models import Token

    emp = world.employees["sales_rep"]
    client = client_for(world.users["hr"])
    token, _ = Token.objects.get_or_create(user=world.users["hr"])
    responses = {
        "reveal": client.post(reverse("people:reveal", args=[emp.pk, "phone"])),
        "api reveal": Client(HTTP_AUTHORIZATION=f"Token {token.key}").post(
            f"/api/v1/employees/{emp.pk}/reveal/", {"field": "phone"}, content_type="application/json"),
        "export": client.get(reverse("people:employee_export"), {"unmasked": "1"}),
    }
    uncached = [name for name, resp in responses.items()
                if resp.status_code != 200 or "no-store" not in resp.get("Cache-Control", "")]
    assert not uncached, f"no Cache-Control: no-store on {uncached}"
