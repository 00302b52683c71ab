"""``{% load i18n %}`` (``platform.i18n_tags``) renders what Django's own i18n library renders."""

from __future__ import annotations

import pytest
from django.template import Context, Engine
from django.test import override_settings
from django.utils import translation

SOURCE = """{% load i18n %}<p title="{% translate 'Department' %}">{% translate "Line manager" %}</p>
{% trans "Position" %} {% translate "May" context "month name" %} {% translate "Save" as saved %}[{{ saved }}]
{% translate "Tom & <Jerry>" %} {% translate "Position" noop %} {% translate word %} {% translate "save"|upper %}
{% autoescape off %}{% translate "Tom & <Jerry>" %}{% endautoescape %}
{% blocktranslate with n=3 %}{{ n }} days left{% endblocktranslate %}"""


def engines() -> tuple[Engine, Engine]:
    django_own = Engine(libraries={"i18n": "django.templatetags.i18n"})
    ours = Engine(libraries={"i18n": "hrguard.platform.i18n_tags"})
    return django_own, ours


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_same_output_as_django_in_each_language_and_again(language: str) -> None:
    django_own, ours = engines()
    theirs, mine = django_own.from_string(SOURCE), ours.from_string(SOURCE)
    for word in ("Position", "Department"):
        for lang in (language, "en" if language == "zh-hans" else "zh-hans", language):  # remembered per language
            with translation.override(lang):
                expected = theirs.render(Context({"word": word}))
                assert mine.render(Context({"word": word})) == expected
                assert mine.render(Context({"word": word}, autoescape=False)) == \
                    theirs.render(Context({"word": word}, autoescape=False))


def test_chinese_screens_get_the_chinese_text() -> None:
    _django_own, ours = engines()
    page = ours.from_string('{% load i18n %}{% translate "Line manager" %}')
    with translation.override("zh-hans"):
        chinese = page.render(Context())
    with translation.override("en"):
        assert page.render(Context()) == "Line manager"
    assert chinese != "Line manager" and chinese.strip()


def test_remembered_text_is_dropped_when_the_language_settings_change() -> None:
    _django_own, ours = engines()
    page = ours.from_string('{% load i18n %}{% translate "Line manager" %}')
    with translation.override("zh-hans"):
        before = page.render(Context())
        with override_settings(LOCALE_PATHS=[], LANGUAGE_CODE="en-us"):
            # The project's catalog is gone: Django's text is the msgid again, and so is ours.
            assert page.render(Context()) == Engine(libraries={"i18n": "django.templatetags.i18n"}) \
                .from_string('{% load i18n %}{% translate "Line manager" %}').render(Context())
        assert page.render(Context()) == before
