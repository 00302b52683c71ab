"""In-app inbox (站内信): each user sees only their own messages; opening one records it as read."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import receipts, services
from .models import OutboxMessage


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    messages = services.inbox(request.user)
    # All unread messages, not only those of the latest 50 listed: the same count as the navigation's badge.
    unread = services.unread_up_to(request.user, services.BADGE_CAP)
    return render(request, "notify/inbox.html", {
        "inbox": messages, "unread": min(unread, services.BADGE_CAP), "unread_more": unread > services.BADGE_CAP,
    })


@login_required
@require_GET
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    msg = services.open_message(request.user, pk)  # 404 unless it is the user's own message
    return render(request, "notify/message.html", {"msg": msg})


def _require_hr(request: HttpRequest) -> None:
    if not request.user.has_perm("notify.view_problems"):
        raise PermissionDenied


@login_required
@require_GET
def problems(request: HttpRequest) -> HttpResponse:
    """HR: messages that failed for good or whose outcome is unknown, with what to do about them."""
    _require_hr(request)
    return render(request, "notify/problems.html", {"problems": services.problems(request.user.company_id)})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    _require_hr(request)
    msg = OutboxMessage.objects.filter(pk=pk, company_id=request.user.company_id).first()
    if msg is None:
        raise Http404("no such message")
    action = request.POST.get("action", "")
    try:
        if action == "resend" and msg.state == "unknown":
            services.decide_unknown(msg, request.user, resend=True)
        elif action == "confirm":
            services.decide_unknown(msg, request.user, resend=False)
        elif action == "resend":
            services.retry_failed(msg, request.user)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, _("Done."))
    return redirect("notify:problems")


@csrf_exempt  # called by the provider, authenticated by the secret token in the URL
@require_POST
def sms_receipts(request: HttpRequest, company_id: int, token: str) -> HttpResponse:
    if not receipts.token_ok(company_id, "sms", token):
        raise Http404("unknown receipt endpoint")
    try:
        matched, total = receipts.aliyun_sms_reports(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"code": 1, "msg": "bad request"}, status=400)
    return JsonResponse({"code": 0, "msg": "成功", "matched": matched, "total": total})
