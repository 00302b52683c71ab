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
    "offboarding.document_sent": _("Exit document sent for signature"),
    "offboarding.duty_done": _("Art. 50 duty done (certificate or social-insurance transfer)"),
    "offboarding.duty_overdue": _("Art. 50 duty overdue (15 days passed)"),
    "offboarding.process_restarted": _("Exit process started again"),
    "offboarding.si_exported": _("Social-insurance reduction list exported"),
    "offboarding.si_layout_saved": _("Social-insurance export layout saved"),
}
