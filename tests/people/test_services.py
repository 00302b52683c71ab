"""People services: validation at the boundary, one transaction, evidence for every change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.evidence.models import EvidenceEvent
from hrguard.evidence.verify import verify_company
from hrguard.people import services
from hrguard.people.models import Employee, EmployeeStatus, LifecycleEvent

pytestmark = pytest.mark.django_db


def base_data(world, **over):
    data = {
        "employee_no": "N100", "name": "新员工", "department": world.depts["east"].pk,
        "hire_date": "2025-03-01", "birth_date": "1995-05-05", "phone": "13900001111",
        "email": "new@acme.test",
    }
    data.update(over)
    return data


def test_create_employee_encrypts_and_indexes(world, make_id_number):
    idn = make_id_number(birth="19950505", seq="777")
    emp = services.create_employee(world.users["hr"], world.company, base_data(world, id_number=idn))
    assert emp.department_path == world.depts["east"].path
    # Stored encrypted: the raw column never contains the plaintext.
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone FROM people_employee WHERE id = %s", [emp.pk])
        raw_id, raw_phone = cur.fetchone()
    assert idn not in raw_id and raw_id.startswith("v1:")
    assert "13900001111" not in raw_phone
    fresh = Employee.objects.get(pk=emp.pk)
    assert fresh.id_number == idn and fresh.phone == "13900001111"
    ev = EvidenceEvent.objects.filter(company=world.company, action="employee.created", employee_id=emp.pk).get()
    assert idn not in ev.record and "13900001111" not in ev.record
    assert LifecycleEvent.objects.filter(employee=emp, kind="hire").exists()
    assert verify_company(world.company.pk).ok


def test_create_employee_reports_every_bad_field_and_saves_nothing(world):
    before = (Employee.objects.count(), EvidenceEvent.objects.count())
    with pytest.raises(ValidationError) as err:
        services.create_employee(
            world.users["hr"], world.company,
            base_data(
                world, employee_no="S001", name="<script>alert(1)</script>", id_number="110105199003071234",
                phone="12345", hire_date="1980-01-01", department="不存在的部门", email="nope",
            ),
        )
    fields = err.value.message_dict
    for key in ("employee_no", "name", "id_number", "phone", "hire_date", "department", "email"):
        assert key in fields, key
    assert "already used" in " ".join(fields["employee_no"]) or "已" in " ".join(fields["employee_no"])
    assert (Employee.objects.count(), EvidenceEvent.objects.count()) == before


def test_duplicate_id_number_refused(world):
    existing = world.employees["east_rep"].id_number
    with pytest.raises(ValidationError) as err:
        services.create_employee(world.users["hr"], world.company, base_data(world, id_number=existing))
    assert "id_number" in err.value.message_dict


def test_only_hr_creates_employees(world):
    for key in ("employee", "manager", "finance"):
        with pytest.raises(PermissionDenied):
            services.create_employee(world.users[key], world.company, base_data(world))


def test_update_logs_changes_without_sensitive_values(world):
    emp = world.employees["east_rep"]
    services.update_employee(world.users["hr"], emp, {"name": "张测试二", "phone": "13700007777"})
    ev = EvidenceEvent.objects.filter(action="employee.updated", employee_id=emp.pk).get()
    assert "张测试二" in ev.record and "13700007777" not in ev.record
    assert "phone" in ev.record


def test_employee_updates_own_contact_only(world):
    emp = world.employees["east_rep"]
    user = world.users["employee"]
    services.update_own_contact(user, emp, {"email": "me@new.test", "phone": "13600006666"})
    assert Employee.objects.get(pk=emp.pk).email == "me@new.test"
    assert EvidenceEvent.objects.filter(action="employee.contact_updated", employee_id=emp.pk).exists()
    with pytest.raises(ValidationError):
        services.update_own_contact(user, emp, {"name": "改名"})
    with pytest.raises(PermissionDenied):
        services.update_own_contact(user, world.employees["engineer"], {"email": "x@y.test"})


def test_reveal_sensitive_is_audited_and_permissioned(world):
    emp = world.employees["east_rep"]
    value = services.reveal_sensitive(world.users["hr"], emp, "id_number")
    assert value == emp.id_number
    assert EvidenceEvent.objects.filter(action="sensitive.read", employee_id=emp.pk).count() == 1
    with pytest.raises(PermissionDenied):
        services.reveal_sensitive(world.users["manager"], emp, "id_number")
    assert services.reveal_sensitive(world.users["employee"], emp, "phone") == emp.phone


def test_lifecycle_transfer_and_status(world):
    emp = world.employees["east_rep"]
    hr = world.users["hr"]
    services.record_lifecycle(hr, emp, "transfer", dt.date(2025, 1, 1), department=world.depts["rnd"].pk)
    emp.refresh_from_db()
    assert emp.department == world.depts["rnd"] and emp.department_path == world.depts["rnd"].path
    services.record_lifecycle(hr, emp, "termination", dt.date(2025, 6, 30), note="协商解除")
    emp.refresh_from_db()
    assert emp.status == EmployeeStatus.LEFT and emp.termination_date == dt.date(2025, 6, 30)
    actions = list(EvidenceEvent.objects.filter(employee_id=emp.pk).values_list("action", flat=True))
    assert "lifecycle.transfer" in actions and "lifecycle.termination" in actions


def test_lifecycle_bad_input(world):
    emp = world.employees["east_rep"]
    with pytest.raises(ValidationError) as err:
        services.record_lifecycle(world.users["hr"], emp, "probation_passed", dt.date(2019, 1, 1))
    assert "effective_date" in err.value.message_dict and "kind" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.record_lifecycle(world.users["employee"], emp, "transfer", dt.date(2025, 1, 1), department=1)


def test_other_company_department_is_unknown(world, other_world):
    with pytest.raises(ValidationError) as err:
        services.create_employee(
            world.users["hr"], world.company, base_data(world, department=other_world.depts["east"].pk)
        )
    assert "department" in err.value.message_dict
