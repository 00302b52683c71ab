"""Issue 12 §7 in a browser: on a 390 px phone, a signed-in employee opens the anonymous EAP page, sends a
request and gets a receipt phrase; the page set no cookie, the request row holds no trace of the person,
and the phrase opens the request again."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import password_for


def test_an_eap_request_from_the_phone_leaves_no_trace_hr_can_link(page, e2e_world, login, context):  # type: ignore[no-untyped-def]
    from hrguard.care import services
    from hrguard.care.eap import crypto

    _private, public = crypto.new_keypair()
    services.set_provider(actor=e2e_world.users["hr"], company=e2e_world.company, name="心桥 EAP", public_key=public)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "acme-employee", password_for("employee"))
    cookies_before = {c["name"]: c["value"] for c in context.cookies()}
    page.goto("/eap/")
    page.locator("input[name=category][value=financial]").check()
    page.fill("#text", "网贷逾期，想咨询如何协商还款。")
    page.locator("#eap-form [type=submit]").click()
    expect(page.locator("#phrase")).to_be_visible()
    phrase = page.locator("#phrase").inner_text().strip()
    assert {c["name"]: c["value"] for c in context.cookies()} == cookies_before  # nothing set or changed
    from hrguard.care.eap_models import EapMessage, EapRequest

    row = EapRequest.objects.get()
    values = " ".join(str(v) for obj in (row, *EapMessage.objects.all()) for v in obj.__dict__.values())
    employee = e2e_world.employees["east_rep"]
    for trace in (employee.name, employee.employee_no, "acme-employee", "127.0.0.1"):
        assert trace not in values
    assert len(phrase.split()) == len(crypto.new_phrase().split()) and crypto.normalise(phrase) not in values
    page.goto("/eap/follow/")
    page.fill("#phrase", phrase)
    page.locator("#follow-form [type=submit]").click()
    expect(page.locator("body")).to_contain_text("网贷逾期，想咨询如何协商还款。")
