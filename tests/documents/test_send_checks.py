"""Sending refuses a document that would print blanks, and a separation certificate for someone who has not
left — naming each person and each missing item in Chinese, with nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hrguard.documents import services
from hrguard.documents.models import Envelope, SigningRequest
from hrguard.evidence.models import EvidenceEvent
from hrguard.notify.models import OutboxMessage
from hrguard.people.models import Contract

from .conftest import template_version

pytestmark = pytest.mark.django_db


def _send(world: Any, keys: list[str], name: str = "离职证明") -> services.SendResult:
    return services.send_request(
        world.company, actor=world.users["hr"], version=template_version(world.company, name),
        employees=[world.employees[k] for k in keys], channels=["email"],
        deadline_at=timezone.now() + dt.timedelta(days=5),
    )


def _refusal(world: Any, keys: list[str], name: str = "离职证明") -> str:
    before = EvidenceEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        _send(world, keys, name)
    assert SigningRequest.objects.count() == 0 and Envelope.objects.count() == 0
    assert OutboxMessage.objects.count() == 0 and EvidenceEvent.objects.count() == before
    return "\n".join(exc.value.message_dict["employees"])


def test_certificate_for_someone_without_a_termination_date_is_refused(docs: Any) -> None:
    msg = _refusal(docs, ["east_rep", "engineer"])  # 李工程 has neither a termination date nor a contract
    assert "李工程（R001）" in msg and "未登记离职" in msg and "第24条" in msg
    assert "劳动合同期限" in msg  # the blank contract term is named too
    assert "张测试" not in msg  # the complete one is not blamed
    assert "未发送任何文件" in msg


def test_certificate_with_a_blank_contract_term_is_refused(docs: Any) -> None:
    Contract.objects.filter(employee=docs.employees["east_rep"]).delete()
    msg = _refusal(docs, ["east_rep"])
    assert "张测试（S002）：以下内容为空：劳动合同期限" in msg
    assert "未登记离职" not in msg


def test_certificate_before_the_employment_has_ended_is_refused(docs: Any) -> None:
    rep = docs.employees["east_rep"]
    rep.termination_date = timezone.localdate() + dt.timedelta(days=10)
    rep.save(update_fields=["termination_date"])
    msg = _refusal(docs, ["east_rep"])
    assert "尚未解除" in msg and "第50条" in msg


def test_other_templates_refuse_blank_variables_too(docs: Any) -> None:
    rep = docs.employees["east_rep"]
    rep.position = None
    rep.save(update_fields=["position"])
    msg = _refusal(docs, ["east_rep"], "合规承诺书")  # uses {{ department }} and {{ position }}
    assert "张测试（S002）：以下内容为空：岗位" in msg
    assert _send(docs, ["sales_rep"], "合规承诺书").request.size == 1  # a complete record goes out


def test_complete_certificate_is_sent(docs: Any) -> None:
    res = _send(docs, ["east_rep", "sales_rep"])
    values = [e.values for e in Envelope.objects.filter(request=res.request)]
    for v in values:
        assert v["termination_date"] == "2026年11月30日" and v["contract_term"].startswith("2020年1月6日至")


def test_send_form_shows_every_gap_in_chinese(docs: Any) -> None:
    from django.test import Client

    hr = Client()
    hr.force_login(docs.users["hr"])
    tpl = template_version(docs.company, "离职证明").template
    r = hr.post(reverse("documents:request_create"), {
        "template": tpl.pk, "audience": "people", "employee_nos": "S002 R001", "channels": ["email"],
        "deadline": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    })
    assert r.status_code == 200
    page = r.content.decode()
    assert "李工程（R001）" in page and "未登记离职" in page and "劳动合同期限" in page
    assert Envelope.objects.count() == 0
