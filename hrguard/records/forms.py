"""Building blocks of the record apps' page forms (each app has its own ``forms.py``). The forms only parse
the request; the services validate (every field at once) and the views put the services' errors back
under the fields with ``apply_errors``."""

from __future__ import annotations

from typing import Any

from django import forms

from hrguard.people.forms import apply_errors  # names people fields the form lacks ("工号：…")
from hrguard.platform.forms import BootstrapForm

__all__ = ["DATE", "TIME", "BootstrapForm", "apply_errors", "choice_field", "date_field", "text_field"]

DATE = {"type": "date"}
TIME = {"type": "time"}


def text_field(label: Any, rows: int = 0, **kw: Any) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, required=False, max_length=10000, widget=widget, **kw)


def date_field(label: Any) -> forms.CharField:
    # ISO format: <input type="date"> drops the locale's "2025/08/08", which would clear the field on save.
    return forms.CharField(label=label, required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d"))


def choice_field(label: Any, choices: Any, blank: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=([("", "—")] if blank else []) + list(choices))
