"""Add the emergency-aid fact ``aid_outstanding`` to exit templates saved before it existed (issue 12).

The default exit templates' finance clearance gained ``aid_outstanding == 0.0`` with the care app; templates
companies already had keep their saved versions. Migration ``offboarding.0003`` runs ``upgrade`` once per
database. Decisions (documented in hrguard/offboarding/README.md):

* the change is a NEW template version (number + 1, ``created_by`` empty = the system); running and past
  exits keep the version they started with, new exits start on the new one;
* skipped — the latest version already names ``aid_outstanding`` anywhere (a default created after the care
  app, or an admin added it);
* skipped — an earlier version of the same template named it and the latest does not: an admin removed
  it deliberately;
* skipped — the finance step (key ``finance``) is missing or its gate is not exactly the old default
  ``advances_outstanding == 0.0 && claims_pending == 0``: an admin rewrote finance clearance, so HR adds the
  fact by hand on the template page (the migration prints which).
Otherwise the finance gate becomes the current ``GATE_FINANCE`` and, where the process gate still holds the
old finance clause verbatim, that clause too. Pure data (model classes passed in), so the migration can use
historical models; a data migration writes no evidence event (the new version row is the record).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .processes import GATE_FINANCE, KEYS

FACT = "aid_outstanding"
OLD_FINANCE = "advances_outstanding == 0.0 && claims_pending == 0"


@dataclass
class Report:
    upgraded: list[str] = field(default_factory=list)  # "<company id>:<key> v<n>"
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (template, reason)


def _finance(definition: dict[str, Any]) -> dict[str, Any] | None:
    for stage in definition.get("stages", []):
        for step in stage.get("parallel", [stage]):
            if step.get("key") == "finance":
                return step
    return None


def upgraded(definition: dict[str, Any]) -> dict[str, Any] | None:
    """The definition with the fact added, or None when it must be left alone."""
    step = _finance(definition)
    if step is None or str(step.get("gate", "")).strip() != OLD_FINANCE:
        return None
    new = copy.deepcopy(definition)
    step = _finance(new)
    assert step is not None
    step["gate"] = GATE_FINANCE
    gate = str(new.get("gate", ""))
    if f"({OLD_FINANCE})" in gate:
        new["gate"] = gate.replace(f"({OLD_FINANCE})", f"({GATE_FINANCE})", 1)
    return new


def upgrade(template_model: Any, version_model: Any) -> Report:
    report = Report()
    for template in template_model.objects.filter(key__in=KEYS).order_by("company_id", "key"):
        versions = list(version_model.objects.filter(template=template).order_by("-number"))
        if not versions:
            continue
        name = f"{template.company_id}:{template.key}"
        latest = versions[0]
        if FACT in repr(latest.definition):
            report.skipped.append((name, "has it"))
            continue
        if any(FACT in repr(v.definition) for v in versions[1:]):
            report.skipped.append((name, "removed by an admin"))
            continue
        new = upgraded(latest.definition)
        if new is None:
            report.skipped.append((name, "finance gate edited by an admin"))
            continue
        version_model.objects.create(company_id=template.company_id, template=template, number=latest.number + 1,
                                     definition=new, created_by=None)
        report.upgraded.append(f"{name} v{latest.number + 1}")
    return report
