"""The privacy guard (issue 12 §5): debt records have their own permission; a refused look is evidence;
another company sees nothing; the employee concerned never reads the log; the numbers (§8)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from hrguard.collection import letters, selectors
from hrguard.evidence.models import EvidenceEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["finance", "engineer", "manager", "hrbp", "employee"])
def test_staff_without_the_permission_are_refused_and_the_attempt_is_evidence(world: Any, log: Any, who: str) -> None:
    contact = log()
    user = world.users[who]
    for read in (lambda: selectors.contact_log(user), lambda: selectors.contact_for(user, contact.pk),
                 lambda: selectors.file_detail(user, contact.file.case_id), lambda: selectors.monthly(user)):
        with pytest.raises(PermissionDenied):
            read()
    assert EvidenceEvent.objects.filter(action="collection.access_denied", actor_id=user.pk).count() == 4


def test_readers_see_the_log_and_each_read_is_evidence(world: Any, log: Any) -> None:
    contact = log()
    for who in ("hr", "legal", "admin"):
        rows = selectors.contact_log(world.users[who])
        assert [c.pk for c in rows] == [contact.pk]
    assert EvidenceEvent.objects.filter(action="collection.viewed").count() == 3


def test_another_company_sees_nothing(world: Any, other_world: Any, log: Any) -> None:
    contact = log()
    hr_b = other_world.users["hr"]
    assert selectors.contact_log(hr_b) == []
    with pytest.raises(PermissionDenied):
        selectors.contact_for(hr_b, contact.pk)
    with pytest.raises(PermissionDenied):
        selectors.file_detail(hr_b, contact.file.case_id)
    assert selectors.contacts_last_30_days(other_world.company.pk) == {}


def test_an_hr_user_never_reads_contacts_about_themself(world: Any, log: Any) -> None:
    from hrguard.core.models import User

    hr_self = User.objects.create_user(username="acme-hr2", password="pw", company=world.company, role="hr")
    emp = world.employees["engineer"]
    emp.user = hr_self
    emp.save(update_fields=["user"])
    contact = log(employee=emp)
    assert selectors.contact_log(hr_self) == []
    with pytest.raises(PermissionDenied):
        selectors.file_detail(hr_self, contact.file.case_id)


def test_front_desk_granted_reading_sees_the_log(world: Any, front_desk: Any, log: Any) -> None:
    from hrguard.collection import services

    log(actor=front_desk)
    services.grant_access(actor=world.users["hr"], user=front_desk, can_log=True, can_view=True)
    front_desk = type(front_desk).objects.get(pk=front_desk.pk)
    assert len(selectors.contact_log(front_desk)) == 1


def test_monthly_numbers_by_agency_and_before_after_the_letter(world: Any, log: Any,
                                                               django_assert_max_num_queries: Any) -> None:
    for i in range(4):
        log(minutes_ago=60 * 24 * (8 - i) , caller_number=f"1390000000{i}", agency="甲催收")
    last = log(minutes_ago=60 * 24 * 2, caller_number="13900000099", agency="乙催收")
    letters.issue_letter(actor=world.users["hr"], file_id=last.file.case_id, agency="甲催收")
    with django_assert_max_num_queries(6):
        numbers = selectors.monthly(world.users["hr"])
    total = sum(m.total for m in numbers.months)
    assert total == 5 and set(numbers.agencies) == {"甲催收", "乙催收"}
    assert numbers.before == 5 and numbers.after == 0
    assert sum(m.by_agency.get("甲催收", 0) for m in numbers.months) == 4
