"""What every settings view shares: the guard, turning a service's errors into Chinese sentences that
name the field, and the request's company."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrguard.people.pages import guard

LABELS: dict[str, Any] = {
    "name": pgettext_lazy("thing", "Name"), "code": _("Code"), "parent": _("Parent department"),
    "department": _("Department"), "manager": _("Manager"), "hrbp": _("HR business partner"),
    "position": _("Position"), "level": _("Grade"),
    "headcount": _("Planned headcount"), "employee": _("Employee"), "employees": _("Employees"),
    "username": _("Username"),
    "role": _("Role"), "user": _("Login"), "password": _("Password"), "password2": _("Password (again)"),
    "token": _("Activation link"), "city": _("City"), "kind": _("Kind"), "year": _("Year"), "month": _("From month"),
    "amount": _("Amount (yuan)"), "source": _("Source"), "wage": _("Wage figure"), "channel": _("Channel"),
    "wecom": _("WeChat Work"), "dingtalk": _("DingTalk"), "feishu": _("Feishu"),
}


def page(url_name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``login_required`` + the page's predicate (``people.pages.PAGES``)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        return login_required(guard(url_name)(view))

    return decorate


def sentences(exc: ValidationError, labels: dict[str, Any] | None = None) -> list[str]:
    """Every message of a service error, each prefixed with its field's label ("名称：…")."""
    names = {**LABELS, **(labels or {})}
    if not hasattr(exc, "error_dict"):
        return [str(m) for m in exc.messages]
    out = []
    for key, msgs in exc.message_dict.items():
        label = names.get(key)
        out += [f"{label}：{m}" if label else str(m) for m in msgs]
    return out


def fail(request: HttpRequest, exc: ValidationError) -> None:
    for sentence in sentences(exc):
        messages.error(request, sentence)


def run(request: HttpRequest, action: Callable[[], Any], done: str) -> Any:
    """Call a service; flash ``done`` or its errors. A refused permission stays a 403."""
    try:
        result = action()
    except PermissionDenied:
        raise
    except ValidationError as exc:
        fail(request, exc)
        return None
    messages.success(request, done)
    return result if result is not None else True
