"""Forms for the documents pages. They parse input; services validate and act."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import DocumentKind, DocumentTemplate, FallbackKind
from .variables import REQUEST_VARIABLES

TEXT = {"class": "form-control"}
CHANNEL_CHOICES = [
    ("email", _("Email")),
    ("sms", _("SMS")),
    ("wecom", _("WeChat Work")),
    ("inapp", _("In-app")),
    ("dingtalk", _("DingTalk")),
    ("feishu", _("Feishu")),
]


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=DocumentKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    name = forms.CharField(label=pgettext_lazy("object", "Name"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    title = forms.CharField(label=_("Title"), max_length=100, widget=forms.TextInput(attrs=TEXT))
    addressee = forms.CharField(
        label=_("Addressee"), max_length=200, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={**TEXT, "rows": 14}),
        help_text=_("Use {{ name }} placeholders; one paragraph per line."),
    )
    signer_label = forms.CharField(
        label=_("Signature caption"), max_length=40, initial="员工（签字）", widget=forms.TextInput(attrs=TEXT)
    )
    show_full_id = forms.BooleanField(
        label=_("Show the full ID number"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    seal_text = forms.CharField(
        label=_("Seal caption"), max_length=20, required=False, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
            del self.fields["name"]

    def wording(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("title", "addressee", "body", "signer_label", "show_full_id", "seal_text")}


class RequestForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Template"),
        queryset=DocumentTemplate.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    audience = forms.ChoiceField(
        label=_("Send to"),
        choices=[
            ("people", _("Chosen employees")),
            ("department", _("A department (with sub-departments)")),
            ("company", _("Everyone in the company")),
        ],
        initial="people",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    employee_nos = forms.CharField(
        label=_("Employee numbers"),
        required=False,
        help_text=_("Separate with commas or spaces."),
        widget=forms.TextInput(attrs=TEXT),
    )
    department = forms.ChoiceField(
        label=_("Department"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=CHANNEL_CHOICES,
        initial=["email", "inapp"],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    deadline = forms.DateField(
        label=_("Deadline"), widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d")
    )
    skip_unreachable = forms.BooleanField(
        label=_("Leave out people the channels cannot reach"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, company: Any, departments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = DocumentTemplate.objects.filter(company=company, active=True)
        self.fields["department"].choices = [("", "—")] + [(str(d.pk), d.name) for d in departments]
        for name, label in REQUEST_VARIABLES.items():
            self.fields[f"extra_{name}"] = forms.CharField(
                label=label, required=False, widget=forms.TextInput(attrs=TEXT)
            )
        if not self.is_bound:
            self.initial.setdefault("deadline", timezone.localdate() + dt.timedelta(days=7))

    def extra(self) -> dict[str, str]:
        return {n: self.cleaned_data.get(f"extra_{n}", "") for n in REQUEST_VARIABLES}

    def deadline_at(self) -> dt.datetime:
        day = self.cleaned_data["deadline"]
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))

    def extra_fields(self) -> list[Any]:
        return [self[f"extra_{n}"] for n in REQUEST_VARIABLES]


class FallbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Route"), choices=FallbackKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    tracking_no = forms.CharField(
        label=_("EMS tracking number"), required=False, max_length=30, widget=forms.TextInput(attrs=TEXT)
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500, widget=forms.TextInput(attrs=TEXT))
    scan = forms.FileField(
        label=_("Delivery proof / public notice scan (PDF, PNG, JPEG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class PolicyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Document kind"),
        choices=[("", _("All kinds (company default)")), *DocumentKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    unopened_hours = forms.IntegerField(
        label=_("Second notice if unopened after (hours)"),
        min_value=1,
        max_value=720,
        widget=forms.NumberInput(attrs=TEXT),
    )
    warn_hr_hours = forms.IntegerField(
        label=_("Warn HR if unsigned after (hours)"), min_value=1, max_value=2160, widget=forms.NumberInput(attrs=TEXT)
    )
    fallback_hours = forms.IntegerField(
        label=_("Open the fallback path after (hours)"),
        min_value=1,
        max_value=4320,
        widget=forms.NumberInput(attrs=TEXT),
    )


class IdentityPolicyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Document kind"),
        choices=[("", _("All kinds (company default)")), *DocumentKind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    setting = forms.ChoiceField(
        label=_("Real-name verification (name, ID number, mobile) before signing"),
        choices=[("inherit", _("As the company default")), ("required", _("Required")),
                 ("not_required", _("Not required"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
