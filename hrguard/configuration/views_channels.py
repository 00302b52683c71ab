"""Settings pages: notification channels, chat ids (one by one and from a spreadsheet), company facts."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hrguard.core import wages
from hrguard.core.models import WageKind

from . import channels, facts, selectors
from .identity_import import import_identities
from .web import page, run


@page("settings:channels")
@require_http_methods(["GET", "POST"])
def channel_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        channel = request.POST.get("channel", "")
        run(request, lambda: channels.save_channel(actor=request.user, channel=channel, data=request.POST,
                                                   enabled=bool(request.POST.get("enabled"))),
            _("Channel settings saved."))
        return redirect(f"{request.path}#channel-{channel}" if channel in channels.CHANNEL_FIELDS else request.path)
    states = channels.channel_states(request.user.company_id)
    return render(request, "configuration/channels.html", {
        "states": [(s, channels.CHANNEL_FIELDS[s.channel]) for s in states]})


@page("settings:identities")
@require_GET
def identity_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    page_obj = selectors.page_of(selectors.employees_page(request.user.company_id, q=q), request.GET.get("page"))
    ids = channels.identities_of(request.user.company_id, [e.pk for e in page_obj])
    rows = [(e, ids.get(e.pk, {})) for e in page_obj]
    return render(request, "configuration/identities.html", {
        "page_obj": page_obj, "rows": rows, "q": q, "query": f"q={q}" if q else "",
        "chat_channels": channels.CHAT_CHANNELS,
        "can_change": request.user.has_perm("configuration.manage_identities"),
    })


@page("settings:identity_save")
@require_POST
def identity_save(request: HttpRequest) -> HttpResponse:
    values = {c: request.POST.get(c, "") for c in channels.CHAT_CHANNELS if c in request.POST}
    run(request, lambda: channels.set_identities(actor=request.user, employee_id=request.POST.get("employee"),
                                                 values=values), _("Chat ids saved."))
    back = request.POST.get("back", "")
    return redirect(back if back.startswith("/settings/identities/") and "//" not in back else "settings:identities")


@page("settings:identity_import")
@require_http_methods(["GET", "POST"])
def identity_import(request: HttpRequest) -> HttpResponse:
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        limit = int(getattr(settings, "HRGUARD_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
        if upload is None:
            messages.error(request, _("Choose a file."))
        elif upload.size > limit:
            messages.error(request, _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
        else:
            result = import_identities(actor=request.user, content=upload.read(), filename=upload.name or "")
            if result.ok:
                messages.success(request, _("Imported: %(rows)s rows, chat ids of %(n)s employees changed.")
                                 % {"rows": result.rows, "n": result.changed})
                return redirect("settings:identities")
    status = 400 if (request.method == "POST" and (result is None or not result.ok)) else 200
    return render(request, "configuration/identity_import.html", {"result": result}, status=status)


@page("settings:facts")
@require_http_methods(["GET", "POST"])
def facts_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        p, actor = request.POST, request.user
        action = p.get("action", "")
        if action == "city":
            run(request, lambda: facts.set_city(actor=actor, city=p.get("city", "")), _("City saved."))
        elif action == "wage":
            data = {k: p.get(k, "") for k in ("city", "kind", "year", "month", "amount", "source")}
            run(request, lambda: facts.save_wage(actor=actor, data=data), _("Wage figure saved."))
        elif action == "delete":
            run(request, lambda: facts.delete_wage(actor=actor, wage_id=p.get("wage")), _("Wage figure deleted."))
        else:
            messages.error(request, _("Unknown action."))
        return redirect("settings:facts")
    company = request.user.company
    return render(request, "configuration/facts.html", {
        "company": company, "rows": wages.table(company.pk), "kinds": WageKind.choices,
        "can_change": request.user.has_perm("configuration.manage_facts"),
    })
