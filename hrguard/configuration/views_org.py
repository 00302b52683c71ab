"""Settings pages: the department tree and the positions (thin: parse, call ``org``, redirect)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import org, selectors
from .web import page, run


@page("settings:org")
@require_GET
def org_page(request: HttpRequest) -> HttpResponse:
    company_id = request.user.company_id
    tree = selectors.department_tree(company_id)
    chosen = next((d for d in tree if str(d.pk) == request.GET.get("dept", "")), None)
    position = None
    if request.GET.get("position", "").isdigit():
        position = selectors.positions(company_id).filter(pk=int(request.GET["position"])).first()
    return render(request, "configuration/org.html", {
        "tree": tree, "chosen": chosen, "positions": selectors.positions(company_id), "position": position,
        "partners": selectors.hr_partners(company_id),
        "can_change": request.user.has_perm("configuration.manage_org"),
        "invalid_parents": {d.pk for d in tree if chosen and d.path.startswith(chosen.path)},
    })


@page("settings:org_department")
@require_POST
def department_action(request: HttpRequest) -> HttpResponse:
    p, actor = request.POST, request.user
    action, dept = p.get("action", ""), p.get("department", "")
    back = reverse("settings:org") + (f"?dept={dept}" if dept.isdigit() else "")
    if action == "create":
        made = run(request, lambda: org.create_department(actor=actor, name=p.get("name", ""),
                                                          parent_id=p.get("parent"), code=p.get("code", "")),
                   _("Department created."))
        if made:
            back = reverse("settings:org") + f"?dept={made.pk}"
    elif action == "rename":
        run(request, lambda: org.rename_department(actor=actor, department_id=dept, name=p.get("name", ""),
                                                   code=p.get("code", "")), _("Department renamed."))
    elif action == "move":
        run(request, lambda: org.move_department(actor=actor, department_id=dept, parent_id=p.get("parent")),
            _("Department moved."))
    elif action == "people":
        run(request, lambda: org.set_department_people(actor=actor, department_id=dept,
                                                       manager_no=p.get("manager_no", ""),
                                                       hrbp_id=p.get("hrbp")), _("Saved."))
    elif action == "delete":
        if run(request, lambda: org.delete_department(actor=actor, department_id=dept), _("Department deleted.")):
            back = reverse("settings:org")
    else:
        messages.error(request, _("Unknown action."))
    return redirect(back)


@page("settings:org_position")
@require_POST
def position_action(request: HttpRequest) -> HttpResponse:
    p, actor = request.POST, request.user
    action = p.get("action", "")
    back = reverse("settings:org") + "#positions"
    if action == "save":
        data = {k: p.get(k, "") for k in ("name", "code", "level", "department", "headcount")}
        data |= {"is_core": bool(p.get("is_core")), "confidentiality_duty": bool(p.get("confidentiality_duty"))}
        run(request, lambda: org.save_position(actor=actor, data=data, position_id=p.get("position")),
            _("Position saved."))
    elif action == "delete":
        run(request, lambda: org.delete_position(actor=actor, position_id=p.get("position")), _("Position deleted."))
    else:
        messages.error(request, _("Unknown action."))
    return redirect(back)
