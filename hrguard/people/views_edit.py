"""Pages that change people records: create/edit an employee, record a lifecycle event (入转调离), and the
employee's own contact details (员工自助). Forms parse; services validate, save and audit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import queries_ui, selectors, services
from .forms import ContactForm, EmployeeForm, LifecycleForm, apply_errors
from .models import LifecycleKind
from .views import visible_employee_or_404


@login_required
@require_http_methods(["GET", "POST"])
def employee_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("people.add_employee") or user.company_id is None:
        raise PermissionDenied
    choices = {"departments": selectors.departments_for(user), "positions": queries_ui.positions_for(user)}
    if request.method == "POST":
        form = EmployeeForm(request.POST, **choices)
        if form.is_valid():
            try:
                employee = services.create_employee(user, user.company, form.service_data())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Employee %(name)s created.") % {"name": employee.name})
                return redirect("people:employee_detail", pk=employee.pk)
    else:
        form = EmployeeForm(initial={"id_type": "resident", "status": "probation"}, **choices)
    return render(request, "people/employee_form.html", {"form": form, "employee": None})


@login_required
@require_http_methods(["GET", "POST"])
def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employee = visible_employee_or_404(request, pk)
    if not request.user.has_perm("people.change_employee", employee):
        raise PermissionDenied
    if request.method == "POST":
        form = EmployeeForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.update_employee(request.user, employee, form.service_data(employee))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("people:employee_detail", pk=employee.pk)
    else:
        initial = {
            name: getattr(employee, name)
            for name in EmployeeForm.base_fields
            if name not in EmployeeForm.SENSITIVE and name not in EmployeeForm.CREATE_ONLY
        }
        form = EmployeeForm(initial=initial, editing=True)
    return render(request, "people/employee_form.html", {"form": form, "employee": employee})


@login_required
@require_http_methods(["GET", "POST"])
def lifecycle_create(request: HttpRequest, pk: int) -> HttpResponse:
    employee = visible_employee_or_404(request, pk)
    user = request.user
    if not user.has_perm("people.record_lifecycle", employee):
        raise PermissionDenied
    choices = {"departments": selectors.departments_for(user), "positions": queries_ui.positions_for(user)}
    if request.method == "POST":
        form = LifecycleForm(request.POST, **choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_lifecycle(
                    user,
                    employee,
                    data["kind"],
                    data["effective_date"],
                    department=data.get("department") or None,
                    position=data.get("position") or None,
                    status=data.get("status") or None,
                    note=data.get("note") or "",
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Personnel change recorded."))
                return redirect("people:employee_detail", pk=employee.pk)
    else:
        kind = request.GET.get("kind", "")
        form = LifecycleForm(
            initial={"kind": kind if kind in LifecycleKind.values else LifecycleKind.TRANSFER}, **choices
        )
    return render(request, "people/lifecycle_form.html", {"form": form, "employee": employee})


@login_required
@require_http_methods(["GET", "POST"])
def my_contact(request: HttpRequest) -> HttpResponse:
    """员工自助: the employee updates their own phone, email, address and emergency contact."""
    employee = queries_ui.own_employee(request.user)
    if employee is None:
        raise Http404
    if not request.user.has_perm("people.change_own_contact", employee):
        raise PermissionDenied
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                services.update_own_contact(request.user, employee, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Your contact details were updated."))
                return redirect("people:my_profile")
    else:
        # The employee's own data: showing it to them is not a sensitive read of someone else's record.
        form = ContactForm(initial={name: getattr(employee, name) for name in ContactForm.base_fields})
    return render(request, "people/contact_form.html", {"form": form, "employee": employee})
