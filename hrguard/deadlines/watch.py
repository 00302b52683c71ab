"""Statutory clocks HR watches on 工作台, contributed by the apps that own them.

An app above (offboarding: the Art. 50 certificate and social-insurance transfer) registers a source with
``register(key, label)(fn)``; ``fn(user, today) -> list[Watch]`` returns what the user may see (one query,
at most ``limit`` rows). The 工作台 (workbench) lists every registered source under its label, so the
arrow of the layers still points down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Watch:
    title: str
    url: str
    due: dt.date
    who: str = ""
    detail: str = ""
    law: tuple[Any, ...] = field(default_factory=tuple)

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days


Source = Callable[[Any, dt.date], list[Watch]]
_SOURCES: dict[str, tuple[Any, Source]] = {}


def register(key: str, label: Any) -> Callable[[Source], Source]:
    def add(fn: Source) -> Source:
        _SOURCES[key] = (label, fn)
        return fn

    return add


def sources() -> dict[str, tuple[Any, Source]]:
    return dict(_SOURCES)
