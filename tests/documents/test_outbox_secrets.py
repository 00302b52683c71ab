"""Secrets in the outbox: signing-link tokens and one-time codes are unreadable from the database alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from hrguard.documents import services as documents
from hrguard.documents import signer
from hrguard.documents.models import Envelope
from hrguard.notify.models import OutboxMessage

from .conftest import template_version

pytestmark = pytest.mark.django_db


def _rows_containing(needle: str) -> list[str]:
    """Every table and column whose stored value contains ``needle``: what a copy of the database shows."""
    from django.db import connection

    hits: list[str] = []
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cur.description]
            for row in cur.fetchall():
                for name, value in zip(columns, row, strict=True):
                    raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
                    if needle.encode() in raw:
                        hits.append(f"{table}.{name}")
    return hits


def test_signing_tokens_and_codes_are_not_in_the_database_in_clear(docs: Any) -> None:
    """The envelope stores only the token's hash; the outbox must not undo that (nor show the code)."""
    version = template_version(docs.company, "离职证明")
    res = documents.send_request(
        docs.company, actor=docs.users["hr"], version=version, employees=[docs.employees["east_rep"]],
        channels=["inapp", "email"], deadline_at=timezone.now() + dt.timedelta(days=3),
    )
    env = Envelope.objects.get(request=res.request)
    token = res.tokens[env.employee_id]
    signer.send_code(signer.find(token), "email")
    invite = OutboxMessage.objects.get(purpose="signing_invite", channel="inapp", about_id=str(env.pk))
    code_msg = OutboxMessage.objects.get(purpose="signing_code", about_id=str(env.pk))
    code = code_msg.body.split("验证码为 ")[1][:6]
    assert token in invite.link and token in invite.body and code.isdigit()  # the application still reads them
    assert _rows_containing(token) == []
    assert _rows_containing(f"{code}，10分钟") == []  # digits alone also occur in timestamps and hashes
    assert _rows_containing("请勿告诉他人") == []  # the code message's wording, not only the digits
