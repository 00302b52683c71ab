"""HR's answer to the agency (issue 12 §4): the lawyer letter filled with the logged facts and the rules
in ``law.collection``, its delivery, a police report; and the evidence package (§9) that verifies."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hrguard.collection import letters, package, services
from hrguard.collection.models import FileStatus
from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.offline.verify import verify_package
from hrguard.law import collection as law

from .conftest import PNG

pytestmark = pytest.mark.django_db


def test_the_law_module_marks_statute_and_industry_rules() -> None:
    kinds = {r.key: r.kind for r in law.ALL_RULES}
    assert kinds["privacy"] == law.STATUTE and kinds["harassment"] == law.STATUTE
    assert kinds["third_parties"] == law.INDUSTRY and kinds["night_calls"] == law.INDUSTRY
    assert all(r.citation.unconfirmed for r in law.ALL_RULES if r.kind == law.INDUSTRY)
    assert "1032" in law.PRIVACY.citation.zh and "行业自律" in law.NIGHT_CALLS.cited_zh
    assert law.is_night(timezone.datetime(2026, 1, 1, 23, 0).time())
    assert law.is_night(timezone.datetime(2026, 1, 1, 7, 59).time())
    assert not law.is_night(timezone.datetime(2026, 1, 1, 8, 0).time())


def _four_calls(log: Any) -> Any:
    for i in range(3):
        log(minutes_ago=60 * 24 * (6 - 2 * i) + 5, caller_number=f"1380000000{i}", employee_named=True)
    return log(minutes_ago=20, caller_number="13800000009", threats=True)


def test_the_lawyer_letter_is_filled_with_the_facts_and_the_rules(world: Any, log: Any) -> None:
    contact = _four_calls(log)
    letter = letters.issue_letter(actor=world.users["hr"], file_id=contact.file.case_id, agency="某某资产管理有限公司")
    assert "某某资产管理有限公司" in letter.body and world.company.name in letter.body
    assert "共 4 条" in letter.body and "13800000009" in letter.body and "威胁或辱骂" in letter.body
    assert "民法典》第1032条" in letter.body and "治安管理处罚法" in letter.body
    assert "（行业自律/监管规定）" in letter.body and "{{" not in letter.body
    contact.file.refresh_from_db()
    assert contact.file.status == FileStatus.LETTER_SENT
    event = EvidenceEvent.objects.get(action="collection.letter_issued")
    assert letter.sha256 in event.record
    with pytest.raises(ValidationError) as exc:
        letters.issue_letter(actor=world.users["hr"], file_id=contact.file.case_id, agency="别的公司")
    assert "agency" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        letters.issue_letter(actor=world.users["legal"], file_id=contact.file.case_id, agency="某某资产管理有限公司")


def test_delivery_and_police_report_are_recorded_and_bad_input_refused(world: Any, log: Any) -> None:
    contact = log()
    hr = world.users["hr"]
    letter = letters.issue_letter(actor=hr, file_id=contact.file.case_id, agency="某某资产管理有限公司")
    with pytest.raises(ValidationError) as exc:
        letters.record_delivery(actor=hr, letter_id=letter.pk, method="pigeon", reference="")
    assert {"method", "reference"} <= set(exc.value.message_dict)
    letters.record_delivery(actor=hr, letter_id=letter.pk, method="ems", reference="EA123456789CN")
    letter.refresh_from_db()
    assert letter.delivered_at is not None and letter.delivery_ref == "EA123456789CN"
    with pytest.raises(ValidationError) as exc:
        letters.record_police_report(actor=hr, file_id=contact.file.case_id, reported_on=None, station="",
                                     receipt_no="")
    assert {"reported_on", "station", "receipt_no"} <= set(exc.value.message_dict)
    report = letters.record_police_report(actor=hr, file_id=contact.file.case_id, reported_on=timezone.localdate(),
                                          station="徐汇分局某派出所", receipt_no="沪公(徐)受字2026-1234",
                                          scan=SimpleUploadedFile("回执.png", PNG))
    assert EvidenceEvent.objects.filter(action="collection.police_report", subject_id=str(report.pk)).exists()


def test_the_evidence_package_verifies_and_holds_contacts_notices_answers_and_the_letter(world: Any,
                                                                                      log: Any) -> None:
    contact = _four_calls(log)
    hr = world.users["hr"]
    services.respond(actor=world.users["employee"], file_id=contact.file.case_id, text="已协商还款")
    letter = letters.issue_letter(actor=hr, file_id=contact.file.case_id, agency="某某资产管理有限公司")
    letters.record_delivery(actor=hr, letter_id=letter.pk, method="email", reference="legal@agency.test")
    data = package.collection_package(actor=hr, agency="某某资产管理有限公司")
    result = verify_package(data)
    assert result.ok, [c for c in result.checks if c.status == "fail"]
    import io
    import json
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        text = "\n".join(z.read(n).decode("utf-8", "replace") for n in names if n.endswith((".json", ".jsonl")))
        assert any(n.startswith("documents/lawyer-letter") for n in names)
    for action in ("collection.contact_logged", "collection.employee_notified", "collection.responded",
                   "collection.letter_issued", "collection.letter_delivered", "collection.escalated"):
        assert action in text, action
    assert json  # the manifest is JSON
    with pytest.raises(PermissionDenied):
        package.collection_package(actor=world.users["legal"], agency="某某资产管理有限公司")
    with pytest.raises(ValidationError):
        package.collection_package(actor=hr)
