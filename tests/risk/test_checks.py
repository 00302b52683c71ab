"""Consent-gated checks: the signed 背景调查及征信授权书 for the purpose is required by construction;
providers tested against a local fake HTTP server; results encrypted at rest, each read recorded; an
adverse result feeds ``check_adverse`` only for rules serving the consented purpose."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from hrguard.evidence.models import EvidenceEvent
from hrguard.risk import checks, scan, services
from hrguard.risk.models import Check


class FakeProvider(BaseHTTPRequestHandler):
    listed_ids: set[str] = set()
    seen: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeProvider.seen.append({"path": self.path, **body})
        if self.path == "/court":
            listed = body.get("id_number") in FakeProvider.listed_ids
            answer: dict[str, Any] = {"listed": listed, "cases": [{"no": "(2026)沪0101执123号"}] if listed else []}
        else:
            answer = {"records": [{"employer": "甲公司", "from": "2020-01"},
                                  {"employer": "某贸易公司", "from": "2026-06", "to": None}]}
        data = json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def provider(settings: Any) -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    settings.RISK_CHECK_URLS = {"dishonest_debtor": f"{base}/court", "social_insurance": f"{base}/si"}
    FakeProvider.seen = []
    yield base
    server.shutdown()


def _consent(world: Any, reason: str, *, sign: bool = True) -> Any:
    from hrguard.documents import services as documents
    from hrguard.documents import signer
    from hrguard.documents.library import ensure_default_templates
    from hrguard.documents.models import DocumentTemplate, Envelope
    from hrguard.notify.models import OutboxMessage

    ensure_default_templates(world.company)
    version = DocumentTemplate.objects.get(company=world.company, name="背景调查及征信授权书").latest
    res = documents.send_request(world.company, actor=world.users["hr"], version=version,
                                 employees=[world.employees["east_rep"]], channels=["inapp"],
                                 deadline_at=timezone.now() + dt.timedelta(days=10), extra={"reason": reason})
    env = Envelope.objects.get(request=res.request)
    if sign:
        env = signer.find(res.tokens[env.employee_id])
        signer.mark_opened(env)
        signer.send_code(env, "inapp")
        msg = OutboxMessage.objects.filter(purpose="signing_code", about_id=str(env.pk)).order_by("-pk").first()
        assert signer.verify_code(env, re.search(r"(\d{6})", msg.body).group(1)).ok
        signer.sign(env, verified=True, consent=True, typed_name="张测试")
        env.refresh_from_db()
    return env


def test_no_check_without_signed_consent_for_the_purpose(world: Any, provider: str) -> None:
    hr = world.users["hr"]
    unsigned = _consent(world, "招聘与背景核实", sign=False)
    with pytest.raises(ValidationError) as exc:
        checks.run_check(actor=hr, envelope=unsigned, kind="dishonest_debtor", purpose="hiring")
    assert "consent" in exc.value.message_dict
    signed = _consent(world, "招聘与背景核实")
    with pytest.raises(ValidationError) as exc:  # signed, but for another purpose
        checks.run_check(actor=hr, envelope=signed, kind="dishonest_debtor", purpose="finance")
    assert "consent" in exc.value.message_dict
    with pytest.raises(ValidationError):
        checks.run_check(actor=hr, envelope=None, kind="dishonest_debtor", purpose="hiring")  # type: ignore[arg-type]
    assert not Check.objects.exists() and FakeProvider.seen == []


def test_court_list_check_encrypted_and_reads_recorded(world: Any, provider: str) -> None:
    hr = world.users["hr"]
    FakeProvider.listed_ids = {world.employees["east_rep"].id_number}
    env = _consent(world, "财务合规（报销、借支）")
    check = checks.run_check(actor=hr, envelope=env, kind="dishonest_debtor", purpose="finance")
    assert check.adverse and "失信被执行人" in check.summary
    assert FakeProvider.seen[0]["name"] == "张测试"
    with connection.cursor() as cur:
        cur.execute("SELECT summary, result FROM risk_check WHERE id = %s", [check.pk])
        raw_summary, raw_result = cur.fetchone()
    assert "失信" not in raw_summary and "执123号" not in raw_result
    read = checks.read_check(actor=hr, check_id=check.pk)
    assert "执123号" in read.result
    assert EvidenceEvent.objects.filter(action="risk.check_viewed", subject_id=str(check.pk)).count() == 1
    with pytest.raises(Exception):  # noqa: B017 (Http404)
        checks.read_check(actor=world.users["manager"], check_id=check.pk)


def test_social_insurance_and_upload_adapters(world: Any, provider: str) -> None:
    hr = world.users["hr"]
    env = _consent(world, "招聘与背景核实")
    si = checks.run_check(actor=hr, envelope=env, kind="social_insurance", purpose="hiring")
    assert si.adverse and "某贸易公司" in si.summary
    with pytest.raises(ValidationError):
        checks.run_check(actor=hr, envelope=env, kind="credit_report", purpose="hiring")
    up = checks.run_check(actor=hr, envelope=env, kind="credit_report", purpose="hiring", upload=b"%PDF-1.4 report",
                          summary="信用卡逾期2次", adverse=True)
    assert up.adverse and up.summary == "信用卡逾期2次"


def test_adverse_result_feeds_only_rules_of_the_consented_purpose(world: Any, provider: str) -> None:
    hr, admin = world.users["hr"], world.users["admin"]
    FakeProvider.listed_ids = {world.employees["east_rep"].id_number}
    env = _consent(world, "财务合规（报销、借支）")
    checks.run_check(actor=hr, envelope=env, kind="dishonest_debtor", purpose="finance")
    rule = {"severity": "high", "explanation": "{employee}", "accept_share": True}
    finance = services.save_rule(actor=admin, key="debt-finance", name="财务", expression='check_adverse("1m") >= 1',
                                 purposes=["finance"], **rule)
    conduct = services.save_rule(actor=admin, key="debt-conduct", name="行为", expression='check_adverse("1m") >= 1',
                                 purposes=["conduct"], **rule)
    for v in (finance, conduct):
        services.set_active(actor=admin, rule_id=v.rule_id, active=True)
    result = scan.run(world.company, as_of=timezone.localdate())
    assert result.fired == {"debt-conduct": 0, "debt-finance": 1}


def test_care_never_feeds_a_rule() -> None:
    from hrguard.risk.registry import SignalSpec, register_signal

    with pytest.raises(ValueError):
        register_signal(SignalSpec("eap_sessions", "EAP", "次", "care", lambda c, a, b: []))
