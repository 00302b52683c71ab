"""Copies of the latest checkpoint outside the database, where a DBA cannot quietly replace it.

* A file ``company-<id>.json`` in ``HRGUARD_CHECKPOINT_DIR`` (default ``var/checkpoints/``, a directory
  apart from the database's; point it at other storage — another disk, a WORM or synced share — in
  production), rewritten atomically after each checkpoint commits. ``hrguard verify`` checks the
  database against it; ``hrguard verify --checkpoint FILE`` against any such file kept elsewhere.
* A message to every company administrator through the outbox (in-app, and e-mail where it is set up
  and they have an address) carrying the signed statement, so copies leave the server.
* An RFC 3161 timestamp over the statement when ``HRGUARD_TSA_URL`` is set (see checkpoints.py).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

log = logging.getLogger(__name__)
FORMAT = "hrguard-checkpoint"
PURPOSE = "evidence.checkpoint"


def checkpoint_dir() -> Path:
    return Path(settings.HRGUARD_CHECKPOINT_DIR)


def latest_path(company_id: int) -> Path:
    return checkpoint_dir() / f"company-{company_id}.json"


def document(cp: Any) -> dict[str, Any]:
    """The exported form of a Checkpoint row (everything needed to check it without the database)."""
    return {
        "format": FORMAT, "company": cp.company_id, "tree_size": cp.tree_size, "root": cp.root,
        "issued_at": cp.issued_at, "statement": cp.statement, "signature": cp.signature,
        "certificate": cp.certificate, "timestamp_token": cp.timestamp_token,
        "consistency": json.loads(cp.consistency or "[]"),
    }


def write_latest(doc: dict[str, Any]) -> Path:
    """Atomically replace the company's latest-checkpoint file (never with a smaller tree)."""
    path = latest_path(int(doc["company"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
        if int(current.get("tree_size", -1)) > int(doc["tree_size"]):
            return path
    except (OSError, ValueError, TypeError):
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def write_after_commit(doc: dict[str, Any]) -> None:
    try:
        write_latest(doc)
    except OSError:
        log.exception("could not export checkpoint of company %s to %s", doc["company"], checkpoint_dir())


# Sending to the administrators is the notify app's job, and notify sits above evidence: it registers
# ``(company_id, subject, body, idempotency_key, channels) -> messages queued`` here at start-up.
AdminMessenger = Callable[[int, str, str, str, Sequence[str]], int]
_MESSENGERS: list[AdminMessenger] = []


def register_admin_messenger(messenger: AdminMessenger) -> None:
    _MESSENGERS[:] = [messenger]


def _message_admins(company_id: int, subject: str, body: str, key: str, channels: Sequence[str]) -> int:
    if not _MESSENGERS:
        log.warning("no outbox registered: evidence checkpoint of company %s not sent to admins", company_id)
        return 0
    return _MESSENGERS[0](company_id, subject, body, key, channels)


def alert_admins(company_id: int, reason: str) -> int:
    """Tell the administrators that a checkpoint was refused because the log contradicts its history
    (in-app, in its own transaction; at most once a day — the alert itself lengthens the log, so the
    reason's wording changes from hour to hour)."""
    import datetime as dt

    from django.db import transaction

    with override(settings.LANGUAGE_CODE):
        subject = _("Evidence log contradicts its signed checkpoints")
        body = _(
            "No new checkpoint was signed for your company's evidence log, because the log no longer agrees "
            "with its history: %(reason)s\nRun `hrguard verify` and compare with the exported checkpoints."
        ) % {"reason": reason}
    day = dt.datetime.now(dt.UTC).date().isoformat()
    with transaction.atomic():
        return _message_admins(company_id, subject, body, f"evidence-conflict:{company_id}:{day}", ["inapp"])


def notify_admins(company_id: int, doc: dict[str, Any]) -> int:
    """Queue the checkpoint to each active administrator; returns how many messages were queued."""
    with override(settings.LANGUAGE_CODE):
        subject = _("Evidence checkpoint: %(size)s events signed") % {"size": doc["tree_size"]}
        body = _(
            "The evidence log of your company was signed: %(size)s events, Merkle root %(root)s, "
            "at %(at)s. Keep this message: it lets anyone prove later that the log was not cut short "
            "or rewritten (hrguard verify --checkpoint).\n\nSigned statement: %(statement)s\n"
            "Signature (ECDSA P-256, hex): %(signature)s"
        ) % {"size": doc["tree_size"], "root": doc["root"], "at": doc["issued_at"],
             "statement": doc["statement"], "signature": doc["signature"]}
    key = f"evidence-checkpoint:{company_id}:{doc['tree_size']}:{doc['root'][:16]}"
    channels = list(getattr(settings, "HRGUARD_CHECKPOINT_NOTIFY_CHANNELS", ["inapp", "email"]))
    return _message_admins(company_id, subject, body, key, channels)
