"""Every citation the rules modules apply, in one list ("the law we apply" page)."""

from __future__ import annotations

import re
from types import ModuleType

from . import (
    compensation,
    contracts,
    disputes,
    employment,
    hours,
    leave,
    noncompete,
    privacy,
    renewal,
    retention,
    social_insurance,
    termination,
)
from .citations import Citation

MODULES: tuple[ModuleType, ...] = (contracts, employment, termination, compensation, leave, hours, disputes, noncompete,
                                   retention, privacy, social_insurance, renewal)


def _module_citations(module: ModuleType) -> list[Citation]:
    found = [value for value in vars(module).values() if isinstance(value, Citation)]
    found += [info.citation for info in getattr(module, "GROUNDS", {}).values()]
    return found


def all_citations() -> list[Citation]:
    """Every distinct Citation (one per law, article and confirmed/unconfirmed reading; the first module's
    summary wins), ordered by law then article number."""
    seen: dict[tuple[str, str, bool], Citation] = {}
    for module in MODULES:
        for citation in _module_citations(module):
            seen.setdefault((citation.law_zh, citation.article, citation.unconfirmed), citation)
    return sorted(seen.values(), key=lambda c: (c.law_zh, _article_key(c.article), c.summary))


def _article_key(article: str) -> tuple[int, str]:
    match = re.match(r"\d+", article)
    return (int(match.group()) if match else 0, article)
