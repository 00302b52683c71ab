"""ADAPTER to ``hrguard.law`` — the one place where the attendance app reads statutory numbers.

Nothing statutory is defined here: the overtime limits come from ``hrguard/law/hours.py`` with their
article cited there (Labor Law Art. 41). This module only adapts them to minutes and a citation text."""

from __future__ import annotations

from hrguard.law import hours


def monthly_overtime_limit_minutes() -> int:
    """Labor Law Art. 41: overtime ≤ 36 hours a month."""
    return int(hours.MONTHLY_OVERTIME_LIMIT_HOURS * 60)


def daily_overtime_limit_minutes() -> int:
    """Labor Law Art. 41: ≤ 3 hours a day under special circumstances."""
    return int(hours.DAILY_OVERTIME_LIMIT_SPECIAL_HOURS * 60)


def overtime_citation() -> str:
    return str(hours.ART_41.zh)
