"""HR's page for the per-document-kind identity checks (/documents/identity/): who may change them, what a
change writes to the evidence log, what signing then requires, and the page in Chinese."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hrguard.documents import identity
from hrguard.documents.models import IdentityPolicy
from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db
URL = reverse("documents:identity_policy")


def saved_events() -> list[dict]:  # type: ignore[type-arg]
    rows = EvidenceEvent.objects.filter(action="documents.identity_policy_saved").order_by("seq")
    return [json.loads(e.record)["data"] for e in rows]


def test_hr_sets_a_kind_and_the_change_is_evidence(docs, client_for, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HRGUARD_REALNAME_URL = None
    hr = client_for(docs.users["hr"])
    page = hr.get(URL)
    assert page.status_code == 200
    r = hr.post(URL, {"kind": "separation_certificate", "setting": "required"})
    assert r.status_code == 302
    assert IdentityPolicy.objects.get(company=docs.company, kind="separation_certificate").realname is True
    (event,) = saved_events()
    assert event["kind"] == "separation_certificate"
    assert event["before"] == {"setting": "inherit", "realname": False}
    assert event["after"] == {"setting": "required", "realname": True}
    assert event["checks"] == ["otp", "realname"] and event["provider_configured"] is False
    # Saving the same rule again changes nothing and records nothing.
    hr.post(URL, {"kind": "separation_certificate", "setting": "required"})
    assert len(saved_events()) == 1
    # Back to the company default: the kind's own row goes.
    hr.post(URL, {"kind": "separation_certificate", "setting": "inherit"})
    assert not IdentityPolicy.objects.filter(company=docs.company, kind="separation_certificate").exists()
    assert saved_events()[-1]["after"] == {"setting": "inherit", "realname": False}


def test_the_rule_decides_what_signing_requires(docs, client_for) -> None:  # type: ignore[no-untyped-def]
    from .test_event_signatures import open_envelope

    hr = client_for(docs.users["hr"])
    hr.post(URL, {"kind": "", "setting": "required"})
    env = open_envelope(docs)
    assert identity.realname_required(env) is True
    hr.post(URL, {"kind": env.request.version.template.kind, "setting": "not_required"})
    assert identity.realname_required(env) is False
    rows = {r.kind: r for r in identity.policy_rows(docs.company.pk)}
    assert rows[""].realname is True and rows["handbook_ack"].setting == "inherit" and rows["handbook_ack"].realname
    assert rows["separation_certificate"].setting == "not_required" and not rows["separation_certificate"].realname


def test_bad_input_is_refused_without_a_change(docs, client_for) -> None:  # type: ignore[no-untyped-def]
    hr = client_for(docs.users["hr"])
    r = hr.post(URL, {"kind": "", "setting": "inherit"})  # the default cannot follow itself
    assert r.status_code == 200 and "请选择是否要求实名核验" in r.content.decode()
    r = hr.post(URL, {"kind": "no_such_kind", "setting": "required"})
    assert r.status_code == 200
    r = hr.post(URL, {"kind": "handbook_ack", "setting": "maybe"})
    assert r.status_code == 200
    assert not IdentityPolicy.objects.exists() and not saved_events()
    with pytest.raises(ValidationError):
        identity.save_policy(actor=docs.users["hr"], kind="no_such_kind", setting="required")


@pytest.mark.parametrize("role", ["employee", "manager", "legal", "finance"])
def test_only_hr_and_the_administrator_may_change_it(docs, client_for, role) -> None:  # type: ignore[no-untyped-def]
    user = docs.users.get(role)
    if user is None:
        pytest.skip(f"no {role} user in the test world")
    client = client_for(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"kind": "", "setting": "required"}).status_code == 403
    with pytest.raises(PermissionDenied):
        identity.save_policy(actor=user, kind="", setting="required")
    assert not IdentityPolicy.objects.exists() and not saved_events()


def test_the_administrator_may_and_companies_stay_apart(docs, other_world, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for(docs.users["admin"]).post(URL, {"kind": "", "setting": "required"}).status_code == 302
    client_for(other_world.users["hr"]).post(URL, {"kind": "handbook_ack", "setting": "not_required"})
    assert list(IdentityPolicy.objects.filter(company=docs.company).values_list("kind", "realname")) == [("", True)]
    assert list(IdentityPolicy.objects.filter(company=other_world.company).values_list("kind", "realname")) == [
        ("handbook_ack", False)]


def test_page_in_chinese_without_english(docs, client_for, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HRGUARD_REALNAME_URL = None
    html = client_for(docs.users["hr"], lang="zh-hans").get(URL).content.decode()
    for words in ("签署前身份核验", "验证码", "实名核验", "沿用公司默认", "尚未配置实名核验服务", "全部类型（公司默认）",
                  "离职证明"):
        assert words in html, words
    for english in ("Identity checks", "Real-name", "Required", "company default", "One-time code"):
        assert english not in html, english
