"""Chinese/English labels of the evidence actions offboarding records (registered by ``apps.ready``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "offboarding.exit_started": _("Exit started"),
    "offboarding.items_generated": _("Handover checklist generated"),
    "offboarding.exit_cancelled": _("Exit withdrawn"),
    "offboarding.rehire_set": _("Rehire eligibility recorded"),
    "offboarding.item_added": _("Handover item added"),
    "offboarding.item_confirmed": _("Handover item confirmed by its receiver"),
    "offboarding.item_waived": _("Handover item marked not applicable"),
    "offboarding.interview_recorded": _("Exit interview recorded"),
    "offboarding.message_posted": _("Exit message sent"),
    "offboarding.messages_read": _("Exit messages read"),
    "offboarding.link_issued": _("Conversation link sent to the employee"),
    "offboarding.employment_ended": _("Employment ended after the last working day"),
    "offboarding.exit_cleared": _("Exit clearance complete"),
    "offboarding.exit_completed": _("Exit completed"),
}
