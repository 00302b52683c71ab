"""Widgets of the roster filter bar, rendered in Python.

Django renders each widget through the form renderer's templates (``select.html`` includes one
``select_option.html`` and one ``attrs.html`` per option): ~1.3 ms for the roster's three filters, a
tenth of the page's CPU. These produce the same HTML as Django's templates from the same widget context
(``get_context``), so ids, ``selected`` and attributes stay Django's."""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _escaped(value: Any) -> str:
    """``conditional_escape(value)``: a plain ``str`` straight through ``html.escape`` (what Django's
    ``escape`` does, without its lazy-argument check and ``SafeString`` wrapper, a few µs for each of a
    roster page's ~150 values); safe and lazy strings and anything else through Django's."""
    return escape(value) if type(value) is str else conditional_escape(value)


def flat_attrs(attrs: dict[str, Any]) -> SafeString:
    """``django/forms/widgets/attrs.html``: `` name="value"``, a bare `` name`` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_escaped(name)}")
        else:
            parts.append(f' {_escaped(name)}="{_escaped(str(value))}"')
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


class QuickTextInput(forms.TextInput):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown, flat_attrs(widget["attrs"])
        )


class QuickSelect(forms.Select):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        body = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                body.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                body.append(
                    f'\n  <option value="{_escaped(str(option["value"]))}"{flat_attrs(option["attrs"])}>'
                    f'{_escaped(option["label"])}</option>\n'
                )
            if group_name:
                body.append(mark_safe("\n  </optgroup>"))
        options_html = mark_safe("".join(body))  # noqa: S308 - every part escaped above
        attrs_html = flat_attrs(widget["attrs"])
        return format_html('<select name="{}"{}>{}\n</select>', widget["name"], attrs_html, options_html)
