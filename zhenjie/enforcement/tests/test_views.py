"""Enforcement pages: scope by role, filters, forms that call the services, query counts."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhenjie.accounts.models import User
from zhenjie.enforcement import services
from zhenjie.enforcement.choices import PartyKind, PenaltyKind, Stage
from zhenjie.enforcement.models import Case, EquipmentKind

from .conftest import OPENED

Counts = Callable[[], dict[str, int]]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team(
    tianchi_operator: User,
    bureaus: SimpleNamespace,
    certs: SimpleNamespace,
    officers: SimpleNamespace,
) -> Any:
    team = services.team_create(
        actor=tianchi_operator, bureau=bureaus.tianchi, name="一中队", established_on=OPENED
    )
    services.team_member_add(
        actor=tianchi_operator, team=team, person=officers.zhang, joined_on=OPENED
    )
    return team


@pytest.mark.parametrize(
    "name",
    [
        "overview",
        "certificate_list",
        "case_list",
        "statistics",
        "certificate_create",
        "case_create",
    ],
)
def test_pages_render(staffing_officer: User, team: Any, decided_case: Case, name: str) -> None:
    response = _client(staffing_officer).get(reverse(f"enforcement:{name}"))
    assert response.status_code == 200


def test_overview_shows_short_team_and_funding(
    staffing_officer: User, team: Any, bureaus: SimpleNamespace
) -> None:
    services.funding_set(
        actor=staffing_officer,
        bureau=bureaus.tianchi,
        year=dt.date.today().year,
        in_county_budget=False,
        requested=Decimal("80000"),
        granted=Decimal("0"),
        spent=Decimal("0"),
    )
    response = _client(staffing_officer).get(reverse("enforcement:overview"))
    content = response.content.decode()
    # 一中队 has one certified member: short of two
    assert "以下中队持有效执法证的人员不足2人: 天池镇一中队(1人)" in content
    assert response.context["outside_budget"] == 1
    assert response.context["officers"] == 5


def test_bureau_detail_shows_equipment_gap(
    staffing_officer: User, bureaus: SimpleNamespace, officers: SimpleNamespace
) -> None:
    vehicle = EquipmentKind.objects.get(code="vehicle")
    services.equipment_add(
        actor=staffing_officer,
        bureau=bureaus.tianchi,
        kind=vehicle,
        plate_number="蒙F12345",
        has_dash_camera=False,
        acquired_on=OPENED,
    )
    response = _client(staffing_officer).get(
        reverse("enforcement:bureau_detail", args=[bureaus.tianchi.pk])
    )
    gaps = {g.kind.code: (g.required, g.held, g.gap) for g in response.context["summary"].gaps}
    # 4 officers: one body camera each; two vehicles, the one held lacks a dash camera
    assert gaps["body_camera"] == (4, 0, 4)
    assert gaps["vehicle"] == (2, 0, 2)
    assert "另有1辆未配行车记录仪" in response.content.decode()


def test_town_operator_sees_only_own_town(
    bailang_operator: User, decided_case: Case, bureaus: SimpleNamespace
) -> None:
    client = _client(bailang_operator)
    assert client.get(reverse("enforcement:case_detail", args=[decided_case.pk])).status_code == 404
    assert list(client.get(reverse("enforcement:case_list")).context["page"]) == []
    response = client.get(reverse("enforcement:bureau_detail", args=[bureaus.tianchi.pk]))
    assert response.status_code == 404
    assert [s.bureau for s in client.get(reverse("enforcement:overview")).context["summaries"]] == [
        bureaus.bailang
    ]


def test_case_list_filters(
    staffing_officer: User,
    open_case: Callable[..., Case],
    decided_case: Case,
    org: SimpleNamespace,
    powers: SimpleNamespace,
) -> None:
    fresh = open_case(on=dt.date.today())
    client = _client(staffing_officer)

    def numbers(query: str) -> list[str]:
        return [
            c.number for c in client.get(reverse("enforcement:case_list") + query).context["page"]
        ]

    assert numbers(f"?town={org.tianchi.pk}") == [fresh.number, decided_case.number]
    assert numbers(f"?stage={Stage.DECISION}") == [decided_case.number]
    assert numbers(f"?power={powers.accepted.pk}&stage={Stage.FILED}") == [fresh.number]
    # decided 2025-04-10, delivery due 2025-04-17: overdue ever since
    assert numbers("?overdue=true") == [decided_case.number]
    assert numbers("?overdue=false") == [fresh.number]


def test_case_list_query_count(
    staffing_officer: User, open_case: Callable[..., Case], django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        open_case()
    client = _client(staffing_officer)
    client.get(reverse("enforcement:case_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("enforcement:case_list"))


def test_advance_with_one_officer_shows_error_and_changes_nothing(
    tianchi_operator: User,
    open_case: Callable[..., Case],
    certs: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = open_case()
    before = enforcement_counts()
    response = _client(tianchi_operator).post(
        reverse("enforcement:case_advance", args=[case.pk]),
        {"stage": Stage.INVESTIGATION, "on": "2025-03-04", "certificates": [certs.zhang.pk]},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["certificates"] == [
        "行政处罚法第42条: 须由2名以上具有行政执法资格的执法人员实施, 本次仅登记1人"
    ]
    assert enforcement_counts() == before


def test_advance_through_the_page(
    tianchi_operator: User, open_case: Callable[..., Case], certs: SimpleNamespace
) -> None:
    case = open_case()
    response = _client(tianchi_operator).post(
        reverse("enforcement:case_advance", args=[case.pk]),
        {
            "stage": Stage.INVESTIGATION,
            "on": "2025-03-04",
            "certificates": [certs.zhang.pk, certs.wang.pk],
            "note": "现场检查",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION


def test_leader_cannot_post(
    leader: User, open_case: Callable[..., Case], certs: SimpleNamespace, enforcement_counts: Counts
) -> None:
    case = open_case()
    before = enforcement_counts()
    response = _client(leader).post(
        reverse("enforcement:case_advance", args=[case.pk]),
        {
            "stage": Stage.INVESTIGATION,
            "on": "2025-03-04",
            "certificates": [certs.zhang.pk, certs.wang.pk],
        },
    )
    assert response.status_code == 403
    assert enforcement_counts() == before


def test_on_spot_form_refuses_fine_above_limit(
    tianchi_operator: User,
    org: SimpleNamespace,
    powers: SimpleNamespace,
    certs: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    before = enforcement_counts()
    response = _client(tianchi_operator).post(
        reverse("enforcement:case_on_spot"),
        {
            "town": org.tianchi.pk,
            "power": powers.accepted.pk,
            "number": "天池执法简字〔2025〕9号",
            "party_name": "刘某",
            "party_kind": PartyKind.PERSON,
            "summary": "当场查获",
            "decided_on": "2025-03-03",
            "penalty_kind": PenaltyKind.FINE,
            "fine": "500",
            "certificates": [certs.zhang.pk, certs.wang.pk],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["fine"] == [
        "行政处罚法第51条: 简易程序对公民罚款不得超过200元, 应适用普通程序"
    ]
    assert enforcement_counts() == before


def test_case_detail_shows_deadlines(staffing_officer: User, decided_case: Case) -> None:
    response = _client(staffing_officer).get(
        reverse("enforcement:case_detail", args=[decided_case.pk])
    )
    rows = {d.label: (d.due, status) for d, status in response.context["deadlines"]}
    assert rows["作出决定"] == (dt.date(2025, 6, 1), "按期")
    assert rows["送达决定书"] == (dt.date(2025, 4, 17), "已逾期")


def test_statistics_counts(
    staffing_officer: User, decided_case: Case, open_case: Callable[..., Case]
) -> None:
    open_case()
    response = _client(staffing_officer).get(reverse("enforcement:statistics") + "?year=2025")
    stats = response.context["stats"]
    assert (stats.total, stats.closed, stats.overdue) == (2, 0, 2)
    assert [(r["town__name"], r["total"]) for r in stats.by_town] == [("天池镇", 2)]


def test_overview_query_count_does_not_grow_with_teams(
    staffing_officer: User,
    tianchi_operator: User,
    bureaus: SimpleNamespace,
    officers: SimpleNamespace,
    certs: SimpleNamespace,
    django_assert_max_num_queries: Any,
) -> None:
    for name in ("一中队", "二中队", "三中队"):
        team = services.team_create(
            actor=tianchi_operator, bureau=bureaus.tianchi, name=name, established_on=OPENED
        )
        services.team_member_add(
            actor=tianchi_operator, team=team, person=officers.zhang, joined_on=OPENED
        )
    client = _client(staffing_officer)
    client.get(reverse("enforcement:overview"))
    with django_assert_max_num_queries(14):
        client.get(reverse("enforcement:overview"))
