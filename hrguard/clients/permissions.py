"""Who may see and change client records (django-rules; loaded by ``ClientsConfig.ready``).

* ``clients.view_clients`` — admin, HR, legal, compliance (revenue figures are business secrets);
* ``clients.manage_clients`` — admin and HR (clients, coverage, core positions, import)."""

from __future__ import annotations

from typing import Any

import rules

from hrguard.core.roles import HR_ROLES, Role

READERS = frozenset({*HR_ROLES, Role.LEGAL, Role.COMPLIANCE})


@rules.predicate
def reads_clients(user: Any) -> bool:
    return user.is_authenticated and user.role in READERS


@rules.predicate
def manages_clients(user: Any) -> bool:
    return user.is_authenticated and user.role in HR_ROLES


rules.add_perm("clients.view_clients", reads_clients)
rules.add_perm("clients.manage_clients", manages_clients)
