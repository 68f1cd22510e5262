"""Quota types, the quota ledger, redistributions, leadership posts and transfers via the API."""

import datetime as dt

from zhenjie.conftest import ENROL_DAY
from zhenjie.personnel.models import Enrolment
from zhenjie.staffing.models import LeadershipQuota, QuotaMovement, QuotaTransfer, Redistribution
from zhenjie.staffing.selectors import quota_balance

from .helpers import changed, column, results


def movement_data(unit, quota_type, **overrides):
    data = {
        "unit": unit.pk,
        "quota_type": quota_type.pk,
        "kind": "increase",
        "amount": 2,
        "doc_no": "阿机编发〔2025〕5号",
        "effective_on": "2025-03-01",
        "summary": "承接新增职责",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ quota types


def test_quota_types_are_listed_in_their_order(api, qt, leader):
    # when anyone lists the quota types
    response = api(leader).get("/api/v1/quota-types/")

    # then the four seeded types come back in their configured order
    assert column(response, "code") == [
        "administrative",
        "political_legal",
        "organ_worker",
        "institution",
    ]
    assert results(response)[3] == {
        "id": qt.institution.pk,
        "code": "institution",
        "name": "事业编制",
        "nature": "institution",
        "is_administrative": False,
        "sort_order": qt.institution.sort_order,
        "is_active": True,
        "description": qt.institution.description,
    }


# ------------------------------------------------------------------ the ledger


def test_ledger_lists_the_units_movements(api, org, qt, registers, staffing_officer):
    # when the ledger of 天池镇 is asked for
    response = api(staffing_officer).get("/api/v1/quota-movements/", {"unit_id": org.tianchi.pk})

    # then its approval, transfer out and redistribution come in date order
    assert [(row["kind"], row["delta"], row["effective_on"]) for row in results(response)] == [
        ("approve", 10, "2024-01-01"),
        ("transfer_out", -1, "2024-06-01"),
        ("redistribute", 1, "2024-09-01"),
    ]
    first = results(response)[0]
    assert (first["unit"], first["quota_type"], first["created_by"]) == (
        {"id": org.tianchi.pk, "name": "天池镇"},
        {"id": qt.administrative.pk, "code": "administrative", "name": "行政编制"},
        "bianban",
    )


def test_staffing_office_records_an_increase(api, org, qt, staffing_officer, grant_quota):
    # given 天池镇 holds 10 administrative places
    grant_quota(org.tianchi, qt.administrative, 10)

    # when 2 more are approved
    response = api(staffing_officer).post(
        "/api/v1/quota-movements/", movement_data(org.tianchi, qt.administrative), format="json"
    )

    # then the ledger has the entry and the balance is 12
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["delta"]) == ("increase", 2)
    assert QuotaMovement.objects.get(pk=response.json()["id"]).created_by == staffing_officer
    assert (
        quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=dt.date(2025, 3, 1)) == 12
    )


def test_decrease_below_zero_is_refused_and_nothing_is_saved(
    api, org, qt, staffing_officer, grant_quota, row_counts
):
    # given 天池镇 holds 10 administrative places
    grant_quota(org.tianchi, qt.administrative, 10)
    before = row_counts()

    # when 20 are cut
    response = api(staffing_officer).post(
        "/api/v1/quota-movements/",
        movement_data(org.tianchi, qt.administrative, kind="decrease", amount=20),
        format="json",
    )

    # then the service refuses on the amount, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"amount": ["核减20名后天池镇的行政编制将为负数(现有10名)"]}
    assert changed(before, row_counts()) == {}


def test_institution_quota_in_a_town_is_refused(api, org, qt, staffing_officer, row_counts):
    # given the tables as they are
    before = row_counts()

    # when institution places are approved for a town government (混编)
    response = api(staffing_officer).post(
        "/api/v1/quota-movements/",
        movement_data(org.tianchi, qt.institution, kind="approve"),
        format="json",
    )

    # then the service refuses on the unit, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"unit": ["事业编制只能用于事业单位, 天池镇是党政机关"]}
    assert changed(before, row_counts()) == {}


def test_transfers_are_not_recorded_as_plain_movements(api, org, qt, staffing_officer, row_counts):
    # given the tables as they are
    before = row_counts()

    # when a 划入 is posted to the ledger directly
    response = api(staffing_officer).post(
        "/api/v1/quota-movements/",
        movement_data(org.tianchi, qt.administrative, kind="transfer_in"),
        format="json",
    )

    # then it is not a kind the ledger takes, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"kind": ["“transfer_in” 不是合法选项。"]}
    assert changed(before, row_counts()) == {}


# ------------------------------------------------------------------ redistributions


def test_redistribution_lines_are_those_the_user_may_see(
    api, org, registers, staffing_officer, bailang_operator
):
    # when the county and 白狼镇 each read 白狼镇's redistribution
    batch = Redistribution.objects.get(movements__unit=org.bailang)
    county = api(staffing_officer).get(f"/api/v1/redistributions/{batch.pk}/")
    town = api(bailang_operator).get(f"/api/v1/redistributions/{batch.pk}/")

    # then the county sees both lines, 白狼镇 only its own
    assert county.json()["lines"] == [
        {"unit": {"id": org.bailang.pk, "name": "白狼镇"}, "delta": 1},
        {"unit": {"id": org.linhai.pk, "name": "林海街道"}, "delta": -1},
    ]
    assert town.json()["lines"] == [{"unit": {"id": org.bailang.pk, "name": "白狼镇"}, "delta": 1}]
    assert (town.json()["county"], town.json()["doc_no"], town.json()["summary"]) == (
        {"id": org.county.pk, "name": "阿尔山市"},
        "阿机编发〔2024〕9号",
        "镇街编制调剂",
    )


def test_staffing_office_redistributes_quota(api, org, qt, staffing_officer, grant_quota):
    # given 天池镇 and 林海街道 hold 10 administrative places each
    grant_quota(org.tianchi, qt.administrative, 10)
    grant_quota(org.linhai, qt.administrative, 10)

    # when 3 places move from 林海街道 to 天池镇
    response = api(staffing_officer).post(
        "/api/v1/redistributions/",
        {
            "county": org.county.pk,
            "quota_type": qt.administrative.pk,
            "doc_no": "阿机编发〔2025〕8号",
            "effective_on": "2025-06-01",
            "lines": [{"unit": org.tianchi.pk, "delta": 3}, {"unit": org.linhai.pk, "delta": -3}],
        },
        format="json",
    )

    # then both balances change and the total is kept
    assert response.status_code == 201
    assert [(line["unit"]["name"], line["delta"]) for line in response.json()["lines"]] == [
        ("天池镇", 3),
        ("林海街道", -3),
    ]
    on = dt.date(2025, 6, 1)
    assert quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=on) == 13
    assert quota_balance(unit=org.linhai, quota_type=qt.administrative, on=on) == 7


def test_unbalanced_redistribution_is_refused_and_nothing_is_saved(
    api, org, qt, staffing_officer, grant_quota, row_counts
):
    # given 林海街道 holds 10 administrative places
    grant_quota(org.linhai, qt.administrative, 10)
    before = row_counts()

    # when 3 leave 林海街道 but 4 arrive in 天池镇
    response = api(staffing_officer).post(
        "/api/v1/redistributions/",
        {
            "county": org.county.pk,
            "quota_type": qt.administrative.pk,
            "doc_no": "阿机编发〔2025〕8号",
            "effective_on": "2025-06-01",
            "lines": [{"unit": org.tianchi.pk, "delta": 4}, {"unit": org.linhai.pk, "delta": -3}],
        },
        format="json",
    )

    # then the service refuses on the lines, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"lines": ["二次分配前后编制总数须相等, 现增减合计为+1"]}
    assert changed(before, row_counts()) == {}


# ------------------------------------------------------------------ leadership posts


def test_staffing_office_sets_leadership_posts(api, org, staffing_officer):
    # when 白狼镇 is approved 3 deputy posts
    response = api(staffing_officer).post(
        "/api/v1/leadership-quotas/",
        {
            "unit": org.bailang.pk,
            "level": "deputy",
            "count": 3,
            "doc_no": "阿机编发〔2025〕3号",
            "effective_on": "2025-01-01",
        },
        format="json",
    )

    # then the record is saved and listed
    assert response.status_code == 201
    record = LeadershipQuota.objects.get(pk=response.json()["id"])
    assert (record.unit, record.level, record.count) == (org.bailang, "deputy", 3)
    listed = api(staffing_officer).get("/api/v1/leadership-quotas/", {"unit": org.bailang.pk})
    assert column(listed, "level") == ["deputy"]


def test_second_leadership_record_on_the_same_day_is_refused(
    api, org, registers, staffing_officer, row_counts
):
    # given 天池镇's principal post approved from 2024-01-01
    before = row_counts()

    # when another principal record for the same day is posted
    response = api(staffing_officer).post(
        "/api/v1/leadership-quotas/",
        {
            "unit": org.tianchi.pk,
            "level": "principal",
            "count": 2,
            "doc_no": "阿机编发〔2024〕4号",
            "effective_on": "2024-01-01",
        },
        format="json",
    )

    # then the constraint's message comes back, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["该机构此职级在同一生效日期已有核定记录"]}
    assert changed(before, row_counts()) == {}


# ------------------------------------------------------------------ transfers


def test_transfer_moves_quota_and_the_person(
    api, org, qt, staffing_officer, grant_quota, register_person, enrol
):
    # given 其其格 on one of 天池镇's 10 administrative places, 林海街道 with 10 places
    grant_quota(org.tianchi, qt.administrative, 10)
    grant_quota(org.linhai, qt.administrative, 10)
    person = register_person("其其格", female=True)
    enrol(person, org.tianchi, qt.administrative)

    # when 1 place moves to 林海街道 with her
    response = api(staffing_officer).post(
        "/api/v1/transfers/",
        {
            "from_unit": org.tianchi.pk,
            "to_unit": org.linhai.pk,
            "quota_type": qt.administrative.pk,
            "amount": 1,
            "persons": [person.pk],
            "post_title": "科员",
            "doc_no": "阿机编发〔2025〕6号",
            "effective_on": "2025-05-01",
        },
        format="json",
    )

    # then the transfer names her, and she is enrolled in 林海街道 from that day
    assert response.status_code == 201
    body = response.json()
    assert (body["from_unit"]["name"], body["to_unit"]["name"], body["amount"]) == (
        "天池镇",
        "林海街道",
        1,
    )
    assert body["persons"] == [{"id": person.pk, "name": "其其格"}]
    current = Enrolment.objects.get(person=person, end_date=None)
    assert (current.unit, current.start_date, current.transfer_id) == (
        org.linhai,
        dt.date(2025, 5, 1),
        body["id"],
    )


def test_transfer_of_a_person_not_on_the_unit_is_refused(
    api, org, qt, registers, staffing_officer, row_counts
):
    # given 巴特尔 is on 白狼镇's quota, not 天池镇's
    before = row_counts()

    # when 天池镇 transfers a place with him
    response = api(staffing_officer).post(
        "/api/v1/transfers/",
        {
            "from_unit": org.tianchi.pk,
            "to_unit": org.linhai.pk,
            "quota_type": qt.administrative.pk,
            "amount": 1,
            "persons": [registers.bailang_person.pk],
            "doc_no": "阿机编发〔2025〕6号",
            "effective_on": ENROL_DAY.isoformat(),
        },
        format="json",
    )

    # then the service refuses on persons, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"persons": ["巴特尔不在天池镇的行政编制上, 不能随编划转"]}
    assert changed(before, row_counts()) == {}
    assert QuotaTransfer.objects.count() == 2
