"""People pages: roster, profile, reveal, create/edit, lifecycle, self-service — request level."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from hrguard.evidence.models import EvidenceEvent
from hrguard.people.inputs import apply_indexes
from hrguard.people.models import Employee, EmployeeStatus, LifecycleEvent

CLIENT_LANGUAGE = "en"  # these tests read the English UI (tests/conftest.py client_for)

pytestmark = pytest.mark.django_db


def detail_url(emp) -> str:
    return reverse("people:employee_detail", args=[emp.pk])


def linked_ids(html: str) -> set[int]:
    return {int(m) for m in re.findall(r'href="/people/(\d+)/"', html)}


def field_errors(html: str, field: str) -> list[str]:
    return re.findall(rf'<div class="invalid-feedback d-block" data-field="{field}">([^<]*)</div>', html)


# --- Roster -----------------------------------------------------------------------------------------


def test_roster_requires_login(client):
    resp = client.get(reverse("people:employee_list"))
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


@pytest.mark.parametrize(
    ("user_key", "expected"),
    [
        ("hr", {"sales_manager", "east_rep", "sales_rep", "engineer"}),
        ("legal", {"sales_manager", "east_rep", "sales_rep", "engineer"}),
        ("manager", {"sales_manager", "east_rep", "sales_rep"}),
        ("hrbp", {"engineer"}),
        ("employee", None),  # sees no one else: no roster (the top bar hides it; 我的档案 is theirs)
        ("finance", None),
    ],
)
def test_roster_shows_only_the_users_scope(world, other_world, user_key, expected, client_for):
    resp = client_for(world.users[user_key]).get(reverse("people:employee_list"))
    if expected is None:
        assert resp.status_code == 403
        return
    assert resp.status_code == 200
    assert linked_ids(resp.content.decode()) == {world.employees[k].pk for k in expected}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "欧阳"}, {"sales_rep"}),
        ({"q": "S00"}, {"sales_manager", "east_rep", "sales_rep"}),
        ({"q": "13800131102"}, {"east_rep"}),
        ({"status": "probation"}, {"engineer"}),
        ({"department": "sales"}, {"sales_manager", "east_rep", "sales_rep"}),
        ({"department": "rnd", "q": "S"}, set()),
    ],
)
def test_roster_search_and_filters(world, query, expected, client_for):
    Employee.objects.filter(pk=world.employees["engineer"].pk).update(status=EmployeeStatus.PROBATION)
    if "department" in query:
        query = {**query, "department": world.depts[query["department"]].pk}
    resp = client_for(world.users["hr"]).get(reverse("people:employee_list"), query)
    assert linked_ids(resp.content.decode()) == {world.employees[k].pk for k in expected}


def test_roster_search_by_id_number(world, make_id_number, client_for):
    resp = client_for(world.users["hr"]).get(
        reverse("people:employee_list"), {"q": make_id_number(seq="103")}
    )
    assert linked_ids(resp.content.decode()) == {world.employees["sales_rep"].pk}


def test_roster_htmx_returns_only_the_table(world, client_for):
    c = client_for(world.users["hr"])
    resp = c.get(reverse("people:employee_list"), {"q": "张"}, HTTP_HX_REQUEST="true")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "<html" not in html and 'id="roster-table"' in html
    assert linked_ids(html) == {world.employees["east_rep"].pk}
    assert "HX-Request" in resp["Vary"]
    full = c.get(reverse("people:employee_list"), {"q": "张"}).content.decode()
    assert "<html" in full and 'hx-trigger="input changed delay:300ms, search"' in full
    assert 'hx-push-url="true"' in full


def _bulk_employees(world, n: int) -> None:
    rows = []
    for i in range(n):
        e = Employee(
            company=world.company,
            employee_no=f"X{i:04d}",
            name=f"批量{i}",
            department=world.depts["rnd"],
            hire_date=dt.date(2021, 1, 1),
        )
        apply_indexes(e)
        rows.append(e)
    Employee.objects.bulk_create(rows)


def test_roster_pages_with_prev_next_and_no_total(world, client_for):
    _bulk_employees(world, 60)  # 64 employees, 50 a page
    c = client_for(world.users["hr"])
    first = c.get(reverse("people:employee_list"), {"q": "", "page": "1"}).content.decode()
    assert len(linked_ids(first)) == 50
    assert 'rel="next"' in first and 'rel="prev"' not in first and "page=2" in first
    assert "64" not in re.sub(r"<[^>]+>", " ", first).split()  # no total count anywhere in the text
    second = c.get(reverse("people:employee_list"), {"page": "2"}).content.decode()
    assert len(linked_ids(second)) == 14
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert not linked_ids(first) & linked_ids(second)
    # Filters are kept in the paging links.
    filtered = c.get(reverse("people:employee_list"), {"q": "批量", "page": "1"}).content.decode()
    assert "q=%E6%89%B9%E9%87%8F&amp;page=2" in filtered or "q=%E6%89%B9%E9%87%8F&page=2" in filtered


def test_roster_bad_page_number_falls_back_to_first(world, client_for):
    resp = client_for(world.users["hr"]).get(reverse("people:employee_list"), {"page": "abc"})
    assert resp.status_code == 200 and len(linked_ids(resp.content.decode())) == 4


# --- Profile ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_key", "target", "status"),
    [
        ("hr", "east_rep", 200),
        ("admin", "engineer", 200),
        ("legal", "engineer", 200),
        ("manager", "east_rep", 200),
        ("manager", "engineer", 404),
        ("hrbp", "engineer", 200),
        ("hrbp", "east_rep", 404),
        ("employee", "east_rep", 200),
        ("employee", "sales_rep", 404),  # 404, not 403: does not reveal that the record exists
        ("finance", "east_rep", 404),
    ],
)
def test_profile_permission_matrix(world, user_key, target, status, client_for):
    resp = client_for(world.users[user_key]).get(detail_url(world.employees[target]))
    assert resp.status_code == status


@pytest.mark.parametrize("user_key", ["hr", "admin", "manager", "employee"])
def test_other_company_profile_is_404_for_everyone(world, other_world, user_key, client_for):
    c = client_for(world.users[user_key])
    for emp in other_world.employees.values():
        assert c.get(detail_url(emp)).status_code == 404
        assert c.get(reverse("evidence:employee_timeline", args=[emp.pk])).status_code == 404


def test_profile_masks_sensitive_fields_and_offers_reveal_to_hr(world, make_id_number, client_for):
    emp = world.employees["east_rep"]
    html = client_for(world.users["hr"]).get(detail_url(emp)).content.decode()
    full_id = make_id_number(seq="102")
    assert full_id not in html and "13800131102" not in html and "6222020200112233445" not in html
    assert full_id[:3] + "*" * 11 + full_id[-4:] in html
    assert "138****1102" in html
    assert 'data-reveal="id_number"' in html and f'hx-post="/people/{emp.pk}/reveal/id_number/"' in html


def test_manager_profile_has_no_reveal_and_no_contracts(world, client_for):
    html = client_for(world.users["manager"]).get(detail_url(world.employees["east_rep"])).content.decode()
    assert "data-reveal" not in html
    assert 'id="contracts"' not in html
    assert 'id="evidence"' in html  # managers see the evidence timeline of their team


def test_profile_shows_lifecycle_history(world, client_for):
    from hrguard.people import services

    services.record_lifecycle(
        world.users["hr"],
        world.employees["east_rep"],
        "transfer",
        dt.date(2024, 5, 1),
        department=world.depts["rnd"].pk,
        note="组织调整",
    )
    html = client_for(world.users["hr"]).get(detail_url(world.employees["east_rep"])).content.decode()
    assert "组织调整" in html and "华东组 → 研发部" in html and "2024-05-01" in html


# --- Reveal -----------------------------------------------------------------------------------------


def test_hr_reveal_returns_value_and_is_audited(world, make_id_number, client_for):
    emp = world.employees["east_rep"]
    before = EvidenceEvent.objects.filter(action="sensitive.read").count()
    resp = client_for(world.users["hr"]).post(
        reverse("people:reveal", args=[emp.pk, "id_number"]), HTTP_HX_REQUEST="true", REMOTE_ADDR="10.1.2.3"
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    assert make_id_number(seq="102") in html and "<html" not in html
    events = EvidenceEvent.objects.filter(action="sensitive.read")
    assert events.count() == before + 1
    ev = events.latest("seq")
    assert ev.employee_id == emp.pk and ev.actor_id == world.users["hr"].pk
    assert '"field":"id_number"' in ev.record and '"ip":"10.1.2.3"' in ev.record


def test_manager_reveal_is_refused_and_not_logged(world, client_for):
    emp = world.employees["east_rep"]
    resp = client_for(world.users["manager"]).post(reverse("people:reveal", args=[emp.pk, "phone"]))
    assert resp.status_code == 403
    assert "13800131102" not in resp.content.decode()
    assert not EvidenceEvent.objects.filter(action="sensitive.read").exists()


def test_employee_can_reveal_own_but_not_others(world, client_for):
    c = client_for(world.users["employee"])
    own = c.post(reverse("people:reveal", args=[world.employees["east_rep"].pk, "phone"]))
    assert own.status_code == 200 and "13800131102" in own.content.decode()
    other = c.post(reverse("people:reveal", args=[world.employees["sales_rep"].pk, "phone"]))
    assert other.status_code == 404


def test_reveal_rejects_get_and_unknown_fields(world, other_world, client_for):
    c = client_for(world.users["hr"])
    emp = world.employees["east_rep"]
    assert c.get(reverse("people:reveal", args=[emp.pk, "phone"])).status_code == 405
    assert c.post(reverse("people:reveal", args=[emp.pk, "name"])).status_code == 404
    assert (
        c.post(reverse("people:reveal", args=[other_world.employees["east_rep"].pk, "phone"])).status_code
        == 404
    )
    assert not EvidenceEvent.objects.filter(action="sensitive.read").exists()


# --- Create / edit ----------------------------------------------------------------------------------


def new_employee_post(world, **over):
    data = {
        "employee_no": "N200",
        "name": "赵新人",
        "gender": "F",
        "birth_date": "1996-02-03",
        "id_type": "resident",
        "id_number": "",
        "phone": "13911112222",
        "email": "zhao@acme.test",
        "address": "上海市",
        "emergency_contact": "赵父 13900000000",
        "bank_account": "",
        "department": str(world.depts["east"].pk),
        "position": "",
        "status": "probation",
        "employment_form": "full_time",
        "hire_date": "2025-04-01",
        "work_start_date": "",
        "work_location": "上海",
    }
    data.update(over)
    return data


@pytest.mark.parametrize(
    ("user_key", "status"), [("hr", 200), ("admin", 200), ("manager", 403), ("employee", 403)]
)
def test_create_page_permission(world, user_key, status, client_for):
    assert client_for(world.users[user_key]).get(reverse("people:employee_create")).status_code == status


def test_create_employee_through_the_form(world, make_id_number, client_for):
    idn = make_id_number(birth="19960203", seq="555")
    resp = client_for(world.users["hr"]).post(
        reverse("people:employee_create"), new_employee_post(world, id_number=idn)
    )
    emp = Employee.objects.get(company=world.company, employee_no="N200")
    assert resp.status_code == 302 and resp["Location"] == detail_url(emp)
    assert emp.id_number == idn and emp.status == EmployeeStatus.PROBATION
    assert emp.department_id == world.depts["east"].pk
    assert EvidenceEvent.objects.filter(action="employee.created", employee_id=emp.pk).exists()


def test_create_shows_every_bad_field_and_saves_nothing(world, client_for):
    count = Employee.objects.count()
    events = EvidenceEvent.objects.count()
    resp = client_for(world.users["hr"]).post(
        reverse("people:employee_create"),
        new_employee_post(
            world,
            id_number="110105199003071234",
            phone="12345",
            email="not-an-email",
            name="<script>alert(1)</script>",
            hire_date="",
        ),
    )
    assert resp.status_code == 200
    html = resp.content.decode()
    for field in ("id_number", "phone", "email", "name", "hire_date"):
        assert field_errors(html, field), field
    assert field_errors(html, "name") == ["HTML or script markup is not allowed in this field."]
    assert 'name="name"' in html and "is-invalid" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html  # echoed back escaped
    assert Employee.objects.count() == count and EvidenceEvent.objects.count() == events


def test_create_refuses_duplicate_employee_number(world, client_for):
    resp = client_for(world.users["hr"]).post(
        reverse("people:employee_create"), new_employee_post(world, employee_no="S001")
    )
    assert field_errors(resp.content.decode(), "employee_no")
    assert Employee.objects.filter(company=world.company, employee_no="S001").count() == 1


def edit_post(emp, **over):
    data = {
        "employee_no": emp.employee_no,
        "name": emp.name,
        "gender": emp.gender,
        "birth_date": emp.birth_date.isoformat() if emp.birth_date else "",
        "id_type": emp.id_type,
        "id_number": "",
        "phone": "",
        "email": emp.email,
        "address": emp.address,
        "emergency_contact": emp.emergency_contact,
        "bank_account": "",
        "employment_form": emp.employment_form,
        "hire_date": emp.hire_date.isoformat(),
        "work_start_date": "",
        "work_location": emp.work_location,
    }
    data.update(over)
    return data


def test_edit_employee_keeps_sensitive_fields_left_empty(world, client_for):
    emp = world.employees["east_rep"]
    c = client_for(world.users["hr"])
    form_html = c.get(reverse("people:employee_edit", args=[emp.pk])).content.decode()
    assert "13800131102" not in form_html and 'name="department"' not in form_html
    resp = c.post(reverse("people:employee_edit", args=[emp.pk]), edit_post(emp, email="new@acme.test"))
    assert resp.status_code == 302
    fresh = Employee.objects.get(pk=emp.pk)
    assert (
        fresh.email == "new@acme.test" and fresh.phone == "13800131102" and fresh.id_number == emp.id_number
    )
    ev = EvidenceEvent.objects.filter(action="employee.updated", employee_id=emp.pk).latest("seq")
    assert '"email"' in ev.record and '"phone"' not in ev.record


def test_edit_employee_errors_save_nothing(world, client_for):
    emp = world.employees["east_rep"]
    resp = client_for(world.users["hr"]).post(
        reverse("people:employee_edit", args=[emp.pk]),
        edit_post(emp, email="x@y", address="<b>bold</b>", name="新名字"),
    )
    html = resp.content.decode()
    assert resp.status_code == 200 and field_errors(html, "email") and field_errors(html, "address")
    assert Employee.objects.get(pk=emp.pk).name == "张测试"


@pytest.mark.parametrize(
    ("user_key", "target", "status"),
    [
        ("manager", "east_rep", 403),
        ("employee", "east_rep", 403),
        ("hrbp", "engineer", 200),
        ("hrbp", "east_rep", 404),
    ],
)
def test_edit_permission(world, user_key, target, status, client_for):
    url = reverse("people:employee_edit", args=[world.employees[target].pk])
    assert client_for(world.users[user_key]).get(url).status_code == status


# --- Lifecycle (入转调离) -----------------------------------------------------------------------------


def test_record_transfer_from_the_profile(world, client_for):
    emp = world.employees["east_rep"]
    c = client_for(world.users["hr"])
    assert c.get(reverse("people:lifecycle_create", args=[emp.pk]) + "?kind=transfer").status_code == 200
    resp = c.post(
        reverse("people:lifecycle_create", args=[emp.pk]),
        {
            "kind": "transfer",
            "effective_date": "2025-06-01",
            "department": world.depts["rnd"].pk,
            "note": "轮岗",
        },
    )
    assert resp.status_code == 302
    assert Employee.objects.get(pk=emp.pk).department_id == world.depts["rnd"].pk
    assert LifecycleEvent.objects.filter(employee=emp, kind="transfer", note="轮岗").exists()


def test_lifecycle_errors_show_under_fields(world, client_for):
    emp = world.employees["east_rep"]  # active, not on probation
    resp = client_for(world.users["hr"]).post(
        reverse("people:lifecycle_create", args=[emp.pk]),
        {"kind": "probation_passed", "effective_date": "2019-01-01", "note": "<script>x</script>"},
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert field_errors(html, "kind") and field_errors(html, "effective_date") and field_errors(html, "note")
    assert not LifecycleEvent.objects.filter(employee=emp, kind="probation_passed").exists()


def test_termination_sets_left(world, client_for):
    emp = world.employees["sales_rep"]
    client_for(world.users["hr"]).post(
        reverse("people:lifecycle_create", args=[emp.pk]),
        {"kind": "termination", "effective_date": "2025-07-31"},
    )
    fresh = Employee.objects.get(pk=emp.pk)
    assert fresh.status == EmployeeStatus.LEFT and fresh.termination_date == dt.date(2025, 7, 31)


@pytest.mark.parametrize(("user_key", "status"), [("manager", 403), ("employee", 404), ("legal", 403)])
def test_lifecycle_permission(world, user_key, status, client_for):
    url = reverse("people:lifecycle_create", args=[world.employees["sales_rep"].pk])
    assert client_for(world.users[user_key]).get(url).status_code == status


# --- Self-service (我的档案) --------------------------------------------------------------------------


def test_my_profile_shows_own_record_and_contact_link(world, client_for):
    resp = client_for(world.users["employee"]).get(reverse("people:my_profile"))
    html = resp.content.decode()
    assert resp.status_code == 200 and "张测试" in html and reverse("people:my_contact") in html
    assert 'id="contracts"' in html and 'id="evidence"' not in html


def test_employee_updates_own_contact(world, client_for):
    c = client_for(world.users["employee"])
    form_html = c.get(reverse("people:my_contact")).content.decode()
    assert "13800131102" in form_html  # their own number, shown to themselves
    resp = c.post(
        reverse("people:my_contact"),
        {"phone": "13722223333", "email": "me@acme.test", "address": "杭州", "emergency_contact": "母亲"},
    )
    assert resp.status_code == 302 and resp["Location"] == reverse("people:my_profile")
    emp = Employee.objects.get(pk=world.employees["east_rep"].pk)
    assert (emp.phone, emp.email, emp.address) == ("13722223333", "me@acme.test", "杭州")
    assert EvidenceEvent.objects.filter(action="employee.contact_updated", employee_id=emp.pk).exists()


def test_contact_errors_save_nothing(world, client_for):
    resp = client_for(world.users["employee"]).post(
        reverse("people:my_contact"),
        {"phone": "999", "email": "bad", "address": "<img src=x>", "emergency_contact": ""},
    )
    html = resp.content.decode()
    assert field_errors(html, "phone") and field_errors(html, "email") and field_errors(html, "address")
    assert Employee.objects.get(pk=world.employees["east_rep"].pk).phone == "13800131102"


def test_self_service_without_employee_record_is_404(world, client_for):
    c = client_for(world.users["hr"])
    assert c.get(reverse("people:my_profile")).status_code == 404
    assert c.get(reverse("people:my_contact")).status_code == 404
