"""Talks (谈心): HR only, encrypted at rest, every read is evidence, the manager only when shared, never
about oneself, started from a case/alert link. Flexible hours, side jobs, courses with attendance and
completion. And the guarantee that care data feeds no rule."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db

SUMMARY = "员工坦言网贷压力大，家人生病，情绪低落"


def talk(world, **kw):
    from hrguard.care import services

    kw.setdefault("employee", world.employees["east_rep"])
    return services.record_talk(actor=world.users["hr"], held_on="2026-11-20", participants="人事 刘, 张测试",
                                summary=SUMMARY, **kw)


def test_summary_is_encrypted_at_rest_and_not_in_the_evidence(world):
    t = talk(world)
    with connection.cursor() as cur:
        cur.execute("SELECT summary FROM care_talk WHERE id = %s", [t.pk])
        (raw,) = cur.fetchone()
    assert SUMMARY not in raw
    event = EvidenceEvent.objects.get(action="care.talk_recorded")
    assert SUMMARY not in event.record and json.dumps(SUMMARY)[1:-1] not in event.record


def test_only_care_roles_read_and_each_read_is_evidence(world, client_for):
    t = talk(world)
    hr = client_for(world.users["hr"])
    assert SUMMARY in hr.get(f"/care/talks/{t.pk}/").content.decode()
    assert EvidenceEvent.objects.filter(action="care.talk_read", subject_id=str(t.pk)).count() == 1
    assert SUMMARY not in hr.get("/care/talks/").content.decode()  # the list shows no content
    for key in ("manager", "employee", "engineer", "hrbp", "legal", "finance"):
        c = client_for(world.users[key])
        assert c.get(f"/care/talks/{t.pk}/").status_code == 404, key
        assert c.get("/care/talks/").status_code == 403, key


def test_shared_talk_opens_for_the_line_manager_only(world, client_for):
    t = talk(world, employee=world.employees["sales_rep"], shared_with_manager=True)
    assert SUMMARY in client_for(world.users["manager"]).get(f"/care/talks/{t.pk}/").content.decode()
    assert client_for(world.users["engineer"]).get(f"/care/talks/{t.pk}/").status_code == 404


def test_hr_never_records_or_reads_a_talk_about_themself(world):
    from hrguard.care import selectors, services

    t = talk(world)
    me = world.users["employee"]
    me.role = "hr"
    me.save(update_fields=["role"])
    with pytest.raises(PermissionDenied):
        services.record_talk(actor=me, employee=world.employees["east_rep"], held_on="2026-11-21",
                             participants="x", summary="x")
    assert not selectors.talks_for(me).filter(pk=t.pk).exists()


def test_talk_started_from_a_case_or_alert_keeps_the_link(world, client_for):
    from hrguard.care.models import Talk

    emp = world.employees["east_rep"]
    hr = client_for(world.users["hr"])
    page = hr.get(f"/care/talks/new/{emp.pk}/?link_type=risk.alert&link_id=42&link_url=/risk/alerts/42/")
    assert page.status_code == 200 and "预警 #42" in page.content.decode()  # the record named, not its code
    assert "risk.alert #42" not in page.content.decode()
    res = hr.post(f"/care/talks/new/{emp.pk}/", {"held_on": "2026-11-22", "participants": "人事",
                                                 "summary": "谈心", "link_type": "risk.alert", "link_id": "42",
                                                 "link_url": "/risk/alerts/42/"})
    assert res.status_code == 302
    row = Talk.objects.get(employee=emp)
    assert (row.link_type, row.link_id, row.link_url) == ("risk.alert", "42", "/risk/alerts/42/")
    bad = hr.post(f"/care/talks/new/{emp.pk}/", {"held_on": "", "participants": "", "summary": "",
                                                 "link_url": "https://evil.example/"})
    assert bad.status_code == 400 and "HRGuard" in bad.content.decode()


def test_flexible_hours_side_jobs_and_courses(world, client_for):
    from hrguard.care import programmes

    hr, me = world.users["hr"], world.users["employee"]
    emp = world.employees["east_rep"]
    flex = programmes.record_flex(actor=hr, employee=emp, start_date="2026-12-01", end_date="2027-02-28",
                                  pattern="10:00–19:00", reason="照顾住院家人")
    assert flex.approved_by == hr
    with pytest.raises(ValidationError):
        programmes.record_flex(actor=hr, employee=emp, start_date="2026-12-01", end_date="2026-11-01",
                               pattern="x", reason="x")
    with pytest.raises(PermissionDenied):
        programmes.record_flex(actor=me, employee=emp, start_date="2026-12-01", end_date="2026-12-02",
                               pattern="x", reason="x")
    job = programmes.post_job(actor=hr, company=world.company, title="周末客服", description="周末线上答疑",
                              hours_per_week=8)
    application = programmes.apply_job(actor=me, employee=emp, job=job, note="有经验")
    with pytest.raises(ValidationError):
        programmes.apply_job(actor=me, employee=emp, job=job)
    assert programmes.decide_application(actor=hr, application=application, accept=True).status == "accepted"
    course = programmes.create_course(actor=hr, company=world.company, title="季度财商课",
                                      sessions=["2027-01-10", "2027-01-17"])
    enrolment = programmes.enrol(actor=me, employee=emp, course=course)
    s1, s2 = course.sessions.all()
    programmes.mark_attendance(actor=hr, session=s1, present_ids=[enrolment.pk])
    enrolment.refresh_from_db()
    assert enrolment.completed_on is None
    programmes.mark_attendance(actor=hr, session=s2, present_ids=[enrolment.pk])
    enrolment.refresh_from_db()
    assert enrolment.completed_on == dt.date(2027, 1, 17)
    page = client_for(me).get("/care/mine/").content.decode()
    assert "季度财商课" in page and "已结业" in page and "10:00–19:00" in page
    hr_page = client_for(hr).get("/care/programmes/").content.decode()
    assert "周末客服" in hr_page and "已报名 1 人，已结业 1 人" in hr_page
    assert client_for(hr).get(f"/care/courses/{course.pk}/").status_code == 200
    assert client_for(me).get("/care/programmes/").status_code == 403
    actions = set(EvidenceEvent.objects.filter(company=world.company, action__startswith="care.")
                  .values_list("action", flat=True))
    assert {"care.flex_approved", "care.job_posted", "care.job_applied", "care.job_accepted",
            "care.course_created", "care.enrolled", "care.attendance_marked"} <= actions


def test_care_feeds_no_rule():
    """Risk and cases sit below care in the layer order, so they can never import it; if the risk app
    exists, none of its signal providers reads a care table."""
    from pathlib import Path

    import hrguard

    root = Path(hrguard.__file__).parent
    layers = (root.parent / ".importlinter").read_text(encoding="utf-8").splitlines()
    order = [line.strip().strip("()") for line in layers if line.startswith("    ") and "=" not in line]
    assert order.index("care") < order.index("collection") < order.index("cases") < order.index("risk")
    for app in ("risk", "cases"):
        folder = root / app
        if not folder.exists():
            continue  # not built yet in this branch
        for path in folder.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "hrguard.care" not in text and "care_" not in text, path
