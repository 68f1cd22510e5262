"""The demo's law enforcement: the report's findings (two or more certified officers per team,
equipment short, funds outside the budget) and a year of cases under accepted penalty powers."""

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count

from zhenjie.demo.arxan import build_demo
from zhenjie.enforcement import selectors
from zhenjie.enforcement.choices import Procedure, Stage
from zhenjie.enforcement.models import Case, Certificate, Funding
from zhenjie.powers.choices import AcceptanceStatus
from zhenjie.powers.models import Acceptance, PowerUsage


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_demo(2019)
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def summaries(demo: Any, db: Any) -> list[Any]:
    return selectors.bureau_summaries(user=demo.users["bianban"], on=dt.date.today())


def test_four_bureaus_each_team_with_two_or_more_valid_holders(summaries: list[Any]) -> None:
    assert len(summaries) == 4
    for summary in summaries:
        assert len(summary.teams) == 2
        assert summary.short_teams == []
        assert summary.certified_count < summary.officer_count


def test_one_certificate_per_bureau_near_expiry(demo: Any, db: Any) -> None:
    today = dt.date.today()
    soon = Certificate.objects.filter(
        expires_on__gt=today, expires_on__lte=today + dt.timedelta(days=90)
    )
    assert soon.count() == 4


def test_equipment_short_and_funds_outside_budget(summaries: list[Any]) -> None:
    for summary in summaries:
        gaps = {g.kind.code: g for g in summary.gaps}
        assert gaps["vehicle"].held == 0 and gaps["vehicle"].without_dash_camera == 1
        assert summary.equipment_gap > 0
        assert summary.funding is not None and summary.funding.in_county_budget is False
    assert not Funding.objects.filter(in_county_budget=True).exists()


def test_cases_only_under_accepted_penalty_powers(demo: Any, db: Any) -> None:
    cases = Case.objects.all()
    assert cases.count() >= 4 * 14
    for town_id, power_id in cases.values_list("town_id", "power_id").distinct():
        assert Acceptance.objects.filter(
            unit_id=town_id,
            item_id=power_id,
            status=AcceptanceStatus.ACCEPTED,
            item__category__code="penalty",
        ).exists()
    by_town = dict(cases.values_list("town__name").annotate(n=Count("id")))
    assert set(by_town) == {"天池镇", "五岔沟镇", "白狼镇", "明水河镇"}


def test_cases_cover_every_path(demo: Any, db: Any) -> None:
    cases = Case.objects.all()
    assert cases.filter(procedure=Procedure.SIMPLE).exists()
    assert cases.filter(hearing_on__isnull=False).count() == 4
    assert cases.filter(extensions__isnull=False).count() == 4
    assert cases.filter(surcharge__gt=0).exists()
    assert cases.filter(selectors.overdue_q(dt.date.today())).count() >= 4
    closed = cases.filter(stage=Stage.CLOSED).count()
    assert PowerUsage.objects.filter(source__startswith="enforcement:").count() == closed
