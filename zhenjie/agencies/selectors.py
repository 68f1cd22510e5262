"""Reads of dispatched agencies, always restricted to what the user may see.

A town operator sees the agencies dispatched into their town or street, a department operator
those their department manages (``scope_q`` covers both), the staffing office and leaders their
whole county.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit, UnitQuerySet
from zhenjie.organizations.selectors import scope_q
from zhenjie.personnel.models import PostAssignment

from .choices import AssessmentParty, MoveStatus, TaskOutcome
from .models import Agency, Assessment, CommandTask, PersonnelMove
from .services import combined_score, town_weight

OPEN_MOVES = [MoveStatus.PENDING_OPINION, MoveStatus.PENDING_DECISION]


def agency_unit_list(*, user: Any) -> UnitQuerySet:
    """Dispatched agency units in scope, registered for dual management or not, with counts."""
    return (
        Unit.objects.filter(scope_q(user), kind=UnitKind.DISPATCHED_AGENCY)
        .select_related("parent", "department", "agency__head")
        .annotate(
            open_move_count=Count(
                "agency__moves", filter=Q(agency__moves__status__in=OPEN_MOVES), distinct=True
            ),
            open_task_count=Count(
                "agency__tasks", filter=Q(agency__tasks__outcome=""), distinct=True
            ),
        )
        .order_by("parent__path", "sort_order", "name", "id")
    )


def agency_list(*, user: Any) -> QuerySet[Agency]:
    """Agencies under dual management the user sees."""
    return (
        Agency.objects.filter(scope_q(user, "unit__"))
        .select_related("unit__parent", "unit__department", "head")
        .order_by("unit__path", "id")
    )


def agency_get(*, user: Any, pk: int) -> Agency:
    """One visible agency, or Agency.DoesNotExist (rendered as 404)."""
    return agency_list(user=user).get(pk=pk)


def agency_staff(*, agency: Agency, on: dt.date) -> QuerySet[PostAssignment]:
    """Posts held at the agency on ``on`` (the real-name register), heads first."""
    return (
        PostAssignment.objects.filter(unit=agency.unit)
        .active_on(on)
        .select_related("person")
        .order_by("-is_leadership", "start_date", "id")
    )


def assessment_list(*, user: Any) -> QuerySet[Assessment]:
    return Assessment.objects.filter(agency__in=agency_list(user=user)).select_related(
        "agency__unit__parent", "agency__unit__department", "scored_by"
    )


def move_list(*, user: Any) -> QuerySet[PersonnelMove]:
    return (
        PersonnelMove.objects.filter(agency__in=agency_list(user=user))
        .select_related("agency__unit__parent", "agency__unit__department", "person")
        .order_by("-proposed_on", "-id")
    )


def move_get(*, user: Any, pk: int) -> PersonnelMove:
    return move_list(user=user).get(pk=pk)


def task_list(*, user: Any) -> QuerySet[CommandTask]:
    return (
        CommandTask.objects.filter(agency__in=agency_list(user=user))
        .select_related("agency__unit__parent", "agency__unit__department")
        .order_by("-assigned_on", "-id")
    )


def task_get(*, user: Any, pk: int) -> CommandTask:
    return task_list(user=user).get(pk=pk)


@dataclass
class TaskTally:
    """Outcomes of the tasks assigned to an agency in one year."""

    total: int = 0
    on_time: int = 0
    late: int = 0
    not_done: int = 0
    open: int = 0

    def add(self, outcome: str, count: int) -> None:
        self.total += count
        names: dict[str, str] = {
            TaskOutcome.ON_TIME: "on_time",
            TaskOutcome.LATE: "late",
            TaskOutcome.NOT_DONE: "not_done",
        }
        name = names.get(outcome, "open")
        setattr(self, name, getattr(self, name) + count)

    @property
    def completed(self) -> int:
        return self.on_time + self.late

    @property
    def completion_rate(self) -> Decimal | None:
        """Completed (on time or late) share of the year's tasks, in percent."""
        if not self.total:
            return None
        return (Decimal(100) * self.completed / self.total).quantize(Decimal("0.1"))

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(100) * self.on_time / self.total).quantize(Decimal("0.1"))


@dataclass
class AnnualResult:
    """An agency's annual assessment: both scores, the combined score and the task record."""

    agency: Agency
    year: int
    town: Assessment | None
    department: Assessment | None
    weight: Decimal
    tasks: TaskTally

    @property
    def combined(self) -> Decimal | None:
        if self.town is None or self.department is None:
            return None
        return combined_score(
            town=self.town.score, department=self.department.score, weight=self.weight
        )

    @property
    def missing(self) -> list[str]:
        """Parties that have not scored yet."""
        return [
            str(party.label)
            for party, given in (
                (AssessmentParty.TOWN, self.town),
                (AssessmentParty.DEPARTMENT, self.department),
            )
            if given is None
        ]


def task_tallies(*, agency_ids: list[int], year: int) -> dict[int, TaskTally]:
    """Task outcomes by agency for tasks assigned in ``year``, in one grouped query."""
    tallies: dict[int, TaskTally] = defaultdict(TaskTally)
    rows = (
        CommandTask.objects.filter(agency_id__in=agency_ids, assigned_on__year=year)
        .values("agency_id", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        tallies[row["agency_id"]].add(row["outcome"], row["n"])
    return tallies


def annual_results(
    *, user: Any, year: int, agencies: QuerySet[Agency] | None = None
) -> list[AnnualResult]:
    """The year's results of every visible agency (three queries whatever the number)."""
    agency_rows = list(agencies if agencies is not None else agency_list(user=user))
    ids = [a.pk for a in agency_rows]
    scores: dict[tuple[int, str], Assessment] = {
        (a.agency_id, a.party): a
        for a in Assessment.objects.filter(agency_id__in=ids, year=year).select_related("scored_by")
    }
    tallies = task_tallies(agency_ids=ids, year=year)
    weight = town_weight()
    return [
        AnnualResult(
            agency=agency,
            year=year,
            town=scores.get((agency.pk, AssessmentParty.TOWN)),
            department=scores.get((agency.pk, AssessmentParty.DEPARTMENT)),
            weight=weight,
            tasks=tallies.get(agency.pk, TaskTally()),
        )
        for agency in agency_rows
    ]


def agency_annual_results(*, agency: Agency, today: dt.date) -> list[AnnualResult]:
    """One agency's results for every year it was scored or given tasks, and the last full
    year, newest first (two queries)."""
    scores = {(a.year, a.party): a for a in agency.assessments.select_related("scored_by")}
    tallies: dict[int, TaskTally] = defaultdict(TaskTally)
    rows = agency.tasks.values("assigned_on__year", "outcome").annotate(n=Count("id")).order_by()
    for row in rows:
        tallies[row["assigned_on__year"]].add(row["outcome"], row["n"])
    years = {year for year, _ in scores} | set(tallies) | {today.year - 1}
    weight = town_weight()
    return [
        AnnualResult(
            agency=agency,
            year=year,
            town=scores.get((year, AssessmentParty.TOWN)),
            department=scores.get((year, AssessmentParty.DEPARTMENT)),
            weight=weight,
            tasks=tallies.get(year, TaskTally()),
        )
        for year in sorted(years, reverse=True)
    ]


def assessment_years(*, user: Any) -> list[int]:
    """Years with any score among visible agencies, newest first, plus the last full year."""
    years = set(assessment_list(user=user).values_list("year", flat=True).distinct())
    years.add(dt.date.today().year - 1)
    return sorted(years, reverse=True)


def parties_for(*, user: Any, agency: Agency) -> list[str]:
    """The sides (town, department) ``user`` may act for on ``agency``."""
    from zhenjie.organizations.selectors import unit_is_visible

    if not user.may_edit_people:
        return []
    parties: list[str] = []
    if unit_is_visible(user=user, unit=agency.host):
        parties.append(AssessmentParty.TOWN)
    if unit_is_visible(user=user, unit=agency.department):
        parties.append(AssessmentParty.DEPARTMENT)
    return parties
