"""Labor dispute time bar (Labor Dispute Mediation and Arbitration Law Art. 27) and the date arithmetic of the
Civil Code (Art. 201–203)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .citations import CIVIL_CODE, DISPUTE_LAW, cite
from .contracts import add_months

ART_27 = cite(DISPUTE_LAW, "27", "Arbitration must be applied for within 1 year from the day the party knew or "
              "should have known of the infringement; unpaid wages during employment are not time-barred, but must "
              "be claimed within 1 year after the employment ends.")
CIVIL_CODE_ART_201 = cite(CIVIL_CODE, "201", "A period counted in years, months or days starts the next day.")
CIVIL_CODE_ART_202 = cite(CIVIL_CODE, "202", "A period in years or months ends on the corresponding day of the "
                          "final month, or on its last day if there is no corresponding day.")
CIVIL_CODE_ART_203 = cite(CIVIL_CODE, "203", "A period ending on a statutory holiday ends on the next working "
                          "day.")

LIMITATION_YEARS = 1  # LDMAL Art. 27


def limitation_deadline(
    known_on: dt.date,
    *,
    wage_arrears: bool = False,
    employment_ended_on: dt.date | None = None,
    is_non_working_day: Callable[[dt.date], bool] | None = None,
) -> dt.date | None:
    """Last day to apply for labor arbitration (LDMAL Art. 27).

    ``known_on``: the day the party knew or should have known of the infringement. For ``wage_arrears`` the
    period runs from ``employment_ended_on`` instead, and there is no deadline yet (None) while employment
    continues. ``is_non_working_day``: the holiday calendar, to move a deadline on a holiday to the next
    working day (Civil Code Art. 203); omitted, the deadline is not moved. Interruption and suspension
    (Art. 27 paras. 2–3) restart or pause the period: pass the restart date as ``known_on``."""
    if wage_arrears:
        if employment_ended_on is None:
            return None
        known_on = employment_ended_on
    deadline = add_months(known_on, 12 * LIMITATION_YEARS)  # Civil Code Art. 201/202: the corresponding day
    while is_non_working_day is not None and is_non_working_day(deadline):
        deadline += dt.timedelta(days=1)
    return deadline


ALL_CITATIONS = (ART_27, CIVIL_CODE_ART_201, CIVIL_CODE_ART_202, CIVIL_CODE_ART_203)
