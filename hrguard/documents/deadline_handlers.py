"""Deadline handlers of the documents app (found by the deadlines app's autodiscovery)."""

from . import reminders  # noqa: F401
