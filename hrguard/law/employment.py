"""Who may be employed: the minimum working age (Labor Law Art. 15)."""

from __future__ import annotations

import datetime as dt

from .citations import LABOR_LAW, Violation, cite, violation

ART_15 = cite(
    LABOR_LAW,
    "15",
    "Employers may not recruit minors under the age of 16; literary, artistic and sports units, and special "
    "crafts, may do so only with approval and must safeguard the minor's right to compulsory education.",
)
MINIMUM_WORKING_AGE = 16  # full years of age on the first day of work (Art. 15)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years of age on ``day`` (someone born on 29 February turns a year older on 1 March)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def minimum_age_violation(birth: dt.date, hire: dt.date) -> Violation | None:
    """Art. 15: the employee must be at least 16 on the hire date."""
    if age_on(birth, hire) >= MINIMUM_WORKING_AGE:
        return None
    return violation(
        "under_minimum_age",
        f"入职时未满{MINIMUM_WORKING_AGE}周岁，不得招用",
        f"Under {MINIMUM_WORKING_AGE} on the hire date: may not be employed",
        ART_15,
    )
