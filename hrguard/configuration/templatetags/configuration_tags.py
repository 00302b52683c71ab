from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: Any, key: str) -> Any:
    """``{{ dict|get:key }}`` (None when absent or not a mapping)."""
    return mapping.get(key) if isinstance(mapping, dict) else None
