"""Offboarding: exits (resignation, dismissal, persuasion…) on the process engine. See README.md."""
