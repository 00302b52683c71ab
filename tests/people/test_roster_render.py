"""The roster's Python-rendered parts (rows, filter widgets) give the markup the templates gave."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from hrguard.core.models import Department
from hrguard.people.forms import EmployeeSearchForm
from hrguard.people.inputs import apply_indexes
from hrguard.people.models import Employee, EmployeeStatus
from hrguard.people.widgets import QuickSelect, QuickTextInput

pytestmark = pytest.mark.django_db


def roster_html(user, query: str = "") -> str:
    c = Client()
    c.force_login(user)
    resp = c.get(reverse("people:employee_list") + query)
    assert resp.status_code == 200
    return resp.content.decode()


def row_of(html: str, employee_no: str) -> str:
    match = re.search(rf"<tr><td class=\"text-nowrap\">{employee_no}</td>.*?</tr>", html, re.S)
    assert match, employee_no
    return match.group(0)


def test_roster_row_shows_each_column_escaped(world, make_id_number):
    odd = Employee(
        company=world.company, employee_no="X<1>", name='<script>"张&', department=world.depts["rnd"],
        hire_date=dt.date(2021, 2, 3), status=EmployeeStatus.PROBATION, id_number=make_id_number(seq="777"),
    )
    apply_indexes(odd)
    odd.save()
    html = roster_html(world.users["hr"])
    row = row_of(html, "X&lt;1&gt;")
    assert "<script>" not in html
    assert f'<a href="/people/{odd.pk}/">&lt;script&gt;&quot;张&amp;</a>' in row
    assert "<td>研发部</td>" in row
    assert '<td class="d-none d-md-table-cell">—</td>' in row  # no position
    assert '<span class="badge text-bg-warning">试用期</span>' in row
    assert '<td class="d-none d-md-table-cell text-nowrap">2021-02-03</td>' in row

    core = row_of(html, "S001")  # 客户经理 is a core position
    assert '客户经理 <span class="badge text-bg-light border">核心岗位</span>' in core
    assert '<span class="badge text-bg-success">在职</span>' in core
    assert f'href="/people/{world.employees["sales_manager"].pk}/"' in core


def test_empty_roster_says_so(world):
    html = roster_html(world.users["hr"], "?q=nobody-by-this-name")
    assert "没有符合筛选条件的员工" in html
    assert "<tr><td class=\"text-nowrap\">" not in html


@pytest.mark.parametrize("query", ["", 'q=<b>"x&status=probation', "status=left&department=999999"])
def test_filter_widgets_render_as_djangos_templates(world, query):
    departments = Department.objects.filter(company=world.company).order_by("path")
    params = QueryDict(query) if query else None
    if params is not None and "department" not in params:
        params = params.copy()
        params["department"] = str(world.depts["east"].pk)
    quick = EmployeeSearchForm(params, departments=departments, url="/people/")
    plain = EmployeeSearchForm(params, departments=departments, url="/people/")
    # The same fields with Django's template-rendered widgets (same attributes).
    for name, cls in (("q", forms.TextInput), ("department", forms.Select), ("status", forms.Select)):
        widget = quick.fields[name].widget
        assert isinstance(widget, QuickTextInput | QuickSelect)
        twin = cls(attrs=dict(widget.attrs))
        if isinstance(widget, forms.TextInput):
            twin.input_type = widget.input_type
        else:
            twin.choices = widget.choices
        plain.fields[name].widget = twin
    for name in ("q", "department", "status"):
        assert str(quick[name]) == str(plain[name]), name
    assert 'selected' in str(quick["status"]) or not query


def test_roster_page_query_count(world, django_assert_num_queries):
    """The roster as HR, after the first request: the session, the user with the company, the user's
    own employee id and the navigation's unread badge (at most 100 ids on the inbox index) in one query
    (``core.backends.annotate_user``), the page's rows (one query, departments and positions joined), the
    filter's departments. A fifth query means a per-request cost came back."""
    c = Client()
    c.force_login(world.users["hr"])
    url = reverse("people:employee_list")
    assert c.get(url).status_code == 200
    with django_assert_num_queries(4):
        assert c.get(url).status_code == 200


def test_quick_select_escapes_as_djangos_template_for_every_kind_of_label():
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    choices = [("", gettext_lazy("All statuses")), ('a"<&', '<b>"x" & y</b>'), ("safe", mark_safe("<i>ok</i>")),
               (7, 7), ("部门", "销售一部")]
    attrs = {"class": "form-select", "aria-label": gettext_lazy("Status"), "hx-get": "/people/?a=1&b=<2>",
             "data-on": True, "data-off": False}
    for value in ("", 'a"<&', "7", "部门", "none"):
        quick, plain = QuickSelect(attrs=dict(attrs), choices=choices), forms.Select(attrs=dict(attrs), choices=choices)
        assert quick.render("status", value) == plain.render("status", value), value
