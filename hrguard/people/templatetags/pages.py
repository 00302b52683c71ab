"""``{% load pages %}`` then ``{% if request.user|may_open:"documents:policy_edit" %}``: draw a link only
for users whose request the page answers (the predicate of ``people.pages``)."""

from __future__ import annotations

from typing import Any

from django import template

from hrguard.people.pages import may_open as _may_open

register = template.Library()


@register.filter
def may_open(user: Any, url_name: str) -> bool:
    return _may_open(user, url_name)
