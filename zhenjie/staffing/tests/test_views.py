"""Pages of the quota ledger: movements, redistributions and the unit quota panel."""

import datetime as dt
import re
from typing import Any

import pytest

from zhenjie.staffing.choices import MovementKind
from zhenjie.staffing.models import QuotaMovement, Redistribution


def field_errors(html: str) -> list[str]:
    return re.findall(
        r'<div class="invalid-feedback d-block" data-field="[^"]*">([^<]*)</div>', html
    )


def line_errors(html: str) -> list[str]:
    return re.findall(r'<div class="invalid-feedback d-block">([^<]*)</div>', html)


def form_errors(html: str) -> list[str]:
    match = re.search(r'data-testid="form-errors">(.*?)</div>\n', html, re.S)
    return re.findall(r"<div>([^<]*)", match.group(1)) if match else []


def ledger_units(html: str) -> list[str]:
    """Unit names of the rows of the ledger table (the unit column is the only link in a row)."""
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return re.findall(r'<a href="/org/units/\d+/">([^<]+)</a>', body)


def balances(html: str) -> list[tuple[str, str]]:
    block = html[: html.index("</div>\n<table")]
    return re.findall(
        r'<span class="small text-muted">([^<]+)</span> <strong>(\d+)</strong>', block
    )


def movement_data(unit: Any, quota_type: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "unit": unit.pk,
        "quota_type": quota_type.pk,
        "kind": MovementKind.INCREASE,
        "amount": 2,
        "doc_no": "阿机编发〔2025〕5号",
        "effective_on": "2025-03-01",
        "summary": "承接新增职责",
    }
    data.update(overrides)
    return data


def redistribution_data(
    county: Any, quota_type: Any, lines: list[tuple[Any, Any]]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "county": county.pk,
        "quota_type": quota_type.pk,
        "doc_no": "阿机编发〔2025〕8号",
        "effective_on": "2025-06-01",
        "summary": "镇街编制调剂",
        "lines-TOTAL_FORMS": 6,
        "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 50,
    }
    for i, (unit, delta) in enumerate(lines):
        data[f"lines-{i}-unit"] = unit.pk if unit is not None else ""
        data[f"lines-{i}-delta"] = delta
    return data


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        label: after[label] - before[label] for label in before if after[label] != before[label]
    }


# ------------------------------------------------------------------ pages render


@pytest.mark.parametrize(
    ("url", "marker"),
    [
        (lambda org: "/staffing/movements/", "<title>编制台账 · 镇街</title>"),
        (lambda org: "/staffing/movements/new/", "<title>登记编制变动 · 镇街</title>"),
        (
            lambda org: f"/staffing/movements/new/?unit={org.tianchi.pk}",
            "<title>登记编制变动 · 镇街</title>",
        ),
        (lambda org: "/staffing/redistributions/new/", "<title>编制二次分配 · 镇街</title>"),
        (lambda org: f"/staffing/units/{org.tianchi.pk}/quota/", 'data-testid="balances"'),
    ],
    ids=["ledger", "movement-create", "movement-create-for-unit", "redistribution", "quota-panel"],
)
def test_staffing_pages_render_for_the_staffing_office(client, org, staffing_officer, url, marker):
    # given the county staffing office logged in
    client.force_login(staffing_officer)

    # when the page is opened
    response = client.get(url(org))

    # then it renders
    assert response.status_code == 200
    assert marker in response.content.decode()


def test_movement_form_preselects_the_unit_it_was_opened_from(client, org, staffing_officer):
    # given the staffing office logged in
    client.force_login(staffing_officer)

    # when the movement form is opened from 天池镇's page
    html = client.get("/staffing/movements/new/", {"unit": org.tianchi.pk}).content.decode()

    # then 天池镇 is selected, and the office, which holds no quota, is not on offer
    assert f'<option value="{org.tianchi.pk}" selected>天池镇</option>' in html
    assert f'<option value="{org.tianchi_office.pk}"' not in html


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2023-12-31", []),
        ("2024-01-01", [("行政编制", "24"), ("机关工勤编制", "2")]),
        ("2025-01-01", [("行政编制", "21"), ("机关工勤编制", "2")]),
    ],
    ids=["before-approval", "approval-day", "after-decrease"],
)
def test_quota_panel_shows_the_balances_as_of_a_day(
    client, org, qt, staffing_officer, grant_quota, on, expected
):
    # given 天池镇 approved 24 administrative and 2 worker places in 2024, then cut by 3
    grant_quota(org.tianchi, qt.administrative, 24)
    grant_quota(org.tianchi, qt.organ_worker, 2)
    grant_quota(
        org.tianchi, qt.administrative, 3, kind=MovementKind.DECREASE, on=dt.date(2024, 7, 1)
    )
    client.force_login(staffing_officer)

    # when the quota panel is opened as of a day
    html = client.get(f"/staffing/units/{org.tianchi.pk}/quota/", {"on": on}).content.decode()

    # then the balances of that day are shown, and the ledger lists all three entries
    assert balances(html) == expected
    assert html.count("<td>阿机编发〔2024〕1号</td>") == 3


# ------------------------------------------------------------------ the ledger list


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["天池镇", "白狼镇综合保障和技术推广中心", "天池镇"]),
        ({"unit": "天池"}, ["天池镇", "天池镇"]),
        ({"kind": MovementKind.DECREASE}, ["天池镇"]),
        ({"quota_type": "institution"}, ["白狼镇综合保障和技术推广中心"]),
        ({"since": "2024-06-01"}, ["天池镇"]),
        ({"doc_no": "〔2023〕"}, []),
    ],
    ids=["all", "unit", "kind", "quota-type", "since", "doc-no"],
)
def test_ledger_filters(client, org, qt, staffing_officer, grant_quota, query, expected):
    # given three entries: two for 天池镇 and one for 白狼镇's center
    grant_quota(org.tianchi, qt.administrative, 10)
    grant_quota(org.bailang_center, qt.institution, 6, on=dt.date(2024, 2, 1))
    grant_quota(
        org.tianchi, qt.administrative, 1, kind=MovementKind.DECREASE, on=dt.date(2024, 7, 1)
    )
    if query.get("quota_type") == "institution":
        query = {"quota_type": qt.institution.pk}
    client.force_login(staffing_officer)

    # when the ledger is filtered
    html = client.get("/staffing/movements/", query).content.decode()

    # then exactly the matching entries are listed, newest first
    assert ledger_units(html) == expected


def test_ledger_paginates_fifty_a_page(client, org, qt, staffing_officer, grant_quota):
    # given 55 entries in the ledger
    for day in range(1, 56):
        grant_quota(
            org.tianchi,
            qt.administrative,
            1,
            on=dt.date(2024, 1, 1) + dt.timedelta(days=day),
            kind=MovementKind.INCREASE,
        )
    client.force_login(staffing_officer)

    # when both pages are opened
    pages = [
        ledger_units(client.get("/staffing/movements/", {"page": p}).content.decode())
        for p in (1, 2)
    ]

    # then the first holds fifty and the second the remaining five
    assert [len(rows) for rows in pages] == [50, 5]


def test_ledger_uses_a_fixed_number_of_queries(
    client, org, qt, staffing_officer, grant_quota, django_assert_max_num_queries
):
    # given 40 entries spread over three units
    for day in range(40):
        unit = [org.tianchi, org.bailang, org.linhai][day % 3]
        grant_quota(unit, qt.administrative, 1, on=dt.date(2024, 1, 1) + dt.timedelta(days=day))
    client.force_login(staffing_officer)

    # when the ledger is opened
    with django_assert_max_num_queries(6):
        response = client.get("/staffing/movements/")

    # then it was built in a fixed number of queries
    assert response.status_code == 200


# ------------------------------------------------------------------ scope


def test_unit_operator_sees_only_their_towns_ledger(client, org, qt, tianchi_operator, grant_quota):
    # given entries for 天池镇 and for 白狼镇's center
    grant_quota(org.tianchi, qt.administrative, 10)
    grant_quota(org.bailang_center, qt.institution, 6)
    client.force_login(tianchi_operator)

    # when the 天池镇 operator opens the ledger
    html = client.get("/staffing/movements/").content.decode()

    # then only 天池镇's entry is listed
    assert ledger_units(html) == ["天池镇"]


@pytest.mark.parametrize("target", ["bailang", "bailang_center", "linhai"])
def test_unit_operator_cannot_open_another_units_quota_panel(client, org, tianchi_operator, target):
    # given the 天池镇 operator logged in
    client.force_login(tianchi_operator)

    # when they open another unit's quota panel
    response = client.get(f"/staffing/units/{getattr(org, target).pk}/quota/")

    # then it is not found
    assert response.status_code == 404


# ------------------------------------------------------------------ who may change quotas


@pytest.mark.parametrize(
    ("user", "target", "unit_name"),
    [
        ("leader", "tianchi", "天池镇"),
        ("tianchi_operator", "tianchi", "天池镇"),
        ("department_operator", "department", "阿尔山市农牧和科技局"),
    ],
)
def test_only_the_staffing_office_records_quota_movements(
    request, client, org, qt, row_counts, user, target, unit_name
):
    # given a user other than the staffing office and a valid movement for a unit in their scope
    client.force_login(request.getfixturevalue(user))
    data = movement_data(getattr(org, target), qt.administrative, kind=MovementKind.APPROVE)
    before = row_counts()

    # when they post it
    response = client.post("/staffing/movements/new/", data)

    # then it is forbidden with the reason and nothing changed
    assert response.status_code == 403
    assert (
        f"无权变动编制: {unit_name}不在您的管理范围内或您的角色不允许此操作"
        in response.content.decode()
    )
    assert row_counts() == before


def test_leader_cannot_redistribute(client, org, qt, leader, grant_quota, row_counts):
    # given 天池镇's center with 5 事业编制 places and the county leader logged in
    grant_quota(org.tianchi_center, qt.institution, 5)
    client.force_login(leader)
    data = redistribution_data(
        org.county, qt.institution, [(org.tianchi_center, -2), (org.bailang_center, 2)]
    )
    before = row_counts()

    # when the leader posts a redistribution
    response = client.post("/staffing/redistributions/new/", data)

    # then it is forbidden and nothing changed
    assert response.status_code == 403
    assert row_counts() == before


# ------------------------------------------------------------------ bad input


def test_decrease_below_zero_is_refused(client, org, qt, staffing_officer, grant_quota, row_counts):
    # given 天池镇 with 3 administrative places
    grant_quota(org.tianchi, qt.administrative, 3)
    client.force_login(staffing_officer)
    before = row_counts()

    # when 5 places are cut
    response = client.post(
        "/staffing/movements/new/",
        movement_data(org.tianchi, qt.administrative, kind=MovementKind.DECREASE, amount=5),
    )

    # then the cut is refused beside the amount and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == ["核减5名后天池镇的行政编制将为负数(现有3名)"]
    assert row_counts() == before


def test_back_dated_decrease_may_not_drive_a_later_day_negative(
    client, org, qt, staffing_officer, grant_quota, row_counts
):
    # given 3 places approved in January and 2 of them cut in July
    grant_quota(org.tianchi, qt.administrative, 3)
    grant_quota(
        org.tianchi, qt.administrative, 2, kind=MovementKind.DECREASE, on=dt.date(2024, 7, 1)
    )
    client.force_login(staffing_officer)
    before = row_counts()

    # when 2 more are cut back-dated to March, when 3 were still there
    response = client.post(
        "/staffing/movements/new/",
        movement_data(
            org.tianchi,
            qt.administrative,
            kind=MovementKind.DECREASE,
            amount=2,
            effective_on="2024-03-01",
        ),
    )

    # then the cut is refused, counting from the lowest later balance
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == ["核减2名后天池镇的行政编制将为负数(现有1名)"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("target", "quota_code", "message"),
    [
        ("tianchi", "institution", "事业编制只能用于事业单位, 天池镇是党政机关"),
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
        ("department", "institution", "事业编制只能用于事业单位, 阿尔山市农牧和科技局是党政机关"),
    ],
    ids=[
        "institution-in-town",
        "administrative-in-center",
        "political-legal-in-center",
        "institution-in-department",
    ],
)
def test_quota_of_the_wrong_nature_is_refused(
    client, org, qt, staffing_officer, row_counts, target, quota_code, message
):
    # given a unit and a quota type of the other nature (混编)
    client.force_login(staffing_officer)
    data = movement_data(getattr(org, target), getattr(qt, quota_code), kind=MovementKind.APPROVE)
    before = row_counts()

    # when the staffing office approves it
    response = client.post("/staffing/movements/new/", data)

    # then the approval is refused beside the unit and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == [message]
    assert row_counts() == before


def test_offices_are_not_offered_for_quota(client, org, qt, staffing_officer, row_counts):
    # given 天池镇's office, which holds no quota of its own
    client.force_login(staffing_officer)
    before = row_counts()

    # when the staffing office approves quota for it
    response = client.post(
        "/staffing/movements/new/",
        movement_data(org.tianchi_office, qt.administrative, kind=MovementKind.APPROVE),
    )

    # then the office is not on offer and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == [
        "选择一个有效的选项： 该选择不在可用的选项中。"
    ]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            [("tianchi_center", -2), ("bailang_center", 3)],
            "二次分配前后编制总数须相等, 现增减合计为+1",
        ),
        ([("tianchi_center", -2)], "二次分配至少涉及两个机构"),
        (
            [("tianchi_center", -2), ("tianchi_center", 2)],
            "二次分配至少涉及两个机构",
        ),
        (
            [("tianchi_center", -6), ("bailang_center", 6)],
            "天池镇综合保障和技术推广中心的事业编制只有5名, 不能调出6名",
        ),
        (
            [("tianchi_center", -2), ("tianchi", 2)],
            "事业编制只能用于事业单位, 天池镇是党政机关",
        ),
    ],
    ids=["not-zero-sum", "one-unit", "cancelling-lines", "more-than-balance", "wrong-nature"],
)
def test_redistribution_refuses_bad_lines(
    client, org, qt, staffing_officer, grant_quota, row_counts, lines, message
):
    # given 天池镇's center with 5 事业编制 places and the staffing office logged in
    grant_quota(org.tianchi_center, qt.institution, 5)
    client.force_login(staffing_officer)
    data = redistribution_data(
        org.county, qt.institution, [(getattr(org, name), delta) for name, delta in lines]
    )
    before = row_counts()

    # when the redistribution is posted
    response = client.post("/staffing/redistributions/new/", data)

    # then the rule is shown above the form and nothing is saved
    assert response.status_code == 400
    assert form_errors(response.content.decode()) == [message]
    assert row_counts() == before


def test_redistribution_line_needs_both_unit_and_delta(
    client, org, qt, staffing_officer, grant_quota, row_counts
):
    # given the staffing office logged in
    grant_quota(org.tianchi_center, qt.institution, 5)
    client.force_login(staffing_officer)
    data = redistribution_data(
        org.county,
        qt.institution,
        [(org.tianchi_center, -2), (org.bailang_center, 2), (org.bailang, "")],
    )
    before = row_counts()

    # when one line names a unit without a delta
    response = client.post("/staffing/redistributions/new/", data)

    # then that line is flagged and nothing is saved
    assert response.status_code == 400
    assert line_errors(response.content.decode()) == ["每行须同时填写机构和非零的增减数"]
    assert row_counts() == before


# ------------------------------------------------------------------ successful changes


@pytest.mark.parametrize(
    ("kind", "delta"),
    [(MovementKind.APPROVE, 4), (MovementKind.INCREASE, 4), (MovementKind.DECREASE, -4)],
)
def test_movement_is_recorded(
    client, org, qt, staffing_officer, grant_quota, row_counts, kind, delta
):
    # given 天池镇 with 10 administrative places
    grant_quota(org.tianchi, qt.administrative, 10)
    client.force_login(staffing_officer)
    before = row_counts()

    # when the staffing office records a movement of 4
    response = client.post(
        "/staffing/movements/new/",
        movement_data(org.tianchi, qt.administrative, kind=kind, amount=4),
    )

    # then one ledger entry is added with the sign of its kind, and the officer is sent to the unit
    assert (response.status_code, response["Location"]) == (302, f"/org/units/{org.tianchi.pk}/")
    movement = QuotaMovement.objects.latest("id")
    assert (
        movement.unit,
        movement.quota_type,
        movement.kind,
        movement.delta,
        movement.doc_no,
        movement.effective_on,
        movement.summary,
        movement.created_by,
    ) == (
        org.tianchi,
        qt.administrative,
        kind,
        delta,
        "阿机编发〔2025〕5号",
        dt.date(2025, 3, 1),
        "承接新增职责",
        staffing_officer,
    )
    assert changed(before, row_counts()) == {"staffing.QuotaMovement": 1}


def test_redistribution_moves_places_and_keeps_the_total(
    client, org, qt, staffing_officer, grant_quota, row_counts
):
    # given 天池镇's center with 5 事业编制 places and 白狼镇's with none
    grant_quota(org.tianchi_center, qt.institution, 5)
    client.force_login(staffing_officer)
    data = redistribution_data(
        org.county, qt.institution, [(org.tianchi_center, -2), (org.bailang_center, 2)]
    )
    before = row_counts()

    # when two places are redistributed from one center to the other
    response = client.post("/staffing/redistributions/new/", data, follow=True)

    # then one batch with two balancing entries is saved and the ledger confirms it
    batch = Redistribution.objects.get()
    assert response.redirect_chain == [("/staffing/movements/", 302)]
    assert "二次分配已登记(阿机编发〔2025〕8号)" in response.content.decode()
    assert (batch.county, batch.quota_type, batch.effective_on, batch.created_by) == (
        org.county,
        qt.institution,
        dt.date(2025, 6, 1),
        staffing_officer,
    )
    assert sorted(batch.movements.values_list("unit_id", "kind", "delta")) == sorted(
        [
            (org.tianchi_center.pk, MovementKind.REDISTRIBUTE, -2),
            (org.bailang_center.pk, MovementKind.REDISTRIBUTE, 2),
        ]
    )
    assert changed(before, row_counts()) == {
        "staffing.Redistribution": 1,
        "staffing.QuotaMovement": 2,
    }
