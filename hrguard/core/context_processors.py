from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def hrguard(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    company = getattr(user, "company", None) if user and user.is_authenticated else None
    return {"current_company": company}
