"""设置 → 数据推送 (webhooks): endpoints, their deliveries, resend. The company administrator's alone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.people.pages import guard
from hrguard.platform.forms import apply_errors

from . import selectors, services
from .forms import EndpointForm
from .models import DeliveryState


def page(url_name: str) -> Any:
    def decorate(view: Any) -> Any:
        return login_required(guard(url_name)(view))

    return decorate


def _label(key: str) -> str:
    return str({"url": _("URL"), "events": _("Events"), "description": _("Description"),
                "delivery": _("Delivery")}.get(key, ""))


def _save(request: HttpRequest, form: EndpointForm, endpoint_id: int | None) -> Any:
    d = form.cleaned_data
    values = {"url": d["url"], "events": d["events"], "description": d["description"], "active": d["active"],
              "include_id_number": d["include_id_number"]}
    try:
        if endpoint_id is None:
            return services.create_endpoint(actor=request.user, **values)
        return services.update_endpoint(actor=request.user, endpoint_id=endpoint_id, **values)
    except ValidationError as exc:
        apply_errors(form, exc, label_for=_label)
        return None


def _issued(request: HttpRequest, issued: services.IssuedSecret) -> HttpResponse:
    return render(request, "integrations/secret.html", {"tab": "webhooks", "issued": issued})


@page("webhooks:endpoints")
@require_http_methods(["GET", "POST"])
def endpoints(request: HttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        issued = _save(request, form, None)
        if issued is not None:
            return _issued(request, issued)
    rows = list(selectors.endpoints(request.user))
    status = 400 if request.method == "POST" else 200
    return render(request, "integrations/endpoints.html", {"tab": "webhooks", "rows": rows, "form": form},
                  status=status)


@page("webhooks:endpoint")
@require_http_methods(["GET", "POST"])
def endpoint(request: HttpRequest, pk: int) -> HttpResponse:
    ep = services.endpoint_for(request.user, pk)
    initial = {"url": ep.url, "description": ep.description, "events": ep.events, "active": ep.active,
               "include_id_number": ep.include_id_number}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(request, form, ep.pk) is not None:
        messages.success(request, _("Webhook endpoint saved."))
        return redirect("webhooks:endpoints")
    recent = list(selectors.deliveries(request.user, endpoint_id=ep.pk)[:20])
    return render(request, "integrations/endpoint.html", {"tab": "webhooks", "ep": ep, "form": form,
                                                          "recent": recent},
                  status=400 if request.method == "POST" else 200)


@page("webhooks:rotate")
@require_POST
def rotate(request: HttpRequest, pk: int) -> HttpResponse:
    return _issued(request, services.rotate_secret(actor=request.user, endpoint_id=pk))


@page("webhooks:deliveries")
@require_GET
def deliveries(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in ("problems", *DeliveryState.values) else ""
    page_obj = Paginator(selectors.deliveries(request.user, state=state), 50).get_page(request.GET.get("page"))
    return render(request, "integrations/deliveries.html", {
        "tab": "webhooks", "page_obj": page_obj, "state": state, "query": f"state={state}" if state else "",
        "states": [("", _("All")), ("problems", _("Failed or not sent")), *DeliveryState.choices]})


@page("webhooks:resend")
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.resend(actor=request.user, delivery_id=pk)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("Queued again; it keeps its delivery id."))
    return redirect("webhooks:deliveries")
