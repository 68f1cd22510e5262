"""The duties app's due dates: consultation replies a user's units still owe."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef

from zhenjie.organizations.selectors import unit_list
from zhenjie.reminders.registry import Reminder, level_by_due

from .choices import EditionStatus
from .models import ConsultationRound, Reply


def replies_owed(user: Any, today: dt.date) -> Iterator[Reminder]:
    """One reminder per open round in which a unit the user acts for has not replied (征求意见)."""
    if not user.may_edit_people or (user.unit is None and not user.is_superuser):
        return
    own = unit_list(user=user).values("pk")
    rounds = (
        ConsultationRound.objects.filter(edition__status=EditionStatus.DRAFT, parties__in=own)
        .distinct()
        .select_related("edition__duty_list")
    )
    for consultation in rounds:
        replied = Reply.objects.filter(round=consultation, party=OuterRef("pk"))
        owing = consultation.parties.filter(pk__in=own).exclude(Exists(replied)).order_by("path")
        names = "、".join(p.name for p in owing)
        if names:
            yield Reminder(
                due=consultation.due_on,
                title=f"征求意见待反馈({names}): {consultation.title}",
                url=consultation.get_absolute_url(),
                level=level_by_due(consultation.due_on, today),
                source="征求意见",
            )
