"""Collection contacts on the engine (imported by ``WorkflowsConfig.ready``): the default template
``collection.contact`` started with each notice to the employee — the employee answers within a day
(the company's hours in ``CollectionSettings.response_hours`` drive the notice; the template's due and
ladder are data HR may edit): reminded when due, then the step goes to HR; then HR reviews (restricted:
hidden from the employee)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from hrguard.workflows import defaults

from .case_type import TEMPLATE_KEY

DEFINITION = {
    "stages": [
        {"key": "answer", "name": "员工反馈处理情况", "kind": "task", "restricted": False,
         "assignee": {"rule": "subject"}, "due": {"days": 1, "unit": "calendar"},
         "escalation": [{"after_days": 0, "action": "remind"}, {"after_days": 1, "action": "reassign", "role": "hr"}]},
        {"key": "hr_review", "name": "人事复核", "kind": "task", "restricted": True,
         "assignee": {"rule": "role", "role": "hr"}, "due": {"days": 2, "unit": "working"},
         "escalation": [{"after_days": 0, "action": "remind"}, {"after_days": 1, "action": "notify_superior"}]},
    ],
}

defaults.register_default(TEMPLATE_KEY, gettext_noop("Collection contact: employee answer and HR review"),
                          DEFINITION)
