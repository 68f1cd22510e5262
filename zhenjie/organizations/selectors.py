"""Read access to divisions and units, always restricted to what the user may see."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from .choices import UnitKind
from .models import Unit, UnitQuerySet


def scope_q(user: Any, prefix: str = "") -> Q:
    """Q restricting a relation to ``user``'s subtree (and agencies of their departments)."""
    if user.is_superuser:
        return Q()
    root = user.unit
    if root is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}path__startswith": root.path}) | Q(
        **{f"{prefix}department__path__startswith": root.path}
    )


def unit_list(*, user: Any) -> UnitQuerySet:
    """Units the user may see, with parents and departments joined."""
    return Unit.objects.filter(scope_q(user)).select_related("parent", "division", "department")


def unit_get(*, user: Any, pk: int) -> Unit:
    """One visible unit, or Unit.DoesNotExist (rendered as 404)."""
    return unit_list(user=user).get(pk=pk)


def unit_is_visible(*, user: Any, unit: Unit) -> bool:
    return unit_list(user=user).filter(pk=unit.pk).exists()


def ensure_unit_access(*, user: Any, unit: Unit, allowed: bool, action: str) -> None:
    """Raise PermissionDenied unless the role allows ``action`` and the unit is in scope."""
    if not allowed or not unit_is_visible(user=user, unit=unit):
        raise PermissionDenied(f"无权{action}: {unit.name}不在您的管理范围内或您的角色不允许此操作")


def scope_root(*, user: Any) -> Unit | None:
    """The unit at the top of the user's view; superusers see the first root."""
    if user.unit is not None:
        return user.unit
    return Unit.objects.filter(parent__isnull=True).order_by("pk").first()


def county_of(unit: Unit) -> Unit | None:
    """The county-level unit above (or equal to) ``unit``."""
    if unit.kind == UnitKind.COUNTY:
        return unit
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return Unit.objects.filter(pk__in=ids, kind=UnitKind.COUNTY).first()


def unit_children(*, user: Any, unit: Unit, on: dt.date) -> UnitQuerySet:
    return (
        unit_list(user=user)
        .filter(parent=unit)
        .active_on(on)
        .order_by("sort_order", "name")
        .annotate(child_count=Count("children"))
    )


def unit_tree(*, user: Any, on: dt.date) -> list[Unit]:
    """Visible units active on ``on``, in tree order (depth-first)."""
    return list(unit_list(user=user).active_on(on).order_by("path"))


def docking_summary(*, user: Any, root: Unit, on: dt.date) -> dict[str, Any]:
    """Offices in ``root``'s subtree with the number of departments each docks with."""
    offices = list(
        unit_list(user=user)
        .in_subtree(root)
        .active_on(on)
        .filter(kind=UnitKind.OFFICE)
        .annotate(department_count=Count("docking_links"))
        .order_by("path")
    )
    counts = [o.department_count for o in offices]
    from .models import DockingLink

    distinct_departments = (
        DockingLink.objects.filter(office__in=[o.pk for o in offices])
        .values("department")
        .distinct()
        .count()
    )
    return {
        "offices": offices,
        "office_count": len(offices),
        "link_count": sum(counts),
        "average": round(sum(counts) / len(offices), 1) if offices else 0,
        "max": max(counts, default=0),
        "distinct_departments": distinct_departments,
    }
