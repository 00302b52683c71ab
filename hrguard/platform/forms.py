"""Form helpers every page uses: Bootstrap 5 widget classes with ``is-invalid`` on fields in error, and
``apply_errors``, which puts a service's ``ValidationError({field: [messages]})`` under each field (or at
the top of the form for keys the form does not show) so that every bad field is shown at once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class BootstrapForm(forms.Form):
    """Bootstrap 5 classes on widgets; ``is-invalid`` on every field that has an error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        names: Iterable[str]
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            names = error.error_dict.keys()
        else:
            names = [field] if field else []
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


def apply_errors(
    form: forms.Form, exc: ValidationError, *, label_for: Callable[[str], str] | None = None
) -> None:
    """Map a service's ValidationError onto the form: known keys under their field, others on top —
    named by ``label_for(key)`` when it knows the field ("工号：…"), else the message alone: never the
    raw key ("employee_no: …") on a Chinese screen."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, messages in exc.message_dict.items():
        target = key if key in form.fields else None
        for message in messages:
            if target is None and key not in ("__all__", "non_field_errors"):
                label = label_for(key) if label_for else ""
                form.add_error(None, _("%(field)s: %(message)s") % {"field": label, "message": message}
                               if label else message)
            else:
                form.add_error(target, message)
