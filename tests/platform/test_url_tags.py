"""``{% url %}`` (``platform.url_tags``, a template builtin) renders what Django's own tag renders."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, Template
from django.test import override_settings
from django.urls import NoReverseMatch

SOURCE = """<a href="{% url 'people:employee_detail' pk %}">{% url 'people:employee_list' %}</a>
{% url 'people:reveal' pk field %} {% url name pk %} {% url 'people:employee_detail' pk=pk %}
{% url 'people:employee_detail' one %} {% url 'people:employee_detail' flag as f %}[{{ f }}]
{% url 'no-such-page' as missing %}[{{ missing }}]
{% url 'people:employee_list' as roster %}{{ roster }} {% autoescape off %}{% url 'people:reveal' pk odd %}{% endautoescape %}
{% url 'people:reveal' pk odd %}"""


def render(engine: Engine | None, **context: object) -> str:
    template = engine.from_string(SOURCE) if engine else Template(SOURCE)
    return template.render(Context(context))


@pytest.mark.parametrize("pk", [7, 12, "7"])
def test_same_output_as_djangos_tag_and_again(pk: object) -> None:
    django_own = Engine(builtins=[])  # Django's default builtins only
    values = {"pk": pk, "field": "phone", "name": "people:employee_detail", "flag": True, "one": 1,
              "odd": "a&b"}
    expected = render(django_own, **values)
    assert "[]" in expected and "/people/1/" in expected  # True is no pk: keyed by type, never 1's URL
    for _ in range(2):
        assert render(None, **values) == expected  # the project's engine: platform.url_tags


def test_unknown_names_still_raise() -> None:
    with pytest.raises(NoReverseMatch):
        Template("{% url 'no-such-page' %}").render(Context())


def test_another_url_configuration_is_not_mixed_up() -> None:
    page = Template("{% url 'people:employee_list' %}")
    assert page.render(Context()) == "/people/"
    with override_settings(FORCE_SCRIPT_NAME="/hr/"):
        from django.urls import set_script_prefix

        set_script_prefix("/hr/")
        try:
            assert page.render(Context()) == "/hr/people/"
        finally:
            set_script_prefix("/")
    assert page.render(Context()) == "/people/"
