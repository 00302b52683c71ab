"""Chinese/English labels of the evidence actions care records (registered by ``apps.ready``). The EAP
records none (see README)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "care.aid_limit_set": _("Emergency aid limit changed"),
    "care.talk_recorded": _("Care talk recorded"),
    "care.talk_read": _("Care talk read"),
    "care.eap_provider_set": _("EAP provider set"),
    "care.aid_applied": _("Emergency aid applied for"),
    "care.aid_approved": _("Emergency aid approved"),
    "care.aid_rejected": _("Emergency aid rejected"),
    "care.aid_cancelled": _("Emergency aid withdrawn"),
    "care.aid_disbursed": _("Emergency aid paid out"),
    "care.aid_scheduled": _("Emergency aid repayment schedule set"),
    "care.aid_repaid": _("Emergency aid repayment recorded"),
    "care.flex_approved": _("Flexible-hours arrangement approved"),
    "care.job_posted": _("Internal side job posted"),
    "care.job_closed": _("Internal side job closed"),
    "care.job_applied": _("Applied for an internal side job"),
    "care.job_accepted": _("Side-job application accepted"),
    "care.job_declined": _("Side-job application declined"),
    "care.course_created": _("Training course created"),
    "care.enrolled": _("Enrolled in a training course"),
    "care.attendance_marked": _("Course attendance recorded"),
}
