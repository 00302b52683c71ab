"""Labels of the evidence actions collection records (registered by ``apps.ready``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "collection.access_granted": _("Access to the collection-contact log granted or changed"),
    "collection.settings_saved": _("Collection-contact settings saved"),
    "collection.contact_logged": _("Collection contact logged"),
    "collection.contact_merged": _("Same collection contact logged again (merged)"),
    "collection.employee_notified": _("Employee notified of a collection contact"),
    "collection.responded": _("Employee answered about a collection contact"),
    "collection.escalated": _("Collection contacts escalated to HR review"),
    "collection.letter_issued": _("Lawyer letter to the collection agency issued"),
    "collection.letter_delivered": _("Lawyer letter delivery recorded"),
    "collection.police_report": _("Police report recorded"),
    "collection.viewed": _("Collection contacts viewed"),
    "collection.access_denied": _("Refused: collection contacts opened without permission"),
    "collection.package": _("Collection evidence package built"),
}
