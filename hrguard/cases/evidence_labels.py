"""Labels of the evidence actions cases record (registered by ``apps.ready``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "case.opened": _("Case opened"),
    "case.linked": _("Record linked to the case"),
    "case.party_added": _("Party added to the case"),
    "case.member_added": _("Case team member added"),
    "case.closed": _("Case closed"),
    "case.reopened": _("Case reopened"),
    "case.viewed": _("Confidential case viewed"),
    "case.step_viewed": _("Case viewed by a step owner (own step only)"),
    "keyperson.viewed": _("Key-person assessment viewed"),
    "keyperson.report_generated": _("Key-person risk report generated"),
    "keyperson.agreement_sent": _("Supplementary agreement sent for signature"),
    "keyperson.parameters_saved": _("Key-person parameters saved"),
}
