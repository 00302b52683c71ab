"""Who can be reached on which channel. ``Directory`` answers for many recipients with few queries
(company configuration per channel once, platform user ids prefetched per channel)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from . import adapters
from .adapters import config_problem
from .models import Channel, ChannelIdentity

CHAT_CHANNELS = (Channel.WECOM, Channel.DINGTALK, Channel.FEISHU)


def is_user(recipient: Any) -> bool:
    return hasattr(recipient, "role") and hasattr(recipient, "username")


def user_of(recipient: Any) -> Any:
    return recipient if is_user(recipient) else getattr(recipient, "user", None)


def employee_of(recipient: Any) -> Any:
    if is_user(recipient):
        return getattr(recipient, "employee", None)  # None when the user has no employee record
    return recipient


def display_name(recipient: Any) -> str:
    if is_user(recipient):
        return recipient.get_full_name() or recipient.username
    return str(getattr(recipient, "name", recipient))


class Directory:
    def __init__(self) -> None:
        self._problems: dict[tuple[int, str], str] = {}
        self._sources: dict[tuple[int, str], str] = {}
        self._idents: dict[str, dict[int, str]] = {}

    def prefetch(self, recipients: Iterable[Any], channels: Iterable[str]) -> None:
        ids = [e.pk for e in (employee_of(r) for r in recipients) if e is not None]
        for channel in set(channels) & set(CHAT_CHANNELS):
            rows = ChannelIdentity.objects.filter(employee_id__in=ids, channel=channel).values_list(
                "employee_id", "external_id"
            )
            known = self._idents.setdefault(channel, {})
            known.update(dict.fromkeys(ids, ""))
            known.update(dict(rows))

    def config_problem(self, company_id: int, channel: str) -> str:
        key = (company_id, channel)
        if key not in self._problems:
            self._problems[key] = config_problem(company_id, channel)
        return self._problems[key]

    def _source(self, company_id: int, channel: str) -> str:
        key = (company_id, channel)
        if key not in self._sources:
            cfg = adapters.config_of(company_id, channel)
            self._sources[key] = str((cfg.settings.get("user_id_field") if cfg else "") or "")
        return self._sources[key]

    def _ident(self, employee: Any, channel: str) -> str:
        known = self._idents.setdefault(channel, {})
        if employee.pk not in known:
            rows = ChannelIdentity.objects.filter(employee=employee, channel=channel)
            known[employee.pk] = next(iter(rows.values_list("external_id", flat=True)), "")
        return known[employee.pk]

    def address(self, recipient: Any, channel: str) -> str:
        """The address a channel needs for this employee or user; '' if there is none."""
        if channel == Channel.EMAIL:
            return getattr(recipient, "email", "") or ""
        if channel == Channel.INAPP:  # a user id: no need to look up the employee record
            user = user_of(recipient)
            return str(user.pk) if user is not None and user.is_active else ""
        employee = employee_of(recipient)
        if channel == Channel.SMS:
            return (getattr(employee, "phone", "") or "") if employee is not None else ""
        if channel in CHAT_CHANNELS and employee is not None:
            ident = self._ident(employee, channel)
            if ident:
                return ident
            source = self._source(employee.company_id, channel)
            if source == "employee_no":
                return employee.employee_no
            if source == "email":
                return employee.email or ""
        return ""

    def problems(self, recipient: Any, channels: Sequence[str]) -> dict[str, str]:
        """``{channel: reason}`` for each chosen channel that cannot reach the recipient."""
        problems: dict[str, str] = {}
        company_id = getattr(recipient, "company_id", None)
        for channel in channels:
            if channel not in Channel.values:
                problems[str(channel)] = _("Unknown channel “%(channel)s”.") % {"channel": channel}
                continue
            label = Channel(channel).label
            if company_id is not None:
                problem = self.config_problem(company_id, channel)
                if problem:
                    problems[channel] = f"{label}: {problem}"
                    continue
            if self.address(recipient, channel):
                continue
            reason = {
                Channel.EMAIL: _("%(name)s has no email address on file, so %(channel)s cannot reach them."),
                Channel.SMS: _("%(name)s has no mobile number on file, so %(channel)s cannot reach them."),
                Channel.INAPP: _("%(name)s has no active user account, so %(channel)s cannot reach them."),
            }.get(channel, _("%(name)s has no %(channel)s user id on file, so %(channel)s cannot reach them."))
            problems[channel] = reason % {"name": display_name(recipient), "channel": label}
        return problems
