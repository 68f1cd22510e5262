"""Reads for the three lists, restricted to the user's county."""

from typing import Any

from django.db.models import Count, QuerySet

from zhenjie.organizations.selectors import scope_q

from .models import ConsultationRound, DutyAdmission, DutyItem, DutyList, Edition


def list_index(*, user: Any) -> QuerySet[DutyList]:
    """Lists of counties the user sees (the county unit is in scope, or the user is inside it)."""
    if user.is_superuser:
        qs = DutyList.objects.all()
    else:
        root = user.unit
        county_ids = [int(p) for p in root.path.strip("/").split("/")] if root else []
        qs = DutyList.objects.filter(scope_q(user, "county__")) | DutyList.objects.filter(
            county_id__in=county_ids
        )
    return qs.select_related("county").prefetch_related("editions")


def edition_get(*, user: Any, pk: int) -> Edition:
    return Edition.objects.select_related("duty_list__county", "based_on").get(
        pk=pk, duty_list__in=list_index(user=user)
    )


def round_get(*, user: Any, pk: int) -> ConsultationRound:
    return ConsultationRound.objects.select_related("edition__duty_list").get(
        pk=pk, edition__duty_list__in=list_index(user=user)
    )


def edition_rounds(*, edition: Edition) -> QuerySet[ConsultationRound]:
    return edition.rounds.annotate(
        party_count=Count("parties", distinct=True),
        reply_parties=Count("replies__party", distinct=True),
    )


def admission_list(*, user: Any) -> QuerySet[DutyAdmission]:
    """Applications of departments in scope, or naming a town in scope."""
    from django.db.models import Q

    if user.is_superuser:
        qs = DutyAdmission.objects.all()
    else:
        in_scope = scope_q(user, "department__")
        towns = scope_q(user, "towns__")
        qs = DutyAdmission.objects.filter(Q(in_scope) | Q(towns)).distinct()
    return qs.select_related("department", "request").order_by("-created_at", "-id")


def duty_item_list(*, user: Any) -> QuerySet[DutyItem]:
    """Items (清单事项) of every edition of the lists the user sees, list by list."""
    return (
        DutyItem.objects.filter(edition__duty_list__in=list_index(user=user))
        .select_related("edition__duty_list__county", "lead_department__parent")
        .order_by(
            "edition__duty_list__county__path",
            "edition__duty_list__name",
            "edition_id",
            "code",
            "id",
        )
    )
