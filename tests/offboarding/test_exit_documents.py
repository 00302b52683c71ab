"""The exit's documents (issue 10 §6): proposed from the exit, sent for remote signature, linked to the
exit with their state, chased by the reminder ladder, delivered by fallback; counted by the gate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hrguard.deadlines import services as deadlines
from hrguard.deadlines.models import Deadline
from hrguard.evidence.models import EvidenceEvent
from hrguard.offboarding import exit_documents, selectors
from hrguard.offboarding.models import ExitDocument
from tests.offboarding.conftest import persuasion_exit

pytestmark = pytest.mark.django_db


def _gate(ex):  # type: ignore[no-untyped-def]
    return next(g for g in selectors.gate_rows(ex) if g.name == "exit_documents_unsigned")


def _notice(world, ex):  # type: ignore[no-untyped-def]
    return exit_documents.send(actor=world.users["hr"], exit_id=ex.pk, kind="termination_notice", channels=["inapp"])


def test_proposals_follow_kind_variant_and_balance(contracted, staff, start):
    ex = persuasion_exit(start, variant="securities")
    by_kind = {p.kind: p for p in exit_documents.proposals(ex)}
    assert by_kind["termination_notice"].proposed  # persuasion: the company ends it
    assert by_kind["compliance_commitment"].proposed  # securities variant
    assert not by_kind["debt_clearance"].proposed  # nothing owed
    assert by_kind["separation_certificate"].proposed and by_kind["handover_confirmation"].proposed
    assert "协商" in by_kind["termination_notice"].values["reason"]
    assert by_kind["termination_notice"].values["effective_date"].endswith("日")


def test_resignation_does_not_propose_a_dismissal_notice(contracted, staff, start):
    ex = start(ground="art37")
    by_kind = {p.kind: p for p in exit_documents.proposals(ex)}
    assert not by_kind["termination_notice"].proposed and not by_kind["compliance_commitment"].proposed


def test_sent_notice_is_linked_counted_by_the_gate_and_evidenced(contracted, staff, start):
    ex = persuasion_exit(start)
    assert _gate(ex).ok
    link = _notice(contracted, ex)
    assert ExitDocument.objects.filter(exit=ex, kind="termination_notice").count() == 1
    row = exit_documents.rows_of(ex)[0]
    assert row.state == "sent" and row.envelope.employee_id == ex.employee_id
    gate = _gate(ex)
    assert not gate.ok and "解除劳动合同通知书" in gate.reasons[0].text
    assert EvidenceEvent.objects.filter(action="offboarding.document_sent", subject_id=str(ex.pk)).exists()
    assert {"termination_notice"} == {p.kind for p in exit_documents.proposals(ex) if p.sent}
    dash = selectors.dashboard(contracted.users["hr"])
    assert dash[0].unsigned == 1
    assert link.envelope.request.extra["effective_date"]


def test_certificate_before_the_last_day_is_refused_naming_it(contracted, staff, start):
    ex = persuasion_exit(start)
    with pytest.raises(ValidationError) as exc:
        exit_documents.send(actor=contracted.users["hr"], exit_id=ex.pk, kind="separation_certificate",
                            channels=["inapp"])
    text = " ".join(exc.value.message_dict["kind"])
    assert "离职证明" in text and ex.last_day.isoformat() in text
    assert not ExitDocument.objects.filter(exit=ex).exists()


def test_sending_refuses_while_a_value_is_empty(world, staff, start):
    from hrguard.documents.library import ensure_default_templates

    ensure_default_templates(world.company)  # but no contract: the notice's contract term is empty
    ex = persuasion_exit(start)
    with pytest.raises(ValidationError) as exc:
        _notice(world, ex)
    assert "劳动合同期限" in " ".join(exc.value.messages)
    assert not ExitDocument.objects.filter(exit=ex).exists()


def test_unknown_kind_and_bad_deadline_refused(contracted, staff, start):
    ex = persuasion_exit(start)
    with pytest.raises(ValidationError) as exc:
        exit_documents.send(actor=contracted.users["hr"], exit_id=ex.pk, kind="lawyer_letter", channels=["inapp"])
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        exit_documents.send(actor=contracted.users["hr"], exit_id=ex.pk, kind="termination_notice",
                            channels=["inapp"], days=90)
    assert "days" in exc.value.message_dict


def test_reminder_ladder_then_fallback_clears_the_gate(contracted, staff, start):
    ex = persuasion_exit(start)
    link = _notice(contracted, ex)
    deadlines.sweep(now=timezone.now() + dt.timedelta(days=7, hours=1))
    row = exit_documents.rows_of(ex)[0]
    env = row.envelope
    assert env.reminded_at and env.hr_warned_at and env.fallback_opened_at
    assert row.state == "sent"
    acts = set(EvidenceEvent.objects.filter(subject_type="documents.envelope", subject_id=str(env.pk))
               .values_list("action", flat=True))
    assert {"documents.reminded", "documents.hr_warned", "documents.fallback_opened"} <= acts
    with pytest.raises(ValidationError) as exc:  # EMS needs a tracking number
        exit_documents.record_fallback(actor=contracted.users["hr"], exit_id=ex.pk, document_id=link.pk, kind="ems")
    assert "tracking_no" in exc.value.message_dict
    exit_documents.record_fallback(actor=contracted.users["hr"], exit_id=ex.pk, document_id=link.pk, kind="ems",
                                   tracking_no="EA123456789CN", scan=b"%PDF-1.4\n%test\n", scan_name="ems.pdf")
    assert exit_documents.rows_of(ex)[0].state == "fallback"
    assert _gate(ex).ok


def test_certificate_signed_stops_its_clock(contracted, staff, start, django_capture_on_commit_callbacks):
    from hrguard.documents import signer
    from tests.documents.conftest import last_code, make_png

    ex = persuasion_exit(start, ended=True)
    link = exit_documents.send(actor=contracted.users["hr"], exit_id=ex.pk, kind="separation_certificate",
                               channels=["inapp"])
    env = link.envelope
    signer.mark_opened(env)
    signer.send_code(env, "inapp")
    assert signer.verify_code(env, last_code(env)).ok
    with django_capture_on_commit_callbacks(execute=True):
        signer.sign(env, verified=True, consent=True, drawn_png=make_png())
    duty = ex.duties.get(kind="certificate")
    assert duty.done_on == timezone.localdate() and duty.done_via == "signed"
    assert EvidenceEvent.objects.filter(action="offboarding.duty_done", subject_id=str(ex.pk)).exists()
    assert not Deadline.objects.filter(key__startswith=f"offboarding.art50:{ex.pk}:certificate:",
                                                          state="pending").exists()
    assert ex.duties.get(kind="si_transfer").done_on is None


def test_certificate_fallback_on_the_documents_page_stops_its_clock(contracted, staff, start,
                                                                    django_capture_on_commit_callbacks):
    from hrguard.documents import reminders

    ex = persuasion_exit(start, ended=True)
    link = exit_documents.send(actor=contracted.users["hr"], exit_id=ex.pk, kind="separation_certificate",
                               channels=["inapp"])
    with django_capture_on_commit_callbacks(execute=True):
        reminders.record_fallback(link.envelope, actor=contracted.users["hr"], kind="ems", tracking_no="EA99887766CN")
    assert ex.duties.get(kind="certificate").done_via == "fallback"


def test_permissions_other_company_and_employee(contracted, other_world, staff, start):
    ex = persuasion_exit(start)
    from django.http import Http404

    with pytest.raises(Http404):
        _notice(other_world, ex)
    with pytest.raises(PermissionDenied):  # the subject sees their exit but may not act on it
        exit_documents.send(actor=contracted.users["employee"], exit_id=ex.pk, kind="termination_notice",
                            channels=["inapp"])
    with pytest.raises((PermissionDenied, Http404)):
        exit_documents.send(actor=contracted.users["legal"], exit_id=ex.pk, kind="termination_notice",
                            channels=["inapp"])


def test_exit_page_and_api(contracted, staff, start, client_for):
    ex = persuasion_exit(start)
    hr = client_for(contracted.users["hr"])
    page = hr.get(f"/exits/{ex.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-proposal="termination_notice"' in html and 'id="duties"' in html
    resp = hr.post(f"/exits/{ex.pk}/documents/", {"kind": "termination_notice", "channels": ["inapp"], "days": "14"})
    assert resp.status_code == 302
    html = hr.get(f"/exits/{ex.pk}/").content.decode()
    assert 'data-doc-state="sent"' in html
    api = hr.get(f"/api/v1/exits/{ex.pk}/documents/")
    assert api.status_code == 200 and api.json()["documents"][0]["state"] == "sent"
    bad = hr.post(f"/api/v1/exits/{ex.pk}/documents/", {"kind": "separation_certificate", "channels": ["inapp"]},
                  content_type="application/json")
    assert bad.status_code == 400 and "离职证明" in bad.content.decode()
    ok = hr.post(f"/api/v1/exits/{ex.pk}/documents/", {"kind": "handover_confirmation", "channels": ["inapp"]},
                 content_type="application/json")
    assert ok.status_code == 201 and ok.json()["kind"] == "handover_confirmation"


def test_api_documents_hidden_from_other_company_and_employee(contracted, other_world, staff, start, client_for):
    ex = persuasion_exit(start)
    other = client_for(other_world.users["hr"]).get(f"/api/v1/exits/{ex.pk}/documents/")
    assert other.status_code == 404
    own = client_for(contracted.users["employee"]).get(f"/api/v1/exits/{ex.pk}/documents/")
    assert own.status_code in (403, 404)
    post = client_for(contracted.users["employee"]).post(f"/exits/{ex.pk}/documents/",
                                                         {"kind": "termination_notice", "channels": ["inapp"]})
    assert post.status_code in (302, 403, 404) and not ExitDocument.objects.filter(exit=ex).exists()
