"""PostgreSQL privileges on the evidence tables: only their owner (the role migrations run as) may
change them; the application's role may only INSERT and SELECT (README, "Database roles")."""

from __future__ import annotations

from typing import Any

from django.db import connections

TABLES = ("evidence_evidenceevent", "evidence_checkpoint")

_GRANTS = """
SELECT c.relname, COALESCE(r.rolname, 'PUBLIC')
FROM pg_class c
CROSS JOIN LATERAL aclexplode(c.relacl) AS a
LEFT JOIN pg_roles r ON r.oid = a.grantee
WHERE c.relname = ANY(%s) AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') AND a.grantee <> c.relowner
"""


def revoke_evidence_writes(using: str = "default", **kwargs: Any) -> list[tuple[str, str]]:
    """Take UPDATE/DELETE/TRUNCATE on the evidence tables from every role but their owner (run after
    each migrate, as the owner). Returns the (table, role) pairs revoked."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(_GRANTS, [list(TABLES)])
        found = sorted(set(cur.fetchall()))
        for table, role in found:
            grantee = "PUBLIC" if role == "PUBLIC" else quote(role)
            cur.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {quote(table)} FROM {grantee}")
    return found


def runtime_role_problems(using: str = "default") -> list[str]:
    """Why the role this process connects as could rewrite the evidence log (empty: it cannot)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    problems = []
    with connection.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cur.fetchone()
        if row and row[0]:
            problems.append("the application connects as a superuser")
        for table in TABLES:
            cur.execute(
                "SELECT pg_get_userbyid(relowner) = current_user, has_table_privilege(%s, 'UPDATE'), "
                "has_table_privilege(%s, 'DELETE'), has_table_privilege(%s, 'TRUNCATE') "
                "FROM pg_class WHERE relname = %s",
                [table, table, table, table],
            )
            owns = cur.fetchone()
            if owns and owns[0]:
                problems.append(f"the application's role owns {table} (it could disable its trigger)")
            elif owns and any(owns[1:]):
                problems.append(f"the application's role may UPDATE/DELETE/TRUNCATE {table}")
    return problems
