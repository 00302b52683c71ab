"""Notification channel settings (secrets write-only) and chat ids, one by one and from a spreadsheet."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from hrguard.configuration import channels
from hrguard.configuration.identity_import import import_identities
from hrguard.evidence.models import EvidenceEvent
from hrguard.notify.adapters import config_problem, secret_of
from hrguard.notify.models import ChannelConfig, ChannelIdentity

pytestmark = pytest.mark.django_db
SECRET = "s3cr3t-VALUE-zz9"


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_secrets_are_write_only(world, client_for):
    admin = world.users["admin"]
    channels.save_channel(actor=admin, channel="wecom", enabled=True,
                          data={"corp_id": "ww123", "agent_id": "1000002", "corp_secret": SECRET})
    cfg = ChannelConfig.objects.get(company=world.company, channel="wecom")
    assert cfg.settings == {"corp_id": "ww123", "agent_id": 1000002} and secret_of(cfg) == {"corp_secret": SECRET}
    assert config_problem(world.company.pk, "wecom") == ""
    channels.save_channel(actor=admin, channel="wecom", enabled=True, data={"corp_id": "ww456", "corp_secret": ""})
    cfg.refresh_from_db()
    assert secret_of(cfg) == {"corp_secret": SECRET}  # blank keeps the stored secret
    page = client_for(admin).get("/settings/channels/")
    body = page.content.decode()
    assert page.status_code == 200 and "ww456" in body and SECRET not in body and "已设置" in body
    events = EvidenceEvent.objects.filter(action="notify.channel_configured")
    assert events.count() == 2 and all(SECRET not in e.record for e in events)
    channels.save_channel(actor=admin, channel="wecom", enabled=False, data={"clear_corp_secret": "1"})
    cfg.refresh_from_db()
    assert secret_of(cfg) == {} and not cfg.enabled


def test_bad_channel_input_is_refused(world):
    admin = world.users["admin"]
    with pytest.raises(ValidationError) as exc:
        channels.save_channel(actor=admin, channel="dingtalk", enabled=True,
                              data={"app_key": "k\nx", "agent_id": "12a"})
    assert set(exc.value.message_dict) == {"app_key", "agent_id"}
    with pytest.raises(ValidationError):
        channels.save_channel(actor=admin, channel="carrier-pigeon", enabled=True, data={})
    assert not ChannelConfig.objects.exists()
    with pytest.raises(PermissionDenied):
        channels.save_channel(actor=world.users["hr"], channel="email", enabled=True, data={})


def test_identities_one_by_one(world, other_world):
    hr, rep = world.users["hr"], world.employees["sales_rep"]
    changed = channels.set_identities(actor=hr, employee_id=rep.pk, values={"wecom": "OuYang", "feishu": ""})
    assert changed == {"wecom": ["", "OuYang"]}
    assert ChannelIdentity.objects.get(employee=rep, channel="wecom").external_id == "OuYang"
    channels.set_identities(actor=hr, employee_id=rep.pk, values={"wecom": ""})
    assert not ChannelIdentity.objects.filter(employee=rep).exists()
    with pytest.raises(ValidationError):
        channels.set_identities(actor=hr, employee_id=rep.pk, values={"dingtalk": "has space"})
    with pytest.raises(ValidationError):
        channels.set_identities(actor=hr, employee_id=other_world.employees["sales_rep"].pk, values={"wecom": "x"})
    with pytest.raises(PermissionDenied):
        channels.set_identities(actor=world.users["manager"], employee_id=rep.pk, values={"wecom": "x"})
    assert not ChannelIdentity.objects.exists()


def test_import_reports_every_bad_row_and_saves_nothing(world, other_world):
    content = xlsx([
        ["工号", "企业微信", "钉钉"],
        ["S001", "wang", "ding-wang"],
        ["S999", "ghost", ""],          # no such employee here
        ["S001", "again", ""],          # duplicate
        ["", "nobody", ""],             # empty employee number
        ["S002", "x" * 121, "a b"],     # too long, space
    ])
    result = import_identities(actor=world.users["hr"], content=content, filename="ids.xlsx")
    assert not result.ok
    found = {(row, col) for row, col, _m in result.errors}
    assert found == {(3, "工号"), (4, "工号"), (5, "工号"), (6, "企业微信"), (6, "钉钉")}
    assert not ChannelIdentity.objects.exists()
    # Only company A's R001 changes, never company B's employee of the same number.
    other = import_identities(actor=world.users["hr"], content=xlsx([["工号", "飞书"], ["R001", "li"]]))
    assert other.ok  # R001 exists in A too: it is A's R001 that changes
    assert ChannelIdentity.objects.get(channel="feishu").employee == world.employees["engineer"]
    assert not ChannelIdentity.objects.filter(company=other_world.company).exists()


def test_import_saves_a_good_file_with_evidence(world):
    content = "工号,企业微信,飞书\nS001,wang,\nS002,zhang,ou_123\n".encode()
    result = import_identities(actor=world.users["admin"], content=content, filename="ids.csv")
    assert result.ok and result.rows == 2 and result.changed == 2
    ids = dict(ChannelIdentity.objects.values_list("channel", "external_id").filter(
        employee=world.employees["east_rep"]))
    assert ids == {"wecom": "zhang", "feishu": "ou_123"}
    event = EvidenceEvent.objects.get(action="notify.identities_imported")
    assert json.loads(event.record)["data"]["employees_changed"] == 2


def test_import_refuses_files_that_are_not_spreadsheets(world, client_for):
    for content in (b"\x89PNG\r\n\x1a\n" + b"0" * 50, b"", "工号,姓名\nS001,王\n".encode()):
        assert not import_identities(actor=world.users["hr"], content=content).ok
    client = client_for(world.users["hr"])
    resp = client.post("/settings/identities/import/",
                       {"file": SimpleUploadedFile("ids.xlsx", b"PK\x03\x04 broken zip")})
    assert resp.status_code == 400 and "未保存任何数据" in resp.content.decode()
    resp = client.post("/settings/identities/import/", {})
    assert resp.status_code == 400


def test_identity_pages(world, client_for, django_assert_max_num_queries):
    hr = client_for(world.users["hr"])
    with django_assert_max_num_queries(12):
        page = hr.get("/settings/identities/")
    assert page.status_code == 200 and "欧阳娜娜" in page.content.decode()
    resp = hr.post("/settings/identities/save/", {"employee": world.employees["sales_rep"].pk, "wecom": "ouyang"},
                   follow=True)
    assert "账号 ID 已保存" in resp.content.decode()
    assert client_for(world.users["manager"]).get("/settings/identities/").status_code == 403
    assert client_for(world.users["hr"]).get("/settings/channels/").status_code == 403


def _many(world, n: int) -> None:
    from hrguard.people.models import Employee

    Employee.objects.bulk_create([
        Employee(company=world.company, employee_no=f"B{i:05d}", name=f"批量{i}", department=world.depts["rnd"],
                 hire_date=world.employees["engineer"].hire_date) for i in range(n)])


def _ids_file(n: int, *, offset: int = 0, prefix: str = "wx") -> bytes:
    rows: list[list[object]] = [["工号", "企业微信", "钉钉"]]
    rows += [[f"B{i:05d}", f"{prefix}{i}", f"dd{i}" if i % 2 else ""] for i in range(offset, offset + n)]
    return xlsx(rows)


def test_import_writes_in_bulk_queries_do_not_grow_with_rows(world, django_assert_max_num_queries):
    """A 2,000-row file takes the same number of queries as a 20-row file: checked first, then written in
    bulk (one delete of the changed ids, one insert) in one transaction, with one evidence event."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _many(world, 2100)
    hr = world.users["hr"]

    def queries(content: bytes) -> tuple[int, object]:
        with CaptureQueriesContext(connection) as ctx:
            result = import_identities(actor=hr, content=content, filename="ids.xlsx")
        return len(ctx.captured_queries), result

    small, result = queries(_ids_file(20, offset=2050))
    assert result.ok and result.changed == 20
    large, result = queries(_ids_file(2000))
    assert result.ok and result.rows == 2000 and result.changed == 2000, result.errors
    assert large <= small, (small, large)
    assert ChannelIdentity.objects.filter(company=world.company).count() == 20 + 10 + 2000 + 1000
    # A second import changes some ids and leaves the others: still the same number of queries.
    again, result = queries(_ids_file(2000, prefix="new"))
    assert result.ok and again <= small
    assert ChannelIdentity.objects.get(employee__employee_no="B00007", channel="wecom").external_id == "new7"
    assert ChannelIdentity.objects.get(employee__employee_no="B00007", channel="dingtalk").external_id == "dd7"
    events = EvidenceEvent.objects.filter(action="notify.identities_imported").order_by("id")
    assert events.count() == 3
    data = json.loads(events.last().record)["data"]
    assert data["rows"] == 2000 and data["ids_changed"] == 2000 and data["ids_unchanged"] == 1000
    assert data["ids_added"] == 0 and data["employees_changed"] == 2000


def test_a_large_file_with_one_bad_row_writes_nothing(world):
    _many(world, 2000)
    rows: list[list[object]] = [["工号", "企业微信"]] + [[f"B{i:05d}", f"wx{i}"] for i in range(2000)]
    rows[1500][1] = "has space"
    rows.append(["B99999", "ghost"])
    result = import_identities(actor=world.users["hr"], content=xlsx(rows))
    assert not result.ok
    assert {(row, col) for row, col, _m in result.errors} == {(1501, "企业微信"), (2002, "工号")}
    assert not ChannelIdentity.objects.exists()
    assert not EvidenceEvent.objects.filter(action="notify.identities_imported").exists()
