"""Reads of delegated powers: the acceptance matrix, follow-through of quota and people, usage."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from zhenjie.conftest import ESTABLISHED
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.services import unit_create
from zhenjie.personnel.services import quota_transfer
from zhenjie.powers.choices import AcceptanceStatus, DelegationMode, Grantee, GuidanceKind
from zhenjie.powers.models import PowerCategory
from zhenjie.powers.selectors import (
    acceptance_matrix,
    batch_current,
    batch_list,
    follow_through,
    item_acceptances,
    usage_totals,
)
from zhenjie.powers.services import (
    acceptance_record,
    batch_create,
    guidance_record,
    pledge_set,
    power_item_create,
    usage_record,
)

pytestmark = pytest.mark.django_db

BATCH_DAY = dt.date(2024, 6, 1)
EFFECTIVE = dt.date(2024, 7, 1)
BEFORE_BATCH = dt.date(2024, 5, 1)
TRANSFER_DOC = "阿机编发〔2024〕20号"
ACCEPTED, DEFERRED, DECLINED = (
    AcceptanceStatus.ACCEPTED,
    AcceptanceStatus.DEFERRED,
    AcceptanceStatus.DECLINED,
)


@pytest.fixture
def batch(staffing_officer):
    return batch_create(
        actor=staffing_officer,
        name="自治区赋予乡镇(街道)行政权力事项目录",
        issuer="内蒙古自治区人民政府",
        doc_no="内政字〔2024〕9号",
        issued_on=BATCH_DAY,
    )


@pytest.fixture
def land_bureau(root, org):
    """A second county department, 自然资源局."""
    return unit_create(
        actor=root,
        name="阿尔山市自然资源局",
        kind=UnitKind.DEPARTMENT,
        parent=org.county,
        established_on=ESTABLISHED,
    )


@pytest.fixture
def linhai_office(root, org):
    return unit_create(
        actor=root,
        name="林海街道城市管理办公室",
        kind=UnitKind.OFFICE,
        parent=org.linhai,
        established_on=ESTABLISHED,
    )


def add_item(actor, batch, department, code, grantee=Grantee.TOWN, category="penalty"):
    return power_item_create(
        actor=actor,
        batch=batch,
        code=code,
        name=f"事项{code}",
        category=PowerCategory.objects.get(code=category),
        legal_basis="《中华人民共和国行政处罚法》第二十四条",
        department=department,
        mode=DelegationMode.ENTRUST,
        grantee=grantee,
    )


def answer(actor, unit, item, status, office=None):
    return acceptance_record(
        actor=actor,
        unit=unit,
        item=item,
        status=status,
        reason="" if status == ACCEPTED else "暂不具备承接条件",
        responsible_unit=office if status == ACCEPTED else None,
        effective_on=EFFECTIVE,
    )


@pytest.fixture
def answered(org, staffing_officer, batch, land_bureau, linhai_office):
    """Three items and every base unit's answers.

    农牧和科技局: farm (town, penalty), market (both, inspection); 自然资源局: land (town, licensing).
    天池镇 accepts farm and market and defers land; 白狼镇 accepts farm and declines land;
    林海街道 declines market.
    """
    items = SimpleNamespace(
        farm=add_item(staffing_officer, batch, org.department, "NMG-001"),
        market=add_item(
            staffing_officer, batch, org.department, "NMG-002", Grantee.BOTH, "inspection"
        ),
        land=add_item(staffing_officer, batch, land_bureau, "NMG-003", category="licensing"),
    )
    answer(staffing_officer, org.tianchi, items.farm, ACCEPTED, org.tianchi_center)
    answer(staffing_officer, org.tianchi, items.market, ACCEPTED, org.tianchi_office)
    answer(staffing_officer, org.tianchi, items.land, DEFERRED)
    answer(staffing_officer, org.bailang, items.farm, ACCEPTED, org.bailang_center)
    answer(staffing_officer, org.bailang, items.land, DECLINED)
    answer(staffing_officer, org.linhai, items.market, DECLINED)
    return items


def summary_rows(matrix):
    return [(s.unit.name, s.accepted, s.deferred, s.declined, s.rate) for s in matrix.summaries]


# ---------------------------------------------------------------- batches


def test_batch_list_counts_items_and_batch_current_is_the_latest_issued(
    answered, staffing_officer, batch
):
    # given the 3-item batch of Jun 1 and an empty batch issued later
    later = batch_create(
        actor=staffing_officer,
        name="第二批赋权事项",
        issuer="内蒙古自治区人民政府",
        doc_no="内政字〔2025〕3号",
        issued_on=dt.date(2025, 3, 1),
    )

    # when the batches are listed and the current one is asked for
    listed = {b.doc_no: b.item_count for b in batch_list()}

    # then both are listed with their item counts, and the later one is current
    assert listed == {"内政字〔2025〕3号": 0, "内政字〔2024〕9号": 3}
    assert batch_current() == later


def test_batch_current_is_none_without_batches(db):
    # given no batch
    # when the current batch is asked for
    # then there is none
    assert batch_current() is None


# ---------------------------------------------------------------- acceptance_matrix


def test_acceptance_matrix_counts_each_units_answers_and_rate(answered, org, staffing_officer):
    # given the answers of 天池镇, 白狼镇 and 林海街道 to the 3 items
    # when the staffing office builds the matrix
    matrix = acceptance_matrix(user=staffing_officer, batch=answered.farm.batch)

    # then each base unit is summarised against all 3 items, in tree order
    assert summary_rows(matrix) == [
        ("天池镇", 2, 1, 0, 66.7),
        ("白狼镇", 1, 0, 1, 33.3),
        ("林海街道", 0, 0, 1, 0.0),
    ]
    assert [s.batch_total for s in matrix.summaries] == [3, 3, 3]
    assert [i.code for i in matrix.items] == ["NMG-001", "NMG-002", "NMG-003"]
    assert matrix.cells == {
        (org.tianchi.pk, answered.farm.pk): ACCEPTED,
        (org.tianchi.pk, answered.market.pk): ACCEPTED,
        (org.tianchi.pk, answered.land.pk): DEFERRED,
        (org.bailang.pk, answered.farm.pk): ACCEPTED,
        (org.bailang.pk, answered.land.pk): DECLINED,
        (org.linhai.pk, answered.market.pk): DECLINED,
    }


def test_acceptance_matrix_filtered_by_department_keeps_the_whole_batch_summaries(
    answered, org, staffing_officer
):
    # given the answers to the 3 items
    # when the matrix is filtered to 自然资源局's items
    matrix = acceptance_matrix(
        user=staffing_officer,
        batch=answered.farm.batch,
        department=answered.land.department_id,
    )

    # then only its item and cells remain while the summaries still cover the batch
    assert [i.code for i in matrix.items] == ["NMG-003"]
    assert matrix.cells == {
        (org.tianchi.pk, answered.land.pk): DEFERRED,
        (org.bailang.pk, answered.land.pk): DECLINED,
    }
    assert summary_rows(matrix)[0] == ("天池镇", 2, 1, 0, 66.7)


@pytest.mark.parametrize(
    ("category", "codes"),
    [("penalty", ["NMG-001"]), ("inspection", ["NMG-002"]), ("reward", [])],
)
def test_acceptance_matrix_filtered_by_category(answered, staffing_officer, category, codes):
    # given the answers to the 3 items
    pk = PowerCategory.objects.get(code=category).pk

    # when the matrix is filtered to a category
    matrix = acceptance_matrix(user=staffing_officer, batch=answered.farm.batch, category=pk)

    # then only that category's items and cells remain
    assert [i.code for i in matrix.items] == codes
    assert {item_id for _, item_id in matrix.cells} == {i.pk for i in matrix.items}


def test_acceptance_matrix_of_a_town_operator_shows_only_the_town(answered, org, tianchi_operator):
    # given the answers of three base units
    # when 天池镇's operator builds the matrix
    matrix = acceptance_matrix(user=tianchi_operator, batch=answered.farm.batch)

    # then only 天池镇 is summarised and filled in
    assert summary_rows(matrix) == [("天池镇", 2, 1, 0, 66.7)]
    assert {unit_id for unit_id, _ in matrix.cells} == {org.tianchi.pk}


def test_acceptance_matrix_rate_of_an_empty_batch_is_zero(org, staffing_officer, batch):
    # given a batch without items
    # when the matrix is built
    matrix = acceptance_matrix(user=staffing_officer, batch=batch)

    # then every base unit has a zero rate
    assert summary_rows(matrix) == [
        ("天池镇", 0, 0, 0, 0.0),
        ("白狼镇", 0, 0, 0, 0.0),
        ("林海街道", 0, 0, 0, 0.0),
    ]


# ---------------------------------------------------------------- follow_through


@pytest.fixture
def farm_moved(answered, org, qt, staffing_officer, grant_quota, register_person, enrol):
    """农牧和科技局 moved 1 place of 行政编制 and 张三 on it to 天池镇 a month after the batch."""
    grant_quota(org.department, qt.administrative, 2)
    person = register_person("张三")
    enrol(person, org.department, qt.administrative)
    return quota_transfer(
        actor=staffing_officer,
        from_unit=org.department,
        to_unit=org.tianchi,
        quota_type=qt.administrative,
        amount=1,
        doc_no=TRANSFER_DOC,
        effective_on=EFFECTIVE,
        persons=[person],
        summary="随赋权事项下沉天池镇",
    )


def land_nothing(org, qt, staffing_officer, land_bureau, grant_quota, register_person, enrol):
    grant_quota(land_bureau, qt.administrative, 2)


def land_before_batch(org, qt, staffing_officer, land_bureau, grant_quota, register_person, enrol):
    grant_quota(land_bureau, qt.administrative, 2)
    person = register_person("李四", birth=dt.date(1990, 1, 1))
    enrol(person, land_bureau, qt.administrative)
    quota_transfer(
        actor=staffing_officer,
        from_unit=land_bureau,
        to_unit=org.bailang,
        quota_type=qt.administrative,
        amount=1,
        doc_no="阿机编发〔2024〕8号",
        effective_on=BEFORE_BATCH,
        persons=[person],
    )


def land_to_a_department(
    org, qt, staffing_officer, land_bureau, grant_quota, register_person, enrol
):
    grant_quota(land_bureau, qt.administrative, 2)
    quota_transfer(
        actor=staffing_officer,
        from_unit=land_bureau,
        to_unit=org.department,
        quota_type=qt.administrative,
        amount=1,
        doc_no="阿机编发〔2024〕21号",
        effective_on=EFFECTIVE,
    )


@pytest.mark.parametrize(
    "land_history",
    [land_nothing, land_before_batch, land_to_a_department],
    ids=["no-transfer", "transfer-before-the-batch", "transfer-to-another-department"],
)
def test_follow_through_tells_a_department_whose_quota_and_people_followed_from_one_that_did_not(
    farm_moved,
    answered,
    org,
    qt,
    staffing_officer,
    land_bureau,
    grant_quota,
    register_person,
    enrol,
    land_history,
):
    # given 农牧和科技局 moved quota and 张三 to 天池镇 after the batch, and 自然资源局 did not
    land_history(org, qt, staffing_officer, land_bureau, grant_quota, register_person, enrol)
    pledge_set(
        actor=staffing_officer,
        department=org.department,
        batch=answered.farm.batch,
        expected_quota=2,
        expected_people=2,
        expected_funds=Decimal("200000.00"),
        funds_transferred=Decimal("50000.00"),
    )
    guidance_record(
        actor=staffing_officer,
        department=org.department,
        kind=GuidanceKind.TRAINING,
        held_on=dt.date(2024, 8, 1),
        description="动物防疫执法培训",
        units=[org.tianchi, org.bailang],
    )

    # when the follow-through of the batch is read
    rows = follow_through(user=staffing_officer, batch=answered.farm.batch)

    # then 农牧和科技局 followed with 1 place and 1 person and 自然资源局 did not
    assert [
        (
            r.department.name,
            r.item_count,
            r.accepted_count,
            r.expected_quota,
            r.expected_people,
            r.expected_funds,
            r.funds_transferred,
            r.quota_moved,
            r.people_moved,
            r.guidance_count,
            r.followed,
        )
        for r in rows
    ] == [
        (
            "阿尔山市农牧和科技局",
            2,
            3,
            2,
            2,
            Decimal("200000.00"),
            Decimal("50000.00"),
            1,
            1,
            1,
            True,
        ),
        ("阿尔山市自然资源局", 1, 0, 0, 0, Decimal("0"), Decimal("0"), 0, 0, 0, False),
    ]
    assert rows[0].transfers == [farm_moved]
    assert rows[1].transfers == []


def test_follow_through_counts_quota_moved_from_a_departments_station(
    answered, org, qt, staffing_officer, grant_quota, register_person, enrol, root
):
    # given a station of 农牧和科技局 whose 2 places and 1 technician moved to 天池镇's center
    station = unit_create(
        actor=root,
        name="天池镇畜牧兽医站",
        kind=UnitKind.STATION,
        parent=org.department,
        established_on=ESTABLISHED,
    )
    grant_quota(station, qt.institution, 2)
    person = register_person("王五")
    enrol(person, station, qt.institution)
    quota_transfer(
        actor=staffing_officer,
        from_unit=station,
        to_unit=org.tianchi_center,
        quota_type=qt.institution,
        amount=2,
        doc_no=TRANSFER_DOC,
        effective_on=EFFECTIVE,
        persons=[person],
    )

    # when the follow-through is read
    rows = {
        r.department.name: r
        for r in follow_through(user=staffing_officer, batch=answered.farm.batch)
    }

    # then the department is credited with the station's places and person
    farm = rows["阿尔山市农牧和科技局"]
    assert (farm.quota_moved, farm.people_moved, farm.followed) == (2, 1, True)


def test_follow_through_of_a_department_operator_shows_only_the_department(
    farm_moved, answered, department_operator
):
    # given two departments with delegated items
    # when 农牧和科技局's operator reads the follow-through
    rows = follow_through(user=department_operator, batch=answered.farm.batch)

    # then only the department is listed
    assert [(r.department.name, r.quota_moved, r.people_moved) for r in rows] == [
        ("阿尔山市农牧和科技局", 1, 1)
    ]


SECOND_BATCH_DAY = dt.date(2024, 9, 1)


@pytest.fixture
def second_batch(answered, org, staffing_officer):
    """A later batch in which 农牧和科技局 delegated two more items."""
    batch = batch_create(
        actor=staffing_officer,
        name="第二批赋权事项",
        issuer="内蒙古自治区人民政府",
        doc_no="内政字〔2024〕15号",
        issued_on=SECOND_BATCH_DAY,
    )
    add_item(staffing_officer, batch, org.department, "NMG-101")
    add_item(staffing_officer, batch, org.department, "NMG-102")
    return batch


def farm_guidance(staffing_officer, org, held_on, description, item=None):
    return guidance_record(
        actor=staffing_officer,
        department=org.department,
        kind=GuidanceKind.GUIDANCE,
        held_on=held_on,
        description=description,
        units=[org.tianchi],
        item=item,
    )


def test_follow_through_counts_each_transfer_and_guidance_once_across_two_batches(
    farm_moved, answered, second_batch, org, qt, staffing_officer, register_person, enrol
):
    # given 农牧和科技局 with items in two batches (Jun 1 and Sep 1): it moved 1 place and 张三 on
    # Jul 1 and 1 place and 李四 on Oct 1, and held guidance after each batch, on one of the
    # batch's items and on all its items
    person = register_person("李四", birth=dt.date(1990, 1, 1))
    enrol(person, org.department, qt.administrative)
    october = quota_transfer(
        actor=staffing_officer,
        from_unit=org.department,
        to_unit=org.bailang,
        quota_type=qt.administrative,
        amount=1,
        doc_no="阿机编发〔2024〕30号",
        effective_on=dt.date(2024, 10, 1),
        persons=[person],
    )
    second_item = second_batch.items.get(code="NMG-101")
    farm_guidance(staffing_officer, org, dt.date(2024, 8, 1), "第一批事项业务指导", answered.farm)
    farm_guidance(staffing_officer, org, dt.date(2024, 8, 2), "第一批全部事项培训")
    farm_guidance(staffing_officer, org, dt.date(2024, 8, 3), "第二批事项提前指导", second_item)
    farm_guidance(staffing_officer, org, dt.date(2024, 10, 8), "第二批全部事项培训")

    # when the follow-through of each batch is read
    def farm_row(batch):
        return next(
            r
            for r in follow_through(user=staffing_officer, batch=batch)
            if r.department == org.department
        )

    first, second = farm_row(answered.farm.batch), farm_row(second_batch)

    # then each transfer and each guidance record counts for one batch only: the item's batch,
    # or else the latest batch issued by its date
    assert [
        (r.item_count, r.quota_moved, r.people_moved, r.guidance_count, r.transfers)
        for r in (first, second)
    ] == [(2, 1, 1, 2, [farm_moved]), (2, 1, 1, 2, [october])]
    assert [g.description for g in first.guidance] == ["第一批全部事项培训", "第一批事项业务指导"]
    assert [g.description for g in second.guidance] == ["第二批全部事项培训", "第二批事项提前指导"]


def test_follow_through_leaves_out_guidance_held_before_the_departments_first_batch(
    answered, org, staffing_officer
):
    # given 农牧和科技局's general guidance of May, before its first batch of Jun 1
    farm_guidance(staffing_officer, org, BEFORE_BATCH, "赋权前的业务培训")

    # when the follow-through of the batch is read
    rows = follow_through(user=staffing_officer, batch=answered.farm.batch)

    # then it is not counted as guidance after delegation
    assert [(r.department.name, r.guidance_count) for r in rows] == [
        ("阿尔山市农牧和科技局", 0),
        ("阿尔山市自然资源局", 0),
    ]


@pytest.mark.parametrize("per_department", [1, 12], ids=["one-item-each", "twelve-items-each"])
def test_matrix_and_follow_through_take_a_fixed_number_of_queries(
    farm_moved,
    org,
    staffing_officer,
    land_bureau,
    django_assert_max_num_queries,
    per_department,
):
    # given a second batch of many items from both departments, each accepted by both towns
    batch = batch_create(
        actor=staffing_officer,
        name="第二批赋权事项",
        issuer="内蒙古自治区人民政府",
        doc_no="内政字〔2024〕12号",
        issued_on=BATCH_DAY,
    )
    for department in (org.department, land_bureau):
        for n in range(per_department):
            item = add_item(staffing_officer, batch, department, f"{department.pk}-{n:02d}")
            answer(staffing_officer, org.tianchi, item, ACCEPTED, org.tianchi_office)
            answer(staffing_officer, org.bailang, item, ACCEPTED, org.bailang_center)

    # when the matrix (units, items, total, answers) and the follow-through are read
    with django_assert_max_num_queries(4):
        matrix = acceptance_matrix(user=staffing_officer, batch=batch)
    with django_assert_max_num_queries(6):
        rows = follow_through(user=staffing_officer, batch=batch)

    # then the counts grow with the items but the queries do not
    assert summary_rows(matrix)[:2] == [
        ("天池镇", 2 * per_department, 0, 0, 100.0),
        ("白狼镇", 2 * per_department, 0, 0, 100.0),
    ]
    assert [(r.item_count, r.accepted_count, r.people_moved) for r in rows] == [
        (per_department, 2 * per_department, 1),
        (per_department, 2 * per_department, 0),
    ]


# ---------------------------------------------------------------- item pages


def test_item_acceptances_and_usage_totals_are_limited_to_the_users_scope(
    answered, org, staffing_officer, tianchi_operator
):
    # given 2025's uses of the farm item in 天池镇 (7) and 白狼镇 (5)
    for unit, count in ((org.tianchi, 7), (org.bailang, 5)):
        usage_record(
            actor=staffing_officer,
            unit=unit,
            item=answered.farm,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            count=count,
        )
    batch = answered.farm.batch

    # when the staffing office and 天池镇's operator read the item's answers and the totals
    # then each sees the towns of their scope
    assert [a.unit.name for a in item_acceptances(user=staffing_officer, item=answered.farm)] == [
        "天池镇",
        "白狼镇",
    ]
    assert [a.unit.name for a in item_acceptances(user=tianchi_operator, item=answered.farm)] == [
        "天池镇"
    ]
    assert usage_totals(user=staffing_officer, batch=batch) == {answered.farm.pk: 12}
    assert usage_totals(user=tianchi_operator, batch=batch) == {answered.farm.pk: 7}
