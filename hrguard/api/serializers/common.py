"""Small serializers and fields shared by the API's serializers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hrguard.core.validation import parse_amount

from ..schema import MAX_ID


class Ref(serializers.Serializer):
    """A related object as {id, name}."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


def id_field(**kwargs: object) -> serializers.IntegerField:
    """An object id given in a body or query string (bounded so it fits every database)."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)  # type: ignore[arg-type]


def text(help_text: str = "", **kwargs: object) -> serializers.CharField:
    """A text input: parsed as a string only; the service checks content and length."""
    return serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False, max_length=20000,
        help_text=help_text, **kwargs,  # type: ignore[arg-type]
    )


@extend_schema_field({
    "type": "string", "nullable": True, "pattern": r"^[0-9]{1,10}(\.[0-9]{1,2})?$", "example": "12000.00",
    "description": "Amount in yuan: 0 to 9999999999.99, at most 2 decimals",
})
class Amount(serializers.Field):
    """A money amount (text or number): finite, 0 to 9,999,999,999.99, at most 2 decimals; empty is None
    (the service says whether it is required)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, allow_null=True, **kwargs)

    def to_internal_value(self, data: Any) -> Decimal | None:
        if data == "":
            return None
        if not isinstance(data, str | int | float) or isinstance(data, bool):
            raise serializers.ValidationError(serializers.DecimalField.default_error_messages["invalid"])
        try:
            return parse_amount(data, self.field_name)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict[self.field_name]) from None

    def to_representation(self, value: Any) -> str:
        return str(value)
