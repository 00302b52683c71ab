"""Fixtures for the PDF rendering/sealing tests: company PKIs, a test TSA, a drawn signature PNG."""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Iterator

import pytest

from hrguard.platform.pdf.keys import CompanyPKI, generate_company_pki, generate_tsa_pki
from tests.tsa_server import serve_tsa


@pytest.fixture(scope="session")
def company_pki() -> CompanyPKI:
    return generate_company_pki("上海甲乙丙科技有限公司", org_identifier="91310000MA1FL8XQ3K")


@pytest.fixture(scope="session")
def other_pki() -> CompanyPKI:
    return generate_company_pki("乙公司")


@pytest.fixture(scope="session")
def tsa_pki() -> CompanyPKI:
    return generate_tsa_pki("HRGuard 测试时间戳服务")


def make_png(width: int = 240, height: int = 80) -> bytes:
    """An RGBA PNG with a wavy stroke, standing in for a handwritten signature."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            on = abs(y - (height / 2 + height / 3 * math.sin(x / 9))) < 2.5
            row += b"\x10\x20\x80\xff" if on else b"\x00\x00\x00\x00"
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
            + chunk(b"IEND", b""))


@pytest.fixture(scope="session")
def signature_png() -> bytes:
    return make_png()


@pytest.fixture
def tsa_url(tsa_pki: CompanyPKI) -> Iterator[str]:
    """A real RFC 3161 endpoint on 127.0.0.1 answering with tokens signed by the test TSA."""
    with serve_tsa(tsa_pki.signer) as url:
        yield url


# --- Signing service fixtures -------------------------------------------------------------------


@pytest.fixture
def docs(world):  # type: ignore[no-untyped-def]
    """The world with default templates, a contract and a termination date for 张测试 (east_rep) and 欧阳娜娜
    (sales_rep): everything a separation certificate states."""
    import datetime as dt
    from decimal import Decimal

    from hrguard.documents.library import ensure_default_templates
    from hrguard.people.models import Contract

    ensure_default_templates(world.company)
    for n, key in enumerate(("east_rep", "sales_rep"), start=1):
        rep = world.employees[key]
        rep.termination_date = dt.date(2026, 11, 30)
        rep.save(update_fields=["termination_date"])
        Contract.objects.create(
            company=world.company, employee=rep, contract_no=f"HT-2020-00{n}", contract_type="fixed_term",
            start_date=dt.date(2020, 1, 6), end_date=dt.date(2027, 1, 5), wage=Decimal("12000"),
            work_location="上海",
        )
    return world


def template_version(company, name):  # type: ignore[no-untyped-def]
    from hrguard.documents.models import DocumentTemplate

    return DocumentTemplate.objects.get(company=company, name=name).latest


def last_code(envelope) -> str:  # type: ignore[no-untyped-def]
    """The one-time code from the newest code message in the outbox (what the employee's phone shows)."""
    import re

    from hrguard.notify.models import OutboxMessage

    msg = OutboxMessage.objects.filter(purpose="signing_code", about_id=str(envelope.pk)).order_by("-pk").first()
    assert msg is not None, "no code message queued"
    return re.search(r"(\d{6})", msg.body).group(1)  # type: ignore[union-attr]
