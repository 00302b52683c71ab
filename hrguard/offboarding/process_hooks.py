"""Offboarding on the engine (imported by ``WorkflowsConfig.ready``): the default exit templates, the
facts their gates name (``handover_open``, ``clients_open``, ``access_open``, ``exit_documents_unsigned``;
``open_complaints``, ``open_violations``, ``advances_outstanding`` and ``claims_pending`` come from the apps
that own them) and the actions that bring the process's end back to the exit."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrguard.workflows import defaults, registry
from hrguard.workflows.registry import FactValue, InstanceContext, Reason

from . import completion, processes
from .items import HANDOVER_KINDS, receiver_label
from .models import Exit, ExitItem, ItemKind, ItemState

SUBJECT = "offboarding.exit"

for _key, (_name, _definition) in processes.DEFINITIONS.items():
    defaults.register_default(_key, _name, _definition)


def _exit(ctx: InstanceContext) -> Exit | None:
    if ctx.subject_type != SUBJECT:
        return None
    return Exit.objects.select_related("employee").filter(company_id=ctx.company_id, pk=int(ctx.subject_id)).first()


def exit_url(exit_: Exit) -> str:
    return reverse("offboarding:detail", args=[exit_.pk])


def pending_items(exit_: Exit, kinds: tuple[str, ...]) -> FactValue:
    rows = list(ExitItem.objects.filter(company_id=exit_.company_id, exit=exit_, kind__in=kinds,
                                        state=ItemState.PENDING).select_related("receiver").order_by("kind", "id"))
    url = exit_url(exit_)
    return FactValue(len(rows), [
        Reason(_("%(kind)s not confirmed: %(name)s (by %(who)s)") % {
            "kind": item.get_kind_display(), "name": item.name, "who": receiver_label(item)}, url)
        for item in rows[:20]])


def _items_fact(kinds: tuple[str, ...]) -> Any:
    def fn(ctx: InstanceContext) -> FactValue:
        exit_ = _exit(ctx)
        return FactValue(0) if exit_ is None else pending_items(exit_, kinds)

    return fn


registry.fact("handover_open", label=gettext_lazy("Handover items and assets not yet confirmed by their receiver"),
              kinds=processes.KEYS)(_items_fact(tuple(HANDOVER_KINDS)))
registry.fact("clients_open", label=gettext_lazy("Clients not yet confirmed as handed over"),
              kinds=processes.KEYS)(_items_fact((ItemKind.CLIENT,)))
registry.fact("access_open", label=gettext_lazy("System accounts not yet confirmed as revoked"),
              kinds=processes.KEYS)(_items_fact((ItemKind.ACCESS,)))


def unsigned_documents(exit_: Exit) -> FactValue:
    """The exit's documents neither signed nor delivered by fallback (registered mail / public notice)."""
    from .exit_documents import rows_of

    rows = [r for r in rows_of(exit_) if not r.done]
    return FactValue(len(rows), [
        Reason(_("Document not signed: %(title)s (%(number)s) — %(state)s") % {
            "title": r.envelope.request.title, "number": r.envelope.document_id, "state": r.label},
            exit_url(exit_) + "#documents")
        for r in rows[:20]])


@registry.fact("exit_documents_unsigned", label=gettext_lazy("Documents sent during the exit still unsigned"),
               kinds=processes.KEYS)
def exit_documents_unsigned(ctx: InstanceContext) -> FactValue:
    exit_ = _exit(ctx)
    return FactValue(0) if exit_ is None else unsigned_documents(exit_)


@registry.action("offboarding.process_done")
def process_done(*, instance: Any, step: Any, actor: Any) -> None:
    if instance.subject_type == SUBJECT:
        completion.process_done(exit_id=int(instance.subject_id), actor=actor)


@registry.action("offboarding.process_cancelled")
def process_cancelled(*, instance: Any, step: Any, actor: Any) -> None:
    """The process was withdrawn on its own page: the exit stays (a resignation still takes effect) and
    its page offers to start the process again."""
    return None
