"""Deadline handlers of the documents app (found by workflows' autodiscovery)."""

from . import reminders  # noqa: F401
