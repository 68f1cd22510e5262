"""Reminder providers. Each app declares its due dates; this app collects and shows them.

A provider is ``provider(user, today) -> Iterable[Reminder]``, registered under a stable name
from its app's ``AppConfig.ready``. Providers read through their app's own selectors, so a
user only ever sees reminders about what they may see.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

Level = Literal["info", "warning", "danger"]

LEVEL_LABELS: dict[str, str] = {"info": "提示", "warning": "注意", "danger": "紧急"}


@dataclass(frozen=True)
class Reminder:
    """Something a user should do (or look at) by ``due`` (待办提醒)."""

    due: dt.date
    title: str
    url: str
    level: Level
    source: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


Provider = Callable[[Any, dt.date], Iterable[Reminder]]

_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> Provider:
    """Register (or replace) the provider called ``name``; safe to call again on reload."""
    _PROVIDERS[name] = provider
    return provider


def providers() -> dict[str, Provider]:
    return dict(_PROVIDERS)


def level_by_due(due: dt.date, today: dt.date) -> Level:
    """Overdue is danger, due today is warning, later is info."""
    if due < today:
        return "danger"
    if due == today:
        return "warning"
    return "info"
