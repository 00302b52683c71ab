"""Notification channel settings and each person's chat ids, for the settings pages.

``save_channel`` wraps ``hrguard.notify.adapters.configure`` (which records the evidence) with the
``configuration.manage_channels`` check and validation; secret fields are write-only: a blank one keeps the
stored value, and no page ever shows a secret back (only whether one is set). Chat ids are
``notify.ChannelIdentity`` rows: ``set_identities`` for one employee, ``import_identities`` from a
spreadsheet (工号 and one column per platform), all rows checked before anything is saved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrguard.core.models import User
from hrguard.evidence import services as evidence
from hrguard.notify.adapters import config_problem, configure, secret_of
from hrguard.notify.models import Channel, ChannelConfig, ChannelIdentity
from hrguard.people.models import Employee
from hrguard.platform import spreadsheets
from hrguard.platform.errors import require


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    secret: bool = False
    kind: str = "text"  # text | int | bool


CHANNEL_FIELDS: dict[str, tuple[Field, ...]] = {
    Channel.EMAIL: (
        Field("host", gettext_lazy("SMTP server")), Field("port", gettext_lazy("Port"), kind="int"),
        Field("use_tls", gettext_lazy("STARTTLS"), kind="bool"), Field("use_ssl", gettext_lazy("SSL/TLS"), kind="bool"),
        Field("username", gettext_lazy("User name")), Field("from_address", gettext_lazy("Sender address")),
        Field("password", gettext_lazy("Password"), secret=True),
    ),
    Channel.SMS: (
        Field("sign_name", gettext_lazy("SMS signature")), Field("template_code", gettext_lazy("Template code")),
        Field("region", gettext_lazy("Region")), Field("access_key_id", gettext_lazy("AccessKey ID"), secret=True),
        Field("access_key_secret", gettext_lazy("AccessKey secret"), secret=True),
    ),
    Channel.WECOM: (
        Field("corp_id", gettext_lazy("Corp ID")), Field("agent_id", gettext_lazy("Agent ID"), kind="int"),
        Field("corp_secret", gettext_lazy("App secret"), secret=True),
    ),
    Channel.DINGTALK: (
        Field("app_key", gettext_lazy("App key")), Field("agent_id", gettext_lazy("Agent ID"), kind="int"),
        Field("app_secret", gettext_lazy("App secret"), secret=True),
    ),
    Channel.FEISHU: (
        Field("app_id", gettext_lazy("App ID")), Field("app_secret", gettext_lazy("App secret"), secret=True),
    ),
}
CHAT_CHANNELS = (Channel.WECOM, Channel.DINGTALK, Channel.FEISHU)
MAX_ID = 120
IMPORT_LIMITS = spreadsheets.Limits(rows=100_001, columns=20, unpacked_bytes=32 * spreadsheets.MB)


@dataclass(frozen=True)
class ChannelState:
    channel: str
    label: Any
    configured: bool
    enabled: bool
    problem: str
    settings: dict[str, Any]
    secrets_set: tuple[str, ...]  # names of the secret fields that hold a value (never the values)


def channel_states(company_id: int) -> list[ChannelState]:
    configs = {c.channel: c for c in ChannelConfig.objects.filter(company_id=company_id)}
    out = []
    for channel in CHANNEL_FIELDS:
        cfg = configs.get(channel)
        secret = secret_of(cfg)
        out.append(ChannelState(channel, Channel(channel).label, cfg is not None, cfg.enabled if cfg else False,
                                config_problem(company_id, channel), dict(cfg.settings) if cfg else {},
                                tuple(sorted(k for k, v in secret.items() if v))))
    return out


def _value(field: Field, raw: Any, errors: dict[str, list[str]]) -> Any:
    if field.kind == "bool":
        return raw in (True, "on", "1", "true")
    text = str(raw or "").strip()
    if len(text) > 200 or any(ord(ch) < 32 for ch in text):
        errors.setdefault(field.name, []).append(_("At most 200 characters, on one line."))
        return ""
    if field.kind == "int" and text:
        if not text.isdigit() or int(text) > 10**12:
            errors.setdefault(field.name, []).append(_("Enter a whole number."))
            return ""
        return int(text)
    return text


@transaction.atomic
def save_channel(*, actor: User, channel: str, data: dict[str, Any], enabled: bool) -> ChannelConfig:
    require(actor, "configuration.manage_channels")
    if channel not in CHANNEL_FIELDS:
        raise ValidationError({"channel": [_("Unknown channel.")]})
    cfg = ChannelConfig.objects.select_for_update().filter(company_id=actor.company_id, channel=channel).first()
    settings = dict(cfg.settings) if cfg else {}
    secret = secret_of(cfg)
    errors: dict[str, list[str]] = {}
    for field in CHANNEL_FIELDS[channel]:
        value = _value(field, data.get(field.name), errors)
        if field.secret:
            if data.get(f"clear_{field.name}"):
                secret.pop(field.name, None)
            elif value:
                secret[field.name] = value  # blank keeps the stored secret
        elif value in ("", None):
            settings.pop(field.name, None)
        else:
            settings[field.name] = value
    if errors:
        raise ValidationError(errors)
    return configure(actor.company_id, channel, settings, secret, enabled=enabled, actor=actor)


def identities_of(company_id: int, employee_ids: list[int]) -> dict[int, dict[str, str]]:
    """``{employee id: {channel: external id}}`` for a page of employees (one query)."""
    out: dict[int, dict[str, str]] = {}
    rows = ChannelIdentity.objects.filter(company_id=company_id, employee_id__in=employee_ids)
    for emp_id, channel, ext in rows.values_list("employee_id", "channel", "external_id"):
        out.setdefault(emp_id, {})[channel] = ext
    return out


def _clean_id(raw: Any) -> tuple[str, str]:
    """(value, error) for one chat id cell."""
    text = "" if raw is None else str(raw).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a numeric cell read back as a float
        text = text[:-2]
    if len(text) > MAX_ID:
        return "", _("At most %(n)s characters.") % {"n": MAX_ID}
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        return "", _("A chat id contains no spaces or control characters.")
    return text, ""


def _apply(company_id: int, employee: Employee, values: dict[str, str]) -> dict[str, Any]:
    """Write one employee's ids (blank deletes); the change as {channel: [before, after]}."""
    current = {i.channel: i for i in ChannelIdentity.objects.filter(company_id=company_id, employee=employee)}
    changed: dict[str, Any] = {}
    for channel, value in values.items():
        row = current.get(channel)
        before = row.external_id if row else ""
        if before == value:
            continue
        if not value:
            row.delete()  # type: ignore[union-attr]
        elif row:
            row.external_id = value
            row.save(update_fields=["external_id"])
        else:
            ChannelIdentity.objects.create(company_id=company_id, employee=employee, channel=channel,
                                           external_id=value)
        changed[channel] = [before, value]
    return changed


@transaction.atomic
def set_identities(*, actor: User, employee_id: Any, values: dict[str, Any]) -> dict[str, Any]:
    require(actor, "configuration.manage_identities")
    employee = Employee.objects.filter(company_id=actor.company_id, pk=_pk(employee_id)).first()
    if employee is None:
        raise ValidationError({"employee": [_("No such employee.")]})
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    for channel in CHAT_CHANNELS:
        if channel in values:
            clean[channel], error = _clean_id(values[channel])
            if error:
                errors.setdefault(channel, []).append(error)
    if errors:
        raise ValidationError(errors)
    changed = _apply(actor.company_id, employee, clean)
    if changed:
        evidence.record(actor.company_id, actor, "notify.identities_set", employee, {"changed": changed},
                        employee=employee)
    return changed


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
