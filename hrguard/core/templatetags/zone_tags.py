"""``{{ value|local_time }}`` (or ``|local_time:"Y-m-d H:i:s"``): a time in the zone it is shown in, with that
zone named — ``2026-12-02 07:58（北京时间）``. See hrguard.platform.timezones."""

from __future__ import annotations

import datetime as dt

from django import template

from hrguard.platform import timezones

register = template.Library()


@register.filter(name="local_time")
def local_time(value: dt.datetime | None, fmt: str = "Y-m-d H:i") -> str:
    return timezones.local_time(value, fmt)


@register.simple_tag(name="time_zone_label")
def time_zone_label() -> str:
    return timezones.zone_label()
