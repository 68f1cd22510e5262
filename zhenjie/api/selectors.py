"""Scoped reads for the registers whose app has no list selector yet.

Each takes the user and restricts by ``organizations.selectors.scope_q`` (or by the app's own
selector) as the pages do, with the joins its serializer needs. They belong in the owning apps'
``selectors.py`` (the API must not be the only reader that knows the scope of a register); until
then they live here.
"""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from zhenjie.duties.models import (
    ConsultationRound,
    DutyAdmission,
    DutyItem,
    Edition,
    TaskAssignment,
    TownOpinion,
)
from zhenjie.duties.selectors import admission_list, list_index
from zhenjie.organizations.choices import BASE_LEVEL_KINDS, CODE_LENGTHS
from zhenjie.organizations.models import Division, DockingLink, Unit
from zhenjie.organizations.selectors import county_of, scope_q
from zhenjie.personnel.models import Enrolment, PostAssignment
from zhenjie.powers.models import (
    Acceptance,
    DelegationBatch,
    Guidance,
    PowerCategory,
    PowerItem,
    PowerUsage,
    ResourcePledge,
)
from zhenjie.powers.selectors import batch_list
from zhenjie.staffing.models import LeadershipQuota, QuotaTransfer, QuotaType, Redistribution
from zhenjie.staffing.selectors import movement_list


def division_list(*, user: Any) -> QuerySet[Division]:
    """Divisions (行政区划) of the user's region: its own division, those under it, those above it.

    The region is the division of the user's unit or of its nearest unit above that has one (a
    department works in its county). Codes nest (GB/T 10114: a child's code starts with its
    parent's), so the region is one prefix query, and the divisions above are its prefixes.
    """
    if user.is_superuser:
        return Division.objects.all()
    if user.unit is None:
        return Division.objects.none()
    chain = [int(part) for part in user.unit.path.strip("/").split("/") if part]
    anchor = (
        Unit.objects.filter(pk__in=chain, division__isnull=False)
        .select_related("division")
        .order_by("-depth")
        .first()
    )
    if anchor is None or anchor.division is None:
        return Division.objects.none()
    code = anchor.division.code
    above = [code[:n] for n in sorted(set(CODE_LENGTHS.values())) if n < len(code)]
    return Division.objects.filter(Q(code__startswith=code) | Q(code__in=above))


def quota_type_list() -> QuerySet[QuotaType]:
    """Quota types (编制类型), inactive ones included: old ledger entries still name them."""
    return QuotaType.objects.all()


def docking_link_list(*, user: Any) -> QuerySet[DockingLink]:
    """Docking links (对接) whose office or department the user may see."""
    return DockingLink.objects.filter(
        scope_q(user, "office__") | scope_q(user, "department__")
    ).select_related("office", "department")


def redistribution_list(*, user: Any) -> QuerySet[Redistribution]:
    """Redistributions (二次分配) touching a visible unit, with only the visible units' lines."""
    visible = movement_list(user=user)
    return (
        Redistribution.objects.filter(Exists(visible.filter(redistribution=OuterRef("pk"))))
        .select_related("county", "quota_type", "created_by")
        .prefetch_related(
            Prefetch(
                "movements", queryset=visible.order_by("unit__path", "id"), to_attr="visible_lines"
            )
        )
    )


def leadership_quota_list(*, user: Any) -> QuerySet[LeadershipQuota]:
    """Leadership posts (领导职数) of visible units."""
    return LeadershipQuota.objects.filter(scope_q(user, "unit__")).select_related("unit")


def transfer_list(*, user: Any) -> QuerySet[QuotaTransfer]:
    """Transfers (划转) out of or into a visible unit, with the people who moved with the quota."""
    return (
        QuotaTransfer.objects.filter(scope_q(user, "from_unit__") | scope_q(user, "to_unit__"))
        .select_related("from_unit", "to_unit", "quota_type", "created_by")
        .prefetch_related(
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.select_related("person").order_by("person__name", "id"),
                to_attr="moved_enrolments",
            )
        )
    )


def enrolment_list(*, user: Any) -> QuerySet[Enrolment]:
    """Enrolments (入编记录) on the quota of visible units."""
    return Enrolment.objects.filter(scope_q(user, "unit__")).select_related(
        "person", "unit", "quota_type"
    )


def post_list(*, user: Any) -> QuerySet[PostAssignment]:
    """Posts (工作岗位) in visible units."""
    return PostAssignment.objects.filter(scope_q(user, "unit__")).select_related("person", "unit")


def county_base_unit_list(*, user: Any) -> QuerySet[Unit]:
    """Towns and streets (镇街) of the user's county, abolished ones left out.

    A department names towns outside its own subtree (the towns that take on a task, attend a
    training, receive an assignment); the services then check each belongs to the county.
    A user above the counties picks among the towns in their scope.
    """
    base = Unit.objects.filter(kind__in=BASE_LEVEL_KINDS, abolished_on__isnull=True)
    if user.is_superuser:
        return base
    if user.unit is None:
        return Unit.objects.none()
    county = county_of(user.unit)
    if county is None:
        return base.filter(scope_q(user))
    return base.filter(path__startswith=county.path)


# ------------------------------------------------------------------ powers


def power_category_list() -> QuerySet[PowerCategory]:
    """Categories of power (权力类别), configured in the admin."""
    return PowerCategory.objects.all()


def delegation_batch_list() -> QuerySet[DelegationBatch]:
    """Delegation decisions (赋权批次) with their item counts; public to every role."""
    return batch_list()


def power_item_list() -> QuerySet[PowerItem]:
    """Delegated power items (赋权事项) of every batch: the catalog is public to every role."""
    return PowerItem.objects.select_related("batch", "category", "department")


def acceptance_list(*, user: Any) -> QuerySet[Acceptance]:
    """Answers (承接记录) of visible towns and streets."""
    return Acceptance.objects.filter(scope_q(user, "unit__")).select_related(
        "unit", "item", "responsible_unit", "decided_by"
    )


def pledge_list(*, user: Any) -> QuerySet[ResourcePledge]:
    """Resource pledges (资源下沉安排) of visible departments."""
    return ResourcePledge.objects.filter(scope_q(user, "department__")).select_related(
        "department", "batch"
    )


def guidance_list(*, user: Any) -> QuerySet[Guidance]:
    """Guidance (赋权后指导) given by a visible department, or attended by a visible town."""
    return (
        Guidance.objects.filter(
            scope_q(user, "department__")
            | Exists(
                Guidance.units.through.objects.filter(
                    guidance=OuterRef("pk"), unit__in=Unit.objects.filter(scope_q(user))
                )
            )
        )
        .select_related("department", "item")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("path")))
    )


def usage_list(*, user: Any) -> QuerySet[PowerUsage]:
    """Exercise counts (行权次数) of visible towns and streets."""
    return PowerUsage.objects.filter(scope_q(user, "unit__")).select_related("unit", "item")


# ------------------------------------------------------------------ duties


def edition_list(*, user: Any) -> QuerySet[Edition]:
    """Editions (清单版本) of the lists the user sees (``duties.selectors.list_index``)."""
    return (
        Edition.objects.filter(duty_list__in=list_index(user=user))
        .select_related("duty_list", "based_on")
        .annotate(item_count=Count("items"))
    )


def duty_item_list(*, user: Any) -> QuerySet[DutyItem]:
    """Items (清单事项) of the editions the user sees."""
    return DutyItem.objects.filter(edition__duty_list__in=list_index(user=user)).select_related(
        "edition", "lead_department"
    )


def round_list(*, user: Any) -> QuerySet[ConsultationRound]:
    """Consultation rounds (征求意见) on editions the user sees, with how many parties replied."""
    return (
        ConsultationRound.objects.filter(edition__duty_list__in=list_index(user=user))
        .select_related("edition", "created_by")
        .prefetch_related(Prefetch("parties", queryset=Unit.objects.order_by("path")))
        .annotate(reply_parties=Count("replies__party", distinct=True))
    )


def admission_detail_list(*, user: Any) -> QuerySet[DutyAdmission]:
    """Admission applications (``duties.selectors.admission_list``) with towns, opinions and
    assignments."""
    return (
        admission_list(user=user)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("towns", queryset=Unit.objects.order_by("path")),
            Prefetch("opinions", queryset=TownOpinion.objects.select_related("unit")),
            Prefetch("assignments", queryset=TaskAssignment.objects.select_related("unit")),
        )
    )
