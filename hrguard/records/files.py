"""Attachments (receipts, evidence files): validated, hashed, stored content-addressed.

Call ``check_uploads`` while validating (so a bad file refuses the whole change) and ``store`` inside
the service's transaction after validation passed. The SHA-256 goes into the evidence event."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from .inputs import Errors
from .models import Attachment

ALLOWED_EXTENSIONS = frozenset({
    "pdf", "png", "jpg", "jpeg", "gif", "webp", "heic", "txt", "csv", "doc", "docx", "xls", "xlsx",
    "mp3", "m4a", "wav", "amr", "mp4", "mov", "eml", "ofd",
})
MAX_FILES = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _read(upload: Any) -> bytes:
    if isinstance(upload, tuple):
        return upload[1]
    upload.seek(0)
    return upload.read()


def _name(upload: Any) -> str:
    raw = upload[0] if isinstance(upload, tuple) else getattr(upload, "name", "") or ""
    name = PurePath(str(raw).replace("\\", "/")).name.strip()
    return _CONTROL.sub("", name)[:200]


def check_uploads(errors: Errors, uploads: list[Any], field: str = "files") -> None:
    if len(uploads) > MAX_FILES:
        errors.add(field, _("At most %(n)d files at a time.") % {"n": MAX_FILES})
        return
    limit = settings.HRGUARD_MAX_UPLOAD_BYTES
    for upload in uploads:
        name = _name(upload)
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        size = len(upload[1]) if isinstance(upload, tuple) else getattr(upload, "size", 0) or 0
        if not name or ext not in ALLOWED_EXTENSIONS:
            errors.add(field, _("%(name)s: this kind of file is not accepted (allowed: %(ext)s).")
                       % {"name": name or "—", "ext": ", ".join(sorted(ALLOWED_EXTENSIONS))})
        elif size == 0:
            errors.add(field, _("%(name)s is empty.") % {"name": name})
        elif size > limit:
            errors.add(field, _("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": limit // (1024 * 1024)})


def store(actor: Any, owner_type: str, owner: Any, employee: Any, uploads: list[Any]) -> list[Attachment]:
    saved = []
    for upload in uploads:
        data = _read(upload)
        digest = hashlib.sha256(data).hexdigest()
        att = Attachment(
            company_id=employee.company_id, employee=employee, owner_type=owner_type, owner_id=owner.pk,
            name=_name(upload), content_type=str(getattr(upload, "content_type", "") or "")[:100], size=len(data),
            sha256=digest, uploaded_by=actor,
        )
        att.file.save(digest, ContentFile(data), save=False)
        att.save()
        saved.append(att)
    return saved


def described(files: list[Attachment]) -> list[dict[str, Any]]:
    return [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in files]


def of(owner_type: str, owner: Any) -> list[Attachment]:
    return list(Attachment.objects.filter(company_id=owner.company_id, owner_type=owner_type, owner_id=owner.pk))


# Who may download an attachment is decided by the app that owns the record: it registers, per
# ``owner_type``, a lookup ``(user, owner_id) -> record or None`` scoped to what the user may see.
OwnerLookup = Callable[[Any, int], Any]
_OWNERS: dict[str, OwnerLookup] = {}


def register_owner(owner_type: str, lookup: OwnerLookup) -> None:
    _OWNERS[owner_type] = lookup


def visible_owner(user: Any, att: Attachment) -> Any:
    """The record ``att`` belongs to if ``user`` may see it, else None (unknown owner kinds: None)."""
    lookup = _OWNERS.get(att.owner_type)
    return lookup(user, att.owner_id) if lookup is not None else None
