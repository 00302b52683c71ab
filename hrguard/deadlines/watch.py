"""The one registry of HR warning sections on 工作台, contributed by the apps that own them.

An app above (offboarding: the Art. 50 certificate and social-insurance transfer; noncompete: offers to
decide and compensation unpaid) registers a source with ``register(key, label)(fn)`` — ``label`` a lazy
translated string, the section's title; ``fn(user, today) -> list[Watch]`` returns what the user may see
(one query or a fixed few, capped at about 20 rows; an empty list for users who may not see them). The 工作台
(workbench) lists every registered source under its label. This module sits low in the layers (deadlines)
so that apps on either side of the workbench — offboarding is its sibling, noncompete above it — can all
register here and the arrow of the layers still points down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Watch:
    """One row of a section. Without ``badge`` the workbench shows the days left / overdue of ``due`` and
    picks the tone from them; ``overdue`` None means "past ``due``"; ``kind`` (default: the source's key)
    is the row's stable key in the page (``data-kind``)."""

    title: str
    url: str
    due: dt.date | None
    who: str = ""
    detail: str = ""
    law: tuple[Any, ...] = field(default_factory=tuple)
    kind: str = ""
    badge: str = ""
    tone: str = ""
    overdue: bool | None = None

    def days_left(self, today: dt.date) -> int | None:
        return None if self.due is None else (self.due - today).days


Source = Callable[[Any, dt.date], list[Watch]]
_SOURCES: dict[str, tuple[Any, Source]] = {}


def register(key: str, label: Any) -> Callable[[Source], Source]:
    def add(fn: Source) -> Source:
        _SOURCES[key] = (label, fn)
        return fn

    return add


def sources() -> dict[str, tuple[Any, Source]]:
    return dict(_SOURCES)
