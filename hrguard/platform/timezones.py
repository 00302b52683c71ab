"""Which clock a time on screen is in. Times are stored in UTC and shown in the time zone the deployment
runs in (``TIME_ZONE``, Asia/Shanghai by default, or one activated for the request); a screen that shows a
time says which, e.g. "2026-12-02 07:58（北京时间）" rather than a bare 07:58 that reads as UTC to someone
comparing with a log."""

from __future__ import annotations

import datetime as dt

from django.utils import dateformat, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Zones people call by a name rather than their IANA identifier; any other zone is shown by its identifier.
ZONE_NAMES: dict[str, Promise] = {
    "Asia/Shanghai": gettext_lazy("Beijing time"),
    "Asia/Chongqing": gettext_lazy("Beijing time"),
    "Asia/Harbin": gettext_lazy("Beijing time"),
    "Asia/Urumqi": gettext_lazy("Xinjiang time"),
    "PRC": gettext_lazy("Beijing time"),
    "Asia/Hong_Kong": gettext_lazy("Hong Kong time"),
    "Asia/Macau": gettext_lazy("Macau time"),
    "Asia/Taipei": gettext_lazy("Taipei time"),
    "UTC": gettext_lazy("UTC"),
}


def zone_label(name: str | None = None) -> str:
    """The name of the zone times are shown in (default: the current one): 北京时间 for Asia/Shanghai."""
    name = name or timezone.get_current_timezone_name()
    label = ZONE_NAMES.get(name)
    return str(label) if label is not None else name


def local_time(value: dt.datetime | None, fmt: str = "Y-m-d H:i") -> str:
    """``value`` in the current time zone, formatted, with the zone named: "2026-12-02 07:58 (Beijing time)"."""
    if value is None:
        return ""
    shown = timezone.localtime(value) if timezone.is_aware(value) else value
    return _("%(time)s (%(zone)s)") % {"time": dateformat.format(shown, fmt), "zone": zone_label()}
