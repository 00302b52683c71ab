"""The monthly schedule of an agreement: one row per month of the term and the durable deadlines that follow
it (remind finance/HR before each due date, warn when a month is still unpaid after it, ask the former
employee for proof of employment each month). Keys ``noncompete:<agreement>:m<seq>:<what>`` so a payment
cancels its month's reminders and a release cancels every later month's."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.utils import timezone

from hrguard.deadlines import services as deadlines

from .models import Agreement, Month, MonthState

# Practice of HR teams, not law: remind 3 days before the due date; ask for proof a week before a month ends.
REMIND_DAYS_BEFORE = 3
PROOF_DAYS_BEFORE_END = 7
ACTION_REMIND = "noncompete.remind_payment"
ACTION_OVERDUE = "noncompete.payment_overdue"
ACTION_PROOF = "noncompete.request_proof"
ACTION_END = "noncompete.term_ends"


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(start: dt.date, months: int) -> dt.date:
    return add_months(start, months) - dt.timedelta(days=1)


def at_nine(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def month_key(month: Month) -> str:
    return f"noncompete:{month.agreement_id}:m{month.seq}:"


def build(agreement: Agreement) -> list[Month]:
    """Create the months and schedule their deadlines (inside the caller's transaction)."""
    assert agreement.start_date and agreement.term_months and agreement.monthly_compensation is not None
    rows = []
    for k in range(agreement.term_months):
        start = add_months(agreement.start_date, k)
        end = add_months(agreement.start_date, k + 1) - dt.timedelta(days=1)
        rows.append(Month(company_id=agreement.company_id, agreement=agreement, seq=k + 1, period_start=start,
                          period_end=end, due_date=end, amount=Decimal(agreement.monthly_compensation)))
    Month.objects.bulk_create(rows)
    rows = list(Month.objects.filter(company_id=agreement.company_id, agreement=agreement).order_by("seq"))
    for row in rows:
        key = month_key(row)
        payload = {"agreement": agreement.pk, "month": row.pk}
        deadlines.schedule(agreement.company_id, key + "remind", ACTION_REMIND, row,
                           at_nine(row.due_date - dt.timedelta(days=REMIND_DAYS_BEFORE)), payload)
        deadlines.schedule(agreement.company_id, key + "overdue", ACTION_OVERDUE, row,
                           at_nine(row.due_date + dt.timedelta(days=1)), payload)
        proof_day = max(row.period_start, row.period_end - dt.timedelta(days=PROOF_DAYS_BEFORE_END))
        deadlines.schedule(agreement.company_id, key + "proof", ACTION_PROOF, row, at_nine(proof_day), payload)
    assert agreement.end_date is not None
    deadlines.schedule(agreement.company_id, f"noncompete:{agreement.pk}:end", ACTION_END, agreement,
                       at_nine(agreement.end_date + dt.timedelta(days=1)), {"agreement": agreement.pk})
    return rows


def cancel_payment_reminders(month: Month) -> None:
    deadlines.cancel(month_key(month) + "remind")
    deadlines.cancel(month_key(month) + "overdue")


def cancel_after(agreement: Agreement, day: dt.date) -> list[int]:
    """End the schedule after ``day``: months starting later are cancelled with every reminder they had."""
    later = list(Month.objects.filter(company_id=agreement.company_id, agreement=agreement, state=MonthState.DUE,
                                      period_start__gt=day).order_by("seq"))
    for month in later:
        deadlines.cancel(month_key(month))
    Month.objects.filter(pk__in=[m.pk for m in later]).update(state=MonthState.CANCELLED)
    deadlines.cancel(f"noncompete:{agreement.pk}:end")
    return [m.seq for m in later]


def unpaid_months(months: list[Month], today: dt.date) -> list[Month]:
    """Months whose due date has passed without full payment."""
    return [m for m in months if m.state == MonthState.DUE and m.due_date < today]
