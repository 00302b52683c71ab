"""Build a channel adapter from a company's ChannelConfig."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hrguard.evidence import services as evidence

from .channels.aliyun_sms import AliyunSmsChannel
from .channels.base import Channel as ChannelAdapter
from .channels.dingtalk import DingTalkChannel
from .channels.email import EmailChannel
from .channels.feishu import FeishuChannel
from .channels.inapp import InAppChannel
from .channels.wecom import WeComChannel
from .models import Channel, ChannelConfig

ADAPTERS: dict[str, Any] = {
    Channel.EMAIL: EmailChannel,
    Channel.SMS: AliyunSmsChannel,
    Channel.WECOM: WeComChannel,
    Channel.DINGTALK: DingTalkChannel,
    Channel.FEISHU: FeishuChannel,
}
# Channels that work without a company configuration (email falls back to the server's SMTP settings).
NEEDS_NO_CONFIG = {Channel.INAPP, Channel.EMAIL}
# Settings each provider needs (non-secret, secret) — checked before anything is sent.
REQUIRED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Channel.SMS: (("sign_name",), ("access_key_id", "access_key_secret")),
    Channel.WECOM: (("corp_id", "agent_id"), ("corp_secret",)),
    Channel.DINGTALK: (("app_key", "agent_id"), ("app_secret",)),
    Channel.FEISHU: (("app_id",), ("app_secret",)),
}


class ChannelNotConfigured(Exception):
    """The company has not set up (or has disabled) this channel."""


def _config(company_id: int, channel: str) -> ChannelConfig | None:
    return ChannelConfig.objects.filter(company_id=company_id, channel=channel).first()


def config_problem(company_id: int, channel: str) -> str:
    """'' when the channel can be used by this company, else a sentence saying what is missing."""
    if channel in NEEDS_NO_CONFIG:
        cfg = _config(company_id, channel)
        if cfg is not None and not cfg.enabled:
            return _("%(channel)s is disabled for this company") % {"channel": Channel(channel).label}
        return ""
    cfg = _config(company_id, channel)
    label = Channel(channel).label
    if cfg is None:
        return _("%(channel)s is not set up for this company (ask an administrator to configure it)") % {
            "channel": label
        }
    if not cfg.enabled:
        return _("%(channel)s is disabled for this company") % {"channel": label}
    plain, secret_names = REQUIRED.get(channel, ((), ()))
    secret = secret_of(cfg)
    missing = [n for n in plain if not cfg.settings.get(n)] + [n for n in secret_names if not secret.get(n)]
    if missing:
        return _("%(channel)s configuration is missing: %(fields)s") % {"channel": label, "fields": ", ".join(missing)}
    return ""


def secret_of(cfg: ChannelConfig | None) -> dict[str, Any]:
    """The decrypted secrets of a channel configuration ({} when none)."""
    if cfg is None or not cfg.secret:
        return {}
    try:
        value = json.loads(cfg.secret)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def build_channel(company_id: int, channel: str) -> ChannelAdapter:
    if channel == Channel.INAPP:
        return InAppChannel()
    problem = config_problem(company_id, channel)
    if problem:
        raise ChannelNotConfigured(problem)
    cfg = _config(company_id, channel)
    settings = dict(cfg.settings) if cfg else {}
    secret = secret_of(cfg) if cfg else {}
    try:
        return ADAPTERS[channel](settings, secret)
    except KeyError as exc:
        raise ChannelNotConfigured(_("unknown channel %(c)s") % {"c": channel}) from exc


def configure(
    company: Any, channel: str, settings: dict[str, Any], secret: dict[str, Any] | None = None,
    *, enabled: bool = True, actor: Any = None,
) -> ChannelConfig:
    """Create or replace a company's configuration for one channel (secrets stored encrypted; the
    evidence event names the settings and secret fields, never the secret values)."""
    company_id = getattr(company, "pk", company)
    with transaction.atomic():
        cfg, created = ChannelConfig.objects.update_or_create(
            company_id=company_id, channel=channel,
            defaults={"settings": settings, "secret": json.dumps(secret or {}), "enabled": enabled},
        )
        evidence.record(
            company_id, actor, "notify.channel_configured", cfg,
            {"channel": channel, "enabled": enabled, "created": created, "settings": settings,
             "secret_fields": sorted(secret or {})},
        )
    return cfg
