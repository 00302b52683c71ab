"""``{% load records_tags %}{% activity_section employee %}``: the activity section of a profile page
(``records/_employee_section.html`` wraps it for ``{% include %}``)."""

from __future__ import annotations

from typing import Any

from django import template

from ..summary import summary_for_employee

register = template.Library()


@register.inclusion_tag("records/_employee_section_body.html", takes_context=True)
def activity_section(context: Any, employee: Any) -> dict[str, Any]:
    return {"activity": summary_for_employee(context["request"].user, employee)}
