"""Logins for employees: creation (one, many), activation links, deactivation, roles — services and pages."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from hrguard.configuration import accounts
from hrguard.configuration.models import ActivationToken
from hrguard.core.models import User
from hrguard.evidence.models import EvidenceEvent
from hrguard.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Qz8!river-lamp-93"


def data(event: EvidenceEvent) -> dict:
    return json.loads(event.record)["data"]


def _token(issued: accounts.Issued) -> str:
    return issued.link.rstrip("/").rsplit("/", 1)[1]


def _no_email(employee):
    employee.email = ""
    employee.save(update_fields=["email"])
    return employee


def test_login_for_an_employee_without_email_is_handed_over(world):
    rep = _no_email(world.employees["sales_rep"])
    issued = accounts.create_login(actor=world.users["admin"], employee_id=rep.pk, role="employee")
    rep.refresh_from_db()
    assert rep.user == issued.user and issued.user.username == "acme-s003"
    assert not issued.user.has_usable_password()
    # SMS is not set up for the company: the link is for the administrator to hand over, and that is evidence.
    assert issued.delivery == "handover" and "/accounts/activate/" in issued.link
    raw = _token(issued)
    row = ActivationToken.objects.get(user=issued.user)
    assert row.token_hash == accounts.digest(raw) and raw not in row.token_hash  # hashed at rest
    event = EvidenceEvent.objects.filter(action="account.activation_issued").latest("seq")
    assert data(event)["delivery"] == "handover" and raw not in event.record
    assert EvidenceEvent.objects.filter(action="account.created", employee_id=rep.pk).exists()


def test_login_link_goes_out_by_email_when_the_employee_has_one(world, django_capture_on_commit_callbacks):
    rep = world.employees["sales_rep"]
    with django_capture_on_commit_callbacks(execute=True):
        issued = accounts.create_login(actor=world.users["admin"], employee_id=rep.pk)
    assert issued.delivery == "email" and issued.link == ""  # nothing shown: it went to the employee
    msg = OutboxMessage.objects.get(purpose=accounts.PURPOSE)
    assert msg.channel == "email" and "/accounts/activate/" in msg.link
    assert "/accounts/activate/" in msg.body and msg.employee_id == rep.pk


def test_activation_sets_the_password_once(world):
    rep = _no_email(world.employees["sales_rep"])
    issued = accounts.create_login(actor=world.users["admin"], employee_id=rep.pk)
    raw = _token(issued)
    client = Client()
    page = client.get(f"/accounts/activate/{raw}/")
    assert page.status_code == 200 and "acme-s003" in page.content.decode()
    weak = client.post(f"/accounts/activate/{raw}/", {"password": "123", "password2": "123"})
    assert weak.status_code == 400 and "密码" in weak.content.decode()
    assert not User.objects.get(pk=issued.user.pk).has_usable_password()
    differ = client.post(f"/accounts/activate/{raw}/", {"password": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"})
    assert differ.status_code == 400 and "两次输入的密码不一致" in differ.content.decode()
    done = client.post(f"/accounts/activate/{raw}/", {"password": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert done.status_code == 302 and done["Location"].endswith("/accounts/login/")
    assert Client().login(username="acme-s003", password=GOOD_PASSWORD)
    assert client.get(f"/accounts/activate/{raw}/").status_code == 404  # used up
    assert EvidenceEvent.objects.filter(action="account.activated").count() == 1


def test_expired_and_replaced_links_do_not_open(world):
    rep = _no_email(world.employees["sales_rep"])
    admin = world.users["admin"]
    first = accounts.create_login(actor=admin, employee_id=rep.pk)
    second = accounts.resend_activation(actor=admin, user_id=first.user.pk)
    assert Client().get(f"/accounts/activate/{_token(first)}/").status_code == 404  # revoked by the new one
    assert Client().get(f"/accounts/activate/{_token(second)}/").status_code == 200
    ActivationToken.objects.filter(token_hash=accounts.digest(_token(second))).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Client().get(f"/accounts/activate/{_token(second)}/").status_code == 404
    with pytest.raises(ValidationError):
        accounts.activate(raw_token=_token(second), password=GOOD_PASSWORD, password2=GOOD_PASSWORD)
    assert Client().get("/accounts/activate/" + "x" * 43 + "/").status_code == 404


def test_refusals_name_the_problem_and_change_nothing(world):
    admin = world.users["admin"]
    with pytest.raises(ValidationError) as exc:
        accounts.create_login(actor=admin, employee_id=world.employees["east_rep"].pk)  # has a login
    assert "employee" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        accounts.create_login(actor=admin, employee_id=world.employees["sales_rep"].pk, username="bad name!")
    assert "username" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        accounts.create_login(actor=admin, employee_id=world.employees["sales_rep"].pk, role="root")
    assert "role" in exc.value.message_dict
    with pytest.raises(ValidationError):
        accounts.create_login(actor=admin, employee_id=world.employees["sales_rep"].pk, username="acme-hr")
    assert not User.objects.filter(employee=world.employees["sales_rep"]).exists()
    assert not ActivationToken.objects.exists()


def test_bulk_creation_is_all_or_nothing(world):
    admin = world.users["admin"]
    rep, boss = world.employees["sales_rep"], world.employees["sales_manager"]
    boss.user.delete()
    with pytest.raises(ValidationError) as exc:
        accounts.create_logins(actor=admin, employee_ids=[rep.pk, world.employees["east_rep"].pk])
    assert "张测试" in str(exc.value.message_dict["employees"])
    assert not User.objects.filter(username="acme-s003").exists()
    issued = accounts.create_logins(actor=admin, employee_ids=[rep.pk, boss.pk], role="employee")
    assert sorted(i.user.username for i in issued) == ["acme-s001", "acme-s003"]
    with pytest.raises(ValidationError):
        accounts.create_logins(actor=admin, employee_ids=[])


def test_only_the_company_admin_manages_logins(world):
    for key in ("hr", "legal", "manager", "employee", "hrbp"):
        with pytest.raises(PermissionDenied):
            accounts.create_login(actor=world.users[key], employee_id=world.employees["sales_rep"].pk)
        with pytest.raises(PermissionDenied):
            accounts.deactivate(actor=world.users[key], user_id=world.users["employee"].pk)


def test_one_company_cannot_touch_another_companys_people_or_logins(world, other_world):
    admin = world.users["admin"]
    with pytest.raises(ValidationError):
        accounts.create_login(actor=admin, employee_id=other_world.employees["sales_rep"].pk)
    with pytest.raises(ValidationError):
        accounts.create_logins(actor=admin, employee_ids=[other_world.employees["sales_rep"].pk])
    for fn in (accounts.deactivate, accounts.resend_activation, accounts.reactivate):
        with pytest.raises(ValidationError):
            fn(actor=admin, user_id=other_world.users["employee"].pk)
    with pytest.raises(ValidationError):
        accounts.change_role(actor=admin, user_id=other_world.users["employee"].pk, role="hr")
    other = User.objects.get(pk=other_world.users["employee"].pk)
    assert other.is_active and other.role == "employee"
    assert not User.objects.filter(employee=other_world.employees["sales_rep"]).exists()


def test_deactivation_ends_sessions_tokens_and_links(world, client_for, api):
    admin, target = world.users["admin"], world.users["engineer"]
    browser = client_for(target)
    assert browser.get("/people/me/").status_code == 200
    api_client = api(target)
    assert api_client.get("/api/v1/employees/").status_code == 200
    accounts.deactivate(actor=admin, user_id=target.pk)
    assert "/accounts/login/" in browser.get("/people/me/")["Location"]  # back to the sign-in page
    assert api_client.get("/api/v1/employees/").status_code == 401
    assert not Client().login(username=target.username, password="pw-engineerengineer")
    assert EvidenceEvent.objects.filter(action="account.deactivated", subject_id=str(target.pk)).exists()
    with pytest.raises(ValidationError):
        accounts.deactivate(actor=admin, user_id=admin.pk)  # not yourself
    issued = accounts.reactivate(actor=admin, user_id=target.pk)
    assert User.objects.get(pk=target.pk).is_active and issued.delivery in ("email", "handover")


def test_role_change_keeps_one_admin(world):
    admin = world.users["admin"]
    accounts.change_role(actor=admin, user_id=world.users["legal"].pk, role="hr")
    assert User.objects.get(pk=world.users["legal"].pk).role == "hr"
    with pytest.raises(ValidationError) as exc:
        accounts.change_role(actor=admin, user_id=admin.pk, role="hr")
    assert "role" in exc.value.message_dict
    event = EvidenceEvent.objects.filter(action="account.role_changed").latest("seq")
    assert data(event) == {"username": "acme-legal", "from": "legal", "to": "hr"}


def test_pages_create_a_login_and_show_the_link_to_hand_over(world, client_for):
    rep = _no_email(world.employees["sales_rep"])
    admin = client_for(world.users["admin"])
    page = admin.get("/settings/accounts/new/")
    body = page.content.decode()
    assert page.status_code == 200 and "欧阳娜娜" in body and "张测试" not in body  # 张测试 has a login
    made = admin.post("/settings/accounts/new/", {"mode": "bulk", "employee": [rep.pk], "role": "employee"})
    text = made.content.decode()
    assert made.status_code == 200 and "acme-s003" in text
    link = re.search(r'value="(http[^"]+/accounts/activate/[^"]+)"', text).group(1)
    assert Client().get(link.split("8000", 1)[-1]).status_code == 200
    again = admin.post("/settings/accounts/new/", {"mode": "one", "employee_no": "S003", "role": "employee"})
    assert again.status_code == 400 and "没有工号为 S003 且未开通账号的在职员工" in again.content.decode()
    garbage = admin.post("/settings/accounts/new/", {"mode": "bulk", "employee": ["x", "-1"], "role": "?"})
    assert garbage.status_code == 400 and "请" in garbage.content.decode()


def test_account_actions_through_the_page(world, client_for):
    admin = client_for(world.users["admin"])
    target = world.users["finance"]
    resp = admin.post("/settings/accounts/action/", {"action": "role", "user": target.pk, "role": "legal"},
                      follow=True)
    assert "角色已修改" in resp.content.decode()
    resp = admin.post("/settings/accounts/action/", {"action": "deactivate", "user": target.pk}, follow=True)
    assert "账号已停用" in resp.content.decode()
    assert not User.objects.get(pk=target.pk).is_active
    resp = admin.post("/settings/accounts/action/", {"action": "explode", "user": "abc"}, follow=True)
    assert resp.status_code == 200
    hr = client_for(world.users["hr"])
    assert hr.post("/settings/accounts/action/", {"action": "deactivate", "user": target.pk}).status_code == 403


def test_logins_for_everyone_the_filter_shows(world, client_for):
    """After an Excel import: every employee without a login in a department, in one go."""
    from hrguard.people.models import Employee

    east = world.depts["east"]
    for i in range(60):  # more than one page
        Employee.objects.create(company=world.company, employee_no=f"X{i:03d}", name=f"导入{i}", department=east,
                                department_path=east.path, hire_date=dt.date(2025, 1, 1))
    admin = client_for(world.users["admin"])
    page = admin.get(f"/settings/accounts/new/?department={east.pk}")
    body = page.content.decode()
    assert "为筛选出的全部 60 名员工开通账号" in body
    resp = admin.post("/settings/accounts/new/", {"mode": "filtered", "department": east.pk, "role": "employee",
                                                  "handover": "1"})
    assert resp.status_code == 200 and resp.content.decode().count("data-handover-link") == 60
    assert not Employee.objects.filter(company=world.company, department=east, user__isnull=True).exists()
    assert Employee.objects.get(employee_no="S003").user is None  # 销售部, not in 华东组
