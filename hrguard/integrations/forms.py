"""The endpoint form (settings page): the service validates; the form only shapes the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hrguard.platform.forms import BootstrapForm

from .models import EventType


class EndpointForm(BootstrapForm):
    url = forms.CharField(label=_("URL"), max_length=500, required=False,
                          widget=forms.URLInput(attrs={"placeholder": "https://payroll.example.com/hooks/hrguard",
                                                       "inputmode": "url", "autocomplete": "off"}),
                          help_text=_("HTTPS. The events are POSTed here as signed JSON."))
    description = forms.CharField(label=_("Description"), max_length=200, required=False,
                                  help_text=_("E.g. payroll system, social insurance agent, OA."))
    events = forms.MultipleChoiceField(label=_("Events"), choices=EventType.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    active = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    include_id_number = forms.BooleanField(
        label=_("Include ID numbers"), required=False,
        help_text=_("Only if this system needs them (e.g. social insurance filings). Recorded as evidence."))
