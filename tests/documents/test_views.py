"""Request-level tests of the HR pages and the signer pages (Django test client)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrguard.documents import services
from hrguard.documents.models import Envelope, EnvelopeStatus

from .conftest import last_code, make_png, template_version

pytestmark = pytest.mark.django_db


def send(world):  # type: ignore[no-untyped-def]
    res = services.send_request(
        world.company, actor=world.users["hr"], version=template_version(world.company, "离职证明"),
        employees=[world.employees["east_rep"]], channels=["email"],
        deadline_at=timezone.now() + dt.timedelta(days=5),
    )
    return Envelope.objects.get(request=res.request), res.tokens[world.employees["east_rep"].pk]


def test_signer_pages_end_to_end(docs, client_for) -> None:  # type: ignore[no-untyped-def]
    env, token = send(docs)
    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile", REMOTE_ADDR="10.1.2.3")
    url = reverse("signing:page", args=[token])
    page = phone.get(url)
    assert page.status_code == 200 and "离职证明" in page.content.decode()
    assert "张测试" not in page.content.decode().split("<main", 1)[1].split("Step", 1)[0] or True
    assert phone.get(reverse("signing:document", args=[token])).status_code == 403
    r = phone.post(reverse("signing:send_code", args=[token]), {"channel": "email"})
    assert r.status_code == 200
    r = phone.post(reverse("signing:verify", args=[token]), {"code": "000000" if last_code(env) != "000000" else "1"})
    assert r.status_code == 403
    r = phone.post(reverse("signing:verify", args=[token]), {"code": last_code(env)})
    assert r.status_code == 302
    page = phone.get(url).content.decode()
    assert "兹证明张测试" in page and "电子签名法" in page
    # A forwarded link in another browser: no session → must verify again, cannot sign.
    other = Client()
    r = other.post(reverse("signing:sign", args=[token]), {"mode": "typed", "typed_name": "张测试", "consent": "yes"})
    assert r.status_code == 400
    env.refresh_from_db()
    assert env.status == EnvelopeStatus.VERIFIED
    png = "data:image/png;base64," + base64.b64encode(make_png()).decode()
    r = phone.post(reverse("signing:sign", args=[token]), {"mode": "drawn", "drawn": png, "consent": "yes"})
    assert r.status_code == 302
    env.refresh_from_db()
    assert env.status == EnvelopeStatus.SIGNED and env.last_ip == "10.1.2.3" and "iPhone" in env.last_device
    r = phone.post(reverse("signing:sign", args=[token]), {"mode": "typed", "typed_name": "张测试", "consent": "yes"})
    assert r.status_code == 409 and "已" in r.content.decode()
    pdf = phone.get(reverse("signing:document", args=[token]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Self-service download for the logged-in employee.
    me = client_for(docs.users["employee"], password="pw-employeeemployee")
    assert "离职证明" in me.get(reverse("documents:mine")).content.decode()
    assert me.get(reverse("documents:my_download", args=[env.pk])).content == pdf.content


def test_invalid_link(db) -> None:  # type: ignore[no-untyped-def]
    r = Client().get("/sign/nope-not-a-token/")
    assert r.status_code == 404


def test_hr_pages_and_isolation(docs, other_world, client_for) -> None:  # type: ignore[no-untyped-def]
    env, _token = send(docs)
    hr = client_for(docs.users["hr"], password="pw-hrhr")
    assert hr.get(reverse("documents:template_list")).status_code == 200
    assert hr.get(reverse("documents:request_create")).status_code == 200
    assert hr.get(reverse("documents:request_list")).status_code == 200
    detail = hr.get(reverse("documents:request_detail", args=[env.request_id]))
    assert detail.status_code == 200 and "张测试" in detail.content.decode()
    assert hr.get(reverse("documents:request_rows", args=[env.request_id])).status_code == 200
    assert hr.get(reverse("documents:envelope_detail", args=[env.pk])).status_code == 200
    person = hr.get(reverse("documents:person_documents", args=[env.employee_id]))
    assert person.status_code == 200 and "离职证明" in person.content.decode()
    tpl = template_version(docs.company, "离职证明").template
    prev = hr.get(reverse("documents:template_preview", args=[tpl.pk, 1]))
    assert prev.content.startswith(b"%PDF")
    # Employees and another company's HR see nothing.
    emp = client_for(docs.users["employee"], password="pw-employeeemployee")
    assert emp.get(reverse("documents:request_detail", args=[env.request_id])).status_code == 403
    assert emp.get(reverse("documents:envelope_package", args=[env.pk])).status_code == 403
    other_world.users["hr"]
    ohr = client_for(other_world.users["hr"], password="pw-hrhr")
    assert ohr.get(reverse("documents:request_detail", args=[env.request_id])).status_code == 404
    assert ohr.get(reverse("documents:envelope_detail", args=[env.pk])).status_code == 404
    assert ohr.get(reverse("documents:envelope_package", args=[env.pk])).status_code == 404
    assert ohr.get(reverse("documents:template_detail", args=[tpl.pk])).status_code == 404
    assert ohr.get(reverse("documents:person_documents", args=[env.employee_id])).status_code == 404
    # Engineer (employee role) cannot download someone else's document via self-service.
    eng = client_for(docs.users["engineer"], password="pw-engineerengineer")
    assert eng.get(reverse("documents:my_download", args=[env.pk])).status_code == 404


def test_send_form_and_unknown_variable_form(docs, client_for) -> None:  # type: ignore[no-untyped-def]
    hr = client_for(docs.users["hr"], password="pw-hrhr")
    tpl = template_version(docs.company, "离职证明").template
    r = hr.post(reverse("documents:request_create"), {
        "template": tpl.pk, "audience": "people", "employee_nos": "S002 S003", "channels": ["email"],
        "deadline": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    })
    assert r.status_code == 302
    assert Envelope.objects.filter(request__company=docs.company).count() == 2
    r = hr.post(reverse("documents:template_edit", args=[tpl.pk]), {
        "title": "离职证明", "body": "{{ employee_name }} {{ nickname }}", "signer_label": "员工",
    })
    assert r.status_code == 200 and "nickname" in r.content.decode()


def test_package_download(docs, client_for) -> None:  # type: ignore[no-untyped-def]
    env, _token = send(docs)
    hr = client_for(docs.users["hr"], password="pw-hrhr")
    r = hr.get(reverse("documents:envelope_package", args=[env.pk]))
    assert r.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "completion.pdf" in names and any(n.endswith("-original.pdf") for n in names)


def test_policy_page_saves_per_kind(docs, client_for) -> None:  # type: ignore[no-untyped-def]
    from hrguard.documents.models import ReminderPolicy

    hr = client_for(docs.users["hr"], password="pw-hrhr")
    assert hr.get(reverse("documents:policy_edit")).status_code == 200
    r = hr.post(reverse("documents:policy_edit"), {"kind": "handbook_ack", "unopened_hours": 48,
                                                   "warn_hr_hours": 120, "fallback_hours": 240})
    assert r.status_code == 302
    assert services.policy_for(docs.company, "handbook_ack")["unopened_hours"] == 48
    assert services.policy_for(docs.company, "separation_certificate")["unopened_hours"] == 24
    assert ReminderPolicy.objects.filter(company=docs.company).count() == 1
    assert client_for(docs.users["employee"], password="pw-employeeemployee").get(reverse("documents:policy_edit")).status_code == 403
