"""The Art. 50 clocks of an exit (certificate, social-insurance transfer): created with the exit, warned
before and when overdue (HR's inbox, 工作台, exit dashboard), stopped when done; the transfer recorded by
HR with its date; a process cancelled on the engine page is offered a restart; the Art. 42 refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hrguard.deadlines import services as deadlines
from hrguard.deadlines.models import Deadline
from hrguard.evidence.models import EvidenceEvent
from hrguard.notify.models import OutboxMessage
from hrguard.offboarding import duties
from tests.offboarding.conftest import persuasion_exit

pytestmark = pytest.mark.django_db


def _data(event):  # type: ignore[no-untyped-def]
    from hrguard.evidence.selectors import decoded

    return decoded(event)["data"]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def test_exit_start_creates_both_clocks_fifteen_days_after_the_last_day(world, staff, start):
    ex = persuasion_exit(start)
    got = {d.kind: d.due_on for d in ex.duties.all()}
    assert got == {"certificate": ex.last_day + dt.timedelta(days=15), "si_transfer": ex.last_day + dt.timedelta(days=15)}
    keys = set(Deadline.objects.filter(key__startswith=f"offboarding.art50:{ex.pk}:", state="pending")
               .values_list("key", flat=True))
    assert keys == {f"offboarding.art50:{ex.pk}:{k}:{w}" for k in ("certificate", "si_transfer")
                    for w in ("warn", "overdue")}


def test_warning_then_overdue_notify_hr_with_evidence(world, staff, start):
    ex = persuasion_exit(start)
    due = ex.last_day + dt.timedelta(days=15)
    deadlines.sweep(now=_at(due - dt.timedelta(days=duties.WARN_DAYS_BEFORE)))
    warned = OutboxMessage.objects.filter(purpose="offboarding.art50", user=world.users["hr"])
    assert warned.count() == 2 and all("张测试" in m.subject for m in warned)
    assert EvidenceEvent.objects.filter(action="offboarding.duty_warned", subject_id=str(ex.pk)).count() == 2
    duties.record_transfer(actor=world.users["hr"], exit_id=ex.pk, done_on=timezone.localdate(), note="社保中心回执 SB-1")
    deadlines.sweep(now=_at(due + dt.timedelta(days=2)))
    overdue = EvidenceEvent.objects.filter(action="offboarding.duty_overdue", subject_id=str(ex.pk))
    assert [_data(e)["duty"] for e in overdue] == ["certificate"]  # the transfer's clock had stopped


def test_transfer_in_the_future_or_without_note_is_refused(world, staff, start):
    ex = persuasion_exit(start)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        duties.record_transfer(actor=world.users["hr"], exit_id=ex.pk, done_on=tomorrow, note="回执")
    assert tomorrow.isoformat() in exc.value.message_dict["done_on"][0] and "将来" in exc.value.message_dict["done_on"][0]
    with pytest.raises(ValidationError) as exc:
        duties.record_transfer(actor=world.users["hr"], exit_id=ex.pk, done_on="2026-13-01", note="回执")
    assert "done_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        duties.record_transfer(actor=world.users["hr"], exit_id=ex.pk, done_on=timezone.localdate(), note=" ")
    assert "note" in exc.value.message_dict
    assert ex.duties.get(kind="si_transfer").done_on is None


def test_transfer_recorded_stops_the_clock_with_evidence(world, staff, start):
    ex = persuasion_exit(start)
    today = timezone.localdate()
    duty = duties.record_transfer(actor=world.users["hr"], exit_id=ex.pk, done_on=today, note="社保中心回执 SB-1")
    assert duty.done_on == today and duty.done_via == "recorded" and duty.done_by == world.users["hr"]
    assert not Deadline.objects.filter(key__startswith=f"offboarding.art50:{ex.pk}:si_transfer:",
                                       state="pending").exists()
    ev = EvidenceEvent.objects.get(action="offboarding.duty_done", subject_id=str(ex.pk))
    assert _data(ev)["duty"] == "si_transfer" and _data(ev)["note"] == "社保中心回执 SB-1"


def test_only_hr_of_the_company_records_the_transfer(world, other_world, staff, start):
    from django.http import Http404

    ex = persuasion_exit(start)
    with pytest.raises(Http404):
        duties.record_transfer(actor=other_world.users["hr"], exit_id=ex.pk, done_on=timezone.localdate(), note="x")
    with pytest.raises(PermissionDenied):
        duties.record_transfer(actor=world.users["employee"], exit_id=ex.pk, done_on=timezone.localdate(), note="x")


def test_withdrawn_exit_stops_its_clocks(world, staff, start):
    from hrguard.offboarding import services

    ex = persuasion_exit(start)
    services.cancel_exit(actor=world.users["hr"], exit_id=ex.pk, reason="员工留任")
    assert all(d.cancelled for d in ex.duties.all())
    assert not Deadline.objects.filter(key__startswith=f"offboarding.art50:{ex.pk}:", state="pending").exists()


def test_workbench_and_dashboard_show_days_remaining(world, staff, start, client_for):
    ex = persuasion_exit(start, ended=True)  # last day five days ago: ten days left
    home = client_for(world.users["hr"]).get("/").content.decode()
    assert "离职证明与社保转移" in home
    section = home.split('data-alerts="art50"')[1].split("</section>")[0]
    assert "张测试" in section and (ex.last_day + dt.timedelta(days=15)).isoformat() in section
    assert section.count('data-kind="art50"') == 2 and "10" in section
    dash = client_for(world.users["hr"]).get("/exits/").content.decode()
    assert 'data-clock="certificate"' in dash and 'data-clock="si_transfer"' in dash
    employee_home = client_for(world.users["employee"]).get("/").content.decode()
    assert 'data-alerts="art50"' not in employee_home


def test_exit_page_transfer_form_shows_the_named_error(world, staff, start, client_for):
    ex = persuasion_exit(start)
    hr = client_for(world.users["hr"])
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    page = hr.post(f"/exits/{ex.pk}/transfer/", {"done_on": future, "note": "回执"}, follow=True)
    assert "转移日期" in page.content.decode() and future in page.content.decode()
    page = hr.post(f"/exits/{ex.pk}/transfer/", {"done_on": timezone.localdate().isoformat(), "note": "回执 1"},
                   follow=True)
    assert 'data-duty="si_transfer" data-done="1"' in page.content.decode()


def test_process_cancelled_on_the_engine_page_is_offered_a_restart(world, staff, start, client_for):
    from hrguard.workflows import services as engine

    ex = persuasion_exit(start)
    engine.cancel(actor=world.users["hr"], instance_id=ex.process_id, reason="误操作")
    hr = client_for(world.users["hr"])
    page = hr.get(f"/exits/{ex.pk}/").content.decode()
    assert 'id="process-stopped"' in page and 'data-state="open"' in page
    resp = hr.post(f"/exits/{ex.pk}/restart/", follow=True)
    ex.refresh_from_db()
    assert ex.process.state == "running" and 'id="process-stopped"' not in resp.content.decode()
    assert EvidenceEvent.objects.filter(action="offboarding.process_restarted", subject_id=str(ex.pk)).exists()
    with pytest.raises(ValidationError):  # running again: nothing to restart
        from hrguard.offboarding import services

        services.restart_process(actor=world.users["hr"], exit_id=ex.pk)


def test_art42_refusal_names_the_article_once(world, staff, start):
    with pytest.raises(ValidationError) as exc:
        start(kind="no_fault", ground="art40_2", pay_in_lieu=True, protections=["art42_3"],
              union_notified_on=dt.date(2026, 11, 1))
    text = " ".join(exc.value.message_dict["ground"])
    assert text.count("第42条") == 1, text
