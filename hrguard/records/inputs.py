"""Boundary parsing shared by activity services (forms, API and imports all end up here).

``Errors`` collects every problem by field so a caller sees all of them at once; services call
``errors.raise_if_any()`` before touching the database, so nothing is ever half-saved."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hrguard.core.validation import clean_plain_text

_AMOUNT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
MAX_AMOUNT = Decimal("9999999999.99")


class Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def merge(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                self.by_field.setdefault(key, []).extend(messages)
        else:
            self.by_field.setdefault("__all__", []).extend(exc.messages)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)

    def text(self, value: Any, field: str, *, max_length: int, required: bool = False) -> str:
        try:
            return clean_plain_text(value, field, max_length=max_length, required=required)
        except ValidationError as exc:
            self.merge(exc)
            return ""

    def date(self, value: Any, field: str, *, required: bool = True) -> dt.date | None:
        if value in (None, ""):
            if required:
                self.add(field, _("This field is required."))
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip().replace("/", "-").replace(".", "-")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.add(field, _("Not a valid date (expected YYYY-MM-DD): %(v)s") % {"v": str(value)[:40]})
            return None

    def amount(self, value: Any, field: str, *, required: bool = True, allow_zero: bool = False) -> Decimal | None:
        """A money amount in yuan: digits, optional thousands commas, at most 2 decimals, positive."""
        if value in (None, ""):
            if required:
                self.add(field, _("This field is required."))
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(str(value))
        else:
            text = str(value).strip().lstrip("¥￥").strip()
            if not _AMOUNT.match(text):
                self.add(field, _("Not a valid amount: %(v)s. Write it like 1234.50 (yuan, at most two decimals).")
                         % {"v": str(value)[:40]})
                return None
            try:
                number = Decimal(text.replace(",", ""))
            except InvalidOperation:  # pragma: no cover - guarded by the pattern
                self.add(field, _("Not a valid amount."))
                return None
        if not number.is_finite():
            self.add(field, _("Not a valid amount."))
            return None
        if number < 0:
            self.add(field, _("The amount cannot be negative."))
            return None
        if number == 0 and not allow_zero:
            self.add(field, _("The amount must be greater than zero."))
            return None
        if number.as_tuple().exponent < -2:  # type: ignore[operator]
            self.add(field, _("At most two decimals (fen)."))
            return None
        if number > MAX_AMOUNT:
            self.add(field, _("The amount is too large."))
            return None
        return number.quantize(Decimal("0.01"))

    def decimal(
        self, value: Any, field: str, *, low: Decimal, high: Decimal, places: int = 2, required: bool = True
    ) -> Decimal | None:
        if value in (None, ""):
            if required:
                self.add(field, _("This field is required."))
            return None
        try:
            number = Decimal(str(value).strip().rstrip("%"))
        except InvalidOperation:
            self.add(field, _("Not a number: %(v)s") % {"v": str(value)[:40]})
            return None
        if not number.is_finite() or number < low or number > high:
            self.add(field, _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high})
            return None
        if number.as_tuple().exponent < -places:  # type: ignore[operator]
            self.add(field, _("At most %(n)d decimals.") % {"n": places})
            return None
        return number

    def choice(self, value: Any, field: str, choices: Any, *, required: bool = True) -> str:
        text = "" if value is None else str(value).strip()
        if not text:
            if required:
                self.add(field, _("This field is required."))
            return ""
        if text not in choices.values:
            self.add(field, _("Not a valid choice: %(v)s") % {"v": text[:40]})
            return ""
        return text


def as_int(value: Any) -> int | None:
    """An integer within the database's bigint range, or None."""
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or -(2**63) < number < 2**63 else None
