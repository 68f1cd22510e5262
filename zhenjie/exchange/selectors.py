"""Scoped reads the exchange needs that the owning apps do not offer (yet) as selectors."""

from typing import Any

from django.db.models import QuerySet

from zhenjie.organizations.models import DockingLink
from zhenjie.organizations.selectors import scope_q
from zhenjie.staffing.models import LeadershipQuota


def docking_link_list(*, user: Any) -> QuerySet[DockingLink]:
    """Docking links of the offices the user may see."""
    return (
        DockingLink.objects.filter(scope_q(user, "office__"))
        .select_related("office__parent", "department__parent")
        .order_by("office__path", "department__path", "id")
    )


def leadership_quota_list(*, user: Any) -> QuerySet[LeadershipQuota]:
    """Leadership quota records of the units the user may see."""
    return (
        LeadershipQuota.objects.filter(scope_q(user, "unit__"))
        .select_related("unit__parent")
        .order_by("unit__path", "level", "effective_on", "id")
    )
