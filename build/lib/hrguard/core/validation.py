"""Boundary validation helpers shared by forms, API serializers and importers."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PHONE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")


def clean_plain_text(value: Any, field: str, *, max_length: int | None = None, required: bool = False) -> str:
    """Plain text only: no HTML/script markup, no control characters; trimmed."""
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if _MARKUP.search(text):
        raise ValidationError({field: _("HTML or script markup is not allowed in this field.")})
    if _CONTROL.search(text):
        raise ValidationError({field: _("Control characters are not allowed in this field.")})
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            {field: _("At most %(n)d characters (got %(got)d).") % {"n": max_length, "got": len(text)}}
        )
    return text


def clean_phone(value: Any, field: str = "phone") -> str:
    text = re.sub(r"[\s-]", "", "" if value is None else str(value))
    if not text:
        return ""
    if not PHONE_RE.match(text):
        raise ValidationError({field: _("Not a valid mainland China mobile number (11 digits starting with 1).")})
    return text[-11:]


def merge_errors(errors: dict[str, list[str]], exc: ValidationError) -> None:
    for key, messages in exc.message_dict.items():
        errors.setdefault(key, []).extend(messages)
