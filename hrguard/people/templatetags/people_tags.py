"""Template helpers for the people pages' hot paths.

The roster's rows are rendered here rather than by a ``{% for %}`` loop: the loop cost ~100 µs a row
(a context push, a ``{% url %}``, an ``{% include %}`` of the status badge, the ``date`` filter and
localisation of every variable), 5 ms for a page of 50 — a third of the request's CPU. The same markup
built with ``format_html`` costs a few µs a row. Every value is escaped by ``format_html``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from hrguard.people.models import Employee, EmployeeStatus

register = template.Library()

STATUS_BADGE_CLASS = {
    EmployeeStatus.ACTIVE: "text-bg-success",
    EmployeeStatus.PROBATION: "text-bg-warning",
    EmployeeStatus.LEAVING: "text-bg-danger",
    EmployeeStatus.LEFT: "text-bg-secondary",
}
OTHER_STATUS_CLASS = "text-bg-info"
_PK_PLACEHOLDER = 2_147_483_647

ROW = (
    '<tr><td class="text-nowrap">{}</td>'
    '<td class="text-nowrap"><a href="{}">{}</a></td>'
    "<td>{}</td>"
    '<td class="d-none d-md-table-cell">{}{}</td>'
    "<td>{}</td>"
    '<td class="d-none d-md-table-cell text-nowrap">{}</td></tr>\n'
)


@register.simple_tag
def status_badge(status: str, label: Any) -> SafeString:
    """The coloured badge of an employee status (the label escaped)."""
    return format_html('<span class="badge {}">{}</span>', STATUS_BADGE_CLASS.get(status, OTHER_STATUS_CLASS), label)


def pk_url(url_name: str) -> Callable[[int], str]:
    """``reverse(url_name, args=[pk])`` for many pks at the cost of one ``reverse``: the route is resolved
    once with a placeholder pk, which is then substituted (the pk is an integer, so nothing to quote)."""
    head, _sep, tail = reverse(url_name, args=[_PK_PLACEHOLDER]).rpartition(str(_PK_PLACEHOLDER))
    return lambda pk: f"{head}{int(pk)}{tail}"


@register.simple_tag
def roster_rows(rows: Iterable[Employee]) -> SafeString:
    """The ``<tr>`` of each employee of a roster page (number, name linking to the profile, department,
    position with the core-position mark, status badge, hire date). Rows need department and position
    loaded (``select_related``)."""
    detail = pk_url("people:employee_detail")
    labels = {value: str(label) for value, label in EmployeeStatus.choices}
    core_mark = format_html(' <span class="badge text-bg-light border">{}</span>', gettext("Core position"))
    return format_html_join(
        "",
        ROW,
        (
            (
                e.employee_no,
                detail(e.pk),
                e.name,
                e.department.name,
                e.position.name if e.position and e.position.name else "—",
                core_mark if e.position and e.position.is_core else "",
                status_badge(e.status, labels.get(e.status, e.status)),
                e.hire_date.isoformat() if e.hire_date else "",
            )
            for e in rows
        ),
    )
