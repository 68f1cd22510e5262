"""The enforcement app's due dates: certificate expiries and reviews, case deadlines."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse

from zhenjie.reminders.registry import Level, Reminder, level_by_due

from .choices import BEFORE_DECISION, Stage
from .conf import limits
from .selectors import case_list, certificate_list


def _certificate_level(due: dt.date, today: dt.date, near_days: int) -> Level:
    """Overdue is danger; within the nearer window (30 days) warning; earlier info."""
    if due < today:
        return "danger"
    if (due - today).days <= near_days:
        return "warning"
    return "info"


def certificates_due(user: Any, today: dt.date) -> Iterator[Reminder]:
    """Certificates expiring or due for review within 90 days (or overdue), still unrevoked."""
    if not user.may_edit_people or (user.unit is None and not user.is_superuser):
        return
    windows = limits().certificate_remind_days
    ahead, near = max(windows), min(windows)
    horizon = today + dt.timedelta(days=ahead)
    rows = (
        certificate_list(user=user, on=today)
        .filter(revoked_on__isnull=True, holder_in_enforcement=True)  # type: ignore[misc]
        .filter(Q(expires_on__lte=horizon) | Q(review_due_on__lte=horizon))
    )
    for certificate in rows:
        if certificate.expires_on <= horizon:
            due, what = certificate.expires_on, "有效期届满, 须换发"
        else:
            due, what = certificate.review_due_on, "须审验注册"  # type: ignore[attr-defined]
        yield Reminder(
            due=due,
            title=f"执法证{what}: {certificate.holder.name}({certificate.number})",
            url=certificate.get_absolute_url(),
            level=_certificate_level(due, today, near),
            source="执法证",
        )


def case_deadlines_due(user: Any, today: dt.date) -> Iterator[Reminder]:
    """Open cases whose decision, delivery or payment deadline is near or past."""
    if not user.may_edit_people or (user.unit is None and not user.is_superuser):
        return
    horizon = today + dt.timedelta(days=limits().case_remind_days)
    cases = case_list(user=user).filter(
        Q(stage__in=BEFORE_DECISION, decision_due__lte=horizon)
        | Q(stage=Stage.DECISION, delivery_due__lte=horizon)
        | Q(stage=Stage.DELIVERY, payment_due__lte=horizon, paid_on__isnull=True)
    )
    for case in cases.order_by("opened_on", "id"):
        due: dt.date | None
        if case.stage in BEFORE_DECISION:
            due, what = case.decision_due, "作出决定(行政处罚法第60条)"
        elif case.stage == Stage.DECISION:
            due, what = case.delivery_due, "送达决定书(第61条)"
        else:
            due, what = case.payment_due, "缴纳罚款(第67条), 逾期加处罚款"
        assert due is not None
        yield Reminder(
            due=due,
            title=f"案件{case.number}须{what}",
            url=reverse("enforcement:case_detail", args=[case.pk]),
            level=level_by_due(due, today),
            source="行政执法案件",
        )
