"""Case types. A type is data plus a few names — no code here changes when one is added:

    types.register(CaseType(key="collection", label=_("Collection contacts"), prefix="CS",
                            template_key="cases.collection", view_perm="care.view_collection",
                            categories=(("call", _("Call")), …)))

* ``template_key``: the engine template started when a case of the type opens ('' = no process); the
  template itself is registered with ``workflows.defaults.register_default`` by the type's app;
* ``view_perm`` / ``manage_perm``: an extra django-rules permission (object: the case) a user must hold on
  top of the case rules (e.g. debt records have their own permission); '' = none;
* ``categories``: the choices of ``Case.category`` for the type;
* ``extra["open_perm"]``: a permission (no object) that also lets a user open a case of the type (e.g. the
  front desk logging a collection contact), beside ``cases.open_case``;
* ``fields_model``: ``"app_label.Model"`` of the type's own fields table (one-to-one ``case``), read by
  the type's own pages; the generic pages only link to ``detail_url(case)`` when given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CaseType:
    key: str
    label: Any
    prefix: str = "AJ"
    template_key: str = ""
    view_perm: str = ""
    manage_perm: str = ""
    categories: tuple[tuple[str, Any], ...] = ()
    fields_model: str = ""
    detail_url: Callable[[Any], str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def category_label(self, value: str) -> str:
        return str(dict(self.categories).get(value, value))


_TYPES: dict[str, CaseType] = {}


def register(case_type: CaseType) -> None:
    _TYPES[case_type.key] = case_type


def get(key: str) -> CaseType | None:
    return _TYPES.get(key)


def all_types() -> list[CaseType]:
    return list(_TYPES.values())


KEYPERSON = "keyperson"
GENERAL = "general"
KEYPERSON_TEMPLATE = "cases.keyperson"


def register_builtin_types() -> None:
    register(CaseType(
        key=GENERAL, label=_("General incident"),
        categories=(("conduct", _("Conduct")), ("complaint", _("Complaint")), ("safety", _("Safety")),
                    ("other", _("Other"))),
    ))
    register(CaseType(
        key=KEYPERSON, label=_("Key-person incident"), template_key=KEYPERSON_TEMPLATE,
        categories=(("resignation_risk", _("Resignation risk")), ("poaching", _("Poaching by a competitor")),
                    ("client_risk", _("Client relationship at risk")), ("absence", _("Long absence"))),
    ))
