"""Client records: shares of one employee's clients over 100% refused, bad input by field, permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hrguard.clients import selectors, services

pytestmark = pytest.mark.django_db


def test_shares_over_hundred_refused(world: Any) -> None:
    hr, rep = world.users["hr"], world.employees["sales_rep"]
    a = services.save_client(actor=hr, name="甲客户", revenue_share="20")
    b = services.save_client(actor=hr, name="乙客户", revenue_share="10")
    services.set_coverage(actor=hr, client_id=a.pk, employee=rep, revenue_share="70")
    with pytest.raises(ValidationError) as err:
        services.set_coverage(actor=hr, client_id=b.pk, employee=rep, revenue_share="40")
    assert "revenue_share" in err.value.message_dict and "110" in err.value.message_dict["revenue_share"][0]
    services.set_coverage(actor=hr, client_id=b.pk, employee=rep, revenue_share="30")
    services.set_coverage(actor=hr, client_id=a.pk, employee=rep, revenue_share="60")  # editing own row
    assert services.book_share(rep) == 90


def test_company_shares_over_hundred_refused(world: Any) -> None:
    hr = world.users["hr"]
    services.save_client(actor=hr, name="大客户", revenue_share="80")
    with pytest.raises(ValidationError) as err:
        services.save_client(actor=hr, name="另一个", revenue_share="30")
    assert "revenue_share" in err.value.message_dict


@pytest.mark.parametrize(("field", "kwargs"), [
    ("name", {"name": ""}),
    ("revenue_share", {"name": "x", "revenue_share": "101"}),
    ("revenue_share", {"name": "x", "revenue_share": "abc"}),
    ("annual_revenue", {"name": "x", "annual_revenue": "-5"}),
    ("since", {"name": "x", "since": "2999-01-01"}),
    ("since", {"name": "x", "since": "yesterday"}),
])
def test_bad_input(world: Any, field: str, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as err:
        services.save_client(actor=world.users["hr"], **kwargs)
    assert field in err.value.message_dict


def test_permissions_and_scoping(world: Any, other_world: Any) -> None:
    services.save_client(actor=world.users["hr"], name="甲客户")
    assert selectors.client_list(other_world.users["hr"]) == []
    assert selectors.client_list(world.users["engineer"]) == []
    assert selectors.client_list(world.users["manager"]) == []
    assert [c.name for c in selectors.client_list(world.users["legal"])] == ["甲客户"]
    with pytest.raises(PermissionDenied):
        services.save_client(actor=world.users["legal"], name="乙")
    with pytest.raises(ValidationError):
        services.set_coverage(actor=world.users["hr"], client_id=selectors.client_list(world.users["hr"])[0].pk,
                              employee=other_world.employees["sales_rep"])
