"""``{% load i18n %}`` (``platform.i18n_tags``) renders what Django's own i18n library renders."""

from __future__ import annotations

from typing import Any

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


def test_language_block_and_same_context_rendered_again_in_another_language() -> None:
    django_own, ours = engines()
    source = ('{% load i18n %}{% translate "Line manager" %}|{% language "en" %}{% translate "Line manager" %}'
              '{% language "zh-hans" %}/{% translate "Line manager" %}{% endlanguage %}/{% translate "Position" %}'
              '{% endlanguage %}|{% translate "Line manager" %}{% include inner %}')
    inner = '{% load i18n %}({% translate "Position" %})'
    theirs, mine = django_own.from_string(source), ours.from_string(source)
    for lang in ("zh-hans", "en", "zh-hans"):
        with translation.override(lang):
            expected = theirs.render(Context({"inner": django_own.from_string(inner)}))
            context = Context({"inner": ours.from_string(inner)})
            assert mine.render(context) == expected
            assert "Line manager|Line manager" not in expected or lang == "en"  # both languages really appear
            with translation.override("en" if lang == "zh-hans" else "zh-hans"):
                # The same context object rendered again under another language reads that language.
                again = theirs.render(Context({"inner": django_own.from_string(inner)}))
                assert mine.render(context) == again != expected


@pytest.mark.django_db
def test_language_switch_changes_the_page_within_one_thread(client: Any, world: Any) -> None:
    """Served in Chinese, then the same thread serves the same page in English once the user switches, and
    in Chinese again: nothing keeps a language from one request (or render) to the next."""
    from django.conf import settings
    from django.urls import reverse

    client.force_login(world.users["hr"])
    url = reverse("people:employee_list")
    pages = []
    for language in ("zh-hans", "en", "zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages.append(client.get(url).content.decode())
    for language, html in zip(("zh-hans", "en", "zh-hans", "en"), pages, strict=True):
        assert f'<html lang="{language}">' in html
        english = ">Employee number<" in html and ">Log out<" in html and "HR risk management" in html
        assert english == (language == "en"), language
        assert (">工号<" in html) == (language == "zh-hans"), language
