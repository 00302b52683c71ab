"""Evidence timeline pages: an employee's events in plain words, and the search leading to them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from hrguard.people import services

CLIENT_LANGUAGE = "en"  # these tests read the English UI (tests/conftest.py client_for)

pytestmark = pytest.mark.django_db


def timeline_url(emp) -> str:
    return reverse("evidence:employee_timeline", args=[emp.pk])


def test_timeline_shows_time_actor_action_ip_and_channel(world, client_for):
    emp = world.employees["east_rep"]
    hr = world.users["hr"]
    c = client_for(hr)
    c.post(reverse("people:reveal", args=[emp.pk, "phone"]), REMOTE_ADDR="192.0.2.7")
    services.update_own_contact(world.users["employee"], emp, {"email": "changed@acme.test"})
    html = c.get(timeline_url(emp)).content.decode()
    rows = re.findall(r'<tr data-action="([\w.]+)">(.*?)</tr>', html, re.S)
    assert [code for code, _ in rows] == ["employee.contact_updated", "sensitive.read"]
    reveal_row = rows[1][1]
    assert "acme-hr" in reveal_row and "Sensitive field viewed" in reveal_row and "Mobile phone" in reveal_row
    assert "192.0.2.7" in reveal_row and "Web" in reveal_row
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", reveal_row)
    contact_row = rows[0][1]
    assert "acme-employee" in contact_row and "Email" in contact_row and "System" in contact_row


def test_profile_has_timeline_section_with_the_same_events(world, client_for):
    emp = world.employees["east_rep"]
    c = client_for(world.users["hr"])
    c.post(reverse("people:reveal", args=[emp.pk, "id_number"]))
    html = c.get(reverse("people:employee_detail", args=[emp.pk])).content.decode()
    assert 'id="evidence"' in html and 'data-action="sensitive.read"' in html
    assert timeline_url(emp) in html


@pytest.mark.parametrize(
    ("user_key", "target", "status"),
    [
        ("hr", "east_rep", 200),
        ("legal", "east_rep", 200),
        ("manager", "east_rep", 200),
        ("manager", "engineer", 404),
        ("hrbp", "engineer", 200),
        ("employee", "east_rep", 403),
        ("employee", "sales_rep", 404),
        ("finance", "east_rep", 404),
    ],
)
def test_timeline_permission_matrix(world, user_key, target, status, client_for):
    assert client_for(world.users[user_key]).get(timeline_url(world.employees[target])).status_code == status


def test_search_by_employee_number_goes_to_timeline(world, other_world, client_for):
    c = client_for(world.users["hr"])
    resp = c.get(reverse("evidence:timeline_search"), {"q": "S002"})
    assert resp.status_code == 302 and resp["Location"] == timeline_url(world.employees["east_rep"])


def test_search_by_name_lists_matches_in_scope(world, other_world, client_for):
    html = (
        client_for(world.users["hr"]).get(reverse("evidence:timeline_search"), {"q": "张"}).content.decode()
    )
    assert timeline_url(world.employees["east_rep"]) in html
    assert timeline_url(other_world.employees["east_rep"]) not in html
    manager_html = (
        client_for(world.users["manager"])
        .get(reverse("evidence:timeline_search"), {"q": "李"})
        .content.decode()
    )
    assert timeline_url(world.employees["engineer"]) not in manager_html


def test_search_no_match_and_permission(world, client_for):
    c = client_for(world.users["hr"])
    resp = c.get(reverse("evidence:timeline_search"), {"q": "NOPE"})
    assert resp.status_code == 200 and "/evidence/employee/" not in resp.content.decode()
    assert c.get(reverse("evidence:timeline_search")).status_code == 200
    assert client_for(world.users["employee"]).get(reverse("evidence:timeline_search")).status_code == 403
    assert client_for(world.users["finance"]).get(reverse("evidence:timeline_search")).status_code == 403
