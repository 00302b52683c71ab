"""Sign-in with a brake on password guessing.

Failed attempts are counted per username and per client address in the cache (process memory on the
embedded deployment, Redis in production). Past the limit the form refuses every attempt for that
username or address — right password included — until the window has passed, answers 429 with the
time to wait, and writes one ``auth.locked`` evidence event for the account's company.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from hrguard.core.middleware import client_ip


def _limits() -> tuple[int, int, int]:
    """(failures per username, failures per address, window in seconds)."""
    cfg = getattr(settings, "HRGUARD_LOGIN_LIMITS", {})
    return int(cfg.get("per_user", 10)), int(cfg.get("per_ip", 50)), int(cfg.get("window", 15 * 60))


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    return f"login-fail:user:{username.strip().lower()}", f"login-fail:ip:{client_ip(request)}"


def _bump(key: str, window: int) -> int:
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def is_locked(request: HttpRequest, username: str) -> bool:
    per_user, per_ip, _window = _limits()
    user_key, ip_key = _keys(request, username)
    return (cache.get(user_key) or 0) >= per_user or (cache.get(ip_key) or 0) >= per_ip


def _record_lock(username: str, request: HttpRequest) -> None:
    from hrguard.core.models import User
    from hrguard.evidence.services import Subject, record

    user = User.objects.filter(username=username).select_related("company").first()
    if user is None or user.company_id is None:
        return
    with transaction.atomic():
        record(user.company, None, "auth.locked", Subject.of(user), {"username": username, "ip": client_ip(request)})


class LoginView(auth_views.LoginView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))[:150]
        if is_locked(request, username):
            return self._locked(request)
        response = super().post(request, *args, **kwargs)
        user_key, ip_key = _keys(request, username)
        if request.user.is_authenticated:
            cache.delete(user_key)
            return response
        per_user, _per_ip, window = _limits()
        failures = _bump(user_key, window)
        _bump(ip_key, window)
        if failures == per_user:
            _record_lock(username, request)
        return response

    def _locked(self, request: HttpRequest) -> HttpResponse:
        minutes = max(1, _limits()[2] // 60)
        form = self.get_form()
        form.add_error(
            None,
            _("Too many failed sign-in attempts. Sign-in is paused for %(minutes)s minutes; try again later.")
            % {"minutes": minutes},
        )
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 429
        response["Retry-After"] = str(_limits()[2])
        return response
