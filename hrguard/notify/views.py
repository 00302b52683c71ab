"""In-app inbox (站内信): each user sees only their own messages; opening one records it as read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import services


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    messages = services.inbox(request.user)
    return render(
        request, "notify/inbox.html", {"inbox": messages, "unread": sum(1 for m in messages if m.read_at is None)}
    )


@login_required
@require_GET
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    msg = services.open_message(request.user, pk)  # 404 unless it is the user's own message
    return render(request, "notify/message.html", {"msg": msg})
