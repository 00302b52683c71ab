"""Chinese/English labels of the evidence actions the non-compete app records (registered by ``apps.ready``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "noncompete.offered": _("Non-compete follow-up offered after the exit"),
    "noncompete.started": _("Non-compete follow-up started"),
    "noncompete.declined": _("Non-compete follow-up not pursued"),
    "noncompete.payment_recorded": _("Non-compete compensation payment recorded"),
    "noncompete.payment_overdue": _("Non-compete compensation unpaid after its due date"),
    "noncompete.proof_requested": _("Proof of employment requested from the former employee"),
    "noncompete.proof_opened": _("Proof request opened by the former employee"),
    "noncompete.proof_received": _("Proof of employment received"),
    "noncompete.finding_recorded": _("New-employer finding recorded"),
    "noncompete.released": _("Non-compete released by the employer"),
    "noncompete.ended": _("Non-compete term ended"),
    "noncompete.viewed": _("Non-compete follow-up viewed"),
}
