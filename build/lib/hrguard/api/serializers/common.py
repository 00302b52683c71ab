"""Small serializers and fields shared by the API's serializers."""

from __future__ import annotations

from rest_framework import serializers

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
