"""Boundary validation helpers shared by forms, API serializers and importers.

Numbers, ids and months from outside go through ``parse_id``, ``parse_amount`` and ``parse_month``: they
never call ``int()`` on unbounded text (Python refuses text over 4,300 digits with a ValueError), accept
only ASCII digits (``"²".isdigit()`` is true, ``int("²")`` fails), refuse non-finite decimals ("NaN",
"Infinity", which break comparisons) and keep years where date arithmetic cannot overflow."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|javascript:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PHONE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
# Object ids: 1-18 ASCII digits, so every id fits a 64-bit integer column on every database.
MAX_ID = 2**63 - 1
ID_TEXT = re.compile(r"[0-9]{1,18}")
# Years a record may be dated in: wide enough for any employment record, far from date's year 9999 limit.
MIN_YEAR, MAX_YEAR = 1900, 2199
MONTH_TEXT = re.compile(r"([0-9]{4})-([0-9]{1,2})")
MAX_AMOUNT = Decimal("9999999999.99")
_AMOUNT_TEXT_MAX = 40


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


def clean_free_text(value: Any, field: str, *, required: bool = False, max_length: int = 200,
                    required_message: str = "") -> str:
    """Free text a person writes (a title, a note, a reason): trimmed; refused with a message under ``field``
    when it holds a NUL, is longer than ``max_length`` or, when ``required``, is empty (``required_message``,
    default "This field is required."). Markup is kept — it is escaped where it is shown."""
    text = "" if value is None else str(value).strip()
    if "\x00" in text:
        raise ValidationError({field: _("The text contains a forbidden character.")})
    if len(text) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}})
    if required and not text:
        raise ValidationError({field: required_message or _("This field is required.")})
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


def parse_id(value: Any) -> int | None:
    """An object id given as a number or as text of ASCII digits; None when it cannot be one (then no
    object has it)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    if isinstance(value, str):
        text = value.strip()
        if ID_TEXT.fullmatch(text):
            number = int(text)
            return number if 0 < number <= MAX_ID else None
    return None


def parse_month(value: Any, field: str = "month") -> tuple[int, int]:
    """(year, month) from YYYY-MM, the year within MIN_YEAR..MAX_YEAR."""
    found = MONTH_TEXT.fullmatch(str(value or "").strip())
    if found is None:
        raise ValidationError({field: _("Expected a month as YYYY-MM.")})
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12 or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            {field: _("Month out of range (years %(low)d to %(high)d).") % {"low": MIN_YEAR, "high": MAX_YEAR}}
        )
    return year, month


def parse_amount(value: Any, field: str, *, max_value: Decimal = MAX_AMOUNT, places: int = 2) -> Decimal:
    """A money amount: finite, from 0 to ``max_value``, at most ``places`` decimals; thousands commas and
    surrounding spaces allowed in text."""
    if isinstance(value, bool):
        raise ValidationError({field: _("Not a valid amount.")})
    if isinstance(value, Decimal | int):
        number = Decimal(value)
    else:
        text = str(value).replace(",", "").strip()
        if len(text) > _AMOUNT_TEXT_MAX:
            raise ValidationError({field: _("Not a valid amount.")})
        try:
            number = Decimal(str(value) if isinstance(value, float) else text)
        except InvalidOperation:
            raise ValidationError({field: _("Not a valid amount.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Not a valid amount.")})
    exponent = number.as_tuple().exponent
    if number < 0 or number > max_value or (isinstance(exponent, int) and exponent < -places):
        raise ValidationError(
            {field: _("Amount must be between 0 and 9,999,999,999.99 with at most 2 decimals.")}
        )
    return number
