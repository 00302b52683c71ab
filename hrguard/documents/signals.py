"""Signals other apps may listen to (e.g. offboarding: separation certificate signed → gate passes).

Sent after the transaction commits, with ``envelope`` (documents.Envelope) and ``status``."""

from __future__ import annotations

from django.dispatch import Signal

envelope_finished = Signal()  # kwargs: envelope, status ("signed" / "declined")
# Sent after commit when HR recorded delivery by another route (registered mail / public notice); kwargs
# ``envelope``, ``record`` (the FallbackRecord).
fallback_recorded = Signal()
