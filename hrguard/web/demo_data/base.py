"""What every demo section shares: the company, today, a seeded RNG, the demo logins, the roster."""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from hrguard.core.models import Company, Department, User
from hrguard.people.models import Employee, EmployeeStatus
from hrguard.workflows import selectors as wf_selectors
from hrguard.workflows.types import OPEN_STATES

ROLE_KEYS = ("admin", "hr", "legal", "compliance", "finance", "manager", "employee")


@dataclass
class Demo:
    company: Company
    today: dt.date
    seed: int
    users: dict[str, User] = field(default_factory=dict)

    @classmethod
    def load(cls, company: Company, today: dt.date, seed: int) -> Demo:
        users = {
            u.username.removeprefix(f"{company.code}-"): u
            for u in User.objects.filter(company=company, username__startswith=f"{company.code}-")
        }
        return cls(company=company, today=today, seed=seed, users=users)

    def rng(self, section: str) -> random.Random:
        """One RNG per section, so a section run alone (the others already seeded) draws the same."""
        return random.Random(f"{self.company.code}:{self.seed}:{section}")

    @cached_property
    def roster(self) -> list[Employee]:
        return list(
            Employee.objects.filter(company=self.company).select_related("department", "position", "user")
            .order_by("pk")
        )

    def current(self) -> list[Employee]:
        """Employees still employed (re-read: movements change departments and statuses)."""
        return list(
            Employee.objects.filter(company=self.company).exclude(status=EmployeeStatus.LEFT)
            .select_related("department__manager", "position", "user").order_by("pk")
        )

    @cached_property
    def managers(self) -> set[int]:
        return set(
            Department.objects.filter(company=self.company, manager__isnull=False).values_list("manager_id", flat=True)
        )

    def user(self, key: str) -> User:
        return self.users[key]

    def sales_path(self) -> str:
        return Department.objects.get(company=self.company, name="销售部", parent__isnull=True).path

    def with_login(self) -> list[Employee]:
        """Employees who have an account (the demo manager, the demo employee, the sales logins)."""
        return [e for e in self.current() if e.user_id]

    def approver(self, record: Any) -> User:
        """Whoever the open step of the record's approval process waits for: its assignee, else the
        first demo account of its role (HR when the step went to a role nobody here holds)."""
        instance = wf_selectors.instance_for(subject=record)
        if instance is None:
            raise LookupError(f"no approval process for {record!r}")
        detail = wf_selectors.instance_detail(user=self.user("admin"), instance_id=instance.pk)
        step = next(s for s in detail.steps if s.state in OPEN_STATES)
        if step.assignee_user is not None:
            return step.assignee_user
        found = User.objects.filter(company=self.company, role=step.assignee_role, is_active=True).order_by("pk")
        return found.first() or self.user("hr")

    def days_ago(self, n: int) -> dt.date:
        return self.today - dt.timedelta(days=n)

    def at(self, day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
        from django.utils import timezone

        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def receipt(name: str = "receipt.png", shade: int = 200) -> SimpleUploadedFile:
    """A small valid PNG (a grey square) standing for a photographed receipt."""
    width = height = 8
    raw = b"".join(b"\x00" + bytes([shade, shade, shade]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile(name, png, content_type="image/png")
