"""/clients/ and /api/v1/clients/: scoping, shares over 100% refused with the field named."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from hrguard.clients import services

pytestmark = pytest.mark.django_db


def test_page_and_form(world: Any, client_for: Any) -> None:
    hr = client_for(world.users["hr"])
    resp = hr.post(reverse("clients:list"), {"op": "client", "name": "华东汽车", "revenue_share": "15",
                                             "annual_revenue": "3000000"})
    assert resp.status_code == 302
    page = hr.get(reverse("clients:list")).content.decode()
    assert "华东汽车" in page and "客户" in page
    bad = hr.post(reverse("clients:list"), {"op": "client", "name": "另一个", "revenue_share": "200"})
    assert bad.status_code == 400
    assert client_for(world.users["engineer"]).get(reverse("clients:list")).status_code == 403


def test_list_queries_constant(world: Any, client_for: Any, django_assert_max_num_queries: Any) -> None:
    hr_user = world.users["hr"]
    hr = client_for(hr_user)
    c = services.save_client(actor=hr_user, name="甲")
    services.set_coverage(actor=hr_user, client_id=c.pk, employee=world.employees["sales_rep"])
    hr.get(reverse("clients:list"))
    with django_assert_max_num_queries(30) as ctx:
        hr.get(reverse("clients:list"))
    few = len(ctx.captured_queries)
    for n in range(5):
        c = services.save_client(actor=hr_user, name=f"客户{n}")
        services.set_coverage(actor=hr_user, client_id=c.pk, employee=world.employees["east_rep"])
    with django_assert_max_num_queries(few):
        hr.get(reverse("clients:list"))


def test_api(world: Any, other_world: Any, api: Any) -> None:
    hr = api(world.users["hr"])
    resp = hr.post("/api/v1/clients/", {"name": "华东汽车", "revenue_share": "15"}, format="json")
    assert resp.status_code == 201, resp.content
    pk = resp.json()["id"]
    ok = hr.post(f"/api/v1/clients/{pk}/coverage/", {"employee": world.employees["sales_rep"].pk,
                                                    "revenue_share": "60"}, format="json")
    assert ok.status_code == 200 and ok.json()["coverage"][0]["employee"] == world.employees["sales_rep"].pk
    other = hr.post("/api/v1/clients/", {"name": "星海电子"}, format="json").json()["id"]
    over = hr.post(f"/api/v1/clients/{other}/coverage/", {"employee": world.employees["sales_rep"].pk,
                                                         "revenue_share": "50"}, format="json")
    assert over.status_code == 400 and "revenue_share" in str(over.json())
    assert api(other_world.users["hr"]).get(f"/api/v1/clients/{pk}/").status_code == 404
    assert api(world.users["engineer"]).get(f"/api/v1/clients/{pk}/").status_code == 404
    assert api(world.users["legal"]).post("/api/v1/clients/", {"name": "x"}, format="json").status_code == 403
