"""The quota ledger: 核定/核增/核减, as-of-date balances, 二次分配 and leadership posts."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhenjie.organizations.services import unit_abolish
from zhenjie.staffing.choices import LeadershipLevel, MovementKind
from zhenjie.staffing.models import LeadershipQuota, QuotaMovement, Redistribution
from zhenjie.staffing.selectors import (
    leadership_quotas,
    quota_balance,
    quota_balances,
    quota_min_balance_from,
)
from zhenjie.staffing.services import (
    leadership_quota_set,
    quota_movement_record,
    quota_redistribute,
)

pytestmark = pytest.mark.django_db

JAN = dt.date(2024, 1, 1)
MAR = dt.date(2024, 3, 1)
JUN = dt.date(2024, 6, 1)
DOC = "阿机编发〔2024〕5号"


def denied(action: str, unit_name: str) -> str:
    return f"无权{action}: {unit_name}不在您的管理范围内或您的角色不允许此操作"


def record(actor, unit, quota_type, kind, amount, on, doc_no=DOC):
    return quota_movement_record(
        actor=actor,
        unit=unit,
        quota_type=quota_type,
        kind=kind,
        amount=amount,
        doc_no=doc_no,
        effective_on=on,
    )


# ---------------------------------------------------------------- quota_movement_record


def test_quota_movement_record_approves_increases_and_decreases(org, qt, staffing_officer):
    # given 天池镇 with no quota
    # when the 编办 approves 5, increases by 2 and decreases by 3 places of 行政编制
    for kind, amount, on in [
        (MovementKind.APPROVE, 5, JAN),
        (MovementKind.INCREASE, 2, MAR),
        (MovementKind.DECREASE, 3, JUN),
    ]:
        record(staffing_officer, org.tianchi, qt.administrative, kind, amount, on)

    # then the ledger holds signed entries by the 编办 and the balance is 4
    assert list(
        QuotaMovement.objects.values_list("kind", "delta", "effective_on", "doc_no", "created_by")
    ) == [
        (MovementKind.APPROVE, 5, JAN, DOC, staffing_officer.pk),
        (MovementKind.INCREASE, 2, MAR, DOC, staffing_officer.pk),
        (MovementKind.DECREASE, -3, JUN, DOC, staffing_officer.pk),
    ]
    assert quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=JUN) == 4


@pytest.mark.parametrize(
    ("on", "balance"),
    [
        (dt.date(2023, 12, 31), 0),
        (JAN, 5),
        (dt.date(2024, 2, 29), 5),
        (MAR, 7),
        (dt.date(2024, 5, 31), 7),
        (JUN, 4),
        (dt.date(2030, 1, 1), 4),
    ],
)
def test_quota_balance_is_the_sum_as_of_a_date(org, qt, staffing_officer, on, balance):
    # given 核定 5 on Jan 1, 核增 2 on Mar 1 and 核减 3 on Jun 1
    record(staffing_officer, org.tianchi, qt.administrative, MovementKind.APPROVE, 5, JAN)
    record(staffing_officer, org.tianchi, qt.administrative, MovementKind.INCREASE, 2, MAR)
    record(staffing_officer, org.tianchi, qt.administrative, MovementKind.DECREASE, 3, JUN)

    # when the balance is read as of a day
    # then it counts the entries effective on or before that day only
    assert quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=on) == balance


def test_quota_balances_reads_many_units_and_types_at_once(org, qt, grant_quota):
    # given quotas of several types in the two towns and a center
    grant_quota(org.tianchi, qt.administrative, 10)
    grant_quota(org.tianchi, qt.organ_worker, 1)
    grant_quota(org.bailang, qt.administrative, 8)
    grant_quota(org.tianchi_center, qt.institution, 12, on=JUN)

    # when the balances are read as of Mar 1
    balances = quota_balances(
        unit_ids=[org.tianchi.pk, org.bailang.pk, org.tianchi_center.pk], on=MAR
    )

    # then each (unit, type) has its own balance and the later approval is not counted
    assert balances == {
        (org.tianchi.pk, qt.administrative.pk): 10,
        (org.tianchi.pk, qt.organ_worker.pk): 1,
        (org.bailang.pk, qt.administrative.pk): 8,
    }


def test_quota_movement_record_refuses_a_decrease_below_zero(
    org, qt, staffing_officer, grant_quota, row_counts
):
    # given 天池镇 with 2 places of 行政编制
    grant_quota(org.tianchi, qt.administrative, 2)
    before = row_counts()

    # when 3 places are cut
    with pytest.raises(ValidationError) as exc:
        record(staffing_officer, org.tianchi, qt.administrative, MovementKind.DECREASE, 3, MAR)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"amount": ["核减3名后天池镇的行政编制将为负数(现有2名)"]}
    assert row_counts() == before
    assert quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=MAR) == 2


def test_quota_movement_record_refuses_a_back_dated_decrease_that_drives_a_later_day_negative(
    org, qt, staffing_officer, grant_quota, row_counts
):
    # given 3 places approved on Jan 1 and 2 of them cut on Jun 1 (1 left from then on)
    grant_quota(org.tianchi, qt.administrative, 3)
    grant_quota(org.tianchi, qt.administrative, 2, kind=MovementKind.DECREASE, on=JUN)
    before = row_counts()

    # when 2 more places are cut back-dated to Mar 1 (3 on that day, but -1 from Jun 1)
    with pytest.raises(ValidationError) as exc:
        record(staffing_officer, org.tianchi, qt.administrative, MovementKind.DECREASE, 2, MAR)

    # then the lowest later balance is named, it is refused and nothing is saved
    assert exc.value.message_dict == {"amount": ["核减2名后天池镇的行政编制将为负数(现有1名)"]}
    assert row_counts() == before
    assert quota_min_balance_from(unit=org.tianchi, quota_type=qt.administrative, on=MAR) == 1


def test_quota_movement_record_allows_a_back_dated_decrease_that_keeps_every_day_non_negative(
    org, qt, staffing_officer, grant_quota
):
    # given 3 places approved on Jan 1 and 2 of them cut on Jun 1
    grant_quota(org.tianchi, qt.administrative, 3)
    grant_quota(org.tianchi, qt.administrative, 2, kind=MovementKind.DECREASE, on=JUN)

    # when 1 more place is cut back-dated to Mar 1
    record(staffing_officer, org.tianchi, qt.administrative, MovementKind.DECREASE, 1, MAR)

    # then the balance is 2 from Mar 1 and 0 from Jun 1
    assert [
        quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=day)
        for day in (JAN, MAR, JUN)
    ] == [3, 2, 0]


@pytest.mark.parametrize(
    ("unit", "quota_type", "message"),
    [
        (
            "tianchi_center",
            "administrative",
            "行政编制只能用于党政机关, 天池镇综合保障和技术推广中心是事业单位",
        ),
        (
            "tianchi_center",
            "political_legal",
            "政法专项编制只能用于党政机关, 天池镇综合保障和技术推广中心是事业单位",
        ),
        ("tianchi", "institution", "事业编制只能用于事业单位, 天池镇是党政机关"),
        ("department", "institution", "事业编制只能用于事业单位, 阿尔山市农牧和科技局是党政机关"),
        (
            "tianchi_office",
            "administrative",
            "天池镇党政综合办公室是内设机构, 不单独核定编制; 请在天池镇核定",
        ),
        (
            "tianchi_office",
            "institution",
            "天池镇党政综合办公室是内设机构, 不单独核定编制; 请在天池镇核定",
        ),
    ],
    ids=[
        "administrative-on-center",
        "political-legal-on-center",
        "institution-on-town",
        "institution-on-department",
        "office-administrative",
        "office-institution",
    ],
)
def test_quota_movement_record_refuses_a_quota_type_the_unit_may_not_hold(
    org, qt, staffing_officer, row_counts, unit, quota_type, message
):
    # given a unit whose nature does not match the quota type (no 混编), or an internal office
    before = row_counts()

    # when the 编办 approves places of that type
    with pytest.raises(ValidationError) as exc:
        record(
            staffing_officer,
            getattr(org, unit),
            getattr(qt, quota_type),
            MovementKind.APPROVE,
            2,
            JAN,
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"unit": [message]}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("kind", "amount", "doc_no", "on", "field", "message"),
    [
        (MovementKind.APPROVE, 2, "   ", JAN, "doc_no", "编制变动须填写批准文号"),
        (MovementKind.APPROVE, 2, "", JAN, "doc_no", "编制变动须填写批准文号"),
        (MovementKind.APPROVE, 0, DOC, JAN, "amount", "变动数必须是正整数"),
        (MovementKind.DECREASE, -1, DOC, JAN, "amount", "变动数必须是正整数"),
        (MovementKind.TRANSFER_IN, 2, DOC, JAN, "kind", "划转和二次分配须通过专门的办理流程"),
        (MovementKind.TRANSFER_OUT, 2, DOC, JAN, "kind", "划转和二次分配须通过专门的办理流程"),
        (MovementKind.REDISTRIBUTE, 2, DOC, JAN, "kind", "划转和二次分配须通过专门的办理流程"),
        (
            MovementKind.APPROVE,
            2,
            DOC,
            dt.date(1999, 12, 31),
            "unit",
            "天池镇在1999-12-31不存在或已撤销",
        ),
    ],
    ids=[
        "blank-doc",
        "empty-doc",
        "zero-amount",
        "negative-amount",
        "transfer-in",
        "transfer-out",
        "redistribute",
        "before-established",
    ],
)
def test_quota_movement_record_refuses_bad_input(
    org, qt, staffing_officer, row_counts, kind, amount, doc_no, on, field, message
):
    # given 天池镇
    before = row_counts()

    # when a movement is recorded with a missing document, bad amount, wrong kind or date
    with pytest.raises(ValidationError) as exc:
        record(staffing_officer, org.tianchi, qt.administrative, kind, amount, on, doc_no=doc_no)

    # then the exact reason is given and nothing is saved
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before


def test_quota_movement_record_refuses_an_abolished_unit(org, qt, staffing_officer, row_counts):
    # given 白狼镇's center abolished on Mar 1
    center = unit_abolish(
        actor=staffing_officer, unit=org.bailang_center, abolished_on=MAR, abolished_doc=DOC
    )
    before = row_counts()

    # when places are approved for it on Jun 1
    with pytest.raises(ValidationError) as exc:
        record(staffing_officer, center, qt.institution, MovementKind.APPROVE, 2, JUN)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {
        "unit": ["白狼镇综合保障和技术推广中心在2024-06-01不存在或已撤销"]
    }
    assert row_counts() == before


@pytest.mark.parametrize(
    ("user", "unit"),
    [
        ("tianchi_operator", "tianchi"),
        ("tianchi_operator", "tianchi_center"),
        ("bailang_operator", "tianchi"),
        ("leader", "tianchi"),
        ("department_operator", "department"),
    ],
)
def test_quota_movement_record_is_reserved_to_the_staffing_office(
    request, org, qt, grant_quota, row_counts, user, unit
):
    # given a unit holding 5 places and a user who may not change quotas
    target = getattr(org, unit)
    quota_type = qt.institution if unit == "tianchi_center" else qt.administrative
    grant_quota(target, quota_type, 5)
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they increase the unit's quota
    with pytest.raises(PermissionDenied) as exc:
        record(actor, target, quota_type, MovementKind.INCREASE, 3, MAR)

    # then it is denied and the balance is unchanged
    assert str(exc.value) == denied("变动编制", target.name)
    assert row_counts() == before
    assert quota_balance(unit=target, quota_type=quota_type, on=MAR) == 5


# ---------------------------------------------------------------- quota_redistribute


def test_quota_redistribute_moves_places_and_keeps_the_county_total(
    org, qt, staffing_officer, grant_quota
):
    # given 天池镇 with 5, 白狼镇 with 3 and 林海街道 with 2 places of 行政编制
    grant_quota(org.tianchi, qt.administrative, 5)
    grant_quota(org.bailang, qt.administrative, 3)
    grant_quota(org.linhai, qt.administrative, 2)
    units = [org.tianchi, org.bailang, org.linhai]

    # when the 编办 moves 2 from 天池镇 and 1 from 林海街道 to 白狼镇 on Jun 1
    batch = quota_redistribute(
        actor=staffing_officer,
        county=org.county,
        quota_type=qt.administrative,
        lines=[(org.tianchi, -2), (org.bailang, 3), (org.linhai, -1)],
        doc_no=" 阿机编发〔2024〕8号 ",
        effective_on=JUN,
    )

    # then the balances change from Jun 1, the total is kept and the entries belong to the batch
    def balances(on):
        return [quota_balance(unit=u, quota_type=qt.administrative, on=on) for u in units]

    assert balances(dt.date(2024, 5, 31)) == [5, 3, 2]
    assert balances(JUN) == [3, 6, 1]
    assert sum(balances(JUN)) == sum(balances(dt.date(2024, 5, 31))) == 10
    assert (batch.county, batch.doc_no, batch.created_by) == (
        org.county,
        "阿机编发〔2024〕8号",
        staffing_officer,
    )
    assert sorted(batch.movements.values_list("unit__name", "kind", "delta", "summary")) == [
        ("天池镇", MovementKind.REDISTRIBUTE, -2, "编制二次分配"),
        ("林海街道", MovementKind.REDISTRIBUTE, -1, "编制二次分配"),
        ("白狼镇", MovementKind.REDISTRIBUTE, 3, "编制二次分配"),
    ]


def test_quota_redistribute_merges_lines_of_the_same_unit(org, qt, staffing_officer, grant_quota):
    # given 天池镇 with 5 and 白狼镇 with 3 places
    grant_quota(org.tianchi, qt.administrative, 5)
    grant_quota(org.bailang, qt.administrative, 3)

    # when 天池镇 appears twice in the lines
    batch = quota_redistribute(
        actor=staffing_officer,
        county=org.county,
        quota_type=qt.administrative,
        lines=[(org.tianchi, -1), (org.bailang, 2), (org.tianchi, -1)],
        doc_no=DOC,
        effective_on=JUN,
    )

    # then one entry per unit is written
    assert sorted(batch.movements.values_list("unit__name", "delta")) == [
        ("天池镇", -2),
        ("白狼镇", 2),
    ]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([("tianchi", -2), ("bailang", 3)], "二次分配前后编制总数须相等, 现增减合计为+1"),
        ([("tianchi", -2), ("bailang", 1)], "二次分配前后编制总数须相等, 现增减合计为-1"),
        ([("tianchi", 2)], "二次分配至少涉及两个机构"),
        ([("tianchi", -1), ("tianchi", 1), ("bailang", 0)], "二次分配至少涉及两个机构"),
        ([], "二次分配至少涉及两个机构"),
        ([("tianchi", -6), ("bailang", 6)], "天池镇的行政编制只有5名, 不能调出6名"),
        (
            [("tianchi_center", -1), ("bailang", 1)],
            "行政编制只能用于党政机关, 天池镇综合保障和技术推广中心是事业单位",
        ),
        (
            [("tianchi_office", 1), ("bailang", -1)],
            "天池镇党政综合办公室是内设机构, 不单独核定编制; 请在天池镇核定",
        ),
    ],
    ids=[
        "sum-plus-one",
        "sum-minus-one",
        "one-unit",
        "lines-cancel-out",
        "no-lines",
        "more-than-held",
        "wrong-nature",
        "internal-office",
    ],
)
def test_quota_redistribute_refuses_bad_lines(
    org, qt, staffing_officer, grant_quota, row_counts, lines, message
):
    # given 天池镇 with 5 and 白狼镇 with 3 places of 行政编制
    grant_quota(org.tianchi, qt.administrative, 5)
    grant_quota(org.bailang, qt.administrative, 3)
    before = row_counts()

    # when a redistribution with bad lines is recorded
    with pytest.raises(ValidationError) as exc:
        quota_redistribute(
            actor=staffing_officer,
            county=org.county,
            quota_type=qt.administrative,
            lines=[(getattr(org, name), delta) for name, delta in lines],
            doc_no=DOC,
            effective_on=JUN,
        )

    # then the exact rule is named and nothing is saved
    assert exc.value.message_dict == {"lines": [message]}
    assert row_counts() == before


def test_quota_redistribute_refuses_a_back_dated_cut_that_drives_a_later_day_negative(
    org, qt, staffing_officer, grant_quota, row_counts
):
    # given 天池镇 with 5 places from Jan 1 and 4 of them cut on Jun 1
    grant_quota(org.tianchi, qt.administrative, 5)
    grant_quota(org.tianchi, qt.administrative, 4, kind=MovementKind.DECREASE, on=JUN)
    grant_quota(org.bailang, qt.administrative, 3)
    before = row_counts()

    # when 2 places are moved out of 天池镇 back-dated to Mar 1
    with pytest.raises(ValidationError) as exc:
        quota_redistribute(
            actor=staffing_officer,
            county=org.county,
            quota_type=qt.administrative,
            lines=[(org.tianchi, -2), (org.bailang, 2)],
            doc_no=DOC,
            effective_on=MAR,
        )

    # then the lowest later balance is named and nothing is saved
    assert exc.value.message_dict == {"lines": ["天池镇的行政编制只有1名, 不能调出2名"]}
    assert row_counts() == before


def test_quota_redistribute_refuses_a_unit_of_another_county(
    org, other_county, qt, staffing_officer, grant_quota, row_counts
):
    # given 天池镇 with 5 places and a town of 乌兰浩特市
    grant_quota(org.tianchi, qt.administrative, 5)
    before = row_counts()

    # when 阿尔山市's 编办 moves 2 places from 天池镇 to that town
    with pytest.raises(ValidationError) as exc:
        quota_redistribute(
            actor=staffing_officer,
            county=org.county,
            quota_type=qt.administrative,
            lines=[(org.tianchi, -2), (other_county.town, 2)],
            doc_no=DOC,
            effective_on=JUN,
        )

    # then the foreign town is named and nothing is saved
    assert exc.value.message_dict == {"lines": ["义勒力特镇不属于阿尔山市"]}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("county", "doc_no", "field", "message"),
    [
        ("tianchi", DOC, "county", "二次分配须在旗县(市、区)范围内进行"),
        ("county", "  ", "doc_no", "编制变动须填写批准文号"),
    ],
    ids=["town-as-county", "missing-doc"],
)
def test_quota_redistribute_refuses_a_bad_batch(
    org, qt, staffing_officer, grant_quota, row_counts, county, doc_no, field, message
):
    # given 天池镇 with 5 and 白狼镇 with 3 places
    grant_quota(org.tianchi, qt.administrative, 5)
    grant_quota(org.bailang, qt.administrative, 3)
    before = row_counts()

    # when the batch is not a county's or has no document number
    with pytest.raises(ValidationError) as exc:
        quota_redistribute(
            actor=staffing_officer,
            county=getattr(org, county),
            quota_type=qt.administrative,
            lines=[(org.tianchi, -1), (org.bailang, 1)],
            doc_no=doc_no,
            effective_on=JUN,
        )

    # then the exact reason is given and nothing is saved
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before


@pytest.mark.parametrize("user", ["tianchi_operator", "leader", "department_operator"])
def test_quota_redistribute_is_reserved_to_the_staffing_office(
    request, org, qt, grant_quota, row_counts, user
):
    # given 天池镇 with 5 and 白狼镇 with 3 places and a user who may not change quotas
    grant_quota(org.tianchi, qt.administrative, 5)
    grant_quota(org.bailang, qt.administrative, 3)
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they move places between the towns
    with pytest.raises(PermissionDenied) as exc:
        quota_redistribute(
            actor=actor,
            county=org.county,
            quota_type=qt.administrative,
            lines=[(org.tianchi, -2), (org.bailang, 2)],
            doc_no=DOC,
            effective_on=JUN,
        )

    # then it is denied and nothing is saved
    assert str(exc.value) == denied("二次分配编制", "阿尔山市")
    assert row_counts() == before
    assert Redistribution.objects.count() == 0


# ---------------------------------------------------------------- leadership_quota_set


def test_leadership_quota_set_keeps_the_latest_record_as_of_a_date(org, staffing_officer):
    # given 天池镇's posts: 1 principal and 3 deputies from Jan 1, 4 deputies from Jun 1
    for level, count, on in [
        (LeadershipLevel.PRINCIPAL, 1, JAN),
        (LeadershipLevel.DEPUTY, 3, JAN),
        (LeadershipLevel.DEPUTY, 4, JUN),
    ]:
        leadership_quota_set(
            actor=staffing_officer,
            unit=org.tianchi,
            level=level,
            count=count,
            doc_no=DOC,
            effective_on=on,
        )

    # when the posts are read before and after Jun 1
    # then the latest record effective on each day counts
    assert leadership_quotas(unit_ids=[org.tianchi.pk], on=MAR) == {
        (org.tianchi.pk, LeadershipLevel.PRINCIPAL): 1,
        (org.tianchi.pk, LeadershipLevel.DEPUTY): 3,
    }
    assert leadership_quotas(unit_ids=[org.tianchi.pk], on=JUN) == {
        (org.tianchi.pk, LeadershipLevel.PRINCIPAL): 1,
        (org.tianchi.pk, LeadershipLevel.DEPUTY): 4,
    }
    latest = LeadershipQuota.objects.get(level=LeadershipLevel.DEPUTY, effective_on=JUN)
    assert latest.history.first().history_user == staffing_officer


@pytest.mark.parametrize(
    ("level", "count", "doc_no", "field", "message"),
    [
        ("chief", 1, DOC, "level", "职级无效"),
        (LeadershipLevel.DEPUTY, -1, DOC, "count", "领导职数不能为负数"),
        (LeadershipLevel.DEPUTY, 2, " ", "doc_no", "编制变动须填写批准文号"),
    ],
    ids=["unknown-level", "negative-count", "missing-doc"],
)
def test_leadership_quota_set_refuses_bad_input(
    org, staffing_officer, row_counts, level, count, doc_no, field, message
):
    # given 天池镇
    before = row_counts()

    # when its leadership posts are set with bad input
    with pytest.raises(ValidationError) as exc:
        leadership_quota_set(
            actor=staffing_officer,
            unit=org.tianchi,
            level=level,
            count=count,
            doc_no=doc_no,
            effective_on=JAN,
        )

    # then the exact reason is given and nothing is saved
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before


@pytest.mark.parametrize("user", ["tianchi_operator", "leader"])
def test_leadership_quota_set_is_reserved_to_the_staffing_office(request, org, row_counts, user):
    # given 天池镇's operator or a county leader
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they set 天池镇's leadership posts
    with pytest.raises(PermissionDenied) as exc:
        leadership_quota_set(
            actor=actor,
            unit=org.tianchi,
            level=LeadershipLevel.DEPUTY,
            count=9,
            doc_no=DOC,
            effective_on=JAN,
        )

    # then it is denied and nothing is saved
    assert str(exc.value) == denied("核定领导职数", "天池镇")
    assert row_counts() == before
