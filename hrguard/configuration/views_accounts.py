"""Settings pages: the settings home, logins and roles, and the public activation page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.core.models import Department, User
from hrguard.core.roles import Role

from . import accounts, selectors
from .web import page, run, sentences


@page("settings:index")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    company_id = request.user.company_id
    counts = User.objects.filter(company_id=company_id).aggregate(
        total=Count("id"), active=Count("id", filter=Q(is_active=True)))
    return render(request, "configuration/index.html", {
        "counts": counts, "departments": Department.objects.filter(company_id=company_id).count(),
        "without_login": selectors.employees_without_login(company_id).count(),
    })


@page("settings:accounts")
@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    state = request.GET.get("state", "")
    qs = selectors.logins(request.user.company_id, q=q, role=role, state=state)
    return render(request, "configuration/accounts.html", {
        "page_obj": selectors.page_of(qs, request.GET.get("page")), "q": q, "role": role, "state": state,
        "roles": Role.choices, "query": _query(q=q, role=role, state=state),
    })


def _query(**params: str) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if v})


def _issued_page(request: HttpRequest, issued: list[accounts.Issued]) -> HttpResponse:
    """The result of a creation: who was sent a link by which channel, and the links to hand over (shown
    once, never stored in clear)."""
    return render(request, "configuration/issued.html", {"issued": issued, "days": accounts.activation_days()})


@page("settings:accounts_new")
@require_http_methods(["GET", "POST"])
def account_new(request: HttpRequest) -> HttpResponse:
    """Employees without a login: create one for one employee (by 工号) or for the ticked ones."""
    company_id = request.user.company_id
    errors: list[str] = []
    if request.method == "POST":
        handover = bool(request.POST.get("handover"))
        role = request.POST.get("role", Role.EMPLOYEE)
        try:
            if request.POST.get("mode") == "one":
                employee_no = request.POST.get("employee_no", "").strip()[:50]
                emp = selectors.employees_without_login(company_id).filter(employee_no=employee_no).first()
                if emp is None:
                    raise ValidationError({"employee": [
                        _("No current employee without a login has the number %(no)s.") % {"no": employee_no}]})
                issued = [accounts.create_login(actor=request.user, employee_id=emp.pk, role=role,
                                                username=request.POST.get("username", "").strip()[:150],
                                                handover=handover)]
            elif request.POST.get("mode") == "filtered":  # everyone the filter shows, e.g. after an import
                ids = list(_filtered(company_id, request.POST).values_list("pk", flat=True)[:accounts.MAX_BULK + 1])
                issued = accounts.create_logins(actor=request.user, employee_ids=ids, role=role, handover=handover)
            else:
                ids = [int(i) for i in request.POST.getlist("employee") if i.isdigit()][:accounts.MAX_BULK + 1]
                issued = accounts.create_logins(actor=request.user, employee_ids=ids, role=role, handover=handover)
        except ValidationError as exc:
            errors = sentences(exc)
        else:
            return _issued_page(request, issued)
    q, dept = _filter_args(request.GET)
    qs = _filtered(company_id, request.GET)
    return render(request, "configuration/account_new.html", {
        "page_obj": selectors.page_of(qs, request.GET.get("page")), "q": q, "department": dept,
        "departments": selectors.department_tree(company_id), "roles": Role.choices, "errors": errors,
        "query": _query(q=q, department=str(dept or "")), "post": request.POST,
        "days": accounts.activation_days(), "max": accounts.MAX_BULK,
    }, status=400 if errors else 200)


def _filter_args(params: Any) -> tuple[str, int | None]:
    q = str(params.get("q", "")).strip()[:50]
    dept = str(params.get("department", ""))
    return q, (int(dept) if dept.isdigit() else None)


def _filtered(company_id: int, params: Any) -> Any:
    q, dept = _filter_args(params)
    return selectors.employees_without_login(company_id, q=q, department=dept)


@page("settings:account_action")
@require_POST
def account_action(request: HttpRequest) -> HttpResponse:
    """Deactivate, reactivate, resend the activation link, or change the role of one login."""
    action = request.POST.get("action", "")
    user_id = request.POST.get("user", "")
    user_id = int(user_id) if user_id.isdigit() else 0
    handover = bool(request.POST.get("handover"))
    actor = request.user
    if action == "deactivate":
        run(request, lambda: accounts.deactivate(actor=actor, user_id=user_id), _("The login is deactivated."))
    elif action == "role":
        role = request.POST.get("role", "")
        run(request, lambda: accounts.change_role(actor=actor, user_id=user_id, role=role), _("Role changed."))
    elif action in ("resend", "reactivate"):
        fn = accounts.resend_activation if action == "resend" else accounts.reactivate
        try:
            issued = fn(actor=actor, user_id=user_id, handover=handover)
        except ValidationError as exc:
            for sentence in sentences(exc):
                messages.error(request, sentence)
        else:
            return _issued_page(request, [issued])
    else:
        messages.error(request, _("Unknown action."))
    return redirect(request.POST.get("back") if _safe(request.POST.get("back", "")) else "settings:accounts")


def _safe(url: str) -> bool:
    return url.startswith("/settings/") and "//" not in url and "\\" not in url


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the employee chooses a password on their one-time link (404 for an unknown, used, revoked or
    expired one, whatever it is)."""
    found = accounts.token_for(token)
    if found is None:
        raise Http404("no such activation link")
    errors: list[str] = []
    if request.method == "POST":
        try:
            accounts.activate(raw_token=token, password=request.POST.get("password", ""),
                              password2=request.POST.get("password2", ""))
        except ValidationError as exc:
            errors = sentences(exc)
        else:
            messages.success(request, _("Your password is set. Sign in with your username and new password."))
            return redirect("login")
    return render(request, "configuration/activate.html", {
        "username": found.user.username, "errors": errors,
        "help": password_validation.password_validators_help_texts(),
    }, status=400 if errors else 200)
