"""Evidence labels of the settings actions (registered with ``hrguard.evidence.labels`` at start-up)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "account.created": _("Login created"),
    "account.activation_issued": _("Activation link issued"),
    "account.activated": _("Login activated by its owner"),
    "account.deactivated": _("Login deactivated"),
    "account.reactivated": _("Login reactivated"),
    "account.role_changed": _("Role of a login changed"),
    "department.renamed": _("Department renamed"),
    "department.moved": _("Department moved"),
    "department.people_set": _("Department manager or HR partner set"),
    "department.deleted": _("Department deleted"),
    "position.changed": _("Position changed"),
    "position.deleted": _("Position deleted"),
    "company.city_set": _("Company city set"),
    "company.wage_saved": _("Local wage figure saved"),
    "company.wage_deleted": _("Local wage figure deleted"),
    "notify.identities_set": _("Chat ids changed"),
    "notify.identities_imported": _("Chat ids imported"),
}


def register() -> None:
    from hrguard.evidence.labels import register as register_labels

    register_labels(ACTIONS)
