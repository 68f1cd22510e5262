"""The Arxan demo's delegated powers: 99 items, 74 accepted per town, 12 per street, 9 of 10
departments sending no quota or people with them."""

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F

from zhenjie.demo.arxan import build_demo
from zhenjie.demo.powers_catalog import CATALOG
from zhenjie.enforcement.choices import Stage as CaseStage
from zhenjie.enforcement.models import Case
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.powers.choices import AcceptanceStatus, Grantee
from zhenjie.powers.models import Acceptance, Guidance, PowerItem, PowerUsage
from zhenjie.powers.selectors import acceptance_matrix, batch_current, follow_through

LAND_BUREAU = "阿尔山市自然资源局"
ACCEPTED = AcceptanceStatus.ACCEPTED


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_demo()
        yield built
        transaction.set_rollback(True)


def shown_in(html: str, name: str) -> str:
    return re.search(rf'data-testid="{name}">([^<]*)<', html).group(1)


def summary_rates(html: str) -> list[tuple[str, str]]:
    table = html[html.index('data-testid="acceptance-summary"') :]
    table = table[: table.index("</table>")]
    return re.findall(
        r"<tr><td><a [^>]*>([^<]*)</a></td>(?:<td[^>]*>[^<]*</td>){3}<td[^>]*>([^<]*)</td></tr>",
        table,
    )


# ---------------------------------------------------------------- catalog


def test_demo_batch_holds_99_items_from_10_departments(demo, db):
    # given the demo
    # when its current batch is read
    batch = batch_current()
    per_department = Counter(batch.items.values_list("department__name", flat=True))

    # then it is the region's 2020 decision with 99 items from the catalog's 10 departments
    assert (batch.doc_no, batch.issued_on, batch.items.count()) == (
        "内政字〔2020〕99号",
        dt.date(2020, 9, 1),
        99,
    )
    assert per_department == {f"阿尔山市{name}": len(rows) for name, rows in CATALOG.items()}
    assert len(per_department) == 10


def test_demo_items_each_name_a_legal_basis_and_a_department(demo, db):
    # given the demo's items
    # when their legal bases and departments are read
    bases = PowerItem.objects.values_list("legal_basis", "department__kind")

    # then none lacks a basis and every holder is a county department
    assert {(basis != "", kind) for basis, kind in bases} == {(True, UnitKind.DEPARTMENT)}


# ---------------------------------------------------------------- acceptance


@pytest.mark.parametrize(
    ("kind", "expected"),
    [(UnitKind.TOWN, (74, 7, 18, 74.7)), (UnitKind.STREET, (12, 0, 37, 12.1))],
    ids=["towns", "streets"],
)
def test_demo_each_town_accepts_74_and_each_street_12(demo, db, kind, expected):
    # given the demo and the county staffing office
    # when the acceptance matrix of the batch is built
    matrix = acceptance_matrix(user=demo.users["bianban"], batch=batch_current())

    # then each of the 4 towns or streets has the same answers and rate
    rows = [
        (s.accepted, s.deferred, s.declined, s.rate)
        for s in matrix.summaries
        if s.unit.kind == kind
    ]
    assert rows == [expected] * 4


def test_demo_every_declined_or_deferred_acceptance_has_a_reason(demo, db):
    # given the demo's 248 answers other than acceptance
    refused = Acceptance.objects.exclude(status=ACCEPTED)

    # when their reasons and offices are read
    # then every one has a written reason and none names an office
    assert refused.count() == 4 * (7 + 18) + 4 * 37
    assert refused.filter(reason="").count() == 0
    assert refused.filter(responsible_unit__isnull=False).count() == 0


def test_demo_every_accepted_power_is_handled_by_a_unit_of_the_town_or_street(demo, db):
    # given the demo's 344 acceptances
    accepted = Acceptance.objects.filter(status=ACCEPTED)

    # when their offices are read
    # then each is handled inside the accepting town or street, with no reason
    assert accepted.count() == 4 * 74 + 4 * 12
    assert accepted.exclude(responsible_unit__parent=F("unit")).count() == 0
    assert accepted.exclude(reason="").count() == 0


def test_demo_streets_answer_only_items_granted_to_streets(demo, db):
    # given the demo
    # when the streets' answers are read by item grantee
    grantees = Counter(
        Acceptance.objects.filter(unit__kind=UnitKind.STREET).values_list(
            "item__grantee", flat=True
        )
    )

    # then all 4 streets answered the 49 items for towns and streets and nothing else
    assert grantees == {Grantee.BOTH: 4 * 49}


def test_demo_usage_is_recorded_only_for_accepted_powers(demo, db):
    # given the demo's uses of 2025
    # when they are matched to acceptances
    unmatched = PowerUsage.objects.exclude(
        item__acceptances__unit=F("unit"), item__acceptances__status=ACCEPTED
    )

    # then each of the 344 acceptances has one year's entered record, every closed
    # enforcement case adds one use, and no use falls outside an accepted power
    entered = PowerUsage.objects.filter(source="manual")
    from_cases = PowerUsage.objects.filter(source__startswith="enforcement:")
    assert entered.count() == 344
    assert from_cases.count() == Case.objects.filter(stage=CaseStage.CLOSED).count() > 0
    assert PowerUsage.objects.count() == entered.count() + from_cases.count()
    assert unmatched.count() == 0


# ---------------------------------------------------------------- follow-through


def test_demo_nine_of_ten_departments_sent_no_quota_or_people(demo, db):
    # given the demo and the county staffing office
    # when the follow-through of the batch is read
    rows = follow_through(user=demo.users["bianban"], batch=batch_current())

    # then only 自然资源局 moved quota and people; the other 9 moved nothing
    assert len(rows) == 10
    assert [r.department.name for r in rows if r.followed] == [LAND_BUREAU]
    assert sum(not r.followed for r in rows) == 9
    assert [
        (r.quota_moved, r.people_moved, r.transfers)
        for r in rows
        if r.department.name != LAND_BUREAU
    ] == [(0, 0, [])] * 9


def test_demo_land_bureau_moved_4_places_and_4_people_to_the_towns(demo, db):
    # given the demo and the county staffing office
    # when 自然资源局's follow-through is read
    land = next(
        r
        for r in follow_through(user=demo.users["bianban"], batch=batch_current())
        if r.department.name == LAND_BUREAU
    )

    # then it pledged and moved 4 places and 4 people, one to each town, after the batch
    assert (
        land.item_count,
        land.expected_quota,
        land.expected_people,
        land.quota_moved,
        land.people_moved,
        land.followed,
    ) == (10, 4, 4, 4, 4, True)
    towns = sorted(Unit.objects.filter(kind=UnitKind.TOWN).values_list("name", flat=True))
    assert sorted((t.to_unit.name, t.amount, t.effective_on) for t in land.transfers) == [
        (town, 1, dt.date(2021, 1, 1)) for town in towns
    ]


def test_demo_pledges_expect_funds_that_were_never_transferred(demo, db):
    # given the demo and the county staffing office
    # when the follow-through is read
    rows = follow_through(user=demo.users["bianban"], batch=batch_current())

    # then every department pledged 4 places, 4 people and 200000 yuan, and sent no funds
    assert {
        (r.expected_quota, r.expected_people, r.expected_funds, r.funds_transferred) for r in rows
    } == {(4, 4, Decimal("200000.00"), Decimal("0.00"))}


def test_demo_guidance_was_held_by_three_departments(demo, db):
    # given the demo and the county staffing office
    # when the follow-through is read
    rows = follow_through(user=demo.users["bianban"], batch=batch_current())

    # then three departments held one guidance or training each
    assert {r.department.name: r.guidance_count for r in rows if r.guidance_count} == {
        LAND_BUREAU: 1,
        "阿尔山市市场监督管理局": 1,
        "阿尔山市应急管理局": 1,
    }
    assert Guidance.objects.count() == 3


# ---------------------------------------------------------------- pages


def test_demo_overview_shows_99_items_10_departments_and_9_not_followed(demo, db, client):
    # given the county staffing office logged in
    client.force_login(demo.users["bianban"])

    # when the overview is opened
    html = client.get("/powers/").content.decode()

    # then the figures and each base unit's rate are shown
    assert [shown_in(html, n) for n in ("item-count", "department-count", "not-followed")] == [
        "99",
        "10",
        "9",
    ]
    rates = summary_rates(html)
    assert len(rates) == 8
    assert Counter(rate for _, rate in rates) == {"74.7%": 4, "12.1%": 4}


def test_demo_overview_takes_a_bounded_number_of_queries(
    demo, db, client, django_assert_max_num_queries
):
    # given the county staffing office logged in
    client.force_login(demo.users["bianban"])

    # when the overview of 99 items, 8 base units and 10 departments is opened
    # then the queries do not grow with items, units or departments
    with django_assert_max_num_queries(15):
        response = client.get("/powers/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("department", "quota", "people", "flagged"),
    [(LAND_BUREAU, "4 / 4", "4 / 4", False), ("阿尔山市农牧局", "4 / 0", "4 / 0", True)],
    ids=["followed", "not-followed"],
)
def test_demo_department_page_compares_pledged_and_moved(
    demo, db, client, department, quota, people, flagged
):
    # given the county staffing office logged in
    client.force_login(demo.users["bianban"])
    pk = PowerItem.objects.filter(department__name=department).values_list(
        "department_id", flat=True
    )[0]

    # when the department's page is opened
    html = client.get(f"/powers/departments/{pk}/").content.decode()

    # then the pledged and moved places and people are compared
    assert (shown_in(html, "quota"), shown_in(html, "people")) == (quota, people)
    assert ('data-testid="not-followed"' in html) is flagged


@pytest.mark.parametrize(
    ("query", "count"),
    [
        (lambda: {}, 99),
        (
            lambda: {
                "department": PowerItem.objects.filter(department__name=LAND_BUREAU)[
                    0
                ].department_id
            },
            10,
        ),
        (
            lambda: {"category": PowerItem.objects.filter(category__code="penalty")[0].category_id},
            50,
        ),
    ],
    ids=["all", "land-bureau", "penalty"],
)
def test_demo_matrix_filters_by_department_and_category(demo, db, client, query, count):
    # given the county staffing office logged in
    client.force_login(demo.users["bianban"])

    # when the matrix is opened with a filter
    html = client.get("/powers/matrix/", query()).content.decode()

    # then the matching items are its rows, one column per base unit
    assert f"<th>事项({count})</th>" in html
    assert html.count('<td class="small"><a href="/powers/items/') == count
