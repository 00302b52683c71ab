"""Parsing of the page forms (the services validate the law; this only turns text into values)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def date_field(value: Any, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None


def text(post: Any, name: str, limit: int = 2000) -> str:
    return str(post.get(name) or "")[:limit]
