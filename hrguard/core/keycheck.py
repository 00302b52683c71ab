"""Do the configured keys open the encrypted data? Checked at start-up, after a restore, and before
new keys would be generated.

Every ``EncryptedTextField`` of every installed model is found through the app registry (no list to
keep up to date); for each, a few of the newest non-empty stored values are read raw (without the
field's decryption) and decrypted with the current keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connections

SAMPLE = 3


@dataclass(frozen=True)
class Column:
    label: str  # "people.employee.id_number"
    table: str
    column: str
    context: str
    pk: str  # primary-key column: the newest rows are read through its index
    index_column: str = ""  # the blind-index column computed from this one ("" if none)


def encrypted_columns(using: str = "default") -> Iterator[Column]:
    from .fields import EncryptedTextField

    tables = set(connections[using].introspection.table_names())
    for model in apps.get_models():
        table = model._meta.db_table
        if table not in tables:
            continue  # not migrated yet
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                index = model._meta.get_field(field.index_field).column if field.index_field else ""
                yield Column(f"{model._meta.label_lower}.{field.name}", table, field.column, field.context,
                             model._meta.pk.column, index)


def _sample(col: Column, limit: int, using: str) -> list[str]:
    conn = connections[using]
    q = conn.ops.quote_name
    sql = (f"SELECT {q(col.column)} FROM {q(col.table)} WHERE {q(col.column)} <> '' "  # noqa: S608 - names from model meta
           f"ORDER BY {q(col.pk)} DESC LIMIT %s")
    with conn.cursor() as cursor:
        cursor.execute(sql, [limit])
        return [row[0] for row in cursor.fetchall() if row[0]]


def encrypted_columns_with_data(using: str = "default") -> list[str]:
    """Labels of the encrypted columns that hold at least one value."""
    return [col.label for col in encrypted_columns(using) if _sample(col, 1, using)]


def check_keys_open_data(using: str = "default", sample: int = SAMPLE) -> int:
    """Raise ``crypto.KeysUnavailable`` (a clear message naming the column) unless the keys decrypt the
    stored values; returns how many values were checked. With no encrypted data at all there is nothing
    to check and no key is created."""
    from . import crypto

    checked = 0
    for col in encrypted_columns(using):
        values = _sample(col, sample, using)
        if not values:
            continue
        ring = crypto.keyring()  # raises KeysUnavailable when missing (never generated over data)
        for value in values:
            key_id = value.split(":", 2)[1] if value.count(":") >= 2 else "?"
            if key_id not in ring.data_keys:
                raise crypto.KeysUnavailable(
                    f"the encryption keys in use ({_where()}) do not include key {key_id!r} that encrypted "
                    f"{col.label}: these are not this database's keys. Restore the matching keys directory "
                    "(hrguard restore) or point HRGUARD_KEYS_DIR at it; refusing to start."
                )
            try:
                crypto.decrypt(value, col.context)
            except crypto.DecryptionError as exc:
                raise crypto.KeysUnavailable(
                    f"the encryption keys in use ({_where()}) do not open {col.label} ({exc}): these are not "
                    "this database's keys. Restore the matching keys directory (hrguard restore) or point "
                    "HRGUARD_KEYS_DIR at it; refusing to start."
                ) from exc
            checked += 1
        if col.index_column:
            _check_index(col, sample, using)
    return checked


def _check_index(col: Column, limit: int, using: str) -> None:
    """A wrong index key decrypts nothing wrongly but makes every search by ID number or phone silently
    find nobody: recompute the newest stored indexes from their decrypted values."""
    from . import crypto

    conn = connections[using]
    q = conn.ops.quote_name
    sql = (f"SELECT {q(col.column)}, {q(col.index_column)} FROM {q(col.table)} "  # noqa: S608 - model meta
           f"WHERE {q(col.column)} <> '' AND {q(col.index_column)} <> '' ORDER BY {q(col.pk)} DESC LIMIT %s")
    with conn.cursor() as cursor:
        cursor.execute(sql, [limit])
        rows = cursor.fetchall()
    for token, stored in rows:
        if crypto.blind_index(crypto.decrypt(token, col.context), col.context) != stored:
            raise crypto.KeysUnavailable(
                f"the blind-index key in use ({_where()}) does not match the stored search index of "
                f"{col.label}: searches by it would silently find nobody. Restore the matching keys "
                "directory (hrguard restore) or point HRGUARD_KEYS_DIR at it; refusing to start."
            )


def _where() -> str:
    from . import crypto

    if os.environ.get("HRGUARD_FIELD_KEYS"):
        return "HRGUARD_FIELD_KEYS"
    return str(crypto._keys_path())


def startup_check() -> None:
    """Called when a web process or worker starts (``hrguard.wsgi``, ``hrguard run``, ``hrguard
    run_huey``): refuse to serve with keys that do not open the data. ``HRGUARD_STARTUP_KEY_CHECK``
    (off in the test settings, whose databases are made per test) turns it off."""
    from django.conf import settings

    if getattr(settings, "HRGUARD_STARTUP_KEY_CHECK", True):
        check_keys_open_data()
