"""Template helpers for the people pages' hot paths.

The roster's rows are rendered here rather than by a ``{% for %}`` loop: the loop cost ~100 µs a row
(a context push, a ``{% url %}``, an ``{% include %}`` of the status badge, the ``date`` filter and
localisation of every variable), 5 ms for a page of 50 — a third of the request's CPU. The same markup
built in Python costs a few µs a row. Every value is escaped (``html.escape``, what Django's ``escape``
does)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from hrguard.people.models import EmployeeStatus

register = template.Library()

STATUS_BADGE_CLASS = {
    EmployeeStatus.ACTIVE: "text-bg-success",
    EmployeeStatus.PROBATION: "text-bg-warning",
    EmployeeStatus.LEAVING: "text-bg-danger",
    EmployeeStatus.LEFT: "text-bg-secondary",
}
OTHER_STATUS_CLASS = "text-bg-info"
_PK_PLACEHOLDER = 2_147_483_647


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
def roster_rows(rows: Iterable[Any]) -> SafeString:
    """The ``<tr>`` of each roster row (``selectors.roster_columns``): number, name linking to the profile,
    department, position with the core-position mark, status badge, hire date. Every value escaped."""
    detail = pk_url("people:employee_detail")
    labels = {value: escape(str(label)) for value, label in EmployeeStatus.choices}
    core_mark = f' <span class="badge text-bg-light border">{escape(gettext("Core position"))}</span>'
    out = []
    for r in rows:
        status = labels.get(r.status) or escape(r.status)
        badge = STATUS_BADGE_CLASS.get(r.status, OTHER_STATUS_CLASS)
        out.append(
            f'<tr><td class="text-nowrap">{escape(r.employee_no)}</td>'
            f'<td class="text-nowrap"><a href="{escape(detail(r.pk))}">{escape(r.name)}</a></td>'
            f"<td>{escape(r.department__name)}</td>"
            f'<td class="d-none d-md-table-cell">{escape(r.position__name or "—")}'
            f'{core_mark if r.position__is_core else ""}</td>'
            f'<td><span class="badge {badge}">{status}</span></td>'
            f'<td class="d-none d-md-table-cell text-nowrap">{r.hire_date.isoformat() if r.hire_date else ""}</td>'
            "</tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped above
