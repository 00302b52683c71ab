"""The early-warning signal "collection contacts in the last 30 days" (issue 12): logged contacts feed a
risk rule, counted set-based per employee; contacts about other employees or older than the window do not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_three_contacts_in_thirty_days_fire_a_rule_for_that_employee_only(world: Any, log: Any) -> None:
    from hrguard.risk import scan, services

    now = timezone.now()
    for hours in (2, 30, 200):
        log(at=now - dt.timedelta(hours=hours), caller_number=f"021-5555 01{hours:02d}")
    log(at=now - dt.timedelta(days=40), caller_number="021-5555 0199")  # outside
    log(employee=world.employees["engineer"], at=now - dt.timedelta(hours=5), caller_number="021-6666 0101")
    admin = world.users["admin"]
    version = services.save_rule(actor=admin, key="collection-30d", name="催收来电",
                                 expression='collection_contacts("30d") >= 3', purposes=["conduct"],
                                 severity="medium", explanation="{employee}", accept_share=True)
    services.set_active(actor=admin, rule_id=version.rule_id, active=True)
    result = scan.run(world.company, as_of=timezone.localdate())
    assert result.fired["collection-30d"] == 1
    from hrguard.risk.models import Alert

    assert list(Alert.objects.filter(rule_id=version.rule_id).values_list("employee_id", flat=True)) == [
        world.employees["east_rep"].pk]
