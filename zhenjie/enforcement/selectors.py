"""Reads of comprehensive administrative law enforcement, always restricted to the user's scope."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import scope_q, unit_list
from zhenjie.personnel.models import PostAssignment

from . import deadlines
from .choices import BEFORE_DECISION, Stage
from .conf import limits
from .models import (
    Case,
    Certificate,
    EnforcementTeam,
    Equipment,
    EquipmentKind,
    EquipmentStandard,
    Funding,
    TeamMember,
)


def bureau_list(*, user: Any, on: dt.date) -> QuerySet[Unit]:
    """Enforcement bureaus (综合行政执法局) in the user's scope, active on ``on``."""
    return (
        unit_list(user=user).filter(kind=UnitKind.ENFORCEMENT_BUREAU).active_on(on).order_by("path")
    )


def officer_list(*, user: Any, on: dt.date, bureau: Unit | None = None) -> QuerySet[PostAssignment]:
    """Posts in enforcement bureaus on ``on`` (the officers, 执法人员), in the user's scope."""
    posts = PostAssignment.objects.active_on(on).filter(
        scope_q(user, "unit__"), unit__kind=UnitKind.ENFORCEMENT_BUREAU
    )
    if bureau is not None:
        posts = posts.filter(unit=bureau)
    return posts.select_related("person", "unit__parent").order_by("unit__path", "person__name")


def _visible_holder_q(user: Any) -> Exists:
    """The certificate's holder has (or had) an enforcement post the user may see."""
    return Exists(
        PostAssignment.objects.filter(
            scope_q(user, "unit__"),
            person=OuterRef("holder"),
            unit__kind=UnitKind.ENFORCEMENT_BUREAU,
        )
    )


def certificate_list(*, user: Any, on: dt.date) -> QuerySet[Certificate]:
    """Certificates of officers in the user's scope, annotated with validity on ``on``."""
    return (
        Certificate.objects.filter(_visible_holder_q(user))
        .with_validity(on)
        .select_related("holder")
        .order_by("holder__name", "number", "id")
    )


def valid_certificate_list(*, user: Any, on: dt.date) -> QuerySet[Certificate]:
    """The certificates in scope that are valid on ``on``."""
    return certificate_list(user=user, on=on).filter(is_valid=True)  # type: ignore[misc]


def certificate_get(*, user: Any, pk: int, on: dt.date) -> Certificate:
    return certificate_list(user=user, on=on).get(pk=pk)


def team_list(*, user: Any, on: dt.date) -> QuerySet[EnforcementTeam]:
    """Teams in scope, with their members and valid certificate holders on ``on``."""
    valid_holders = Certificate.objects.valid_on(on).values("holder")
    active = Q(members__joined_on__lte=on) & (
        Q(members__left_on__isnull=True) | Q(members__left_on__gt=on)
    )
    return (
        EnforcementTeam.objects.filter(scope_q(user, "bureau__"), established_on__lte=on)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))
        .annotate(
            member_count=Count("members__person", filter=active, distinct=True),
            valid_count=Count(
                "members__person",
                filter=active & Q(members__person__in=valid_holders),
                distinct=True,
            ),
        )
        .select_related("bureau__parent")
        .order_by("bureau__path", "name", "id")
    )


def team_members(*, team: EnforcementTeam, on: dt.date) -> QuerySet[TeamMember]:
    return TeamMember.objects.active_on(on).filter(team=team).select_related("person")


@dataclass(frozen=True)
class GapRow:
    """One kind of equipment of one bureau: the standard, what is held, what is missing."""

    kind: EquipmentKind
    required: int
    held: int
    without_dash_camera: int = 0

    @property
    def gap(self) -> int:
        return max(self.required - self.held, 0)


def equipment_gaps(
    *, bureaus: list[Unit], on: dt.date, officer_counts: dict[int, int]
) -> dict[int, list[GapRow]]:
    """{bureau id: one row per kind}: standard (own or default) against the inventory.

    A vehicle counts only with a dash camera (执法车辆配行车记录仪)."""
    kinds = list(EquipmentKind.objects.all())
    own = {
        (s.bureau_id, s.kind_id): s.quantity
        for s in EquipmentStandard.objects.filter(bureau__in=bureaus)
    }
    held: dict[tuple[int, int], int] = defaultdict(int)
    no_camera: dict[tuple[int, int], int] = defaultdict(int)
    for bureau_id, kind_id, quantity, is_vehicle, camera in (
        Equipment.objects.in_service_on(on)
        .filter(bureau__in=bureaus)
        .values_list("bureau_id", "kind_id", "quantity", "kind__is_vehicle", "has_dash_camera")
    ):
        if is_vehicle and not camera:
            no_camera[(bureau_id, kind_id)] += quantity
        else:
            held[(bureau_id, kind_id)] += quantity
    out: dict[int, list[GapRow]] = {}
    for bureau in bureaus:
        rows = []
        for kind in kinds:
            key = (bureau.pk, kind.pk)
            if key in own:
                required = own[key]
            elif kind.per_officer:
                required = kind.default_quantity * officer_counts.get(bureau.pk, 0)
            else:
                required = kind.default_quantity
            rows.append(GapRow(kind, required, held[key], no_camera[key]))
        out[bureau.pk] = rows
    return out


@dataclass
class BureauSummary:
    """One bureau on the overview: officers, certificates, teams, equipment, funds."""

    bureau: Unit
    officer_count: int = 0
    certified_count: int = 0
    teams: list[EnforcementTeam] = field(default_factory=list)
    gaps: list[GapRow] = field(default_factory=list)
    funding: Funding | None = None

    @property
    def coverage(self) -> float:
        return (
            round(100 * self.certified_count / self.officer_count, 1) if self.officer_count else 0
        )

    @property
    def short_teams(self) -> list[EnforcementTeam]:
        need = limits().min_officers
        return [t for t in self.teams if t.valid_count < need]  # type: ignore[attr-defined]

    @property
    def equipment_gap(self) -> int:
        return sum(r.gap for r in self.gaps)


def bureau_summaries(*, user: Any, on: dt.date) -> list[BureauSummary]:
    """The overview rows of every bureau in scope; a fixed number of queries."""
    bureaus = list(bureau_list(user=user, on=on).select_related("parent"))
    rows = {b.pk: BureauSummary(bureau=b) for b in bureaus}
    valid = Certificate.objects.valid_on(on).values("holder")
    for bureau_id, total, certified in (
        PostAssignment.objects.active_on(on)
        .filter(unit__in=bureaus)
        .values_list("unit_id")
        .annotate(
            total=Count("person", distinct=True),
            certified=Count("person", filter=Q(person__in=valid), distinct=True),
        )
    ):
        rows[bureau_id].officer_count = total
        rows[bureau_id].certified_count = certified
    for team in team_list(user=user, on=on).filter(bureau__in=bureaus):
        rows[team.bureau_id].teams.append(team)
    gaps = equipment_gaps(
        bureaus=bureaus, on=on, officer_counts={k: r.officer_count for k, r in rows.items()}
    )
    for bureau_id, gap_rows in gaps.items():
        rows[bureau_id].gaps = gap_rows
    for funding in Funding.objects.filter(bureau__in=bureaus, year=on.year):
        rows[funding.bureau_id].funding = funding
    return list(rows.values())


def funding_list(*, user: Any) -> QuerySet[Funding]:
    return (
        Funding.objects.filter(scope_q(user, "bureau__"))
        .select_related("bureau__parent")
        .order_by("bureau__path", "-year")
    )


def equipment_list(*, user: Any) -> QuerySet[Equipment]:
    return (
        Equipment.objects.filter(scope_q(user, "bureau__"))
        .select_related("bureau__parent", "kind")
        .order_by("bureau__path", "kind__sort_order", "acquired_on", "id")
    )


# -- cases -------------------------------------------------------------------------------------
def overdue_q(today: dt.date) -> Q:
    """Open cases past a statutory deadline: decision (第60条), delivery (第61条), payment (第67条)."""
    return (
        Q(stage__in=BEFORE_DECISION, decision_due__lt=today)
        | Q(stage=Stage.DECISION, delivery_due__lt=today)
        | Q(stage=Stage.DELIVERY, payment_due__lt=today, paid_on__isnull=True)
    )


def case_list(*, user: Any) -> QuerySet[Case]:
    """Cases of the towns and streets in the user's scope."""
    return Case.objects.filter(scope_q(user, "town__")).select_related("town", "bureau", "power")


def case_get(*, user: Any, pk: int) -> Case:
    return case_list(user=user).select_related("hearing_host").get(pk=pk)


@dataclass(frozen=True)
class Deadline:
    """A statutory deadline of one case, for its detail page."""

    label: str
    article: str
    due: dt.date | None
    done_on: dt.date | None

    def status(self, today: dt.date) -> str:
        if self.due is None:
            return "—"
        if self.done_on is not None:
            return "按期" if self.done_on <= self.due else "逾期完成"
        return "已逾期" if today > self.due else f"剩余{(self.due - today).days}日"


def case_deadlines(case: Case) -> list[Deadline]:
    """The deadlines of a case, computed from its dates (the same functions the services use)."""
    conf = limits()
    rows = [Deadline("作出决定", "第60条", case.decision_due, case.decided_on)]
    if case.noticed_on:
        rows.append(
            Deadline(
                "申请听证",
                "第64条",
                deadlines.hearing_request_due(case.noticed_on, conf.hearing_request_days),
                case.hearing_requested_on,
            )
        )
    if case.hearing_on:
        rows.append(
            Deadline(
                "听证通知",
                "第64条",
                deadlines.hearing_notice_latest(case.hearing_on, conf.hearing_notice_days),
                case.hearing_notified_on,
            )
        )
    if case.decided_on:
        rows.append(Deadline("送达决定书", "第61条", case.delivery_due, case.delivered_on))
    if case.payment_due:
        rows.append(Deadline("缴纳罚款", "第67条", case.payment_due, case.paid_on))
    return rows


def current_surcharge(case: Case, today: dt.date) -> Any:
    """The surcharge owed if the fine were paid today (第72条), or the one paid."""
    if case.surcharge is not None:
        return case.surcharge
    if not case.fine or case.payment_due is None:
        return None
    return deadlines.surcharge(case.fine, case.payment_due, today, limits().surcharge_daily_rate)


@dataclass
class CaseStatistics:
    by_town: list[dict[str, Any]]
    by_power: list[dict[str, Any]]
    by_stage: list[dict[str, Any]]
    overdue: int
    total: int
    closed: int


def case_statistics(*, user: Any, start: dt.date, end: dt.date, today: dt.date) -> CaseStatistics:
    """Cases opened in [start, end] by town, power and stage; overdue cases (all in SQL)."""
    cases = case_list(user=user).filter(opened_on__gte=start, opened_on__lte=end)
    closed = Q(stage=Stage.CLOSED)
    by_town = [
        dict(row)
        for row in cases.values("town_id", "town__name", "town__path")
        .annotate(
            total=Count("id"),
            closed=Count("id", filter=closed),
            overdue=Count("id", filter=overdue_q(today)),
        )
        .order_by("town__path")
    ]
    by_power = [
        dict(row)
        for row in cases.values("power_id", "power__code", "power__name")
        .annotate(total=Count("id"), closed=Count("id", filter=closed))
        .order_by("-total", "power__code")
    ]
    labels = dict(Stage.choices)
    counts = dict(cases.values_list("stage").annotate(total=Count("id")))
    by_stage = [{"stage": s, "label": labels[s], "total": counts.get(s, 0)} for s in Stage.values]
    return CaseStatistics(
        by_town=by_town,
        by_power=by_power,
        by_stage=by_stage,
        overdue=cases.filter(overdue_q(today)).count(),
        total=sum(counts.values()),
        closed=counts.get(Stage.CLOSED, 0),
    )


def closed_case_counts(*, user: Any, start: dt.date, end: dt.date) -> dict[tuple[int, int], int]:
    """{(town id, power id): cases closed in [start, end]}: uses of each delegated power."""
    return {
        (town, power): total
        for town, power, total in case_list(user=user)
        .filter(stage=Stage.CLOSED, closed_on__gte=start, closed_on__lte=end)
        .values_list("town_id", "power_id")
        .annotate(total=Count("id"))
        .order_by()
    }
