"""Shared fixtures: two companies (A and B) with departments, employees and one user per role."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Tests never assert times: Hypothesis' per-example deadline (200 ms) and its too-slow health check are
# timing assertions that fail on a loaded machine, so the whole suite runs without them.
settings.register_profile("hrguard", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("hrguard")


@dataclass
class World:
    company: Any
    depts: dict[str, Any] = field(default_factory=dict)
    employees: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)


ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def make_id(region: str = "110105", birth: str = "19900307", seq: str = "123") -> str:
    body = region + birth + seq
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def build_world(code: str, name: str, n_seq: int = 0) -> World:
    from hrguard.core.models import Company, Department, Position, User
    from hrguard.people.inputs import apply_indexes
    from hrguard.people.models import Employee

    company = Company.objects.create(code=code, name=name)
    w = World(company=company)
    root = Department.objects.create(company=company, name="总部")
    sales = Department.objects.create(company=company, name="销售部", parent=root)
    east = Department.objects.create(company=company, name="华东组", parent=sales)
    rnd = Department.objects.create(company=company, name="研发部", parent=root)
    w.depts = {"root": root, "sales": sales, "east": east, "rnd": rnd}
    pos = Position.objects.create(company=company, name="客户经理", is_core=True)

    def emp(key: str, no: str, person: str, dept: Any, seq: str) -> Any:
        e = Employee(
            company=company, employee_no=no, name=person, department=dept, position=pos,
            hire_date=dt.date(2020, 1, 6), birth_date=dt.date(1990, 3, 7),
            id_number=make_id(seq=seq), phone=f"1380013{n_seq}{seq}"[:11].ljust(11, "0"), email=f"{key}@{code}.test",
            bank_account="6222020200112233445",
        )
        apply_indexes(e)
        e.save()
        w.employees[key] = e
        return e

    boss = emp("sales_manager", "S001", "王经理", sales, f"{n_seq}01")
    emp("east_rep", "S002", "张测试", east, f"{n_seq}02")
    emp("sales_rep", "S003", "欧阳娜娜", sales, f"{n_seq}03")
    emp("engineer", "R001", "李工程", rnd, f"{n_seq}04")
    sales.manager = boss
    sales.save()

    def user(key: str, role: str, employee: Any = None) -> Any:
        u = User.objects.create_user(username=f"{code}-{key}", password="pw-" + key * 2, company=company, role=role)
        if employee is not None:
            employee.user = u
            employee.save(update_fields=["user"])
        w.users[key] = u
        return u

    user("admin", "admin")
    user("hr", "hr")
    user("legal", "legal")
    user("finance", "finance")
    user("manager", "employee", boss)
    user("employee", "employee", w.employees["east_rep"])
    user("engineer", "employee", w.employees["engineer"])
    hrbp = user("hrbp", "hrbp")
    rnd.hrbp = hrbp
    rnd.save()
    return w


@pytest.fixture
def world(db: Any) -> World:
    return build_world("acme", "甲公司", 1)


@pytest.fixture
def other_world(db: Any) -> World:
    return build_world("globex", "乙公司", 2)


@pytest.fixture
def client_for(request: Any) -> Any:
    """A signed-in web client for a user: ``client_for(user)``. The one helper for every test module.

    The UI is Chinese by default; a module whose tests read the English UI says ``CLIENT_LANGUAGE = "en"``
    (or a call passes ``lang="en"``), which sets the language cookie as the language switch does. Extra
    keyword arguments are request headers of every request (``HTTP_ACCEPT_LANGUAGE=…``). With
    ``password=…`` the client signs in through the real sign-in (checked) instead of ``force_login``."""
    from django.conf import settings
    from django.test import Client

    module_lang = getattr(request.module, "CLIENT_LANGUAGE", None)

    def make(user: Any, *, lang: str | None = module_lang, password: str | None = None, **headers: str) -> Client:
        client = Client(**({"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}), **headers)
        if lang:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang  # only an explicit choice leaves Chinese
        if password is None:
            client.force_login(user)
        else:
            assert client.login(username=user.username, password=password)
        return client

    return make


def api_client_for(user: Any) -> Any:
    """An API client authenticated with the user's token."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api() -> Any:
    """``api(user)``: an API client authenticated with the user's token."""
    return api_client_for


@pytest.fixture
def make_id_number() -> Any:
    return make_id


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the product's language (Chinese): a request made with the English cookie in an
    earlier test of the same worker leaves English active in the thread (the language middleware activates
    per request), which made later tests' texts depend on test order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Each test starts with an empty cache (sign-in failure counters, API throttles, provider tokens)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _own_checkpoint_dir() -> Any:
    """Each test exports checkpoints to its own directory (files outlive a test's rolled-back database)."""
    import uuid
    from pathlib import Path

    from django.conf import settings
    from django.test import override_settings

    with override_settings(HRGUARD_CHECKPOINT_DIR=Path(settings.HRGUARD_CHECKPOINT_DIR) / uuid.uuid4().hex):
        yield


@pytest.fixture
def own_keys_dir(tmp_path: Any) -> Any:
    """A key directory of the test's own. Keys outlive a test's rolled-back database, and SQLite gives the
    next test's company the same id: a demo seeded with backdated history then found the CA an earlier
    test had made for "its" id, valid only from that test's present ("CA is not valid yet")."""
    from django.test import override_settings

    with override_settings(HRGUARD_KEYS_DIR=tmp_path / "keys"):
        yield tmp_path / "keys"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """After migrating the test database, install the test-only reset path for the evidence tables."""
    from tests.evidence import bypass

    with django_db_blocker.unblock():
        bypass.install()
    yield
