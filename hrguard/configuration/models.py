"""Account activation links: one-time, expiring, stored as a SHA-256 hash (the link itself is only in the
message sent to the employee, or shown once to the administrator who hands it over)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivationToken(models.Model):
    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(_("delivery"), max_length=20, blank=True)  # email | sms | handover

    class Meta:
        verbose_name = _("activation link")
        verbose_name_plural = _("activation links")
        indexes = [models.Index(fields=["company", "user", "-created_at"], name="activation_user")]

    def __str__(self) -> str:
        return f"activation {self.pk} of user {self.user_id}"
