"""Page predicates of the care pages, registered with ``people.pages`` (the navigation and ``guard``)."""

from __future__ import annotations

from hrguard.people import pages
from hrguard.people.pages import has_profile, perm

pages.PAGES.update({
    "care:talks": perm("care.view_care"),
    "care:aid_list": perm("care.view_aid_list"),
    "care:programmes": perm("care.view_care"),
    "care:eap_admin": perm("care.view_care"),
    "care:mine": has_profile,
})
