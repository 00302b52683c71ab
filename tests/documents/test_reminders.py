"""Reminder policy through the durable deadline sweep (controlled clock), fallback records, batches."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hrguard.deadlines import services as deadlines
from hrguard.deadlines.models import Deadline
from hrguard.documents import reminders, services, signer, tracker
from hrguard.documents.models import Envelope, EnvelopeStatus, FallbackRecord, ReminderPolicy
from hrguard.evidence.models import EvidenceEvent
from hrguard.notify.models import OutboxMessage

from .conftest import last_code, template_version

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n"


def send(world, people, *, t0, days=10, name="离职证明", channels=("email",)):  # type: ignore[no-untyped-def]
    return services.send_request(
        world.company, actor=world.users["hr"], version=template_version(world.company, name),
        employees=people, channels=list(channels), deadline_at=t0 + dt.timedelta(days=days), now=t0,
    )


def count(action: str, env: Envelope) -> int:
    return EvidenceEvent.objects.filter(action=action, subject_id=str(env.pk)).count()


def test_reminders_warning_fallback_and_expiry_on_schedule(docs) -> None:  # type: ignore[no-untyped-def]
    t0 = timezone.now()
    res = send(docs, [docs.employees["east_rep"], docs.employees["sales_rep"]], t0=t0)
    a, b = Envelope.objects.filter(request=res.request).order_by("employee__employee_no")
    # b opens the link (so no "unopened" reminder for b).
    signer.mark_opened(signer.find(res.tokens[b.employee_id]), now=t0 + dt.timedelta(hours=2))
    deadlines.sweep(now=t0 + dt.timedelta(hours=23))
    assert count("documents.reminded", a) == 0
    deadlines.sweep(now=t0 + dt.timedelta(hours=24, minutes=1))
    assert count("documents.reminded", a) == 1 and count("documents.reminded", b) == 0
    reminder = OutboxMessage.objects.get(purpose="signing_reminder", about_id=str(a.pk))
    assert reminder.channel == "inapp"  # another channel than the first notice (email)
    deadlines.sweep(now=t0 + dt.timedelta(hours=30))
    assert count("documents.reminded", a) == 1  # not doubled
    deadlines.sweep(now=t0 + dt.timedelta(days=3, minutes=1))
    assert count("documents.hr_warned", a) == 1 and count("documents.hr_warned", b) == 1
    alert = OutboxMessage.objects.get(purpose="signing_hr_alert", user=docs.users["hr"],
                                      idempotency_key=f"documents:warn:{res.request.pk}")
    assert "2人" in alert.subject
    deadlines.sweep(now=t0 + dt.timedelta(days=7, minutes=1))
    assert count("documents.fallback_opened", a) == 1
    a.refresh_from_db()
    assert a.fallback_opened_at is not None
    deadlines.sweep(now=t0 + dt.timedelta(days=10, minutes=1))
    a.refresh_from_db()
    assert a.status == EnvelopeStatus.EXPIRED and count("documents.expired", a) == 1


def test_policy_per_kind_and_cancel_on_sign(docs) -> None:  # type: ignore[no-untyped-def]
    ReminderPolicy.objects.create(company=docs.company, kind="separation_certificate", unopened_hours=2,
                                  warn_hr_hours=5, fallback_hours=10)
    t0 = timezone.now()
    res = send(docs, [docs.employees["east_rep"]], t0=t0)
    assert res.request.policy["unopened_hours"] == 2
    due = dict(Deadline.objects.filter(key__startswith=services.deadline_key(res.request))
               .values_list("action", "due_at"))
    assert due["documents.remind_unopened"] == t0 + dt.timedelta(hours=2)
    env = signer.find(res.tokens[docs.employees["east_rep"].pk])
    signer.send_code(env, "email")
    assert signer.verify_code(env, last_code(env)).ok
    signer.sign(env, verified=True, consent=True, typed_name="张测试")
    states = set(Deadline.objects.filter(key__startswith=services.deadline_key(res.request))
                 .values_list("state", flat=True))
    assert states == {"cancelled"}
    deadlines.sweep(now=t0 + dt.timedelta(days=30))
    assert count("documents.reminded", env) == 0


def test_fallback_records(docs) -> None:  # type: ignore[no-untyped-def]
    t0 = timezone.now()
    res = send(docs, [docs.employees["east_rep"]], t0=t0)
    env = Envelope.objects.get(request=res.request)
    with pytest.raises(ValidationError):
        reminders.record_fallback(env, actor=docs.users["hr"], kind="ems", tracking_no="x")
    with pytest.raises(PermissionDenied):
        reminders.record_fallback(env, actor=docs.users["employee"], kind="ems", tracking_no="EM123456789CN")
    with pytest.raises(ValidationError):
        reminders.record_fallback(env, actor=docs.users["hr"], kind="public_notice", scan=b"MZ..", scan_type="image/png")
    with pytest.raises(ValidationError):  # HTML claiming to be a PDF: the content decides
        reminders.record_fallback(env, actor=docs.users["hr"], kind="public_notice", scan=b"<html><script>x</script>",
                                  scan_type="application/pdf")
    proof = b"%PDF-1.4 proof of delivery"
    rec = reminders.record_fallback(env, actor=docs.users["hr"], kind="ems", tracking_no="EM123456789CN",
                                    scan=proof, scan_name="签收凭证.pdf", scan_type="image/png")
    assert rec.file.content_type == "application/pdf"  # the detected type, not the browser's claim
    notice = reminders.record_fallback(env, actor=docs.users["hr"], kind="public_notice", note="《解放日报》2026-12-08",
                                       scan=PNG + b"x", scan_name="公告.png", scan_type="image/png")
    assert rec.file.sha256 == services.pdfs.sha256(proof) and notice.file is not None
    events = EvidenceEvent.objects.filter(action="documents.notified_by_fallback", subject_id=str(env.pk))
    assert events.count() == 2 and "EM123456789CN" in events.first().record
    assert [f.kind for f in tracker.fallbacks(env)] == ["ems", "public_notice"]
    assert FallbackRecord.objects.filter(envelope=env).count() == 2


def test_batch_of_1000(docs) -> None:  # type: ignore[no-untyped-def]
    from hrguard.people.models import Employee
    from tests.conftest import make_id

    dept = docs.depts["rnd"]
    Employee.objects.bulk_create([
        Employee(company=docs.company, employee_no=f"B{i:05d}", name=f"员工{i}", department=dept,
                 department_path=dept.path, hire_date=dt.date(2024, 1, 1), email=f"b{i}@acme.test",
                 id_number=make_id(seq=f"{i % 1000:03d}"))  # signing needs a valid ID number (event certificate)
        for i in range(1000)
    ])
    people = list(Employee.objects.filter(company=docs.company, employee_no__startswith="B"))
    t0 = timezone.now()
    res = services.send_request(docs.company, actor=docs.users["hr"],
                                version=template_version(docs.company, "员工手册确认书"), employees=people,
                                channels=["email"], deadline_at=t0 + dt.timedelta(days=14),
                                extra={"handbook_version": "2026版"}, now=t0)
    assert res.request.size == 1000 and len(res.tokens) == 1000
    assert Envelope.objects.filter(request=res.request).count() == 1000
    assert OutboxMessage.objects.filter(purpose="signing_invite", channel="email",
                                        about_type="documents.envelope").count() == 1000
    assert EvidenceEvent.objects.filter(action="documents.sent").count() == 1000
    assert len(set(Envelope.objects.filter(request=res.request).values_list("token_hash", flat=True))) == 1000
    # One person opens and signs; PDFs are rendered on demand.
    env = signer.find(res.tokens[people[0].pk])
    signer.send_code(env, "email")
    assert signer.verify_code(env, last_code(env)).ok
    signer.sign(env, verified=True, consent=True, typed_name=people[0].name)
    assert tracker.summary(res.request).signed == 1


def test_missing_address_reported_before_sending(docs) -> None:  # type: ignore[no-untyped-def]
    rep = docs.employees["sales_rep"]
    rep.email = ""
    rep.save(update_fields=["email"])
    t0 = timezone.now()
    with pytest.raises(ValidationError) as exc:
        send(docs, [docs.employees["east_rep"], rep], t0=t0, channels=("email",))
    assert "欧阳娜娜" in str(exc.value.message_dict["channels"])
    assert Envelope.objects.count() == 0 and OutboxMessage.objects.count() == 0
    with pytest.raises(ValidationError) as exc:
        send(docs, [docs.employees["east_rep"]], t0=t0, channels=("sms",))  # SMS not configured
    res = services.send_request(
        docs.company, actor=docs.users["hr"], version=template_version(docs.company, "离职证明"),
        employees=[docs.employees["east_rep"], rep], channels=["email"], deadline_at=t0 + dt.timedelta(days=3),
        skip_unreachable=True, now=t0,
    )
    assert res.request.size == 1 and [e.name for e, _c in res.skipped] == ["欧阳娜娜"]


def test_tenant_and_role_isolation(docs, other_world) -> None:  # type: ignore[no-untyped-def]
    t0 = timezone.now()
    res = send(docs, [docs.employees["east_rep"]], t0=t0)
    env = Envelope.objects.get(request=res.request)
    assert tracker.request_for(docs.users["hr"], res.request.pk) is not None
    assert tracker.request_for(other_world.users["hr"], res.request.pk) is None
    assert tracker.envelope_for(other_world.users["admin"], env.pk) is None
    assert tracker.request_for(docs.users["employee"], res.request.pk) is None
    assert [e.pk for e in tracker.my_envelopes(docs.users["employee"])] == [env.pk]
    assert list(tracker.my_envelopes(docs.users["engineer"])) == []
    with pytest.raises(PermissionDenied):
        services.send_request(other_world.company, actor=other_world.users["hr"],
                              version=template_version(docs.company, "离职证明"),
                              employees=[other_world.employees["east_rep"]], channels=["email"],
                              deadline_at=t0 + dt.timedelta(days=3))
    with pytest.raises(PermissionDenied):
        services.send_request(docs.company, actor=docs.users["hr"], version=template_version(docs.company, "离职证明"),
                              employees=[other_world.employees["east_rep"]], channels=["email"],
                              deadline_at=t0 + dt.timedelta(days=3))
    with pytest.raises(PermissionDenied):
        services.send_request(docs.company, actor=docs.users["employee"],
                              version=template_version(docs.company, "离职证明"),
                              employees=[docs.employees["east_rep"]], channels=["email"],
                              deadline_at=t0 + dt.timedelta(days=3))


def test_delivery_receipts_fold_into_tracker(docs, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    t0 = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):  # the worker delivers after commit
        res = send(docs, [docs.employees["east_rep"]], t0=t0, channels=("inapp",))
    env = Envelope.objects.get(request=res.request)
    assert tracker.sync_delivery(res.request) == 1  # in-app messages are delivered at once
    env.refresh_from_db()
    assert env.delivered_at is not None and env.status == EnvelopeStatus.DELIVERED
    assert count("documents.delivered", env) == 1
    assert tracker.sync_delivery(res.request) == 0


def test_batch_query_count_does_not_grow_with_size(docs) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hrguard.people.models import Contract, Employee
    from tests.conftest import make_id

    dept = docs.depts["rnd"]
    Employee.objects.bulk_create([
        Employee(company=docs.company, employee_no=f"Q{i:04d}", name=f"员工{i}", department=dept,
                 department_path=dept.path, position=docs.employees["engineer"].position,
                 hire_date=dt.date(2024, 1, 1), termination_date=dt.date(2026, 11, 30), email=f"q{i}@acme.test",
                 id_number=make_id(seq=f"{i:03d}"))
        for i in range(120)
    ])
    people = list(Employee.objects.filter(company=docs.company, employee_no__startswith="Q").order_by("pk"))
    Contract.objects.bulk_create([
        Contract(company=docs.company, employee=e, contract_no=f"HT-Q{e.pk}", contract_type="fixed_term",
                 start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 1, 1), wage=Decimal("8000"),
                 work_location="上海") for e in people
    ])
    counts = []
    for group in (people[:40], people[40:120]):
        with CaptureQueriesContext(connection) as q:
            services.send_request(docs.company, actor=docs.users["hr"], version=template_version(docs.company, "离职证明"),
                                  employees=group, channels=["email"], deadline_at=timezone.now() + dt.timedelta(days=3))
        counts.append(len(q.captured_queries))
    assert counts[1] <= counts[0] + 4, counts
