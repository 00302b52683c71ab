"""Model field that stores text encrypted at rest (see crypto.py)."""

from __future__ import annotations

from typing import Any

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Transparent AES-GCM encryption. ``context`` binds ciphertexts to this column.

    The plaintext never reaches the database; filters on this column are meaningless — search through
    the companion blind-index column instead. ``index_field`` names that column (its HMAC uses
    ``context``), so the start-up key check can prove the index key still matches the stored indexes; it
    is not part of the migration state (nothing in the database changes with it)."""

    def __init__(self, *args: Any, context: str = "", index_field: str = "", **kwargs: Any) -> None:
        self.context = context
        self.index_field = index_field
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[Any, ...]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["context"] = self.context
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        return crypto.decrypt(value, self.context)

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        if not value:
            return ""
        return crypto.encrypt(str(value), self.context)
