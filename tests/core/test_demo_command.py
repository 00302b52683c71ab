"""``hrguard demo`` seeds a usable demo company once and prints a login per role."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from hrguard.core.models import Company, User
from hrguard.documents.models import DocumentTemplate
from hrguard.people.models import Employee

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_keys_dir")]


def test_demo_seeds_once_and_prints_logins():
    out = io.StringIO()
    call_command("demo", "--employees", "30", stdout=out)
    company = Company.objects.get(code="demo")
    assert Employee.objects.filter(company=company).count() == 30
    assert DocumentTemplate.objects.filter(company=company).filter(name__contains="离职证明").exists()
    for role in ("admin", "hr", "legal", "compliance", "finance", "manager", "employee"):
        assert f"demo-{role}" in out.getvalue()
        assert User.objects.filter(username=f"demo-{role}", company=company).exists()
    templates = DocumentTemplate.objects.filter(company=company).count()
    call_command("demo", stdout=io.StringIO())  # second run: nothing duplicated
    assert Employee.objects.filter(company=company).count() == 30
    assert DocumentTemplate.objects.filter(company=company).count() == templates
