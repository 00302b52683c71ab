"""REST API of the activity app (DRF, documented with drf-spectacular)."""
