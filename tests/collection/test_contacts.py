"""Logging a contact (issue 12 §2), the notice to the employee and the answer (§3), escalation (§4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hrguard.cases.models import Case
from hrguard.collection import selectors, services
from hrguard.collection.models import CollectionFile, Contact, FileStatus
from hrguard.evidence.models import EvidenceEvent
from hrguard.notify.models import OutboxMessage
from hrguard.records.models import Attachment
from hrguard.workflows.models import Step

from .conftest import PNG

pytestmark = pytest.mark.django_db


def test_front_desk_logs_a_contact_on_the_generic_case_and_the_employee_is_notified(world: Any, front_desk: Any,
                                                                                 log: Any) -> None:
    shot = SimpleUploadedFile("截图.png", PNG, content_type="image/png")
    contact = log(actor=front_desk, employee_named=True, amount_mentioned=True, asked_to_collect=True,
                  attachments=[shot], said="说员工欠款三万")
    case = Case.objects.get(pk=contact.file.case_id)
    assert case.case_type == "collection" and case.subject_employee_id == world.employees["east_rep"].pk
    assert case.confidentiality == "restricted" and case.number.startswith("CS-")
    att = Attachment.objects.get(owner_type="collection.contact", owner_id=contact.pk)
    logged = EvidenceEvent.objects.get(action="collection.contact_logged", subject_id=str(contact.pk))
    assert att.sha256 in logged.record and '"asked_to_collect":true' in logged.record.replace(" ", "")
    notices = OutboxMessage.objects.filter(idempotency_key=f"collection.notice:{contact.pk}")
    assert "inapp" in {m.channel for m in notices}
    body = " ".join(m.body for m in notices)
    assert "资产管理" not in body and "三万" not in body  # private: no agency, no amount
    step = Step.objects.get(instance__subject_id=str(case.pk), key="answer")
    assert step.assignee_user_id == world.users["employee"].pk and contact.response_due_at is not None


def test_the_notice_is_idempotent_and_a_second_contact_reuses_the_case(world: Any, log: Any) -> None:
    first = log(minutes_ago=600)
    second = log(minutes_ago=60, caller_number="13900000001")
    assert first.file_id == second.file_id
    assert CollectionFile.objects.filter(employee=world.employees["east_rep"]).count() == 1
    services._notify(world.users["hr"], first.file, first, services.settings_for(world.company.pk))
    keys = OutboxMessage.objects.filter(idempotency_key=f"collection.notice:{first.pk}", channel="inapp")
    assert keys.count() == 1


def test_missing_agency_or_time_is_refused_naming_the_field(world: Any, log: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        log(agency="  ")
    assert "agency" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.log_contact(actor=world.users["hr"], employee=world.employees["east_rep"], occurred_at=None,
                             channel="call", agency="甲催收")
    assert "occurred_at" in exc.value.message_dict
    assert not Contact.objects.exists() and not Case.objects.exists()


def test_wrong_type_or_too_large_attachments_are_refused(world: Any, log: Any, settings: Any) -> None:
    exe = SimpleUploadedFile("录音.mp3", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError) as exc:
        log(attachments=[exe])
    assert "attachments" in exc.value.message_dict
    settings.HRGUARD_MAX_UPLOAD_BYTES = 50
    with pytest.raises(ValidationError) as exc:
        log(attachments=[SimpleUploadedFile("截图.png", PNG)])
    assert "attachments" in exc.value.message_dict
    assert not Contact.objects.exists()


def test_the_same_call_twice_is_detected_and_merged_on_confirmation(world: Any, log: Any) -> None:
    first = log(minutes_ago=30)
    with pytest.raises(services.DuplicateContact) as exc:
        log(minutes_ago=25)
    assert exc.value.existing.pk == first.pk and "caller_number" in exc.value.message_dict
    merged = log(minutes_ago=25, merge_into=first.pk)
    assert merged.pk == first.pk and Contact.objects.count() == 1
    assert Contact.objects.get().repeats == 1
    assert EvidenceEvent.objects.filter(action="collection.contact_merged").count() == 1
    other = log(minutes_ago=25, not_duplicate=True)
    assert other.pk != first.pk and Contact.objects.count() == 2


def test_a_former_employee_is_allowed_and_marked(world: Any, log: Any) -> None:
    gone = world.employees["sales_rep"]
    gone.status, gone.termination_date = "left", timezone.localdate() - dt.timedelta(days=40)
    gone.save()
    contact = log(employee=gone)
    assert contact.former_employee is True
    assert not Step.objects.filter(instance__subject_id=str(contact.file.case_id)).exists()


def test_night_time_is_computed_from_the_time(world: Any, log: Any) -> None:
    local = timezone.localtime() - dt.timedelta(days=1)
    at = local.replace(hour=23, minute=10, second=0, microsecond=0)
    assert log(at=at).night is True
    assert log(at=at.replace(hour=14), caller_number="13700000000").night is False


def test_only_permitted_staff_log_and_logging_does_not_open_the_log(world: Any, front_desk: Any, log: Any) -> None:
    with pytest.raises(PermissionDenied):
        log(actor=world.users["engineer"])
    log(actor=front_desk)
    with pytest.raises(PermissionDenied):
        selectors.contact_log(front_desk)


def test_employee_answers_and_the_answer_step_completes(world: Any, log: Any) -> None:
    contact = log()
    employee = world.users["employee"]
    assert [f.case_id for f in selectors.own_files(employee)] == [contact.file.case_id]
    with pytest.raises(ValidationError) as exc:
        services.respond(actor=employee, file_id=contact.file.case_id, text=" ")
    assert "text" in exc.value.message_dict
    services.respond(actor=employee, file_id=contact.file.case_id, text="已与平台协商分期还款")
    assert Contact.objects.get(pk=contact.pk).responded_at is not None
    assert Step.objects.get(instance__subject_id=str(contact.file.case_id), key="answer").state == "done"
    review = Step.objects.get(instance__subject_id=str(contact.file.case_id), key="hr_review")
    assert review.state == "open" and review.assignee_role == "hr"
    with pytest.raises(PermissionDenied):
        services.respond(actor=world.users["engineer"], file_id=contact.file.case_id, text="不是我")


def test_repeated_contacts_escalate_to_hr_review(world: Any, log: Any) -> None:
    for i, number in enumerate(["13800000001", "13800000002"]):
        log(minutes_ago=60 * 24 * (3 - i), caller_number=number)
    file = CollectionFile.objects.get()
    assert file.status == FileStatus.OPEN
    log(minutes_ago=30, caller_number="13800000003")
    file.refresh_from_db()
    assert file.status == FileStatus.REVIEW and "3" in file.escalation_reason
    assert EvidenceEvent.objects.filter(action="collection.escalated").count() == 1
    assert OutboxMessage.objects.filter(purpose="collection.escalated", user=world.users["hr"]).exists()


def test_settings_change_the_escalation_threshold_and_bad_values_are_refused(world: Any, log: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.save_settings(actor=world.users["hr"], repeat_count="零")
    assert "repeat_count" in exc.value.message_dict
    services.save_settings(actor=world.users["hr"], repeat_count=2)
    log(minutes_ago=90, caller_number="13800000001")
    log(minutes_ago=30, caller_number="13800000002")
    assert CollectionFile.objects.get().status == FileStatus.REVIEW
    with pytest.raises(PermissionDenied):
        services.save_settings(actor=world.users["legal"], repeat_count=5)


def test_contacts_last_30_days_is_set_based(world: Any, log: Any, django_assert_max_num_queries: Any) -> None:
    log(minutes_ago=60 * 24 * 40, caller_number="1")
    log(minutes_ago=60 * 24 * 10, caller_number="2")
    log(minutes_ago=60, caller_number="3")
    log(employee=world.employees["engineer"], caller_number="4")
    with django_assert_max_num_queries(1):
        counts = selectors.contacts_last_30_days(world.company.pk, timezone.now())
    assert counts == {world.employees["east_rep"].pk: 2, world.employees["engineer"].pk: 1}
