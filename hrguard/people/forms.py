"""Page forms for people records.

These forms only parse the request (types, choices); the services own every business rule. After a
service refuses the data with ``ValidationError({field: [messages]})``, ``apply_errors`` puts each message
under its field (or at the top of the form for keys the form does not show) so that every bad field is
shown at once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hrguard.core.models import Department, Position
from hrguard.platform import forms as platform_forms
from hrguard.platform.forms import BootstrapForm

from .models import (
    ClauseCategory,
    ClauseTemplate,
    Contract,
    ContractType,
    Employee,
    EmployeeStatus,
    EmploymentForm,
    Gender,
    IdType,
    LifecycleKind,
)
from .widgets import QuickSelect, QuickTextInput

DATE_ATTRS = {"type": "date"}
# <input type="date"> takes only ISO dates: without an explicit format the widget renders the locale's
# "1990/08/08", which the browser drops, so saving an edit form would clear every date on it.
ISO_DATE = "%Y-%m-%d"


def date_input() -> forms.DateInput:
    return forms.DateInput(DATE_ATTRS, format=ISO_DATE)


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def field_label(key: str) -> str:
    """The translated name of a people-record field the form does not show ("" if unknown): errors on
    such fields go on top of the form as "工号：…", never with the raw key ("employee_no: …")."""
    for model in (Employee, Contract):
        try:
            return str(capfirst(model._meta.get_field(key).verbose_name))
        except FieldDoesNotExist:
            continue
    return ""


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """``platform.forms.apply_errors`` naming people-record fields the form does not show."""
    platform_forms.apply_errors(form, exc, label_for=field_label)


def department_choices(departments: Iterable[Department]) -> list[tuple[str, str]]:
    """Indented by depth (materialised path) so the tree reads in a flat select."""
    out = []
    for dept in departments:
        depth = max(dept.path.count("/") - 2, 0)
        out.append((str(dept.pk), "\u3000" * depth + dept.name))
    return out


def position_choices(positions: Iterable[Position]) -> list[tuple[str, str]]:
    return [(str(p.pk), p.name) for p in positions]


class EmployeeForm(BootstrapForm):
    """Create (all fields) or edit (``editing=True``: no status/department/position — those change only
    through lifecycle events; sensitive fields empty = unchanged)."""

    employee_no = forms.CharField(label=_("Employee number"), required=False, max_length=200)
    name = forms.CharField(label=_("Name"), required=False, max_length=400)
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=Gender.choices)
    birth_date = forms.CharField(label=_("Date of birth"), required=False, widget=date_input())
    id_type = forms.ChoiceField(label=_("ID type"), required=False, choices=IdType.choices)
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=100)
    phone = forms.CharField(label=_("Mobile phone"), required=False, max_length=40)
    email = forms.CharField(label=_("Email"), required=False, max_length=254)
    address = forms.CharField(label=_("Address"), required=False, max_length=1000)
    emergency_contact = forms.CharField(label=_("Emergency contact"), required=False, max_length=400)
    bank_account = forms.CharField(label=_("Bank account"), required=False, max_length=100)
    department = forms.ChoiceField(label=_("Department"), required=False)
    position = forms.ChoiceField(label=_("Position"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(s, label) for s, label in EmployeeStatus.choices if s != EmployeeStatus.LEFT],
    )
    employment_form = forms.ChoiceField(
        label=_("Employment form"), required=False, choices=EmploymentForm.choices
    )
    hire_date = forms.CharField(label=_("Hire date"), required=False, widget=date_input())
    work_start_date = forms.CharField(
        label=_("First employment date"), required=False, widget=date_input()
    )
    work_location = forms.CharField(label=_("Work location"), required=False, max_length=400)

    SENSITIVE = ("id_number", "phone", "bank_account")
    CREATE_ONLY = ("department", "position", "status")

    def __init__(
        self,
        *args: Any,
        departments: Iterable[Department] = (),
        positions: Iterable[Position] = (),
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            for name in self.CREATE_ONLY:
                del self.fields[name]
            for name in self.SENSITIVE:
                self.fields[name].help_text = _("Leave empty to keep the current value.")
        else:
            self.fields["department"].choices = _blank("—") + department_choices(departments)
            self.fields["position"].choices = _blank("—") + position_choices(positions)
        for name in ("employee_no", "name", "hire_date") + (() if editing else ("department",)):
            self.fields[name].widget.attrs["required"] = "required"
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["id_number"].widget.attrs["autocomplete"] = "off"
        self.fields["bank_account"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["email"].widget.input_type = "email"

    def service_data(self, current: Any = None) -> dict[str, Any]:
        """What to hand to the service. When editing, empty sensitive fields are left out (unchanged);
        a changed ID type without a new number re-validates the stored number under the new type."""
        data = dict(self.cleaned_data)
        if not self.editing or current is None:
            return data
        for name in ("phone", "bank_account"):
            if not data.get(name):
                data.pop(name, None)
        if not data.get("id_number"):
            if data.get("id_type") and data["id_type"] != current.id_type:
                data["id_number"] = current.id_number
            else:
                data.pop("id_number", None)
                data.pop("id_type", None)
        return data


class ContactForm(BootstrapForm):
    """Self-service contact details (员工自助)."""

    phone = forms.CharField(label=_("Mobile phone"), required=False, max_length=40)
    email = forms.CharField(label=_("Email"), required=False, max_length=254)
    address = forms.CharField(label=_("Address"), required=False, max_length=1000)
    emergency_contact = forms.CharField(label=_("Emergency contact"), required=False, max_length=400)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.input_type = "email"


LIFECYCLE_KINDS = [(k, label) for k, label in LifecycleKind.choices if k != LifecycleKind.HIRE]


class LifecycleForm(BootstrapForm):
    """入转调离: transfer, promotion, probation passed, status change, termination."""

    kind = forms.ChoiceField(label=_("Change"), choices=LIFECYCLE_KINDS)
    effective_date = forms.DateField(
        label=_("Effective date"), required=False, widget=date_input()
    )
    department = forms.ChoiceField(label=_("New department"), required=False)
    position = forms.ChoiceField(label=_("New position"), required=False)
    status = forms.ChoiceField(
        label=_("New status"), required=False, choices=_blank("—") + list(EmployeeStatus.choices)
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        departments: Iterable[Department] = (),
        positions: Iterable[Position] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _blank("—") + department_choices(departments)
        self.fields["position"].choices = _blank("—") + position_choices(positions)
        self.fields["department"].help_text = _("For a transfer or promotion.")
        self.fields["status"].help_text = _("For a status change.")


class ContractForm(BootstrapForm):
    """A labor contract built from the clause library: tick the clauses to include and the key ones."""

    contract_no = forms.CharField(label=_("Contract number"), required=False, max_length=200)
    contract_type = forms.ChoiceField(
        label=_("Contract type"), required=False, choices=_blank("—") + list(ContractType.choices)
    )
    start_date = forms.CharField(label=_("Start date"), required=False, widget=date_input())
    end_date = forms.CharField(label=_("End date"), required=False, widget=date_input())
    probation_months = forms.CharField(
        label=_("Probation (months)"),
        required=False,
        max_length=10,
        widget=forms.NumberInput({"min": "0", "max": "6", "step": "1"}),
    )
    wage = forms.CharField(
        label=_("Monthly wage (CNY)"),
        required=False,
        max_length=30,
        widget=forms.TextInput({"inputmode": "decimal"}),
    )
    probation_wage = forms.CharField(
        label=_("Probation wage (CNY)"),
        required=False,
        max_length=30,
        widget=forms.TextInput({"inputmode": "decimal"}),
    )
    work_location = forms.CharField(label=_("Work location"), required=False, max_length=400)
    task_description = forms.CharField(
        label=_("Task (task-based contracts)"), required=False, max_length=1200
    )
    signed_date = forms.CharField(label=_("Signed on"), required=False, widget=date_input())
    clauses = forms.MultipleChoiceField(
        label=_("Clauses"), required=False, widget=forms.CheckboxSelectMultiple
    )
    key_clauses = forms.MultipleChoiceField(
        label=_("Key clauses"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, library: Iterable[ClauseTemplate] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.library = list(library)
        choices = [(str(c.pk), c.title) for c in self.library]
        self.fields["clauses"].choices = choices
        self.fields["key_clauses"].choices = choices
        for name in ("contract_no", "contract_type", "start_date", "wage", "work_location"):
            self.fields[name].widget.attrs["required"] = "required"

    def clause_rows(self) -> list[dict[str, Any]]:
        """One row per library clause with its two checkbox states, for the template."""
        chosen = set(self._selected("clauses"))
        key = set(self._selected("key_clauses"))
        return [
            {"clause": c, "id": str(c.pk), "chosen": str(c.pk) in chosen, "key": str(c.pk) in key}
            for c in self.library
        ]

    def _selected(self, name: str) -> list[str]:
        if self.is_bound:
            return [str(v) for v in self.data.getlist(name)] if hasattr(self.data, "getlist") else []
        return [str(v) for v in self.initial.get(name, [])]

    def service_args(self) -> tuple[dict[str, Any], list[tuple[int, bool]]]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("clauses", "key_clauses")}
        key = set(self.cleaned_data.get("key_clauses") or [])
        clauses = [(int(cid), cid in key) for cid in self.cleaned_data.get("clauses") or []]
        return data, clauses


class SupplementaryForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), required=False, max_length=800)
    body = forms.CharField(
        label=_("Text"), required=False, max_length=80000, widget=forms.Textarea({"rows": 6})
    )
    effective_date = forms.CharField(
        label=_("Effective date"), required=False, widget=date_input()
    )


class ClauseTemplateForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), required=False, max_length=160)
    title = forms.CharField(label=_("Title"), required=False, max_length=800)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=ClauseCategory.choices)
    body = forms.CharField(
        label=_("Text"), required=False, max_length=80000, widget=forms.Textarea({"rows": 8})
    )
    key_by_default = forms.BooleanField(label=_("Key clause by default"), required=False)

    @classmethod
    def initial_from(cls, tpl: ClauseTemplate) -> dict[str, Any]:
        return {
            "code": tpl.code,
            "title": tpl.title,
            "category": tpl.category,
            "body": tpl.body,
            "key_by_default": tpl.key_by_default,
        }


class EmployeeSearchForm(forms.Form):
    """The roster filter bar (GET). Parsing is done by selectors.EmployeeFilter; this only renders."""

    q = forms.CharField(label=_("Search"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *EmployeeStatus.choices],
        widget=QuickSelect,
    )

    def __init__(
        self, *args: Any, departments: Iterable[Department] = (), url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments")), *department_choices(departments)]
        # htmx: typing or changing a filter swaps only the table and keeps the URL shareable.
        swap = {"hx-get": url, "hx-target": "#roster", "hx-push-url": "true", "hx-include": "closest form"}
        self.fields["q"].widget = QuickTextInput(
            {
                **swap,
                "type": "search",
                "class": "form-control",
                "autocomplete": "off",
                "hx-trigger": "input changed delay:300ms, search",
                "placeholder": _("Name, employee number, ID number or mobile"),
                "aria-label": _("Search"),
            }
        )
        for name in ("department", "status"):
            self.fields[name].widget.attrs.update(
                {
                    **swap,
                    "hx-trigger": "change",
                    "class": "form-select",
                    "aria-label": self.fields[name].label,
                }
            )
