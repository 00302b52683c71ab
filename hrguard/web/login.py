"""Sign-in with a brake on password guessing (``hrguard.core.brake``).

Each attempt claims a slot for its username and its client address before the password is checked; past
the limit the form refuses every attempt for that username or address — right password included — until
the window has passed, answers 429 with the time to wait, and writes one ``auth.locked`` evidence event
for the account's company.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from hrguard.core import brake


def record_lock(user: Any, ip: str) -> None:
    """The ``auth.locked`` evidence event for an account whose sign-in was just paused."""
    from hrguard.evidence.services import Subject, record

    if user is None or user.company_id is None:
        return
    with transaction.atomic():
        record(user.company, None, "auth.locked", Subject.of(user), {"username": user.username, "ip": ip})


class LoginView(auth_views.LoginView):
    attempt: brake.Claim

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        attempt = brake.claim(request, request.POST.get("username", ""))
        if attempt is None:
            return self._locked(request)
        self.attempt = attempt
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        self.attempt.succeeded()
        return super().form_valid(form)

    def form_invalid(self, form: Any) -> HttpResponse:
        record_lock(self.attempt.failed(), self.attempt.ip)
        return super().form_invalid(form)

    def _locked(self, request: HttpRequest) -> HttpResponse:
        window = brake.limits().window
        minutes = max(1, window // 60)
        form = self.get_form()
        form.add_error(
            None,
            _("Too many failed sign-in attempts. Sign-in is paused for %(minutes)s minutes; try again later.")
            % {"minutes": minutes},
        )
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 429
        response["Retry-After"] = str(window)
        return response
