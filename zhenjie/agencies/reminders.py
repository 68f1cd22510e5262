"""The agencies app's due dates: town opinions owed on personnel moves, and annual scores owed."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.urls import reverse

from zhenjie.core.roles import Role
from zhenjie.reminders.registry import Reminder, level_by_due

from .choices import AssessmentParty, MoveStatus
from .selectors import agency_list, move_list, parties_for

# Local choice: last year's assessment is due by the end of the first quarter.
ASSESSMENT_DUE = (3, 31)


def opinions_owed(user: Any, today: dt.date) -> Iterator[Reminder]:
    """A move waiting for the host town's party committee opinion, for that town's operators."""
    if user.role != Role.UNIT_OPERATOR or not user.may_edit_people:
        return
    days = int(str(settings.ZHENJIE.get("AGENCY_OPINION_DUE_DAYS", 10)))
    for move in move_list(user=user).filter(status=MoveStatus.PENDING_OPINION):
        if AssessmentParty.TOWN not in parties_for(user=user, agency=move.agency):
            continue
        due = move.proposed_on + dt.timedelta(days=days)
        yield Reminder(
            due=due,
            title=f"派出机构人员调整待提出党(工)委意见: {move.agency} {move.get_kind_display()} {move.person}",
            url=move.get_absolute_url(),
            level=level_by_due(due, today),
            source="派出机构",
        )


def scores_owed(user: Any, today: dt.date) -> Iterator[Reminder]:
    """Last year's assessment not yet scored by the side the user acts for."""
    party = {
        Role.UNIT_OPERATOR: AssessmentParty.TOWN,
        Role.DEPARTMENT_OPERATOR: AssessmentParty.DEPARTMENT,
    }.get(user.role)
    if party is None:
        return
    year = today.year - 1
    due = dt.date(today.year, *ASSESSMENT_DUE)
    agencies = (
        agency_list(user=user)
        .filter(since__year__lte=year)
        .exclude(assessments__year=year, assessments__party=party)
    )
    for agency in agencies:
        if party not in parties_for(user=user, agency=agency):
            continue
        yield Reminder(
            due=due,
            title=f"{agency}{year}年度考核待{AssessmentParty(party).label}评分",
            url=reverse("agencies:agency_detail", args=[agency.pk]),
            level=level_by_due(due, today),
            source="派出机构",
        )
