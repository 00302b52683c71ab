"""Chinese/English labels of the evidence actions early warning records (registered by ``apps.ready``)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "risk.rule_saved": _("Early-warning rule saved"),
    "risk.rule_switched": _("Early-warning rule switched on or off"),
    "risk.alert_raised": _("Early-warning alert raised"),
    "risk.alert_viewed": _("Early-warning alert viewed"),
    "risk.alert_acknowledged": _("Early-warning alert acknowledged"),
    "risk.alert_dismissed": _("Early-warning alert dismissed as a false alarm"),
    "risk.alert_acted": _("Early-warning alert acted on"),
    "risk.alerts_listed": _("Early-warning alerts listed"),
    "risk.scan_started": _("Early-warning scan started"),
    "risk.scan_finished": _("Early-warning scan finished"),
    "risk.check_run": _("Background check run on signed consent"),
    "risk.check_viewed": _("Background check result viewed"),
}
