"""Imported by every Huey consumer (djhuey autodiscovers ``tasks``): registers the bench handler."""

from . import deadline_handlers  # noqa: F401
