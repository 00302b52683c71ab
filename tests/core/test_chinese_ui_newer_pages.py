"""The newer apps' pages (early warning, cases, clients, care, EAP, collection, non-compete, exits, settings)
read as Chinese screens to each role that opens them: 200, a Chinese page title, a heading, and no English
words or raw codes in the text shown (code samples in <code>, user names and the product's own acronyms
aside). Found by walking the demo as each demo role in Chromium at 1280 and 390 px (QA, 2026-12-01): channel
codes on the exit page's "send link" boxes, an English unit on the early-warning signal list, a case link
form that asked for "risk.alert"."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# What a role opens, by the role's key in the ``world`` fixture.
PAGES: dict[str, list[str]] = {
    "hr": ["/risk/", "/risk/rules/", "/risk/rules/new/", "/risk/checks/", "/cases/", "/cases/new/", "/cases/stats/",
           "/care/", "/care/talks/", "/care/aid/", "/care/programmes/", "/care/eap/", "/collection/",
           "/collection/new/", "/collection/numbers/", "/noncompete/", "/noncompete/start/", "/exits/", "/exits/si/",
           "/settings/org/", "/settings/identities/", "/settings/facts/"],
    "admin": ["/settings/", "/settings/accounts/", "/settings/org/", "/settings/channels/", "/settings/identities/",
              "/settings/facts/", "/settings/webhooks/", "/clients/"],
    "legal": ["/cases/", "/cases/stats/", "/clients/", "/collection/"],
    "finance": ["/care/", "/care/aid/", "/noncompete/"],
    "manager": ["/risk/", "/risk/mine/", "/care/mine/", "/exits/mine/"],
    "employee": ["/risk/mine/", "/care/", "/care/mine/", "/exits/mine/", "/collection/mine/"],
}
HIDDEN = re.compile(r"<(script|style|code|pre|title|option)\b.*?</\1>|<[^>]+>", re.S | re.I)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_.]{2,}")
# Words a Chinese screen keeps: the product, acronyms Chinese HR uses as such, the language switch, the
# CEL expression language of the rule editor, file formats and protocols on the administrator's pages.
ALLOWED = {"HRGuard", "EAP", "API", "HRBP", "English", "CEL", "PDF", "Excel", "CSV", "JSON", "HTTPS", "POST",
           "URL", "SMTP", "SSL", "TLS", "STARTTLS", "AccessKey", "AgentID", "AppID", "AppKey", "CorpID", "Key",
           "Secret", "OA", "xlsx", "csv"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def visible_words(html: str, allowed: set[str]) -> list[str]:
    body = html.split("<body", 1)[-1].split(">", 1)[-1]
    text = unescape(HIDDEN.sub(" ", body))
    # User names; a rule explanation's {term} placeholders; the command that makes the EAP provider's key.
    text = re.sub(r"acme-[a-z_]+|\{[a-z_0-9:]+\}|hrguard eap_keygen", " ", text)
    return sorted({w for w in LATIN_WORD.findall(text) if w not in allowed})


def title_of(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    return unescape(found.group(1)).strip() if found else ""


def read(client: Client, url: str) -> tuple[int, str]:
    resp = client.get(url, follow=True)
    return resp.status_code, resp.content.decode()


def check_page(client: Client, url: str, company: str) -> list[str]:
    status, html = read(client, url)
    problems = []
    if status != 200:
        return [f"{url}: {status}"]
    title = title_of(html)
    if not CJK.search(title.replace(company, "")):
        problems.append(f"{url}: title {title!r}")
    if not re.search(r"<h1\b", html):
        problems.append(f"{url}: no heading")
    words = visible_words(html, ALLOWED | {"EAP"})
    if words:
        problems.append(f"{url}: {words}")
    if re.search(r"\sstyle=\"", html):
        problems.append(f"{url}: inline style (refused by the CSP)")
    return problems


@pytest.mark.parametrize("key", sorted(PAGES))
def test_newer_pages_are_chinese_for_each_role(world: Any, client_for: Any, key: str) -> None:
    client = client_for(world.users[key])
    problems = [p for url in PAGES[key] for p in check_page(client, url, world.company.name)]
    assert problems == []


def test_exit_page_names_the_link_channels_in_chinese(world: Any, client_for: Any) -> None:
    from hrguard.offboarding import services

    today = dt.date.today()
    exit_ = services.start_exit(actor=world.users["hr"], employee=world.employees["sales_rep"], kind="resignation",
                                notice_date=today, last_day=today + dt.timedelta(days=31))
    status, html = read(client_for(world.users["hr"]), f"/exits/{exit_.pk}/")
    assert status == 200
    assert "企业微信" in html and "钉钉" in html
    assert not {"wecom", "dingtalk", "feishu"} & set(visible_words(html, ALLOWED)), visible_words(html, ALLOWED)
    assert 'class="hrg-pre"' in html or "暂无消息" in html  # message text keeps its lines without inline style


def test_case_link_form_offers_record_types_by_name(world: Any, client_for: Any) -> None:
    from hrguard.cases import services

    case = services.open_case(actor=world.users["hr"], case_type="general", title="测试")
    status, html = read(client_for(world.users["hr"]), f"/cases/{case.pk}/")
    assert status == 200
    assert 'placeholder="risk.alert"' not in html
    assert '<option value="risk.alert">预警</option>' in html


def test_signal_units_are_chinese() -> None:
    from django.utils import translation

    from hrguard.risk.registry import signals

    with translation.override("zh-hans"):
        units = {spec.name: str(spec.unit) for spec in signals()}
    assert units["collection_contacts"] == "次"
    assert not [name for name, unit in units.items() if LATIN_WORD.search(unit)]


def test_settings_overview_buttons_say_open_not_unsettled(world: Any, client_for: Any) -> None:
    """The 设置 cards' "Open" buttons are the action (打开), not the state of a case (未结)."""
    status, html = read(client_for(world.users["admin"]), "/settings/")
    assert status == 200
    assert html.count(">打开</a>") >= 5 and ">未结</a>" not in html


def test_signal_units_do_not_repeat_the_label() -> None:
    """"违纪（违纪）" on the rule editor: a count's unit is 次, not the signal's own name again."""
    from django.utils import translation

    from hrguard.risk.registry import signals

    with translation.override("zh-hans"):
        labels = {spec.name: (str(spec.label), str(spec.unit)) for spec in signals()}
    assert labels["violations"] == ("违纪", "次")
    assert [name for name, (label, unit) in labels.items() if label == unit] == []


def test_talk_names_what_it_was_started_from(world: Any, client_for: Any) -> None:
    from hrguard.care import services

    talk = services.record_talk(actor=world.users["hr"], employee=world.employees["sales_rep"],
                                held_on=dt.date(2026, 11, 20), participants="HR、本人", summary="沟通出差安排",
                                link_type="risk.alert", link_id="7", link_url="/risk/alerts/7/")
    client = client_for(world.users["hr"])
    status, html = read(client, f"/care/talks/{talk.pk}/")
    assert status == 200 and "预警 #7" in html and "risk.alert" not in html
    status, html = read(client, f"/care/talks/new/{world.employees['sales_rep'].pk}/?link_type=cases.case&link_id=3")
    assert status == 200 and "案件 #3" in html and visible_words(html, ALLOWED) == []


def test_scan_panel_and_step_owner_page_are_chinese(world: Any, client_for: Any) -> None:
    from hrguard.cases import services
    from hrguard.risk.models import ScanRun
    from hrguard.workflows import services as wf
    from hrguard.workflows.models import Step

    ScanRun.objects.create(company=world.company, started_by=world.users["hr"], status="done", raised=2,
                           already_open=1)
    hr = client_for(world.users["hr"])
    for url in ("/risk/", "/risk/rules/"):
        assert check_page(hr, url, world.company.name) == []
        assert "立即扫描" in read(hr, url)[1] and "新增预警 2 条，已有未处理 1 条" in read(hr, url)[1]
    case = services.open_case(actor=world.users["hr"], case_type="keyperson", title="核心销售离职风险",
                              confidentiality="restricted", subject_employee=world.employees["sales_rep"])
    for step, actor in zip(Step.objects.filter(instance_id=case.process_id).order_by("group", "order")[:2],
                           (world.users["hr"], world.users["legal"]), strict=True):
        wf.act(actor=actor, step_id=step.pk, action="complete", note="完成")
    assert check_page(client_for(world.users["manager"]), f"/cases/{case.pk}/", world.company.name) == []
