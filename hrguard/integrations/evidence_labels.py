"""Chinese/English labels of the evidence actions integrations records (registered by ``apps.ready``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "integrations.endpoint_created": _("Webhook endpoint added"),
    "integrations.endpoint_updated": _("Webhook endpoint changed"),
    "integrations.endpoint_deleted": _("Webhook endpoint deleted"),
    "integrations.secret_rotated": _("Webhook signing secret replaced"),
    "integrations.event_not_queued": _("Webhook event could not be queued (see the server log)"),
    "integrations.delivery_queued": _("Webhook queued"),
    "integrations.delivery_succeeded": _("Webhook delivered"),
    "integrations.delivery_retry": _("Webhook failed, retry scheduled"),
    "integrations.delivery_failed": _("Webhook failed"),
    "integrations.delivery_cancelled": _("Webhook not sent: endpoint disabled"),
    "integrations.delivery_resent": _("Webhook queued again by an administrator"),
}
