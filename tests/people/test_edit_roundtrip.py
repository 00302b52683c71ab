"""``/people/<id>/edit/`` saved unchanged changes nothing: the form is read back exactly as a browser
would submit it (every input's value, every select's selected option) and posted."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hrguard.evidence.models import EvidenceEvent
from hrguard.people.models import Employee

pytestmark = pytest.mark.django_db

FIELDS = (
    "employee_no", "name", "gender", "birth_date", "id_type", "id_number", "phone", "email", "address",
    "emergency_contact", "bank_account", "employment_form", "hire_date", "work_start_date", "work_location",
    "department_id", "position_id", "status",
)


class FormReader(HTMLParser):
    """What a browser submits for the form with ``form_id``; ``date_values`` keeps each type=date value."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, ""
        self.data: dict[str, str] = {}
        self.date_values: dict[str, str] = {}
        self.textarea = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "checkbox"):
            self.data[a["name"]] = a.get("value", "")
            if a.get("type") == "date":
                self.date_values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a.get("name", "")
            self.data.setdefault(self.select, "")
        elif tag == "option" and self.select and ("selected" in a):
            self.data[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a.get("name", "")
            self.data[self.textarea] = ""

    def handle_data(self, text: str) -> None:
        if self.textarea:
            self.data[self.textarea] += text

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = ""
        elif tag == "textarea":
            self.textarea = ""
        elif tag == "form":
            self.inside = False


def snapshot(pk: int) -> dict[str, Any]:
    emp = Employee.objects.get(pk=pk)
    return {name: getattr(emp, name) for name in FIELDS}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_saving_the_edit_form_unchanged_changes_nothing(world: Any, language: str) -> None:
    emp = world.employees["east_rep"]
    Employee.objects.filter(pk=emp.pk).update(
        gender="F", work_start_date=dt.date(2012, 7, 1), employment_form="intern",
        emergency_contact="张父 13900000000", work_location="上海",
    )
    emp = Employee.objects.get(pk=emp.pk)
    emp.address = "上海市静安区南京西路1号"
    emp.save()
    before = snapshot(emp.pk)
    events = EvidenceEvent.objects.count()
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.users["hr"])
    url = reverse("people:employee_edit", args=[emp.pk])
    reader = FormReader("employee-form")
    reader.feed(client.get(url).content.decode())
    assert reader.date_values == {"birth_date": "1990-03-07", "hire_date": "2020-01-06", "work_start_date": "2012-07-01"}
    resp = client.post(url, reader.data)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    assert snapshot(emp.pk) == before
    assert EvidenceEvent.objects.count() == events  # nothing changed, nothing recorded


def test_editing_one_field_leaves_the_dates_alone(world: Any) -> None:
    emp = world.employees["engineer"]
    Employee.objects.filter(pk=emp.pk).update(work_start_date=dt.date(2013, 9, 1))
    before = snapshot(emp.pk)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    client.force_login(world.users["hr"])
    url = reverse("people:employee_edit", args=[emp.pk])
    reader = FormReader("employee-form")
    reader.feed(client.get(url).content.decode())
    assert client.post(url, {**reader.data, "name": "李工程师"}).status_code == 302
    after = snapshot(emp.pk)
    assert after.pop("name") == "李工程师"
    before.pop("name")
    assert after == before
