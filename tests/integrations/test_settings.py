"""The 设置 → 数据推送 pages and /api/v1/webhooks/: the company administrator alone; bad input refused with
the field named in Chinese; the secret shown once and stored encrypted; SSRF refused in production."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from hrguard.integrations import addresses, services
from hrguard.integrations.models import WebhookEndpoint

pytestmark = pytest.mark.django_db

URL = "http://127.0.0.1:9/hooks"


def test_admin_adds_an_endpoint_and_sees_the_secret_once(world, client_for):
    admin = client_for(world.users["admin"])
    page = admin.get("/settings/")
    assert "/settings/webhooks/" in page.content.decode() and "数据推送" in page.content.decode()
    resp = admin.post("/settings/webhooks/", {"url": URL, "description": "薪资系统", "events": ["exit.completed"],
                                               "active": "on"})
    assert resp.status_code == 200
    html = resp.content.decode()
    ep = WebhookEndpoint.objects.get()
    assert ep.secret.startswith("whsec_") and ep.secret in html and "不会再次显示" in html
    with connection.cursor() as cur:
        cur.execute("SELECT secret FROM integrations_webhookendpoint WHERE id = %s", [ep.pk])
        (stored,) = cur.fetchone()
    assert ep.secret not in stored
    listing = admin.get("/settings/webhooks/").content.decode()
    assert "薪资系统" in listing and ep.secret not in listing
    assert ep.secret not in admin.get(f"/settings/webhooks/{ep.pk}/").content.decode()
    from hrguard.evidence.models import EvidenceEvent

    assert EvidenceEvent.objects.filter(action="integrations.endpoint_created", subject_id=str(ep.pk)).exists()


@pytest.mark.parametrize(("data", "field_text"), [
    ({"url": "", "events": ["exit.completed"]}, "请填写接收事件的 URL 地址"),
    ({"url": "ftp://example.com/x", "events": ["exit.completed"]}, "请输入有效的 URL"),
    ({"url": "not a url", "events": ["exit.completed"]}, "请输入有效的 URL"),
    ({"url": "http://payroll.example.com/x", "events": ["exit.completed"]}, "https://"),
    ({"url": URL, "events": []}, "请至少选择一个推送事件"),
])
def test_bad_input_on_the_form_names_the_field(world, client_for, data, field_text):
    resp = client_for(world.users["admin"]).post("/settings/webhooks/", data)
    assert resp.status_code == 400
    html = resp.content.decode()
    assert field_text in html and 'class="invalid-feedback d-block"' in html
    assert not WebhookEndpoint.objects.exists()


def test_bad_input_on_the_api(world, api):
    client = api(world.users["admin"])
    resp = client.post("/api/v1/webhooks/endpoints/", {"url": "https://", "events": []}, format="json")
    assert resp.status_code == 400
    fields = resp.json()["fields"]
    assert "url" in fields and "events" in fields
    assert "请至少选择一个推送事件" in fields["events"][0]
    resp = client.post("/api/v1/webhooks/endpoints/", {"url": URL, "events": ["payroll.run"]}, format="json")
    assert resp.status_code == 400 and "未知事件类型" in resp.json()["fields"]["events"][0]
    resp = client.post("/api/v1/webhooks/endpoints/", {"url": URL, "events": "exit.completed"}, format="json")
    assert resp.status_code == 400
    resp = client.post("/api/v1/webhooks/endpoints/", {"url": "x" * 600, "events": ["exit.completed"]}, format="json")
    assert resp.status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_api_create_shows_the_secret_once_then_lists_without_it(world, api):
    client = api(world.users["admin"])
    resp = client.post("/api/v1/webhooks/endpoints/", {"url": URL, "events": ["exit.completed", "exit.started"]},
                       format="json")
    assert resp.status_code == 201
    body = resp.json()
    assert body["secret"].startswith("whsec_") and body["events"] == ["exit.started", "exit.completed"]
    listed = client.get("/api/v1/webhooks/endpoints/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [body["id"]] and "secret" not in rows[0]
    rotated = client.post(f"/api/v1/webhooks/endpoints/{body['id']}/rotate-secret/").json()
    assert rotated["secret"] != body["secret"]
    assert WebhookEndpoint.objects.get().secret == rotated["secret"]
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/webhooks/endpoints/" in schema["paths"]


@pytest.mark.parametrize("role", ["hr", "legal", "finance", "manager", "employee", "hrbp"])
def test_only_the_company_admin(world, client_for, api, role):
    user = world.users[role]
    web = client_for(user)
    assert web.get("/settings/webhooks/").status_code == 403
    assert web.post("/settings/webhooks/", {"url": URL, "events": ["exit.completed"]}).status_code == 403
    assert web.get("/settings/webhooks/deliveries/").status_code == 403
    assert "/settings/webhooks/" not in web.get("/settings/org/").content.decode()
    assert api(user).get("/api/v1/webhooks/endpoints/").status_code == 403
    assert api(user).post("/api/v1/webhooks/endpoints/", {"url": URL, "events": ["exit.completed"]},
                          format="json").status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_endpoint(actor=user, url=URL, events=["exit.completed"])
    assert not WebhookEndpoint.objects.exists()


def test_another_companys_endpoint_looks_missing(world, other_world, client_for, api):
    theirs = services.create_endpoint(actor=other_world.users["admin"], url=URL, events=["exit.completed"],
                                      description="乙公司薪资").endpoint
    admin = client_for(world.users["admin"])
    assert admin.get(f"/settings/webhooks/{theirs.pk}/").status_code == 404
    assert admin.post(f"/settings/webhooks/{theirs.pk}/secret/").status_code == 404
    assert "乙公司薪资" not in admin.get("/settings/webhooks/").content.decode()
    assert api(world.users["admin"]).get(f"/api/v1/webhooks/endpoints/{theirs.pk}/").status_code == 404
    with pytest.raises(Exception) as exc:
        services.update_endpoint(actor=world.users["admin"], endpoint_id=theirs.pk, url=URL, events=["exit.started"])
    assert exc.type.__name__ == "Http404"


def test_edit_disable_and_id_number_flag_are_recorded(world, client_for):
    ep = services.create_endpoint(actor=world.users["admin"], url=URL, events=["exit.completed"]).endpoint
    resp = client_for(world.users["admin"]).post(f"/settings/webhooks/{ep.pk}/", {
        "url": URL, "events": ["exit.completed", "employment.ended"], "include_id_number": "on"})
    assert resp.status_code == 302
    ep.refresh_from_db()
    assert not ep.active and ep.include_id_number and ep.events == ["employment.ended", "exit.completed"]
    from hrguard.evidence.models import EvidenceEvent

    event = EvidenceEvent.objects.get(action="integrations.endpoint_updated")
    assert "include_id_number" in event.record and "active" in event.record


def test_production_refuses_http_and_internal_addresses(settings):
    settings.HRGUARD_WEBHOOKS_REQUIRE_HTTPS = True
    settings.HRGUARD_WEBHOOKS_ALLOW_PRIVATE = False
    for url in ("http://127.0.0.1:9/hooks", "https://127.0.0.1/hooks", "https://localhost/x", "https://10.0.0.5/x",
                "https://192.168.1.1/x", "https://169.254.169.254/latest", "https://[::1]/x", "https://0.0.0.0/x"):
        with pytest.raises(addresses.AddressRefused):
            addresses.check_url(url)
    # A name is resolved (this machine's own name points inside), and so is every address it has.
    with pytest.raises(addresses.AddressRefused):
        addresses.check_url(f"https://{socket.gethostname()}/hooks")
    with pytest.raises(addresses.AddressRefused):  # documentation space: not a global address
        addresses.check_url("https://203.0.113.9/hooks")
    assert addresses.check_url("https://8.8.8.8/hooks")
    settings.HRGUARD_WEBHOOKS_ALLOW_PRIVATE = True  # explicitly allowed by the operator
    assert addresses.check_url("https://10.0.0.5/x")
    with pytest.raises(addresses.AddressRefused):
        addresses.check_url("http://127.0.0.1:9/hooks")  # still https only


def test_service_refuses_bad_events_and_description(world):
    with pytest.raises(ValidationError) as exc:
        services.create_endpoint(actor=world.users["admin"], url=URL, events=["exit.completed"], description="x" * 201)
    assert "description" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_endpoint(actor=world.users["admin"], url=URL, events={"a": 1})
    assert "events" in exc.value.message_dict


def test_list_pages_take_a_constant_number_of_queries(world, client_for, start, django_assert_max_num_queries):
    from hrguard.offboarding.models import Exit

    admin = client_for(world.users["admin"])

    def grow(n: int) -> None:
        for i in range(n):
            services.create_endpoint(actor=world.users["admin"], url=f"{URL}/{i}", events=["exit.started"],
                                     description=f"系统{i}")
        exit_ = Exit.objects.select_related("employee").first() or start(ground="art37")
        services.emit(company_id=world.company.pk, event_type="exit.started", exit_=exit_)

    admin.get("/settings/webhooks/")  # the session's first request does its own bookkeeping
    counts = []
    for n in (1, 6):
        grow(n)
        for url in ("/settings/webhooks/", "/settings/webhooks/deliveries/", "/settings/webhooks/deliveries/?state=queued"):
            with django_assert_max_num_queries(30) as ctx:
                assert admin.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
    assert counts[:3] == counts[3:]
