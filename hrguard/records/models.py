"""Files attached to records (receipts, violation evidence, complaint documents).

One table for every record kind: ``owner_type`` names the record ("violation", "complaint",
"expense"), ``owner_id`` its primary key. The SHA-256 of the content is kept and written into the
evidence event, so a later change to the stored file is detectable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def upload_to(instance: Attachment, filename: str) -> str:
    return f"activity/{instance.company_id}/{instance.owner_type}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    owner_type = models.CharField(max_length=20)
    owner_id = models.BigIntegerField()
    file = models.FileField(upload_to=upload_to, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["company", "owner_type", "owner_id"], name="attachment_owner")]
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
