"""Who may do what on the settings pages (django-rules; loaded by ``ConfigurationConfig.ready``).

| permission | admin | HR | others |
| --- | --- | --- | --- |
| ``configuration.view_settings`` (settings home, org tree, chat ids, wage table) | yes | yes (read) | no |
| ``configuration.manage_accounts`` (logins, roles, activation links) | yes | no | no |
| ``configuration.manage_org`` (departments, positions: the org structure; page and API) | yes | yes | no |
| ``configuration.manage_channels`` (channel settings and secrets) | yes | no | no |
| ``configuration.manage_identities`` (chat ids, their import) | yes | yes | no |
| ``configuration.manage_facts`` (city, wage tables) | yes | no | no |
"""

from __future__ import annotations

from typing import Any

import rules

from hrguard.core.roles import Role


@rules.predicate
def is_company_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.company_id and user.role == Role.ADMIN)


@rules.predicate
def is_company_hr(user: Any) -> bool:
    return bool(user.is_authenticated and user.company_id and user.role in (Role.ADMIN, Role.HR))


@rules.predicate
def shapes_org_structure(user: Any) -> bool:
    """Who shapes the organisation: create, rename, move and delete departments and positions, set a
    department's manager and HR partner. The company administrator and HR (an HR department restructures
    more often than IT administers logins); the settings page and ``/api/v1/departments|positions/`` both
    ask this one predicate through ``configuration.manage_org``."""
    return bool(user.is_authenticated and user.company_id and user.role in (Role.ADMIN, Role.HR))


rules.add_perm("configuration.view_settings", is_company_hr)
rules.add_perm("configuration.manage_accounts", is_company_admin)
rules.add_perm("configuration.manage_org", shapes_org_structure)
rules.add_perm("configuration.manage_channels", is_company_admin)
rules.add_perm("configuration.manage_identities", is_company_hr)
rules.add_perm("configuration.manage_facts", is_company_admin)


def can_view(user: Any) -> bool:
    return bool(rules.has_perm("configuration.view_settings", user))


def can_manage_accounts(user: Any) -> bool:
    return bool(rules.has_perm("configuration.manage_accounts", user))


def can_manage_channels(user: Any) -> bool:
    return bool(rules.has_perm("configuration.manage_channels", user))
