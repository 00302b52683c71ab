from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks


class EvidenceConfig(AppConfig):
    name = "hrguard.evidence"
    label = "evidence"
    verbose_name = "Evidence log"

    def ready(self) -> None:
        checks.register(checkpoint_dir_apart_from_database, checks.Tags.security)


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
