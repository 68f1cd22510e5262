"""Reminders for one user on one day, gathered from every registered provider."""

import datetime as dt
from typing import Any

from . import registry
from .registry import Reminder

_SEVERITY = {"danger": 0, "warning": 1, "info": 2}


def reminders_for(*, user: Any, today: dt.date) -> list[Reminder]:
    """The user's reminders, earliest due first (then the most urgent, then by title)."""
    found: list[Reminder] = []
    for name in sorted(registry.providers()):
        found.extend(registry.providers()[name](user, today))
    return sorted(found, key=lambda r: (r.due, _SEVERITY[r.level], r.source, r.title, r.url))
