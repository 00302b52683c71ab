"""Page forms of the discipline app. They only parse the request; the services validate (every field at
once) and the views put the services' errors back under the fields with ``apply_errors``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrguard.records.forms import BootstrapForm
from hrguard.records.forms import choice_field as _choice
from hrguard.records.forms import date_field as _date
from hrguard.records.forms import text_field as _text

from .models import ViolationDecision


class ViolationForm(BootstrapForm):
    clause = forms.ChoiceField(label=_("Handbook clause breached"), required=False)
    occurred_on = _date(_("Date of the incident"))
    facts = _text(_("Facts"), rows=5)

    def __init__(self, *args: Any, clauses: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clause"].choices = [("", "—")] + [(str(c.pk), f"{c.code} {c.title}") for c in clauses]


class InvestigationForm(BootstrapForm):
    investigation = _text(_("Investigation notes"), rows=4)


class ViolationDecisionForm(BootstrapForm):
    decision = _choice(
        _("Decision"), [*ViolationDecision.choices, ("not_substantiated", _("Not substantiated"))]
    )
    decision_note = _text(_("Reasons for the decision"), rows=3)
    deduction_amount = _text(_("Deduction amount (yuan)"))
    suspension_days = _text(_("Suspension days"))


class AckForm(BootstrapForm):
    ack_note = _text(_("Note"), rows=2)


class ClauseForm(BootstrapForm):
    code = _text(_("Clause number"))
    title = _text(_("Title"))
    body = _text(_("Text"), rows=4)


class RuleForm(BootstrapForm):
    name = _text(pgettext_lazy("object", "Name"))
    threshold = _text(_("Number of violations"))
    window_days = _text(_("Within (days)"))


class ComplaintForm(BootstrapForm):
    client = _text(_("Client"))
    received_on = _date(_("Date received"))
    claimed_loss = _text(_("Claimed loss (yuan)"))
    facts = _text(_("Facts"), rows=4)


class ResolveForm(BootstrapForm):
    status = _choice(_("Outcome"), [("resolved", _("Resolved")), ("settled", _("Settled")),
                                    ("rejected", _("Rejected"))])
    resolution = _text(_("Resolution"), rows=3)
    settled_amount = _text(_("Settlement amount (yuan)"))
