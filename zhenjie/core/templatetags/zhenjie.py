"""Small template helpers."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def query_with(context: Any, **kwargs: Any) -> str:
    """The current query string with ``kwargs`` replaced (for links that keep filters)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        params[key] = value
    return params.urlencode()


@register.simple_tag
def pair_get(mapping: Any, first: Any, second: Any) -> Any:
    """mapping[(first, second)], for grids keyed by (row, column)."""
    return mapping.get((first, second)) if mapping else None
