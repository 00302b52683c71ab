"""Attachments (receipts, evidence files): validated by content (``platform.uploads``: the bytes must
be an allowed type and the type the extension promises), hashed, stored content-addressed with the
detected MIME type (never the browser's claim).

Call ``check_uploads`` while validating (so a bad file refuses the whole change) and ``store`` inside
the service's transaction after validation passed. The SHA-256 goes into the evidence event."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from hrguard.platform import uploads

from .inputs import Errors
from .models import Attachment

ALLOWED_EXTENSIONS = uploads.ATTACHMENTS
MAX_FILES = 20


def check_uploads(errors: Errors, uploads_: list[Any], field: str = "files") -> None:
    """Every file checked by content against the attachment allow-list (``platform.uploads``)."""
    if len(uploads_) > MAX_FILES:
        errors.add(field, _("At most %(n)d files at a time.") % {"n": MAX_FILES})
        return
    for upload in uploads_:
        try:
            uploads.check(uploads.name_of(upload), uploads.read(upload), ALLOWED_EXTENSIONS)
        except uploads.UploadError as exc:
            errors.add(field, str(exc))


def store(actor: Any, owner_type: str, owner: Any, employee: Any, files: list[Any]) -> list[Attachment]:
    saved = []
    for upload in files:
        data = uploads.read(upload)
        checked = uploads.check(uploads.name_of(upload), data, ALLOWED_EXTENSIONS)  # checked again: never trusted
        digest = hashlib.sha256(data).hexdigest()
        att = Attachment(
            company_id=employee.company_id, employee=employee, owner_type=owner_type, owner_id=owner.pk,
            name=checked.name, content_type=checked.mime, size=len(data), sha256=digest, uploaded_by=actor,
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
