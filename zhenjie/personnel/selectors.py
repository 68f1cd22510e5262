"""Read access to the real-name register and the staffing statistics built on it."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import scope_q, unit_list
from zhenjie.staffing.models import QuotaType
from zhenjie.staffing.selectors import leadership_quotas, quota_balances

from .models import Enrolment, Person, PostAssignment


def person_list(*, user: Any) -> QuerySet[Person]:
    """People with any enrolment or post in the user's scope (or registered by the user)."""
    if user.is_superuser:
        return Person.objects.all()
    in_scope_enrolment = Enrolment.objects.filter(scope_q(user, "unit__"), person=OuterRef("pk"))
    in_scope_post = PostAssignment.objects.filter(scope_q(user, "unit__"), person=OuterRef("pk"))
    return Person.objects.filter(
        Exists(in_scope_enrolment) | Exists(in_scope_post) | Q(created_by=user)
    )


def person_list_current(*, user: Any, on: dt.date) -> QuerySet[Person]:
    """Visible people with their current enrolment and main post prefetched."""
    return person_list(user=user).prefetch_related(
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.active_on(on).select_related("unit", "quota_type"),
            to_attr="current_enrolments",
        ),
        Prefetch(
            "posts",
            queryset=PostAssignment.objects.active_on(on).select_related("unit"),
            to_attr="current_posts",
        ),
    )


def person_get(*, user: Any, pk: int) -> Person:
    return person_list(user=user).get(pk=pk)


def person_is_editable(*, user: Any, person: Person, on: dt.date) -> bool:
    """A person may be changed by a user whose scope holds their current enrolment or post."""
    if not user.may_edit_people:
        return False
    if user.is_superuser:
        return True
    q = scope_q(user, "unit__")
    return (
        Enrolment.objects.filter(q, person=person).active_on(on).exists()
        or PostAssignment.objects.filter(q, person=person).active_on(on).exists()
        or (person.created_by_id == user.pk and not person.enrolments.exists())
    )


def enrolment_counts(*, unit_ids: list[int], on: dt.date) -> dict[tuple[int, int], int]:
    """{(unit_id, quota_type_id): people enrolled on ``on``} in one query."""
    rows = (
        Enrolment.objects.active_on(on)
        .filter(unit_id__in=unit_ids)
        .values("unit_id", "quota_type_id")
        .annotate(n=Count("id"))
    )
    return {(r["unit_id"], r["quota_type_id"]): r["n"] for r in rows}


def leader_counts(*, unit_ids: list[int], on: dt.date) -> dict[tuple[int, str], int]:
    rows = (
        PostAssignment.objects.active_on(on)
        .filter(unit_id__in=unit_ids, is_leadership=True)
        .values("unit_id", "leadership_level")
        .annotate(n=Count("person", distinct=True))
    )
    return {(r["unit_id"], r["leadership_level"]): r["n"] for r in rows}


@dataclass
class QuotaCell:
    """Approved and actual numbers of one quota type in one unit."""

    approved: int = 0
    actual: int = 0

    @property
    def vacant(self) -> int:
        return max(self.approved - self.actual, 0)

    @property
    def over(self) -> int:
        return max(self.actual - self.approved, 0)


@dataclass
class UnitStaffingRow:
    """One unit's quota situation, by type (built once, rendered by page and export)."""

    unit: Unit
    cells: dict[int, QuotaCell] = field(default_factory=dict)
    leaders_approved: int = 0
    leaders_actual: int = 0

    @property
    def approved(self) -> int:
        return sum(c.approved for c in self.cells.values())

    @property
    def actual(self) -> int:
        return sum(c.actual for c in self.cells.values())

    @property
    def vacant(self) -> int:
        return sum(c.vacant for c in self.cells.values())

    @property
    def over(self) -> int:
        return sum(c.over for c in self.cells.values())


def staffing_table(
    *, user: Any, root: Unit, on: dt.date
) -> tuple[list[QuotaType], list[UnitStaffingRow]]:
    """Quota vs actual by type for every visible unit holding quota in ``root``'s subtree.

    Four queries whatever the number of units: units, balances, enrolments, leadership.
    """
    types = list(QuotaType.objects.filter(is_active=True))
    units = list(
        unit_list(user=user)
        .in_subtree(root)
        .active_on(on)
        .exclude(kind=UnitKind.OFFICE)
        .order_by("path")
    )
    ids = [u.pk for u in units]
    balances = quota_balances(unit_ids=ids, on=on)
    actual = enrolment_counts(unit_ids=ids, on=on)
    lq = leadership_quotas(unit_ids=ids, on=on)
    lc = leader_counts(unit_ids=ids, on=on)
    rows = []
    for unit in units:
        row = UnitStaffingRow(unit=unit)
        for t in types:
            cell = QuotaCell(
                approved=balances.get((unit.pk, t.pk), 0), actual=actual.get((unit.pk, t.pk), 0)
            )
            if cell.approved or cell.actual:
                row.cells[t.pk] = cell
        row.leaders_approved = sum(v for (uid, _), v in lq.items() if uid == unit.pk)
        row.leaders_actual = sum(v for (uid, _), v in lc.items() if uid == unit.pk)
        if row.cells or row.leaders_approved:
            rows.append(row)
    return types, rows


def staffing_totals(rows: list[UnitStaffingRow], types: list[QuotaType]) -> dict[int, QuotaCell]:
    totals: dict[int, QuotaCell] = defaultdict(QuotaCell)
    for row in rows:
        for type_id, cell in row.cells.items():
            totals[type_id].approved += cell.approved
            totals[type_id].actual += cell.actual
    return {t.pk: totals[t.pk] for t in types}


def unit_people(*, user: Any, unit: Unit, on: dt.date) -> dict[str, list[Any]]:
    """People enrolled in ``unit`` and people working in it (which may differ: 混岗)."""
    enrolled = list(
        Enrolment.objects.active_on(on)
        .filter(unit=unit)
        .select_related("person", "quota_type")
        .order_by("person__name")
    )
    working = list(
        PostAssignment.objects.active_on(on)
        .filter(unit=unit)
        .select_related("person")
        .order_by("-is_leadership", "person__name")
    )
    return {"enrolled": enrolled, "working": working}
