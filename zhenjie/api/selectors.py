"""Scoped reads for the registers whose app has no list selector yet.

Each takes the user and restricts by ``organizations.selectors.scope_q`` as the pages do, with
the joins its serializer needs. They belong in the owning apps' ``selectors.py`` (the API
must not be the only reader that knows the scope of a register); until then they live here.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from zhenjie.organizations.choices import CODE_LENGTHS
from zhenjie.organizations.models import Division, DockingLink, Unit
from zhenjie.organizations.selectors import scope_q
from zhenjie.personnel.models import Enrolment, PostAssignment
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
