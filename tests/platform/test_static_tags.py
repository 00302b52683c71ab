"""``{% load static %}`` (``platform.static_tags``) renders what Django's own library renders, and follows
the storage settings when they change."""

from __future__ import annotations

from django.template import Context, Engine, Template
from django.test import override_settings
from django.utils.functional import lazy

SOURCE = """{% load static %}<link href="{% static 'hrguard/app.css' %}">{% static path %}
{% static 'a b&c.js' %} {% static path as found %}[{{ found }}] {% static lazy_path %}
{% autoescape off %}{% static 'a b&c.js' %}{% endautoescape %} {% get_static_prefix %} {% get_media_prefix %}"""


def _render(engine: Engine | None, **context: object) -> str:
    template = engine.from_string(SOURCE) if engine else Template(SOURCE)
    return template.render(Context(context))


def _values() -> dict[str, object]:
    return {"path": "vendor/htmx/htmx.min.js", "lazy_path": lazy(lambda: "x&y.css", str)()}


def test_same_output_as_djangos_library_and_again() -> None:
    django_own = Engine(libraries={"static": "django.templatetags.static"})  # Django's own library
    expected = _render(django_own, **_values())
    assert "/static/hrguard/app.css" in expected and "a%20b%26c.js" in expected
    for _ in range(3):
        assert _render(None, **_values()) == expected  # the project's engine: platform.static_tags


def test_a_changed_static_url_is_followed() -> None:
    page = Template("{% load static %}{% static 'hrguard/app.css' %}")
    assert page.render(Context()) == "/static/hrguard/app.css"
    with override_settings(STATIC_URL="/assets/"):
        assert page.render(Context()) == "/assets/hrguard/app.css"
    assert page.render(Context()) == "/static/hrguard/app.css"


def test_the_library_is_the_projects() -> None:
    from django.template import engines

    from hrguard.platform import static_tags

    library = engines["django"].engine.template_libraries["static"]
    assert library is static_tags.register
    assert {"static", "get_static_prefix", "get_media_prefix"} <= set(library.tags)
