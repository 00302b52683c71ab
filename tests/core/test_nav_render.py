"""The top bar's entries rendered by ``nav_items`` give the markup of the former template loop."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from hrguard.web.context_processors import NavGroup, NavLink, build_nav
from hrguard.web.templatetags.nav_tags import nav_items

pytestmark = pytest.mark.django_db

TEMPLATE_LOOP = """{% for group in nav_groups %}
{% if group.links|length == 1 %}{% with link=group.links.0 %}
<li class="nav-item"><a class="nav-link{% if link.active %} active{% endif %}" href="{{ link.url }}" data-nav="{{ link.url_name }}"{% if link.active %} aria-current="page"{% endif %}>{{ link.label }}</a></li>
{% endwith %}{% else %}
<li class="nav-item dropdown" data-nav-group="{{ group.key }}">
  <a class="nav-link dropdown-toggle{% if group.active %} active{% endif %}" href="#" role="button" data-bs-toggle="dropdown" aria-expanded="false">{{ group.label }}</a>
  <ul class="dropdown-menu">
    {% for link in group.links %}<li><a class="dropdown-item{% if link.active %} active{% endif %}" href="{{ link.url }}" data-nav="{{ link.url_name }}"{% if link.active %} aria-current="page"{% endif %}>{{ link.label }}</a></li>{% endfor %}
  </ul>
</li>
{% endif %}
{% endfor %}"""


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("user_key", ["hr", "manager", "employee", "finance"])
def test_nav_items_match_the_template_loop(world, user_key):
    request = RequestFactory().get("/people/")
    request.user = world.users[user_key]
    groups = build_nav(request)
    assert groups
    expected = Template(TEMPLATE_LOOP).render(Context({"nav_groups": groups}))
    assert squeeze(nav_items(groups)) == squeeze(expected)


def test_nav_items_escape_and_mark_the_active_link():
    odd = NavGroup("x<y", 'A&"B', [NavLink("<i>L</i>", "/a?b=1&c=2", "n:a", active=True), NavLink("M", "/m/", "n:m")])
    single = NavGroup("one", "One", [NavLink("Solo", "/s/", "n:s")])
    html = nav_items([odd, single])
    expected = Template(TEMPLATE_LOOP).render(Context({"nav_groups": [odd, single]}))
    assert squeeze(html) == squeeze(expected)
    assert "<i>" not in html and "&lt;i&gt;L&lt;/i&gt;" in html
    assert 'class="nav-link dropdown-toggle active"' in html and 'aria-current="page"' in html


def test_remembered_bar_follows_language_and_active_link(world):
    from django.utils import translation

    request = RequestFactory().get("/people/")
    request.user = world.users["hr"]
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            for path in ("/people/", "/", "/people/", "/notifications/"):
                request = RequestFactory().get(path)
                request.user = world.users["hr"]
                groups = build_nav(request)
                expected = Template(TEMPLATE_LOOP).render(Context({"nav_groups": groups}))
                assert squeeze(nav_items(groups)) == squeeze(expected), (language, path)
