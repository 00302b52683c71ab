"""Who may configure webhooks and see their deliveries: the company administrator alone (the payloads carry
pay figures and, when allowed, ID numbers). ``integrations.manage_webhooks`` (object: an endpoint or a
delivery of the user's company, or none)."""

from __future__ import annotations

from typing import Any

import rules

from hrguard.core.roles import Role


@rules.predicate
def is_company_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "company_id", None)
                and user.role == Role.ADMIN)


@rules.predicate
def same_company(user: Any, obj: Any) -> bool:
    return obj is None or getattr(obj, "company_id", None) == user.company_id


rules.add_perm("integrations.manage_webhooks", is_company_admin & same_company)


def can_manage(user: Any) -> bool:
    """The page predicate (``people.pages.PAGES``)."""
    return bool(rules.has_perm("integrations.manage_webhooks", user))
