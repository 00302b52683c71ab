"""Plain-language labels for evidence actions, shared by the timeline page, the tracker and the
certificate of completion.

An action is ``<subject>.<verb>`` (``violation.investigated``). A label is looked up for the whole action
first; otherwise it is composed from the subject's and the verb's labels ("Violation: investigated"), so
a new action written by any app reads sensibly before anyone adds it here. Apps with many actions may
``register()`` their own table at import time.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

_ACTIONS: dict[str, str | Promise] = {
    "employee.created": _("Employee record created"),
    "employee.updated": _("Employee record changed"),
    "employee.contact_updated": _("Contact details updated by the employee"),
    "employee.imported": _("Employee imported"),
    "employee.import_batch": _("Batch of imported employees saved"),
    "attendance.punch_import_started": _("Punch import started"),
    "attendance.punch_batch_saved": _("Batch of imported punches saved"),
    "employees.exported": _("Employee list exported"),
    "employee.exported": _("Employee list exported"),
    "sensitive.read": _("Sensitive field viewed"),
    "lifecycle.hire": _("Hired"),
    "lifecycle.probation_passed": _("Probation passed"),
    "lifecycle.transfer": _("Transferred"),
    "lifecycle.promotion": _("Promoted"),
    "lifecycle.status_change": _("Status changed"),
    "lifecycle.termination": _("Employment terminated"),
    "contract.created": _("Labor contract created"),
    "contract.clause_key_changed": _("Key clause flag changed"),
    "contract.supplement_added": _("Supplementary agreement added"),
    "clause.saved": _("Clause saved"),
    "evidence.package_built": _("Evidence package built"),
    "api.token_issued": _("API token issued"),
    "api.token_revoked": _("API token revoked"),
    "auth.locked": _("Sign-in paused after repeated failures"),
    "notify.secrets_redacted": _("Expired one-time codes wiped"),
    "evidence.checkpoint_issued": _("Checkpoint signed"),
    "notification.read": _("Notification read"),
    "notify.outcome_unknown": _("Delivery outcome unknown"),
    "notify.retry_scheduled": _("Delivery retry scheduled"),
    "notify.channel_configured": _("Notification channel configured"),
    "documents.code_sent": _("Verification code sent"),
    "documents.sent": _("Sent for signing"),
    "documents.rendered": _("Original document generated"),
    "documents.opened": _("Signing link opened"),
    "documents.signed": _("Document signed"),
    "documents.clause_acknowledged": _("Key clause acknowledged by the employee"),
    "documents.declined": _("Signing declined"),
    "documents.sign_refused": _("Signing refused (identity or certificate check)"),
    "documents.certificate_revoked": _("Signing certificate revoked"),
    "documents.signing_ca_revoked": _("Signing CA revoked"),
    "documents.identity_policy_saved": _("Identity check policy saved"),
    "documents.template_saved": _("Document template saved"),
    "documents.policy_saved": _("Reminder policy saved"),
    "notify.confirmed_sent": _("Delivery confirmed by HR"),
    "notify.resend_requested": _("Resend requested"),
    "notify.retry_requested": _("Retry requested"),
    "documents.code_failed": _("Wrong verification code"),
    "documents.verified": _("Identity verified"),
    "documents.hr_warned": _("HR warned: not signed"),
    "documents.fallback_opened": _("Fallback notice path opened"),
    "documents.notified_by_fallback": _("Notice served by registered mail or public notice"),
    "advance.issued": _("Advance or loan paid out"),
    "attendance.profile_saved": _("Attendance settings saved"),
    "attendance.punches_imported": _("Punch records imported"),
    "attendance.punches_recorded": _("Punch records added"),
    "calendar.day_set": _("Work calendar day set"),
    "calendar.reseeded": _("Work calendar rebuilt"),
    "complaint.recorded": _("Client complaint recorded"),
    "discipline.review_opened": _("Dismissal review opened"),
    "discipline.review_closed": _("Dismissal review closed"),
    "discipline.rule_saved": _("Escalation rule saved"),
    "handbook.clause_saved": _("Handbook clause saved"),
    "leave.balance_set": _("Leave balance set"),
    "review.kpis_reset": _("KPIs reset"),
    "review.scored": _("Performance review scored"),
    "shift.assigned": _("Shift assigned"),
    "shift.saved": _("Shift saved"),
    "violation.recorded": _("Violation recorded"),
    "department.created": _("Department created"),
    "position.created": _("Position created"),
    "notify.undeliverable": _("Notification cannot be delivered"),
    "process.started": _("Process started"),
    "process.step_opened": _("Process step opened"),
    "process.step_approved": _("Process step approved"),
    "process.step_completed": _("Process step completed"),
    "process.step_rejected": _("Process step rejected"),
    "process.step_delegated": _("Process step delegated"),
    "process.step_paused": _("Process step paused"),
    "process.step_resumed": _("Process step resumed"),
    "process.step_escalated": _("Overdue step escalated"),
    "process.completed": _("Process completed"),
    "process.rejected": _("Process rejected"),
    "process.cancelled": _("Process cancelled"),
    "process.party_added": _("Party added to the process"),
    "process.template_saved": _("Process template saved"),
}

_SUBJECTS: dict[str, str | Promise] = {
    "employee": _("Employee"),
    "contract": _("Contract"),
    "lifecycle": _("Lifecycle"),
    "attendance": _("Attendance"),
    "calendar": _("Work calendar"),
    "punches": _("Punch records"),
    "leave": _("Leave"),
    "trip": _("Business trip"),
    "expense": _("Expense claim"),
    "advance": _("Advance"),
    "review_cycle": _("Review cycle"),
    "review": _("Performance review"),
    "kpi": _("KPI"),
    "improvement_plan": _("Improvement plan"),
    "violation": _("Violation"),
    "discipline": _("Discipline"),
    "complaint": _("Client complaint"),
    "handbook": _("Handbook"),
    "documents": _("Document"),
    "template": _("Document template"),
    "notify": _("Notification"),
    "evidence": _("Evidence"),
    "esign": _("E-signature"),
}

_VERBS: dict[str, str | Promise] = {
    "created": _("created"),
    "updated": _("changed"),
    "saved": _("saved"),
    "deleted": _("deleted"),
    "imported": _("imported"),
    "exported": _("exported"),
    "requested": _("requested"),
    "submitted": _("submitted"),
    "approved": _("approved"),
    "rejected": _("rejected"),
    "cancelled": _("cancelled"),
    "closed": _("closed"),
    "reopened": _("reopened"),
    "decided": _("decided"),
    "investigated": _("investigated"),
    "acknowledged": _("acknowledged by the employee"),
    "refused": _("acknowledgement refused"),
    "linked": _("linked"),
    "resolved": _("resolved"),
    "settled": _("settled"),
    "files_added": _("files added"),
    "sent": _("sent"),
    "queued": _("queued"),
    "delivered": _("delivered"),
    "failed": _("failed"),
    "opened": _("opened"),
    "viewed": _("viewed"),
    "signed": _("signed"),
    "declined": _("declined"),
    "expired": _("expired"),
    "reminded": _("reminder sent"),
    "downloaded": _("downloaded"),
    "rendered": _("rendered"),
    "unlocked": _("unlocked"),
    "receipt": _("provider receipt"),
    "repaid": _("repaid"),
    "reset": _("reset"),
    "otp_sent": _("verification code sent"),
    "otp_verified": _("verification code accepted"),
    "otp_failed": _("wrong verification code"),
    "sealed": _("sealed"),
    "completed": _("completed"),
    "bounced": _("bounced"),
    "notified": _("notified"),
    "approved_by_manager": _("approved by the manager"),
    "rejected_by_manager": _("rejected by the manager"),
    "approved_by_finance": _("approved by finance"),
    "rejected_by_finance": _("rejected by finance"),
    "passed": _("goals met"),
}


def register(actions: Mapping[str, str | Promise]) -> None:
    """Add (or override) labels for whole actions."""
    _ACTIONS.update(actions)


def label(action: str) -> str:
    """The label in the active language; the machine name if nothing is known about it."""
    if action in _ACTIONS:
        return str(_ACTIONS[action])
    subject, _dot, verb = action.rpartition(".")
    subject_label, verb_label = _SUBJECTS.get(subject), _VERBS.get(verb)
    if verb_label:
        # Translators: an evidence action composed of its subject and verb, e.g. "Violation: investigated".
        return _("%(subject)s: %(verb)s") % {"subject": subject_label or action, "verb": verb_label}
    return action


def label_zh(action: str) -> str:
    """The Chinese label (documents for an arbitrator are Chinese whatever the viewer's language)."""
    with override("zh-hans"):
        return label(action)


# Done by the employee through the signing link (no user account is signed in): attributed to the
# employee the event concerns, never to "system".
SIGNER_ACTIONS = frozenset({
    "documents.opened", "documents.code_sent", "documents.code_failed", "documents.verified",
    "documents.signed", "documents.declined", "documents.downloaded", "documents.sign_refused",
    "documents.clause_acknowledged",
    "esign.viewed", "esign.otp_verified", "esign.signed", "esign.declined",
})
