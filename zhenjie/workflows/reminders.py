"""The approval engine's reminders: requests waiting for the user's decision."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings

from zhenjie.reminders.registry import Reminder, level_by_due

from .selectors import inbox, request_due_on


def approval_due_days() -> int:
    """Days an approver has to decide, from submission (settings.ZHENJIE["APPROVAL_DUE_DAYS"])."""
    return int(str(settings.ZHENJIE.get("APPROVAL_DUE_DAYS", 5)))


def approvals_waiting(user: Any, today: dt.date) -> Iterator[Reminder]:
    """One reminder per request in the user's inbox, due ``APPROVAL_DUE_DAYS`` after submission."""
    days = approval_due_days()
    for request in inbox(user=user):
        due = request_due_on(request=request, days=days)
        assert due is not None and request.current_stage is not None
        yield Reminder(
            due=due,
            title=f"待审批({request.current_stage.name}): {request.title}",
            url=request.get_absolute_url(),
            level=level_by_due(due, today),
            source="审批",
        )
