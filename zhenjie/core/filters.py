"""Filters shared by the apps' filtersets."""

from typing import Any

import django_filters
from django import forms

# Ids are BigAutoField keys; a larger number names nothing and would overflow SQLite's INTEGER.
MAX_ID = 2**63 - 1


class IdFilter(django_filters.Filter):
    """The id of a related object, e.g. from a link on another page (``?edition=12``)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
