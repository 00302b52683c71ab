from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


class EvidenceConfig(AppConfig):
    name = "hrguard.evidence"
    label = "evidence"
    verbose_name = "Evidence log"

    def ready(self) -> None:
        checks.register(checkpoint_dir_apart_from_database, checks.Tags.security)
        checks.register(runtime_role_cannot_rewrite, checks.Tags.security, deploy=True)
        post_migrate.connect(_revoke, sender=self, dispatch_uid="evidence-revoke-writes")


def _revoke(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from .roles import revoke_evidence_writes

    revoke_evidence_writes(using)


def checkpoint_dir_apart_from_database(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The exported checkpoint must not sit in the database's own directory (one copy, one place)."""
    from pathlib import Path

    from django.conf import settings
    from django.db import connections

    folder = Path(settings.HRGUARD_CHECKPOINT_DIR).resolve()
    db = connections["default"].settings_dict
    if db.get("ENGINE", "").endswith("sqlite3") and str(db.get("NAME", "")) not in ("", ":memory:"):
        if Path(str(db["NAME"])).resolve().parent == folder:
            return [checks.Error(
                "HRGUARD_CHECKPOINT_DIR is the database's directory",
                hint="Point HRGUARD_CHECKPOINT_DIR at a directory apart from the database (ideally other storage).",
                id="hrguard.E101",
            )]
    return []


def runtime_role_cannot_rewrite(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``check --deploy`` on PostgreSQL: the application's role must not be able to rewrite evidence."""
    from django.db import DatabaseError

    from .roles import runtime_role_problems

    try:
        problems = runtime_role_problems()
    except DatabaseError:
        return []
    return [
        checks.Warning(p, hint="Run the application as the INSERT/SELECT-only role (README, Database roles).",
                       id="hrguard.W102")
        for p in problems
    ]
