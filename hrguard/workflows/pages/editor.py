"""The template editor as data: a definition (``workflows.templates``) shown as stages of step rows, the
posted form read back (tolerantly: what the admin typed is kept, the validation says what is wrong),
the editing operations (add, remove, reorder, parallel groups, escalation levels), and the validation's
messages put next to the step they concern."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

MAX_STAGES = 50
MAX_PER_STAGE = 20
MAX_LEVELS = 8
EVENTS = ("on_complete", "on_approved", "on_rejected")
PROCESS_EVENTS = ("on_approved", "on_rejected", "on_cancelled", "on_complete")
STEP_KEYS = {"key", "name", "kind", "assignee", "due", "until", "escalation", "gate", "restricted", "after", *EVENTS}
PROCESS_KEYS = {"stages", "gate", *PROCESS_EVENTS}


@dataclass
class Level:
    after_days: str = "0"
    action: str = "remind"
    role: str = ""
    user: str = ""


@dataclass
class StepRow:
    key: str = ""
    name: str = ""
    kind: str = "approval"
    rule: str = "role"
    role: str = "hr"
    user: str = ""
    due_days: str = ""
    due_unit: str = "working"
    until: str = ""
    gate: str = ""
    restricted: bool = False
    after: str = ""
    events: dict[str, list[str]] = field(default_factory=dict)
    levels: list[Level] = field(default_factory=list)
    extra: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.name or self.key


@dataclass
class Stage:
    parallel: bool = False
    name: str = ""
    steps: list[StepRow] = field(default_factory=list)


@dataclass
class Editor:
    name: str = ""
    is_active: bool = True
    gate: str = ""
    events: dict[str, list[str]] = field(default_factory=dict)
    stages: list[Stage] = field(default_factory=list)
    extra: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def all_steps(self) -> list[StepRow]:
        return [s for stage in self.stages for s in stage.steps]


# ---- definition → editor -------------------------------------------------------------------------

def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _names(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _extra(raw: dict[str, Any], known: set[str]) -> str:
    rest = {k: v for k, v in raw.items() if k not in known}
    return json.dumps(rest, ensure_ascii=False, sort_keys=True) if rest else ""


def _row(raw: Any) -> StepRow:
    raw = raw if isinstance(raw, dict) else {}
    assignee = raw.get("assignee") if isinstance(raw.get("assignee"), dict) else {}
    due = raw.get("due") if isinstance(raw.get("due"), dict) else {}
    ladder = raw.get("escalation") if isinstance(raw.get("escalation"), list) else []
    return StepRow(
        key=_str(raw.get("key")), name=_str(raw.get("name")), kind=_str(raw.get("kind")) or "approval",
        rule=_str(assignee.get("rule")), role=_str(assignee.get("role")), user=_str(assignee.get("user")),
        due_days=_str(due.get("days")), due_unit=_str(due.get("unit")) or "calendar", until=_str(raw.get("until")),
        gate=_str(raw.get("gate")), restricted=bool(raw.get("restricted")),
        after=", ".join(_names(raw.get("after"))) if raw.get("after") is not None else "",
        events={e: _names(raw.get(e)) for e in EVENTS},
        levels=[Level(_str(lv.get("after_days", 0)), _str(lv.get("action")), _str(lv.get("role")),
                      _str(lv.get("user"))) for lv in ladder if isinstance(lv, dict)],
        extra=_extra(raw, STEP_KEYS),
    )


def from_definition(definition: Any, *, name: str = "", is_active: bool = True) -> Editor:
    definition = definition if isinstance(definition, dict) else {}
    stages = []
    for stage in definition.get("stages") or []:
        if isinstance(stage, dict) and "parallel" in stage:
            members = stage["parallel"] if isinstance(stage["parallel"], list) else []
            stages.append(Stage(True, _str(stage.get("name")), [_row(m) for m in members]))
        else:
            stages.append(Stage(False, "", [_row(stage)]))
    return Editor(name=name, is_active=is_active, gate=_str(definition.get("gate")),
                  events={e: _names(definition.get(e)) for e in PROCESS_EVENTS}, stages=stages,
                  extra=_extra(definition, PROCESS_KEYS))


# ---- posted form → editor ------------------------------------------------------------------------

def _count(post: QueryDict, name: str, cap: int) -> int:
    try:
        return max(0, min(int(post.get(name, "0")), cap))
    except (TypeError, ValueError):
        return 0


def _get(post: QueryDict, name: str, max_length: int = 2000) -> str:
    return str(post.get(name, "") or "").strip()[:max_length]


def _posted_row(post: QueryDict, p: str) -> StepRow:
    row = StepRow(
        key=_get(post, p + "key", 60), name=_get(post, p + "name", 100), kind=_get(post, p + "kind", 20),
        rule=_get(post, p + "rule", 20), role=_get(post, p + "role", 20), user=_get(post, p + "user", 150),
        due_days=_get(post, p + "due_days", 10), due_unit=_get(post, p + "due_unit", 10),
        until=_get(post, p + "until", 60), gate=_get(post, p + "gate"), restricted=post.get(p + "restricted") == "on",
        after=_get(post, p + "after", 500), extra=_get(post, p + "extra", 5000),
        events={e: [v[:80] for v in post.getlist(p + e)[:10]] for e in EVENTS},
    )
    for li in range(_count(post, p + "levels", MAX_LEVELS)):
        q = f"{p}lv{li}-"
        row.levels.append(Level(_get(post, q + "after_days", 10), _get(post, q + "action", 20),
                                _get(post, q + "role", 20), _get(post, q + "user", 150)))
    return row


def from_post(post: QueryDict) -> Editor:
    editor = Editor(name=_get(post, "name", 100), is_active=post.get("is_active") == "on", gate=_get(post, "gate"),
                    events={e: [v[:80] for v in post.getlist(e)[:10]] for e in PROCESS_EVENTS},
                    extra=_get(post, "extra", 5000))
    for si in range(_count(post, "stages", MAX_STAGES)):
        stage = Stage(post.get(f"st{si}-parallel") == "on", _get(post, f"st{si}-name", 100))
        for ti in range(_count(post, f"st{si}-steps", MAX_PER_STAGE)):
            stage.steps.append(_posted_row(post, f"st{si}-{ti}-"))
        editor.stages.append(stage)
    return editor


# ---- editor → definition -------------------------------------------------------------------------

def _number(text: str) -> Any:
    """An int when the text is one; otherwise the text itself, so that the validation names it."""
    try:
        return int(text)
    except ValueError:
        return text


def _json(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _step(row: StepRow) -> dict[str, Any]:
    out: dict[str, Any] = {**_json(row.extra), "key": row.key, "name": row.name, "kind": row.kind}
    if row.kind != "wait":
        assignee: dict[str, Any] = {"rule": row.rule}
        if row.rule == "role":
            assignee["role"] = row.role
        if row.rule == "user":
            assignee["user"] = row.user
        out["assignee"] = assignee
    if row.due_days:
        out["due"] = {"days": _number(row.due_days), "unit": row.due_unit or "calendar"}
    if row.kind == "wait" and row.until:
        out["until"] = row.until
    if row.levels:
        ladder = []
        for lv in row.levels:
            level: dict[str, Any] = {"after_days": _number(lv.after_days or "0"), "action": lv.action}
            if lv.action == "reassign":
                if lv.user:
                    level["user"] = lv.user
                else:
                    level["role"] = lv.role
            ladder.append(level)
        out["escalation"] = ladder
    if row.gate:
        out["gate"] = row.gate
    if row.restricted:
        out["restricted"] = True
    if row.after.strip():
        out["after"] = [k.strip() for k in row.after.replace("，", ",").split(",") if k.strip()]
    for event in EVENTS:
        if row.events.get(event):
            out[event] = list(row.events[event])
    return out


def to_definition(editor: Editor) -> dict[str, Any]:
    stages: list[Any] = []
    for stage in editor.stages:
        if stage.parallel or len(stage.steps) > 1:
            stages.append({"name": stage.name, "parallel": [_step(r) for r in stage.steps]})
        elif stage.steps:
            stages.append(_step(stage.steps[0]))
    out: dict[str, Any] = {**_json(editor.extra), "stages": stages}
    if editor.gate:
        out["gate"] = editor.gate
    for event in PROCESS_EVENTS:
        if editor.events.get(event):
            out[event] = list(editor.events[event])
    return out


# ---- operations ----------------------------------------------------------------------------------

def _new_key(editor: Editor) -> str:
    taken = {s.key for s in editor.all_steps()}
    n = len(taken) + 1
    while f"step_{n}" in taken:
        n += 1
    return f"step_{n}"


def _ints(parts: list[str]) -> list[int] | None:
    try:
        return [int(p) for p in parts]
    except ValueError:
        return None


def apply(editor: Editor, op: str) -> bool:
    """Apply an editing operation ("add_stage", "add_parallel:0", "remove:1:0", "up:2", "down:0",
    "add_level:0:1", "remove_level:0:1:2"); False when the operation names nothing."""
    name, *rest = op.split(":")
    idx = _ints(rest)
    if idx is None:
        return False
    stages = editor.stages
    if name == "add_stage" and len(stages) < MAX_STAGES:
        stages.append(Stage(steps=[StepRow(key=_new_key(editor), name=_("New step"))]))
        return True
    if not idx or not 0 <= idx[0] < len(stages):
        return False
    si, stage = idx[0], stages[idx[0]]
    if name == "add_parallel" and len(stage.steps) < MAX_PER_STAGE:
        stage.parallel = True
        stage.steps.append(StepRow(key=_new_key(editor), name=_("New step")))
    elif name in ("up", "down"):
        other = si - 1 if name == "up" else si + 1
        if not 0 <= other < len(stages):
            return False
        stages[si], stages[other] = stages[other], stages[si]
    elif len(idx) >= 2 and 0 <= idx[1] < len(stage.steps):
        row = stage.steps[idx[1]]
        if name == "remove":
            del stage.steps[idx[1]]
            if not stage.steps and not stage.parallel:
                del stages[si]
        elif name == "add_level" and len(row.levels) < MAX_LEVELS:
            row.levels.append(Level())
        elif name == "remove_level" and len(idx) == 3 and 0 <= idx[2] < len(row.levels):
            del row.levels[idx[2]]
        else:
            return False
    else:
        return False
    return True


# ---- validation messages next to their step --------------------------------------------------------

def attach(editor: Editor, errors: list[str], warnings: list[str]) -> None:
    """Put each message of ``templates.validate`` under the step it names ("Step “name”: …"); the others
    (process, groups, cycles) above the steps."""
    prefixes = [(_("Step “%(name)s”") % {"name": row.label} + ": ", row) for row in editor.all_steps()]
    prefixes.sort(key=lambda p: -len(p[0]))
    for messages, attr in ((errors, "errors"), (warnings, "warnings")):
        for text in messages:
            text = str(text)
            for prefix, row in prefixes:
                if text.startswith(prefix):
                    getattr(row, attr).append(text[len(prefix):])
                    break
            else:
                getattr(editor, attr).append(text)
