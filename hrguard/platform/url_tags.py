"""``{% url %}`` with each reversed URL remembered: a template builtin (``TEMPLATES[…]["OPTIONS"]["builtins"]``)
that replaces Django's tag of the same name.

A profile page has ~20 ``{% url %}``; each one walks the URL resolver again (``reverse`` ~30 µs) for a
result fixed by its inputs: the URL configuration, the script prefix, the view name, the arguments and
the current application. Those, when every argument is an ``int`` or a ``str`` (not a ``bool``), are the key of the
remembered URL (with their types: ``1`` and ``True`` give different URLs); anything else is reversed as
Django does. The output — escaping, ``as var``, ``NoReverseMatch`` — is Django's ``URLNode``'s."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_REVERSED: dict[tuple[Any, ...], str] = {}
_REVERSED_MAX = 20_000
def _plain(value: Any) -> bool:
    """An ``int`` or ``str`` (subclasses too — template literals are ``SafeString`` —, not ``bool``)."""
    return isinstance(value, int | str) and not isinstance(value, bool)


def reverse_remembered(view_name: str, args: list[Any], kwargs: dict[str, Any], current_app: Any) -> str:
    """``reverse(view_name, args=…, kwargs=…, current_app=…)``, remembered when every input is plain."""
    if not (_plain(view_name) and all(map(_plain, args)) and all(map(_plain, kwargs.values()))
            and (current_app is None or _plain(current_app))):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), view_name, current_app,
           *((type(a), a) for a in args), *sorted((k, type(v), v) for k, v in kwargs.items()))
    url = _REVERSED.get(key)
    if url is None:
        url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        if len(_REVERSED) >= _REVERSED_MAX:
            _REVERSED.clear()
        _REVERSED[key] = url
    return url


class RememberedURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_remembered(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    node = django_url(parser, token)
    node.__class__ = RememberedURLNode
    return node
