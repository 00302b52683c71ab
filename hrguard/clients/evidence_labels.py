"""Labels of the evidence actions clients record (registered by ``apps.ready``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "client.saved": _("Client saved"),
    "client.coverage_saved": _("Client coverage saved"),
    "client.coverage_removed": _("Client coverage removed"),
    "client.imported": _("Clients imported"),
}
