"""Contract pages: a labor contract from the clause library, supplementary agreements, the clause library."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import contracts, queries_ui
from .forms import ClauseTemplateForm, ContractForm, SupplementaryForm, apply_errors
from .views import visible_employee_or_404


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    employee = visible_employee_or_404(request, pk)
    user = request.user
    if not user.has_perm("people.change_contracts", employee):
        raise PermissionDenied
    contracts.ensure_default_clauses(user.company)
    library = list(queries_ui.clause_library(user, active_only=True))
    if request.method == "POST":
        form = ContractForm(request.POST, library=library)
        if form.is_valid():
            data, clauses = form.service_args()
            try:
                contract = contracts.create_contract(user, employee, data, clauses)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Contract %(no)s created.") % {"no": contract.contract_no})
                return redirect("people:employee_detail", pk=employee.pk)
    else:
        form = ContractForm(
            library=library,
            initial={
                "work_location": employee.work_location,
                "key_clauses": [c.pk for c in library if c.key_by_default],
            },
        )
    return render(request, "people/contract_form.html", {"form": form, "employee": employee})


@login_required
@require_http_methods(["GET", "POST"])
def supplementary_create(request: HttpRequest, pk: int) -> HttpResponse:
    contract = queries_ui.contract_for(request.user, pk)
    if contract is None:
        raise Http404
    if not request.user.has_perm("people.change_contracts", contract.employee):
        raise PermissionDenied
    if request.method == "POST":
        form = SupplementaryForm(request.POST)
        if form.is_valid():
            try:
                contracts.add_supplementary(request.user, contract, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Supplementary agreement added."))
                return redirect("people:employee_detail", pk=contract.employee_id)
    else:
        form = SupplementaryForm()
    return render(
        request,
        "people/supplementary_form.html",
        {"form": form, "contract": contract, "employee": contract.employee},
    )


def _require_clause_manager(request: HttpRequest) -> None:
    if not request.user.has_perm("people.manage_clauses") or request.user.company_id is None:
        raise PermissionDenied


@login_required
@require_GET
def clause_list(request: HttpRequest) -> HttpResponse:
    _require_clause_manager(request)
    contracts.ensure_default_clauses(request.user.company)
    return render(request, "people/clause_list.html", {"clauses": queries_ui.clause_library(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def clause_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require_clause_manager(request)
    instance = None
    if pk is not None:
        instance = queries_ui.clause_for(request.user, pk)
        if instance is None:
            raise Http404
    if request.method == "POST":
        form = ClauseTemplateForm(request.POST)
        if form.is_valid():
            try:
                contracts.save_clause_template(
                    request.user, request.user.company, form.cleaned_data, instance
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Clause saved."))
                return redirect("people:clause_list")
    else:
        form = ClauseTemplateForm(initial=ClauseTemplateForm.initial_from(instance) if instance else None)
    return render(request, "people/clause_form.html", {"form": form, "clause": instance})
