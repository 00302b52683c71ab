"""Hostile values posted to the newer apps' web forms get a clear error, never a 500 (found by posting every
field of those forms with known-hostile values as demo-hr, QA 2026-12-01)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["notice_date", "last_day"])
def test_exit_dates_at_the_calendars_end_are_refused(world: Any, client_for: Any, field: str) -> None:
    employee = world.employees["sales_rep"]
    data = {"kind": "resignation", "notice_date": "2026-12-01", "last_day": "2027-01-05", field: "9999-12-31"}
    resp = client_for(world.users["hr"]).post(f"/exits/start/{employee.pk}/", data)
    assert resp.status_code == 400
    assert "日期超出合理范围" in resp.content.decode()
    from hrguard.offboarding.models import Exit

    assert not Exit.objects.filter(employee=employee).exists()


def test_collection_contact_naming_an_id_beyond_64_bits_is_refused(world: Any, client_for: Any) -> None:
    data = {"employee": "9" * 30, "occurred_at": "2026-11-30T10:30", "channel": "call", "agency": "某资产管理公司",
            "caller_number": "02112345678", "said": "催收", "received_by": "前台"}
    resp = client_for(world.users["hr"]).post("/collection/new/", data)
    assert resp.status_code == 400
