"""The ``collection`` case type (registered with the generic cases, ``hrguard.cases.types``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CASE_TYPE = "collection"
TEMPLATE_KEY = "collection.contact"


def register_case_type() -> None:
    from django.urls import reverse

    from hrguard.cases import types

    from .models import Channel

    types.register(types.CaseType(
        key=CASE_TYPE, label=_("Collection contacts"), prefix="CS",
        # The engine process is started by ``services`` for each notice (the system starts it: the
        # front desk may log a contact without being allowed to start processes about employees).
        template_key="", view_perm="collection.view_contacts", manage_perm="collection.manage",
        categories=tuple(Channel.choices), fields_model="collection.CollectionFile",
        detail_url=lambda case: reverse("collection:file", args=[case.pk]),
        extra={"open_perm": "collection.log_contact", "process_template": TEMPLATE_KEY},
    ))
