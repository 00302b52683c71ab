"""Statutory rules: pure functions and constants, each citing its article (no Django, no DB)."""
