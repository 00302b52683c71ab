"""``{% load i18n %}`` with constant ``{% translate "…" %}`` nodes rendered once per language.

Registered in ``TEMPLATES[…]["OPTIONS"]["libraries"]`` under the name ``i18n``, so every template's
``{% load i18n %}`` loads this library: Django's own i18n tags and filters, with one change. A
``{% translate %}`` of a string literal — no filter, no variable, at most a literal ``context`` — gives the
same text for every render in the same language, yet Django resolves, translates (through asgiref's
``Local`` twice), localises and escapes it each time: a profile page has ~60 of them. Such a node keeps
what it rendered per (language, autoescape) and returns that. Anything else is Django's node unchanged.
The remembered texts are dropped when the language settings change (tests override them).

The language itself is read once per template render (``render_language``), not by each node: every
``translation.get_language()`` goes through asgiref's ``Local`` (a lock and three Python calls), and a
profile page has ~45 such nodes. ``{% language %}`` (this library's, Django's node) forgets it for its
block and restores it after; each template render (an ``{% include %}`` too) starts without it."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, Parser, Token
from django.templatetags import i18n as django_i18n
from django.utils import translation

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

_LANGUAGE_SETTINGS = frozenset({"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "USE_I18N"})
_generation = [0]  # bumped when translations may change: every node's remembered text is then stale


@receiver(setting_changed)
def _forget(*, setting: str, **_kwargs: Any) -> None:
    if setting in _LANGUAGE_SETTINGS:
        _generation[0] += 1


def translations_generation() -> int:
    """Changes whenever remembered translations must be dropped (for other caches of translated text)."""
    return _generation[0]


def _is_constant(expression: FilterExpression | None) -> bool:
    if expression is None:
        return True
    var = getattr(expression, "var", None)
    return not expression.filters and isinstance(var, template.Variable) and var.literal is not None


_LANGUAGE_KEY = "hrguard.platform.i18n_tags.language"  # in the render context: this template render's language


def render_language(context: template.Context) -> str | None:
    """``translation.get_language()``, read once per template render and kept in its render context."""
    top = context.render_context.dicts[-1]
    try:
        return top[_LANGUAGE_KEY]
    except KeyError:
        language = top[_LANGUAGE_KEY] = translation.get_language()
        return language


class LanguageNode(django_i18n.LanguageNode):
    """``{% language %}``: Django's, and the block's nodes read the language it switches to."""

    def render(self, context: template.Context) -> str:
        top = context.render_context.dicts[-1]
        outer = top.pop(_LANGUAGE_KEY, _NONE)
        try:
            return super().render(context)
        finally:
            top.pop(_LANGUAGE_KEY, None)
            if outer is not _NONE:
                top[_LANGUAGE_KEY] = outer


_NONE = object()


class ConstantTranslateNode(django_i18n.TranslateNode):
    """A ``{% translate "literal" %}``: Django's rendering, remembered per language and autoescape."""

    def render(self, context: template.Context) -> str:
        key = (_generation[0], render_language(context), context.autoescape)
        cache: dict[tuple[Any, ...], str] = self.__dict__.setdefault("_rendered", {})
        value = cache.get(key)
        if value is None:
            if self.asvar:
                super().render(context)
                value = context[self.asvar]
            else:
                value = super().render(context)
            cache[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


def _translate(parser: Parser, token: Token) -> template.Node:
    node = django_i18n.do_translate(parser, token)
    if isinstance(node, django_i18n.TranslateNode) and _is_constant(node.filter_expression) \
            and _is_constant(node.message_context):
        node.__class__ = ConstantTranslateNode
    return node


def _language(parser: Parser, token: Token) -> template.Node:
    node = django_i18n.language(parser, token)
    if type(node) is django_i18n.LanguageNode:
        node.__class__ = LanguageNode
    return node


register.tag("translate", _translate)
register.tag("trans", _translate)
register.tag("language", _language)
