"""``{% load static %}`` with each static file's URL remembered.

Registered in ``TEMPLATES[…]["OPTIONS"]["libraries"]`` under the name ``static``, so every template's
``{% load static %}`` loads this library: Django's own tags (``static``, ``get_static_prefix``,
``get_media_prefix``), with one change. Every page has seven ``{% static %}`` (style sheets, scripts, the
icon), and each one goes through the staticfiles storage proxy, ``apps.is_installed``, ``urljoin`` and
escaping again for a URL fixed by the path and the storage. A ``{% static %}`` whose path resolves to a
``str`` keeps the URL it rendered per (path, autoescape); anything else is Django's node unchanged. The
remembered URLs are dropped when the storage or URL settings change (tests override them)."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags import static as django_static
from django.utils.html import conditional_escape

register = template.Library()
register.tags.update(django_static.register.tags)
register.filters.update(django_static.register.filters)

_STORAGE_SETTINGS = frozenset({"STORAGES", "STATIC_URL", "STATIC_ROOT", "MEDIA_URL", "FORCE_SCRIPT_NAME",
                               "INSTALLED_APPS"})
_URLS: dict[tuple[str, bool], str] = {}
_URLS_MAX = 4096


@receiver(setting_changed)
def _forget(*, setting: str, **_kwargs: Any) -> None:
    if setting in _STORAGE_SETTINGS:
        _URLS.clear()


class RememberedStaticNode(django_static.StaticNode):
    def render(self, context: template.Context) -> str:
        path = self.path.resolve(context)
        if not isinstance(path, str):
            return super().render(context)
        key = (str(path), bool(context.autoescape))
        url = _URLS.get(key)
        if url is None:
            url = self.handle_simple(path)
            if context.autoescape:
                url = conditional_escape(url)
            if len(_URLS) >= _URLS_MAX:
                _URLS.clear()
            _URLS[key] = url
        if self.varname is None:
            return url
        context[self.varname] = url
        return ""


@register.tag("static")
def do_static(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    node = django_static.do_static(parser, token)
    node.__class__ = RememberedStaticNode
    return node
