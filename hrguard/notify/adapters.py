"""Build a channel adapter from a company's ChannelConfig."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


# Inside ``config_scope()`` a company's channel set-up is read once (one query for all its channels)
# instead of once per recipient and channel check; ``configure`` drops what the scope holds.
_SCOPE: ContextVar[dict[int, dict[str, ChannelConfig]] | None] = ContextVar("notify_config_scope", default=None)


@contextmanager
def config_scope() -> Iterator[None]:
    """Read each company's channel configuration at most once until the block ends (nested: the
    outermost scope holds). For one transition that notifies several people on several channels."""
    if _SCOPE.get() is not None:
        yield
        return
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


def config_of(company_id: int, channel: str) -> ChannelConfig | None:
    cache = _SCOPE.get()
    if cache is None:
        return ChannelConfig.objects.filter(company_id=company_id, channel=channel).first()
    if company_id not in cache:
        cache[company_id] = {c.channel: c for c in ChannelConfig.objects.filter(company_id=company_id)}
    return cache[company_id].get(channel)


def forget_configs(company_id: int) -> None:
    """A configuration changed: the current scope (if any) reads it again."""
    cache = _SCOPE.get()
    if cache is not None:
        cache.pop(company_id, None)


def config_problem(company_id: int, channel: str) -> str:
    """'' when the channel can be used by this company, else a sentence saying what is missing."""
    if channel in NEEDS_NO_CONFIG:
        cfg = config_of(company_id, channel)
        if cfg is not None and not cfg.enabled:
            return _("%(channel)s is disabled for this company") % {"channel": Channel(channel).label}
        return ""
    cfg = config_of(company_id, channel)
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
    cfg = config_of(company_id, channel)
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
        forget_configs(company_id)
        evidence.record(
            company_id, actor, "notify.channel_configured", cfg,
            {"channel": channel, "enabled": enabled, "created": created, "settings": settings,
             "secret_fields": sorted(secret or {})},
        )
    return cfg
