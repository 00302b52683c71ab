"""Citations: every statutory rule names its source, in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    law_zh: str
    law_en: str
    article: str  # e.g. "19" or "19(1)"
    summary: str = ""
    unconfirmed: bool = False  # secondary sources only: keep configurable

    @property
    def zh(self) -> str:
        return f"《{self.law_zh}》第{self.article}条"

    @property
    def en(self) -> str:
        return f"{self.law_en}, Art. {self.article}"


LABOR_CONTRACT_LAW = ("劳动合同法", "Labor Contract Law")


def lcl(article: str, summary: str = "") -> Citation:
    return Citation(*LABOR_CONTRACT_LAW, article=article, summary=summary)


@dataclass(frozen=True)
class Violation:
    code: str
    message_zh: str
    message_en: str
    citation: Citation

    def __str__(self) -> str:
        return f"{self.message_en} ({self.citation.en})"
