"""Reads for delegated powers: the acceptance matrix and each department's follow-through."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from zhenjie.organizations.choices import BASE_LEVEL_KINDS, UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import county_of, scope_q, unit_list
from zhenjie.staffing.models import QuotaTransfer

from .choices import AcceptanceStatus
from .models import Acceptance, DelegationBatch, Guidance, PowerItem, PowerUsage, ResourcePledge


def batch_list() -> QuerySet[DelegationBatch]:
    return DelegationBatch.objects.annotate(item_count=Count("items")).order_by("-issued_on", "-id")


def batch_current() -> DelegationBatch | None:
    return DelegationBatch.objects.order_by("-issued_on", "-id").first()


def item_list(*, user: Any, batch: DelegationBatch) -> QuerySet[PowerItem]:
    """Items of a batch (the catalog is public to every role); departments joined."""
    return PowerItem.objects.filter(batch=batch).select_related("category", "department")


def base_units(*, user: Any) -> list[Unit]:
    """Visible towns and streets, in tree order."""
    return list(
        unit_list(user=user)
        .filter(kind__in=BASE_LEVEL_KINDS, abolished_on__isnull=True)
        .order_by("path")
    )


@dataclass
class UnitAcceptance:
    """One town's or street's answers to a batch."""

    unit: Unit
    accepted: int = 0
    deferred: int = 0
    declined: int = 0
    batch_total: int = 0

    @property
    def rate(self) -> float:
        return round(self.accepted * 100 / self.batch_total, 1) if self.batch_total else 0.0


@dataclass
class Matrix:
    """Town x item acceptance matrix (rows built once; page, chart and export render them)."""

    units: list[Unit]
    items: list[PowerItem]
    cells: dict[tuple[int, int], str]
    summaries: list[UnitAcceptance]


def acceptance_matrix(
    *, user: Any, batch: DelegationBatch, department: int | None = None, category: int | None = None
) -> Matrix:
    """Three queries: units, items, acceptances."""
    units = base_units(user=user)
    items_qs = item_list(user=user, batch=batch)
    if department:
        items_qs = items_qs.filter(department_id=department)
    if category:
        items_qs = items_qs.filter(category_id=category)
    items = list(items_qs)
    total = PowerItem.objects.filter(batch=batch).count()
    cells: dict[tuple[int, int], str] = {}
    per_unit: dict[int, UnitAcceptance] = {
        u.pk: UnitAcceptance(unit=u, batch_total=total) for u in units
    }
    rows = Acceptance.objects.filter(item__batch=batch, unit__in=[u.pk for u in units]).values_list(
        "unit_id", "item_id", "status"
    )
    item_ids = {i.pk for i in items}
    for unit_id, item_id, status in rows:
        summary = per_unit[unit_id]
        setattr(summary, status, getattr(summary, status) + 1)
        if item_id in item_ids:
            cells[(unit_id, item_id)] = status
    return Matrix(units=units, items=items, cells=cells, summaries=list(per_unit.values()))


@dataclass
class FollowThrough:
    """What should have followed a department's powers, and what did (编随事走、人随编走、费随事转)."""

    department: Unit
    item_count: int = 0
    accepted_count: int = 0
    expected_quota: int = 0
    expected_people: int = 0
    expected_funds: Decimal = Decimal("0")
    quota_moved: int = 0
    people_moved: int = 0
    funds_transferred: Decimal = Decimal("0")
    transfers: list[QuotaTransfer] = field(default_factory=list)
    guidance: list[Guidance] = field(default_factory=list)

    @property
    def guidance_count(self) -> int:
        return len(self.guidance)

    @property
    def followed(self) -> bool:
        """Quota or people went down with the powers."""
        return self.quota_moved > 0 or self.people_moved > 0


def follow_through(*, user: Any, batch: DelegationBatch) -> list[FollowThrough]:
    """Per delegating department; a fixed number of queries whatever the county's size."""
    # The follow-through of the county's departments is open to everyone in the county: a town
    # sees which departments sent quota and people with the powers it took on.
    visible = unit_list(user=user)
    root = user.unit
    if root is not None and root.kind not in (
        UnitKind.PROVINCE,
        UnitKind.PREFECTURE,
        UnitKind.COUNTY,
    ):
        county = county_of(root)
        if county is not None and root.kind != UnitKind.DEPARTMENT:
            visible = Unit.objects.filter(path__startswith=county.path)
    # A transfer, or guidance not tied to one item, is credited to the department's latest batch
    # issued by its date (of one day's batches, the newest, as in ``batch_current``), so it counts
    # once however many batches the department has items in. This batch's share runs from its
    # issue date to the department's next batch (``next_batch_on``).
    later = Q(batch__issued_on__gt=batch.issued_on) | Q(
        batch__issued_on=batch.issued_on, batch_id__gt=batch.pk
    )
    next_batch_on = (
        PowerItem.objects.filter(later, department=OuterRef("pk"))
        .order_by("batch__issued_on")
        .values("batch__issued_on")[:1]
    )
    departments = list(
        visible.filter(kind=UnitKind.DEPARTMENT, delegated_powers__batch=batch)
        .annotate(
            item_count=Count(
                "delegated_powers", filter=Q(delegated_powers__batch=batch), distinct=True
            ),
            next_batch_on=Subquery(next_batch_on),
        )
        .order_by("path")
    )
    rows = {d.pk: FollowThrough(department=d, item_count=d.item_count) for d in departments}
    until: dict[int, dt.date | None] = {d.pk: d.next_batch_on for d in departments}

    def credited(dept_id: int, day: dt.date) -> bool:
        end = until[dept_id]
        return batch.issued_on <= day and (end is None or day < end)

    for dept_id, n in (
        Acceptance.objects.filter(
            item__batch=batch, status=AcceptanceStatus.ACCEPTED, item__department__in=list(rows)
        )
        .values_list("item__department_id")
        .annotate(n=Count("id"))
    ):
        rows[dept_id].accepted_count = n
    for pledge in ResourcePledge.objects.filter(batch=batch, department__in=list(rows)):
        row = rows[pledge.department_id]
        row.expected_quota, row.expected_people = pledge.expected_quota, pledge.expected_people
        row.expected_funds, row.funds_transferred = pledge.expected_funds, pledge.funds_transferred
    # Quota that moved from the department (or its stations) to towns and streets after the batch.
    transfers = (
        QuotaTransfer.objects.filter(
            effective_on__gte=batch.issued_on,
            to_unit__kind__in=BASE_LEVEL_KINDS
            | {UnitKind.OFFICE, UnitKind.CENTER, UnitKind.ENFORCEMENT_BUREAU},
        )
        .select_related("from_unit", "to_unit")
        .annotate(people=Count("enrolments"))
    )
    by_path = {d.path: d.pk for d in departments}
    for transfer in transfers:
        owner = next(
            (pk for path, pk in by_path.items() if transfer.from_unit.path.startswith(path)), None
        )
        if owner is None or not credited(owner, transfer.effective_on):
            continue
        rows[owner].quota_moved += transfer.amount
        rows[owner].people_moved += transfer.people
        rows[owner].transfers.append(transfer)
    # Guidance on one item counts for the item's batch.
    for guidance in (
        Guidance.objects.filter(department__in=list(rows))
        .filter(Q(item__batch=batch) | Q(item__isnull=True, held_on__gte=batch.issued_on))
        .select_related("item")
    ):
        if guidance.item is not None or credited(guidance.department_id, guidance.held_on):
            rows[guidance.department_id].guidance.append(guidance)
    return list(rows.values())


def item_acceptances(*, user: Any, item: PowerItem) -> QuerySet[Acceptance]:
    return (
        Acceptance.objects.filter(scope_q(user, "unit__"), item=item)
        .select_related("unit", "responsible_unit", "decided_by")
        .order_by("unit__path")
    )


def item_usage(*, user: Any, item: PowerItem) -> QuerySet[PowerUsage]:
    return PowerUsage.objects.filter(scope_q(user, "unit__"), item=item).select_related("unit")


def usage_totals(*, user: Any, batch: DelegationBatch) -> dict[int, int]:
    """{item_id: times exercised} over the user's scope."""
    return dict(
        PowerUsage.objects.filter(scope_q(user, "unit__"), item__batch=batch)
        .values_list("item_id")
        .annotate(total=Sum("count"))
    )


def item_catalog(*, user: Any) -> QuerySet[PowerItem]:
    """Items of every batch, newest batch first (the catalog is public to every role)."""
    return PowerItem.objects.select_related("batch", "category", "department__parent").order_by(
        "-batch__issued_on", "-batch_id", "code", "id"
    )


def _answers_q(user: Any) -> Q:
    """Rows of the visible towns and streets, and rows about the powers a visible department
    delegated: a department follows who took on its items and how often they were used."""
    return scope_q(user, "unit__") | scope_q(user, "item__department__")


def acceptance_list(*, user: Any) -> QuerySet[Acceptance]:
    """Answers (承接记录) the user may see, with the units and items joined."""
    return (
        Acceptance.objects.filter(_answers_q(user))
        .select_related("unit__parent", "item__batch", "responsible_unit__parent")
        .order_by("unit__path", "-item__batch__issued_on", "-item__batch_id", "item__code", "id")
    )


def usage_list(*, user: Any) -> QuerySet[PowerUsage]:
    """Exercise counts (行权次数) the user may see, with the units and items joined."""
    return (
        PowerUsage.objects.filter(_answers_q(user))
        .select_related("unit__parent", "item__batch")
        .order_by(
            "unit__path",
            "-item__batch__issued_on",
            "-item__batch_id",
            "item__code",
            "period_start",
            "id",
        )
    )
