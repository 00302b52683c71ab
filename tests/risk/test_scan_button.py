"""立即扫描 on the alerts and rules pages: HR and the company administrator start the company's scan (through
the worker; the test queue runs it at once), see the result in Chinese, and the start is evidence; a
second click while a scan is queued or running starts nothing; a line manager, an employee and legal see
no button and get 403; the dry run raises nothing."""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from hrguard.evidence.models import EvidenceEvent
from hrguard.risk import services, views
from hrguard.risk.models import Alert, ScanRun, ScanStatus

from .conftest import late


def _messages(resp: Any) -> str:
    return html.unescape(resp.content.decode())


@pytest.mark.parametrize("who", ["hr", "admin"])
def test_hr_starts_the_scan_and_sees_the_result(who: str, rules_on: Any, seeded: Any, client_for: Any,
                                                django_capture_on_commit_callbacks: Any) -> None:
    user = seeded.users[who]
    today = timezone.localdate()
    for back in (1, 2, 3):  # 3 late arrivals within 14 days of today: the late rule holds for 张测试
        late(seeded.employees["east_rep"], today - dt.timedelta(days=back))
    client = client_for(user)
    page = client.get(reverse("risk:alerts")).content.decode()
    assert "立即扫描" in page and "试运行（不产生预警）" in page
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("risk:scan"))
    assert resp.status_code == 302 and resp["Location"] == reverse("risk:alerts")
    assert "扫描已开始，请稍后刷新本页查看结果。" in _messages(client.get(reverse("risk:rules")))
    run = ScanRun.objects.get()
    assert (run.status, run.started_by, run.dry_run, run.company_id) == (ScanStatus.DONE, user, False,
                                                                         seeded.company.pk)
    assert run.raised == Alert.objects.count() >= 1
    assert Alert.objects.filter(employee=seeded.employees["east_rep"], rule__key="late-arrivals-14d").exists()
    page = _messages(client.get(reverse("risk:alerts")))
    assert f"新增预警 {run.raised} 条，已有未处理 0 条" in page and "张测试" in page
    started = EvidenceEvent.objects.get(action="risk.scan_started")
    assert started.actor_id == user.pk
    finished = EvidenceEvent.objects.get(action="risk.scan_finished")
    assert json.loads(finished.record)["data"]["raised"] == run.raised
    # again: nothing new, what was raised is already open
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("risk:scan"), {"back": "rules"})
    assert resp.status_code == 302 and resp["Location"] == reverse("risk:rules")
    again = ScanRun.objects.order_by("-pk").first()
    assert (again.raised, again.already_open) == (0, run.raised)
    assert f"新增预警 0 条，已有未处理 {run.raised} 条" in _messages(client.get(reverse("risk:rules")))
    assert Alert.objects.count() == run.raised


def test_double_click_starts_one_scan(rules_on: Any, seeded: Any, client_for: Any,
                                      django_capture_on_commit_callbacks: Any) -> None:
    hr = seeded.users["hr"]
    running = ScanRun.objects.create(company=seeded.company, started_by=hr, status=ScanStatus.RUNNING)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        resp = client_for(hr).post(reverse("risk:scan"), follow=True)
    assert not callbacks  # nothing queued
    assert list(ScanRun.objects.all()) == [running]
    assert "已有扫描正在进行，未重复开始。" in _messages(resp) and "扫描已开始" in _messages(resp)
    assert not EvidenceEvent.objects.filter(action="risk.scan_started").exists()
    # the service says the same
    start = services.start_scan(actor=hr)
    assert (start.started, start.run) == (False, running)
    # a second delivery of a task that already ran does nothing
    running.status = ScanStatus.DONE
    running.save()
    assert services.run_scan(running.pk) is None


def test_dry_run_raises_nothing(rules_on: Any, seeded: Any, client_for: Any,
                                django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(seeded.users["hr"])
    assert "试运行（不产生预警）" in client.get(reverse("risk:rules")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("risk:scan"), {"dry_run": "1", "back": "rules"})
    run = ScanRun.objects.get()
    assert run.dry_run and run.status == ScanStatus.DONE and run.raised == 0
    assert not Alert.objects.exists()
    assert f"试运行：将触发 {run.would_fire} 人次" in _messages(client.get(reverse("risk:rules")))
    assert views.scan_message(run) == (
        f"试运行完成：按今日数据，已启用的规则将触发 {run.would_fire} 人次；未产生任何预警。")


@pytest.mark.parametrize("who", ["manager", "employee", "legal", "engineer"])
def test_others_see_no_button_and_get_403(who: str, rules_on: Any, seeded: Any, client_for: Any) -> None:
    client = client_for(seeded.users[who])
    page = client.get(reverse("risk:alerts"))
    assert page.status_code in (200, 403)
    assert "立即扫描" not in page.content.decode()
    assert client.post(reverse("risk:scan")).status_code == 403
    assert not ScanRun.objects.exists()


def test_get_is_refused(seeded: Any, client_for: Any) -> None:
    assert client_for(seeded.users["hr"]).get(reverse("risk:scan")).status_code == 405


def test_the_last_scan_is_the_company_s_own_and_hr_s_only(rules_on: Any, seeded: Any, other_world: Any,
                                                         client_for: Any) -> None:
    """Another company's scan is never shown as this company's; legal and an employee learn nothing of it."""
    from hrguard.risk import selectors

    theirs = ScanRun.objects.create(company=other_world.company, started_by=other_world.users["hr"],
                                    status=ScanStatus.DONE, raised=5)
    assert selectors.latest_scan(seeded.users["hr"]) is None
    assert selectors.latest_scan(other_world.users["hr"]) == theirs
    ours = ScanRun.objects.create(company=seeded.company, started_by=seeded.users["hr"], status=ScanStatus.DONE)
    assert selectors.latest_scan(seeded.users["hr"]) == ours
    for who in ("legal", "employee"):
        assert selectors.latest_scan(seeded.users[who]) is None
    page = client_for(seeded.users["hr"]).get(reverse("risk:rules")).content.decode()
    assert other_world.users["hr"].username not in page


def test_a_failed_scan_is_recorded_with_its_evidence(rules_on: Any, seeded: Any, monkeypatch: Any) -> None:
    from hrguard.risk import scan

    run = ScanRun.objects.create(company=seeded.company, started_by=seeded.users["hr"])

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(scan, "run", broken)
    done = services.run_scan(run.pk)
    assert done is not None and done.status == ScanStatus.FAILED and done.finished_at is not None
    finished = EvidenceEvent.objects.get(action="risk.scan_finished")
    assert json.loads(finished.record)["data"] == {"failed": True}
