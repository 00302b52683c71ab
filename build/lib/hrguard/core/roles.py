"""Roles. A user has one primary role; being a department manager or HR partner is derived from the
department tree (Department.manager / Department.hrbp), so it can never drift from the org chart."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Company administrator")
    HR = "hr", _("HR")
    HRBP = "hrbp", _("HR business partner")
    LEGAL = "legal", _("Legal")
    COMPLIANCE = "compliance", _("Compliance")
    FINANCE = "finance", _("Finance")
    IT = "it", _("IT / OA")
    CLIENT_SERVICE = "client_service", _("Client service")
    EMPLOYEE = "employee", _("Employee")


# Roles that see every employee of their company and may edit people records.
HR_ROLES = frozenset({Role.ADMIN, Role.HR})
# Roles that may see unmasked sensitive fields (ID number, phone, bank account) of others.
SENSITIVE_READERS = frozenset({Role.ADMIN, Role.HR})
# Roles that see the whole roster (read-only) for their duties.
ROSTER_READERS = frozenset({Role.ADMIN, Role.HR, Role.LEGAL, Role.COMPLIANCE})
