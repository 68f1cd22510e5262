"""Delegated powers via the API: the catalog, acceptance, resources, guidance, usage, reports."""

import datetime as dt
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from zhenjie.personnel.services import quota_transfer
from zhenjie.powers.choices import GuidanceKind
from zhenjie.powers.models import (
    Acceptance,
    DelegationBatch,
    Guidance,
    PowerItem,
    PowerUsage,
    ResourcePledge,
)
from zhenjie.powers.services import batch_create, guidance_record, pledge_set

from .helpers import POWER_LISTS, changed, column, results
from .test_scope import denied, every_page

CATALOG_ONLY = "只有机构编制部门可以维护赋权事项目录"


def second_batch(actor):
    return batch_create(
        actor=actor,
        name="兴安盟赋予苏木乡镇行政权力事项",
        issuer="兴安盟行政公署",
        doc_no="兴署发〔2025〕3号",
        issued_on=dt.date(2025, 3, 1),
    )


def item_data(powers, held_by, **overrides):
    data = {
        "batch": powers.batch.pk,
        "code": "NMG-003",
        "name": "对违反草原防火规定的行政处罚",
        "category": powers.town_item.category_id,
        "legal_basis": "《草原防火条例》第四十四条",
        "department": held_by.pk,
        "mode": "entrust",
        "grantee": "both",
    }
    data.update(overrides)
    return data


def acceptance_data(unit, item, **overrides):
    data = {"unit": unit.pk, "item": item.pk, "status": "accepted", "effective_on": "2024-08-01"}
    data.update(overrides)
    return data


def usage_data(unit, item, **overrides):
    data = {
        "unit": unit.pk,
        "item": item.pk,
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "count": 4,
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ the catalog


def test_catalog_is_public_to_every_role(api, powers, bailang_operator):
    # when a town operator reads the batches and the items
    batches = api(bailang_operator).get("/api/v1/delegation-batches/")
    items = api(bailang_operator).get("/api/v1/powers/", {"batch": powers.batch.pk})

    # then the whole catalog comes back, items in code order with their category and department
    assert results(batches)[0]["item_count"] == 2
    assert column(items, "code") == ["NMG-001", "NMG-002"]
    first = results(items)[0]
    assert (first["category"]["name"], first["department"]["name"], first["grantee"]) == (
        "行政处罚",
        "阿尔山市农牧和科技局",
        "town",
    )


def test_power_categories_are_the_seeded_ten(api, org, leader):
    # when the categories are listed
    response = api(leader).get("/api/v1/power-categories/")

    # then the region's ten come back in their order
    assert response.json()["count"] == 10
    assert column(response, "name")[:3] == ["行政许可", "行政处罚", "行政强制措施"]


def test_staffing_office_registers_a_batch(api, org, staffing_officer):
    # when the staffing office registers a decision with blanks around its number
    response = api(staffing_officer).post(
        "/api/v1/delegation-batches/",
        {
            "name": "兴安盟赋予苏木乡镇行政权力事项",
            "issuer": "兴安盟行政公署",
            "doc_no": " 兴署发〔2025〕3号 ",
            "issued_on": "2025-03-01",
        },
        format="json",
    )

    # then it is saved, trimmed, with no items yet and a history record by the office
    assert response.status_code == 201
    assert (response.json()["doc_no"], response.json()["item_count"]) == ("兴署发〔2025〕3号", 0)
    batch = DelegationBatch.objects.get(pk=response.json()["id"])
    assert batch.history.get().history_user == staffing_officer


@pytest.mark.parametrize(
    ("doc_no", "message"),
    [("内政字〔2024〕9号", "文号内政字〔2024〕9号已登记"), ("  ", "请填写文号")],
    ids=["registered", "blank"],
)
def test_batch_with_a_bad_number_is_refused_and_nothing_is_saved(
    api, powers, staffing_officer, counts, doc_no, message
):
    # given the region's batch 内政字〔2024〕9号
    before = counts()

    # when another batch is registered with that number, or none
    response = api(staffing_officer).post(
        "/api/v1/delegation-batches/",
        {
            "name": "另一份文件",
            "issuer": "内蒙古自治区人民政府",
            "doc_no": doc_no,
            "issued_on": "2025-01-01",
        },
        format="json",
    )

    # then the service refuses on the number, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"doc_no": [message]}
    assert changed(before, counts()) == {}


def test_staffing_office_adds_an_item(api, org, powers, staffing_officer):
    # when a third item of 农牧和科技局 is added to the batch
    response = api(staffing_officer).post(
        "/api/v1/powers/", item_data(powers, org.department), format="json"
    )

    # then it is in the batch's catalog
    assert response.status_code == 201
    assert (response.json()["code"], response.json()["mode"]) == ("NMG-003", "entrust")
    assert PowerItem.objects.filter(batch=powers.batch).count() == 3


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"department": "tianchi"}, {"department": ["天池镇不是县直部门"]}),
        ({"legal_basis": " "}, {"legal_basis": ["赋权事项须写明设定依据"]}),
        ({"code": "NMG-001"}, {"code": ["事项编码NMG-001在该批次中已存在"]}),
        ({"mode": "transfer"}, {"mode": ["“transfer” 不是合法选项。"]}),
    ],
    ids=["not-a-department", "no-basis", "code-taken", "unknown-mode"],
)
def test_bad_item_is_refused_and_nothing_is_saved(
    api, org, powers, staffing_officer, counts, overrides, errors
):
    # given the batch's two items
    before = counts()
    if overrides.get("department") == "tianchi":
        overrides = {**overrides, "department": org.tianchi.pk}

    # when an item breaking a rule is added
    response = api(staffing_officer).post(
        "/api/v1/powers/", item_data(powers, org.department, **overrides), format="json"
    )

    # then the exact reason comes back on the field, and nothing was written
    assert response.status_code == 400
    assert response.json() == errors
    assert changed(before, counts()) == {}


# ------------------------------------------------------------------ acceptance


def test_town_operator_accepts_a_power(api, org, powers, tianchi_operator):
    # when 天池镇 accepts the item for towns and streets, its office handling it
    response = api(tianchi_operator).post(
        "/api/v1/acceptances/",
        acceptance_data(org.tianchi, powers.both_item, responsible_unit=org.tianchi_office.pk),
        format="json",
    )

    # then the answer is recorded as theirs
    assert response.status_code == 201
    body = response.json()
    assert (body["unit"], body["item"]["code"], body["status"], body["decided_by"]) == (
        {"id": org.tianchi.pk, "name": "天池镇"},
        "NMG-002",
        "accepted",
        "tianchi",
    )
    assert body["responsible_unit"] == {"id": org.tianchi_office.pk, "name": "天池镇党政综合办公室"}


@pytest.mark.parametrize(
    ("unit", "item", "overrides", "errors"),
    [
        (
            "tianchi",
            "both_item",
            {"status": "declined"},
            {"reason": ["不承接或暂缓承接须书面说明理由"]},
        ),
        (
            "tianchi",
            "both_item",
            {},
            {"responsible_unit": ["承接的事项须明确承办机构"]},
        ),
        (
            "tianchi",
            "both_item",
            {"responsible_unit": "tianchi_center", "effective_on": "2024-05-01"},
            {"effective_on": ["生效日期不能早于赋权文件发文日期2024-06-01"]},
        ),
        (
            "linhai",
            "town_item",
            {"status": "deferred", "reason": "待培训"},
            {"item": ["该事项只赋予镇, 林海街道不能承接"]},
        ),
        (
            "tianchi",
            "town_item",
            {"responsible_unit": "tianchi_office"},
            {"item": ["天池镇已登记过“对违反动物防疫规定的行政处罚”的承接情况"]},
        ),
        (
            "tianchi",
            "both_item",
            {"responsible_unit": "bailang_center"},
            {"responsible_unit": ["承办机构须是天池镇的内设机构或所属单位"]},
        ),
        (
            "tianchi",
            "both_item",
            {"status": "deferred", "reason": "待培训", "responsible_unit": "tianchi_office"},
            {"responsible_unit": ["暂缓承接的事项不设承办机构, 请清空承办机构"]},
        ),
    ],
    ids=[
        "no-reason",
        "no-handler",
        "before-batch",
        "street",
        "answered",
        "other-towns-center",
        "deferred-naming-own-office",
    ],
)
def test_bad_acceptance_is_refused_and_nothing_is_saved(
    api, org, powers, staffing_officer, counts, unit, item, overrides, errors
):
    # given each town's answers to the batch
    before = counts()
    if "responsible_unit" in overrides:
        overrides = {
            **overrides,
            "responsible_unit": getattr(org, overrides["responsible_unit"]).pk,
        }

    # when an answer breaking a rule is recorded
    response = api(staffing_officer).post(
        "/api/v1/acceptances/",
        acceptance_data(getattr(org, unit), getattr(powers, item), **overrides),
        format="json",
    )

    # then the exact reason comes back on the field, and nothing was written
    assert response.status_code == 400
    assert response.json() == errors
    assert changed(before, counts()) == {}


# ------------------------------------------------------------------ resources and guidance


def test_pledge_is_created_then_replaced(api, org, powers, staffing_officer):
    # given 农牧和科技局's pledge of 2 places, 1 person and 50,000 yuan
    data = {
        "department": org.department.pk,
        "batch": powers.batch.pk,
        "expected_quota": 3,
        "expected_people": 2,
        "expected_funds": "80000.00",
        "funds_transferred": "20000.50",
    }

    # when it is posted again with new figures
    response = api(staffing_officer).post("/api/v1/resource-pledges/", data, format="json")

    # then the one pledge is replaced (200), not doubled
    assert response.status_code == 200
    assert response.json()["id"] == powers.pledge.pk
    assert (response.json()["expected_funds"], response.json()["funds_transferred"]) == (
        "80000.00",
        "20000.50",
    )
    assert ResourcePledge.objects.count() == 1

    # and a pledge for a new batch is created (201)
    batch = second_batch(staffing_officer)
    response = api(staffing_officer).post(
        "/api/v1/resource-pledges/", {**data, "batch": batch.pk}, format="json"
    )
    assert response.status_code == 201
    assert ResourcePledge.objects.count() == 2


def test_pledge_of_a_town_is_refused_and_nothing_is_saved(
    api, org, powers, staffing_officer, counts
):
    # given the tables as they are
    before = counts()

    # when a pledge is recorded for a town
    response = api(staffing_officer).post(
        "/api/v1/resource-pledges/",
        {
            "department": org.tianchi.pk,
            "batch": powers.batch.pk,
            "expected_quota": 1,
            "expected_people": 1,
            "expected_funds": "1000",
        },
        format="json",
    )

    # then it is refused on the department, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"department": ["天池镇不是县直部门"]}
    assert changed(before, counts()) == {}


def test_department_records_guidance_for_towns_outside_its_scope(
    api, org, powers, department_operator
):
    # when 农牧和科技局's operator records an evaluation both towns attended
    response = api(department_operator).post(
        "/api/v1/guidance/",
        {
            "department": org.department.pk,
            "kind": "evaluation",
            "held_on": "2025-06-01",
            "description": "承接情况评估",
            "units": [org.bailang.pk, org.tianchi.pk],
            "item": powers.town_item.pk,
        },
        format="json",
    )

    # then it is recorded with the towns, which the department itself does not manage
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["item"]["code"]) == ("evaluation", "NMG-001")
    assert [unit["name"] for unit in body["units"]] == ["天池镇", "白狼镇"]
    guidance = Guidance.objects.get(pk=body["id"])
    assert set(guidance.units.all()) == {org.tianchi, org.bailang}


def test_guidance_without_content_is_refused_and_nothing_is_saved(
    api, org, powers, department_operator, counts
):
    # given the tables as they are
    before = counts()

    # when guidance is recorded with a blank description
    response = api(department_operator).post(
        "/api/v1/guidance/",
        {
            "department": org.department.pk,
            "kind": "guidance",
            "held_on": "2025-06-01",
            "description": " ",
        },
        format="json",
    )

    # then it is refused on the description, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"description": ["请填写指导内容"]}
    assert changed(before, counts()) == {}


# ------------------------------------------------------------------ usage


def test_town_operator_records_usage(api, org, powers, bailang_operator):
    # when 白狼镇 records the first half of 2026 for the power it accepted
    response = api(bailang_operator).post(
        "/api/v1/power-usages/", usage_data(org.bailang, powers.town_item), format="json"
    )

    # then the count is recorded for the period, from manual entry
    assert response.status_code == 201
    body = response.json()
    assert (body["unit"]["name"], body["count"], body["source"]) == ("白狼镇", 4, "manual")
    assert PowerUsage.objects.filter(unit=org.bailang).count() == 2


@pytest.mark.parametrize(
    ("item", "overrides", "errors"),
    [
        ("both_item", {}, {"item": ["白狼镇未承接“对占道经营的行政处罚”, 不能登记行权"]}),
        ("town_item", {"period_end": "2025-12-31"}, {"period_end": ["截止日期不能早于起始日期"]}),
        (
            "town_item",
            {"period_start": "2025-01-01", "period_end": "2025-12-31"},
            {"period_start": ["该镇(街道)此事项在该期间已有行权记录"]},
        ),
        ("town_item", {"count": -1}, {"count": ["请确保该值大于或者等于 0。"]}),
    ],
    ids=["declined", "period-reversed", "period-recorded", "negative"],
)
def test_bad_usage_is_refused_and_nothing_is_saved(
    api, org, powers, bailang_operator, counts, item, overrides, errors
):
    # given 白狼镇 accepted NMG-001 (exercised 5 times in 2025) and declined NMG-002
    before = counts()

    # when usage breaking a rule is recorded
    response = api(bailang_operator).post(
        "/api/v1/power-usages/",
        usage_data(org.bailang, getattr(powers, item), **overrides),
        format="json",
    )

    # then the exact reason comes back on the field, and nothing was written
    assert response.status_code == 400
    assert response.json() == errors
    assert changed(before, counts()) == {}


# ------------------------------------------------------------------ reports


def test_matrix_rows_are_the_users_towns(api, org, powers, staffing_officer, bailang_operator):
    # when the county and 白狼镇 read the batch's acceptance matrix
    county = api(staffing_officer).get("/api/v1/powers/matrix/", {"batch": powers.batch.pk})
    town = api(bailang_operator).get("/api/v1/powers/matrix/", {"batch": powers.batch.pk})

    # then the columns are the batch's items, the rows every visible town and street
    assert county.status_code == 200
    assert [item["code"] for item in county.json()["items"]] == ["NMG-001", "NMG-002"]
    assert [row["unit"]["name"] for row in county.json()["rows"]] == [
        "天池镇",
        "白狼镇",
        "林海街道",
    ]
    # and 白狼镇 sees its own row only: one accepted, one declined
    town_item, both_item = powers.town_item.pk, powers.both_item.pk
    assert town.json()["rows"] == [
        {
            "unit": {"id": org.bailang.pk, "name": "白狼镇"},
            "accepted": 1,
            "deferred": 0,
            "declined": 1,
            "batch_total": 2,
            "rate": 50.0,
            "cells": [
                {"item": town_item, "status": "accepted"},
                {"item": both_item, "status": "declined"},
            ],
        }
    ]
    assert "天池" not in town.content.decode()


def test_matrix_columns_narrow_to_a_category(api, org, powers, staffing_officer):
    # when the matrix is asked for another category than the batch's items'
    response = api(staffing_officer).get(
        "/api/v1/powers/matrix/",
        {"batch": powers.batch.pk, "category": powers.town_item.category_id + 1},
    )

    # then it has no columns, and the towns' totals still count the whole batch
    assert response.json()["items"] == []
    assert [(row["accepted"], row["cells"]) for row in response.json()["rows"]] == [
        (1, []),
        (1, []),
        (0, []),
    ]


def test_follow_through_shows_quota_that_moved_with_the_powers(
    api, org, qt, powers, staffing_officer, tianchi_operator, grant_quota
):
    # given 农牧和科技局 moved 1 place to 天池镇 after the batch
    grant_quota(org.department, qt.administrative, 5)
    quota_transfer(
        actor=staffing_officer,
        from_unit=org.department,
        to_unit=org.tianchi,
        quota_type=qt.administrative,
        amount=1,
        doc_no="阿机编发〔2024〕20号",
        effective_on=dt.date(2024, 7, 1),
    )

    # when 天池镇 reads the follow-through of the batch
    response = api(tianchi_operator).get(
        "/api/v1/powers/follow-through/", {"batch": powers.batch.pk}
    )

    # then the county's department shows what it pledged and what moved
    assert response.status_code == 200
    [row] = response.json()["rows"]
    assert {key: value for key, value in row.items() if key != "transfers"} == {
        "department": {"id": org.department.pk, "name": "阿尔山市农牧和科技局"},
        "item_count": 2,
        "accepted_count": 2,
        "expected_quota": 2,
        "expected_people": 1,
        "expected_funds": "50000.00",
        "quota_moved": 1,
        "people_moved": 0,
        "funds_transferred": "0.00",
        "guidance_count": 1,
        "followed": True,
    }
    assert [
        (t["from_unit"]["name"], t["to_unit"]["name"], t["amount"]) for t in row["transfers"]
    ] == [("阿尔山市农牧和科技局", "天池镇", 1)]


@pytest.mark.parametrize("report", ["matrix", "follow-through"])
@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({}, {"batch": ["该字段是必填项。"]}),
        ({"batch": "999999"}, {"batch": ["无效主键 “999999” － 对象不存在。"]}),
        ({"batch": "x"}, {"batch": ["无效主键 “x” － 对象不存在。"]}),
    ],
    ids=["missing", "unknown", "not-a-number"],
)
def test_report_needs_an_existing_batch(api, org, staffing_officer, report, params, errors):
    # when a report is asked for without a batch that exists
    response = api(staffing_officer).get(f"/api/v1/powers/{report}/", params)

    # then the batch parameter is refused
    assert response.status_code == 400
    assert response.json() == errors


# ------------------------------------------------------------------ who may see and change what


@pytest.mark.parametrize("name", ["acceptances", "power-usages"])
def test_town_sees_only_its_own_answers_and_usage(api, org, powers, bailang_operator, name):
    # given both towns' answers and usage
    # when the 白狼镇 operator lists them
    pages = every_page(api(bailang_operator), f"/api/v1/{name}/")

    # then only 白狼镇's come back
    rows = [row for page in pages for row in results(page)]
    assert rows
    assert {row["unit"]["name"] for row in rows} == {"白狼镇"}
    for page in pages:
        assert "天池" not in page.content.decode()


@pytest.mark.parametrize(
    ("name", "model"), [("acceptances", Acceptance), ("power-usages", PowerUsage)]
)
def test_another_towns_answer_or_usage_is_not_found(
    api, org, powers, bailang_operator, name, model
):
    # when the 白狼镇 operator opens 天池镇's record by its id
    pk = model.objects.get(unit=org.tianchi).pk
    response = api(bailang_operator).get(f"/api/v1/{name}/{pk}/")

    # then it does not exist for them
    assert response.status_code == 404
    assert response.json()["detail"].endswith("不存在或不在您的权限范围内")


def test_town_cannot_answer_for_another_town(api, org, powers, bailang_operator, counts):
    # given the tables as they are
    before = counts()

    # when the 白狼镇 operator records an answer for 天池镇
    response = api(bailang_operator).post(
        "/api/v1/acceptances/",
        acceptance_data(org.tianchi, powers.both_item, status="deferred", reason="待定"),
        format="json",
    )

    # then 天池镇 does not exist for them, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"unit": [f"无效主键 “{org.tianchi.pk}” － 对象不存在。"]}
    assert changed(before, counts()) == {}


POWER_WRITES = [
    (
        "delegation-batches/",
        lambda o, p: {
            "name": "文件",
            "issuer": "盟行署",
            "doc_no": "文1",
            "issued_on": "2025-01-01",
        },
        CATALOG_ONLY,
    ),
    ("powers/", lambda o, p: item_data(p, o.department), CATALOG_ONLY),
    (
        "acceptances/",
        lambda o, p: acceptance_data(o.tianchi, p.both_item, status="deferred", reason="待定"),
        denied("登记承接情况", "天池镇"),
    ),
    (
        "resource-pledges/",
        lambda o, p: {
            "department": o.department.pk,
            "batch": p.batch.pk,
            "expected_quota": 9,
            "expected_people": 9,
            "expected_funds": "9",
        },
        CATALOG_ONLY,
    ),
    (
        "guidance/",
        lambda o, p: {
            "department": o.department.pk,
            "kind": "guidance",
            "held_on": "2025-01-01",
            "description": "指导",
        },
        denied("登记赋权后指导", "阿尔山市农牧和科技局"),
    ),
    (
        "power-usages/",
        lambda o, p: usage_data(o.tianchi, p.town_item),
        denied("登记行权情况", "天池镇"),
    ),
]


@pytest.mark.parametrize(
    ("path", "data", "detail"),
    POWER_WRITES,
    ids=["batch", "item", "acceptance", "pledge", "guidance", "usage"],
)
def test_leader_may_not_write(api, org, powers, leader, counts, path, data, detail):
    # given the county leader, who sees the whole county
    before = counts()

    # when the leader calls a write with valid input
    response = api(leader).post(f"/api/v1/{path}", data(org, powers), format="json")

    # then it is forbidden with the service's reason, and nothing changed
    assert response.status_code == 403
    assert response.json() == {"detail": detail}
    assert changed(before, counts()) == {}


@pytest.mark.parametrize("name", POWER_LISTS)
def test_lists_need_a_token(org, name):
    # when a list is asked for without a token
    response = APIClient().get(f"/api/v1/{name}/")

    # then it is refused
    assert response.status_code == 403
    assert response.json() == {"detail": "身份认证信息未提供。"}


@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # token, the user's unit, then count and page; guidance prefetches its towns
        ("power-categories", 3),
        ("delegation-batches", 3),
        ("powers", 3),
        ("acceptances", 4),
        ("resource-pledges", 4),
        ("guidance", 5),
        ("power-usages", 4),
    ],
)
def test_lists_take_a_fixed_number_of_queries(
    api, org, powers, staffing_officer, django_assert_num_queries, name, queries
):
    # given every register with several rows the staffing office sees
    batch = second_batch(staffing_officer)
    pledge_set(
        actor=staffing_officer,
        department=org.department,
        batch=batch,
        expected_quota=1,
        expected_people=1,
        expected_funds=Decimal("1000"),
    )
    guidance_record(
        actor=staffing_officer,
        department=org.department,
        kind=GuidanceKind.EVALUATION,
        held_on=dt.date(2025, 6, 1),
        description="承接情况评估",
        units=[org.linhai],
        item=powers.town_item,
    )
    client = api(staffing_officer)
    assert client.get(f"/api/v1/{name}/").json()["count"] >= 2

    # when a list is read, then its queries do not grow with its rows
    with django_assert_num_queries(queries):
        response = client.get(f"/api/v1/{name}/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("report", "queries"),
    [
        # token, the user's unit, the batch; then the selector's own: towns and streets, items,
        # the batch's size and the answers (matrix); departments, acceptances, pledges,
        # transfers and guidance (follow-through; the people who moved only once quota did)
        ("matrix", 7),
        ("follow-through", 8),
    ],
)
def test_reports_take_a_fixed_number_of_queries(
    api, org, powers, staffing_officer, django_assert_num_queries, report, queries
):
    # given the batch answered by both towns
    client = api(staffing_officer)
    url = f"/api/v1/powers/{report}/?batch={powers.batch.pk}"
    assert client.get(url).status_code == 200

    # when the report is read, then its queries do not grow with its rows
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
