"""The scan panel on /risk/ and /risk/rules/ says which clock its time is in: a scan at 23:58 UTC shows as
07:58 the next day with （北京时间）, English "(Beijing time)"; the zone is the deployment's setting, not a
fixed text (another TIME_ZONE names that zone)."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from hrguard.platform import timezones
from hrguard.risk.models import ScanRun, ScanStatus

AT = dt.datetime(2026, 11, 30, 23, 58, tzinfo=dt.UTC)


def _scan(seeded: Any) -> ScanRun:
    run = ScanRun.objects.create(company=seeded.company, started_by=seeded.users["hr"], status=ScanStatus.DONE,
                                 raised=2)
    ScanRun.objects.filter(pk=run.pk).update(created_at=AT)
    return run


def _last_scan(page: str) -> str:
    found = re.search(r'<span[^>]*id="last-scan"[^>]*>(.*?)</span>', page, re.S)
    assert found is not None, page
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


@pytest.mark.parametrize("url", ["risk:alerts", "risk:rules"])
def test_the_scan_time_names_beijing_time(url: str, seeded: Any, client_for: Any) -> None:
    _scan(seeded)
    text = _last_scan(client_for(seeded.users["hr"]).get(reverse(url)).content.decode())
    assert text.startswith("最近一次手动扫描：2026-12-01 07:58（北京时间）"), text
    english = _last_scan(client_for(seeded.users["hr"], lang="en").get(reverse(url)).content.decode())
    assert english.startswith("Last scan from this page: 2026-12-01 07:58 (Beijing time)"), english
    assert "北京" not in english


def test_another_zone_setting_is_named_and_used(seeded: Any, client_for: Any) -> None:
    _scan(seeded)
    with override_settings(TIME_ZONE="Asia/Tokyo"):
        text = _last_scan(client_for(seeded.users["hr"]).get(reverse("risk:alerts")).content.decode())
    assert "2026-12-01 08:58（Asia/Tokyo）" in text
    assert "北京时间" not in text


def test_zone_labels() -> None:
    with translation.override("en"):
        assert timezones.zone_label("Asia/Shanghai") == "Beijing time"
    with translation.override("zh-hans"):
        assert timezones.zone_label("Asia/Shanghai") == "北京时间"
    assert timezones.zone_label("Europe/Berlin") == "Europe/Berlin"
    assert timezones.local_time(None) == ""
