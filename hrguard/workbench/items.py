"""What the 工作台 shows: one ``Item`` per thing to do, to watch or to fix, each linking to its record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Item:
    kind: str  # a stable key per source ("leave_approval", "probation", …): data-kind in the page, for tests
    title: str
    url: str
    detail: str = ""
    due: dt.date | None = None
    overdue: bool = False
    who: str = ""  # the employee concerned
    badge: str = ""  # a short state ("已逾期", "待财务审批")
    tone: str = "secondary"  # Bootstrap colour of the badge
    law: tuple[Any, ...] = field(default_factory=tuple)  # law Citations behind a warning


def due_first(items: list[Item]) -> list[Item]:
    """Overdue first, then by due date (undated last), stable otherwise."""
    far = dt.date.max
    return sorted(items, key=lambda i: (not i.overdue, i.due or far))
