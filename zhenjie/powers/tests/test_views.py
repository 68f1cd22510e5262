"""Pages of delegated powers: overview, matrix, catalog, item and department pages, and forms."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest

from zhenjie.conftest import ESTABLISHED
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.services import unit_create
from zhenjie.powers.choices import AcceptanceStatus, DelegationMode, Grantee, GuidanceKind
from zhenjie.powers.models import Acceptance, PowerCategory, PowerUsage
from zhenjie.powers.services import (
    acceptance_record,
    batch_create,
    guidance_record,
    power_item_create,
)

pytestmark = pytest.mark.django_db

BATCH_DAY = dt.date(2024, 6, 1)
EFFECTIVE = dt.date(2024, 7, 1)
ACCEPTED, DEFERRED, DECLINED = (
    AcceptanceStatus.ACCEPTED,
    AcceptanceStatus.DEFERRED,
    AcceptanceStatus.DECLINED,
)
INVALID_CHOICE = "选择一个有效的选项： 该选择不在可用的选项中。"


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


def add_item(actor, batch, department, code, name, grantee=Grantee.TOWN, category="penalty"):
    return power_item_create(
        actor=actor,
        batch=batch,
        code=code,
        name=name,
        category=PowerCategory.objects.get(code=category),
        legal_basis="《中华人民共和国行政处罚法》第二十四条",
        department=department,
        mode=DelegationMode.ENTRUST,
        grantee=grantee,
    )


@pytest.fixture
def powers(org, staffing_officer, land_bureau):
    """A batch of 3 items; 天池镇 accepted the farm item and deferred the land item.

    农牧和科技局: farm (town, penalty), market (both, inspection); 自然资源局: land (town, licensing).
    """
    batch = batch_create(
        actor=staffing_officer,
        name="自治区赋予乡镇(街道)行政权力事项目录",
        issuer="内蒙古自治区人民政府",
        doc_no="内政字〔2024〕9号",
        issued_on=BATCH_DAY,
    )
    farm = add_item(
        staffing_officer, batch, org.department, "NMG-001", "对违反动物防疫规定的行政处罚"
    )
    market = add_item(
        staffing_officer,
        batch,
        org.department,
        "NMG-002",
        "对农贸市场的监督检查",
        Grantee.BOTH,
        "inspection",
    )
    land = add_item(
        staffing_officer, batch, land_bureau, "NMG-003", "农村村民宅基地审批", category="licensing"
    )
    acceptance_record(
        actor=staffing_officer,
        unit=org.tianchi,
        item=farm,
        status=ACCEPTED,
        responsible_unit=org.tianchi_center,
        effective_on=EFFECTIVE,
    )
    acceptance_record(
        actor=staffing_officer,
        unit=org.tianchi,
        item=land,
        status=DEFERRED,
        reason="缺少专业技术人员",
        effective_on=EFFECTIVE,
    )
    return SimpleNamespace(batch=batch, farm=farm, market=market, land=land)


@pytest.fixture
def acceptance_counts(db):
    def counts():
        return (Acceptance.objects.count(), Acceptance.history.count())

    return counts


def field_errors(html: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, message in re.findall(
        r'<div class="invalid-feedback d-block" data-field="([^"]*)">([^<]*)</div>', html
    ):
        errors.setdefault(field, []).append(message)
    return errors


def shown_in(html: str, name: str) -> str:
    return re.search(rf'data-testid="{name}">([^<]*)<', html).group(1)


def matrix_items(html: str) -> list[str]:
    table = html[html.index('data-testid="matrix"') : html.index("</table>")]
    return re.findall(r'<a href="/powers/items/\d+/">([^<]*)</a>', table)


def acceptance_data(powers, org, **overrides):
    data = {
        "unit": org.tianchi.pk,
        "item": powers.market.pk,
        "status": ACCEPTED,
        "responsible_unit": org.tianchi_office.pk,
        "reason": "",
        "effective_on": "2024-07-01",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- pages render


@pytest.mark.parametrize(
    ("url", "marker"),
    [
        (lambda p: "/powers/", "<title>赋权事项 · 镇街</title>"),
        (lambda p: f"/powers/?batch={p.batch.pk}", "<title>赋权事项 · 镇街</title>"),
        (lambda p: "/powers/matrix/", "<title>承接矩阵 · 镇街</title>"),
        (lambda p: "/powers/items/", "<title>赋权事项目录 · 镇街</title>"),
        (
            lambda p: f"/powers/items/{p.farm.pk}/",
            "<title>对违反动物防疫规定的行政处罚 · 镇街</title>",
        ),
        (
            lambda p: f"/powers/departments/{p.farm.department_id}/",
            "<title>阿尔山市农牧和科技局 · 赋权 · 镇街</title>",
        ),
        (lambda p: "/powers/acceptances/new/", "<title>登记承接情况 · 镇街</title>"),
        (lambda p: "/powers/usage/new/", "<title>登记行权次数 · 镇街</title>"),
    ],
    ids=[
        "overview",
        "overview-of-batch",
        "matrix",
        "items",
        "item",
        "department",
        "acceptance-form",
        "usage-form",
    ],
)
def test_powers_pages_render_for_the_staffing_office(powers, client, staffing_officer, url, marker):
    # given the county staffing office logged in
    client.force_login(staffing_officer)

    # when the page is opened
    response = client.get(url(powers))

    # then it renders
    assert response.status_code == 200
    assert marker in response.content.decode()


def test_powers_pages_need_a_login(powers, client):
    # given nobody logged in
    # when the overview is opened
    response = client.get("/powers/")

    # then the visitor is sent to log in
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/powers/")


@pytest.mark.parametrize(
    "url",
    [
        lambda p: "/powers/?batch=abc",
        lambda p: f"/powers/?batch={p.batch.pk + 100}",
        lambda p: f"/powers/items/{p.land.pk + 100}/",
        lambda p: f"/powers/departments/{p.farm.department.parent_id}/",
        lambda p: "/powers/matrix/?department=x",
    ],
    ids=[
        "batch-not-a-number",
        "no-such-batch",
        "no-such-item",
        "county-not-department",
        "bad-filter",
    ],
)
def test_powers_pages_answer_404_for_what_is_not_there(powers, client, staffing_officer, url):
    # given the staffing office logged in
    client.force_login(staffing_officer)

    # when a missing batch, item or department is asked for
    response = client.get(url(powers))

    # then the page is not found
    assert response.status_code == 404


def test_overview_answers_404_before_any_batch(org, client, staffing_officer):
    # given no batch
    client.force_login(staffing_officer)

    # when the overview is opened
    # then there is nothing to show
    assert client.get("/powers/").status_code == 404


def test_overview_shows_the_counts_and_each_base_units_rate(powers, client, staffing_officer):
    # given 3 items of 2 departments, neither sending quota or people, and 天池镇's two answers
    client.force_login(staffing_officer)

    # when the overview is opened
    html = client.get("/powers/").content.decode()

    # then the figures and 天池镇's row are shown
    assert [shown_in(html, n) for n in ("item-count", "department-count", "not-followed")] == [
        "3",
        "2",
        "2",
    ]
    summary = html[html.index('data-testid="acceptance-summary"') :]
    row = re.search(r"<tr><td><a [^>]*>天池镇</a></td>(.*?)</tr>", summary).group(1)
    assert re.findall(r'<td class="text-end">([^<]*)</td>', row) == ["1", "1", "0", "33.3%"]


@pytest.mark.parametrize(
    ("user", "shown"), [("staffing_officer", True), ("leader", False)], ids=["editor", "leader"]
)
def test_overview_offers_the_acceptance_form_only_to_editors(request, powers, client, user, shown):
    # given a user who may or may not record acceptance
    client.force_login(request.getfixturevalue(user))

    # when the overview is opened
    html = client.get("/powers/").content.decode()

    # then the button is shown only to editors
    assert (f'href="/powers/acceptances/new/?batch={powers.batch.pk}"' in html) is shown


# ---------------------------------------------------------------- matrix


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            lambda p: {},
            ["对违反动物防疫规定的行政处罚", "对农贸市场的监督检查", "农村村民宅基地审批"],
        ),
        (
            lambda p: {"department": p.farm.department_id},
            ["对违反动物防疫规定的行政处罚", "对农贸市场的监督检查"],
        ),
        (lambda p: {"department": p.land.department_id}, ["农村村民宅基地审批"]),
        (lambda p: {"category": p.market.category_id}, ["对农贸市场的监督检查"]),
        (
            lambda p: {"department": p.farm.department_id, "category": p.land.category_id},
            [],
        ),
    ],
    ids=["all", "farm-department", "land-department", "inspection", "department-and-category"],
)
def test_matrix_filters_by_department_and_category(
    powers, client, staffing_officer, query, expected
):
    # given the 3 items of 2 departments
    client.force_login(staffing_officer)

    # when the matrix is filtered
    html = client.get("/powers/matrix/", query(powers)).content.decode()

    # then only the matching items are rows
    assert matrix_items(html) == expected
    assert f"<th>事项({len(expected)})</th>" in html
    if not expected:
        assert "没有符合条件的事项" in html


def test_matrix_marks_each_towns_answer(powers, client, staffing_officer):
    # given 天池镇 accepted the farm item and deferred the land item
    client.force_login(staffing_officer)

    # when the matrix is opened
    html = client.get("/powers/matrix/").content.decode()

    # then the cells carry the answers and the unanswered ones say so
    assert 'title="天池镇: 已承接"><span class="badge bg-success">承</span>' in html
    assert 'title="天池镇: 暂缓承接"><span class="badge bg-warning text-dark">缓</span>' in html
    assert html.count('title="白狼镇: 未登记">') == 3


# ---------------------------------------------------------------- department and item pages


def test_department_page_shows_no_quota_followed_and_no_guidance(powers, client, staffing_officer):
    # given 农牧和科技局 sent no quota or people and held no training
    client.force_login(staffing_officer)

    # when its page is opened
    html = client.get(f"/powers/departments/{powers.farm.department_id}/").content.decode()

    # then it is flagged and its two items are listed
    assert [shown_in(html, n) for n in ("quota", "people", "not-followed")] == [
        "0 / 0",
        "0 / 0",
        "未下放编制和人员",
    ]
    assert "无记录: 赋权后未组织指导或培训" in html
    assert html.count('<td><a href="/powers/items/') == 2


def test_department_page_lists_the_guidance_of_its_batch_only(
    powers, org, client, staffing_officer
):
    # given 农牧和科技局 also delegated an item in a later batch, and held guidance on an item of
    # each batch
    later = batch_create(
        actor=staffing_officer,
        name="第二批赋权事项",
        issuer="内蒙古自治区人民政府",
        doc_no="内政字〔2024〕15号",
        issued_on=dt.date(2024, 9, 1),
    )
    later_item = add_item(staffing_officer, later, org.department, "NMG-101", "对兽药经营的处罚")
    for item, day in ((powers.farm, dt.date(2024, 8, 1)), (later_item, dt.date(2024, 10, 1))):
        guidance_record(
            actor=staffing_officer,
            department=org.department,
            kind=GuidanceKind.GUIDANCE,
            held_on=day,
            description=f"{item.name}业务指导",
            units=[org.tianchi],
            item=item,
        )
    client.force_login(staffing_officer)

    # when the department's page of each batch is opened
    def guidance_shown(batch):
        url = f"/powers/departments/{org.department.pk}/?batch={batch.pk}"
        html = client.get(url).content.decode()
        listed = html[html.index('data-testid="guidance"') :]
        return re.findall(r"<li>[\d-]+ 业务指导: ([^(<]+)\(", listed[: listed.index("</ul>")])

    # then each lists the guidance on its own items
    assert guidance_shown(powers.batch) == ["对违反动物防疫规定的行政处罚业务指导"]
    assert guidance_shown(later) == ["对兽药经营的处罚业务指导"]


def test_item_page_lists_the_answers_in_the_users_scope(
    powers, org, client, staffing_officer, bailang_operator
):
    # given 天池镇's deferral of the land item
    client.force_login(staffing_officer)

    # when the staffing office and then 白狼镇's operator open the item
    html = client.get(f"/powers/items/{powers.land.pk}/").content.decode()
    client.force_login(bailang_operator)
    other = client.get(f"/powers/items/{powers.land.pk}/").content.decode()

    # then the office sees 天池镇's reason and 白狼镇 sees nothing recorded
    assert "<td>天池镇</td><td>暂缓承接</td><td>—</td><td>缺少专业技术人员</td>" in html
    assert '<tr><td colspan="5" class="text-muted">未登记</td></tr>' in other


# ---------------------------------------------------------------- acceptance form


def test_acceptance_form_records_an_answer_and_returns_to_the_item(
    powers, org, client, tianchi_operator
):
    # given 天池镇's operator logged in
    client.force_login(tianchi_operator)

    # when they accept the market item through the office
    response = client.post("/powers/acceptances/new/", acceptance_data(powers, org))

    # then it is stored and the item page is shown
    assert (response.status_code, response["Location"]) == (
        302,
        f"/powers/items/{powers.market.pk}/",
    )
    assert Acceptance.objects.filter(item=powers.market).values_list(
        "unit__name", "status", "responsible_unit__name", "decided_by__username"
    ).get() == ("天池镇", ACCEPTED, "天池镇党政综合办公室", "tianchi")


BAD_POSTS = {
    "declined-without-reason": (
        lambda p, o: {"status": DECLINED, "responsible_unit": ""},
        {"reason": ["不承接或暂缓承接须书面说明理由"]},
    ),
    "deferred-with-blank-reason": (
        lambda p, o: {"status": DEFERRED, "responsible_unit": "", "reason": "  "},
        {"reason": ["不承接或暂缓承接须书面说明理由"]},
    ),
    "declined-naming-own-office": (
        lambda p, o: {"status": DECLINED, "reason": "无管理对象"},
        {"responsible_unit": ["不承接的事项不设承办机构, 请清空承办机构"]},
    ),
    "accepted-without-office": (
        lambda p, o: {"responsible_unit": ""},
        {"responsible_unit": ["承接的事项须明确承办机构"]},
    ),
    "office-of-another-town": (
        lambda p, o: {"responsible_unit": o.bailang_center.pk},
        {"responsible_unit": ["承办机构须是天池镇的内设机构或所属单位"]},
    ),
    "street-takes-town-only-item": (
        lambda p, o: {
            "unit": o.linhai.pk,
            "item": p.farm.pk,
            "status": DECLINED,
            "responsible_unit": "",
            "reason": "无管理对象",
        },
        {"item": ["该事项只赋予镇, 林海街道不能承接"]},
    ),
    "effective-before-batch": (
        lambda p, o: {"effective_on": "2024-05-31"},
        {"effective_on": ["生效日期不能早于赋权文件发文日期2024-06-01"]},
    ),
    "answered-twice": (
        lambda p, o: {"item": p.farm.pk},
        {"item": ["天池镇已登记过“对违反动物防疫规定的行政处罚”的承接情况"]},
    ),
    "unknown-status": (
        lambda p, o: {"status": "maybe"},
        {"status": ["选择一个有效的选项。 maybe 不在可用的选项中。"]},
    ),
}


@pytest.mark.parametrize(("change", "errors"), list(BAD_POSTS.values()), ids=list(BAD_POSTS))
def test_acceptance_form_shows_the_rule_broken_and_saves_nothing(
    powers, org, client, staffing_officer, acceptance_counts, change, errors
):
    # given the staffing office logged in
    client.force_login(staffing_officer)
    before = acceptance_counts()

    # when it posts an answer that breaks one rule
    response = client.post(
        "/powers/acceptances/new/", acceptance_data(powers, org, **change(powers, org))
    )

    # then the form comes back with the rule beside its field and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == errors
    assert acceptance_counts() == before


def test_acceptance_form_of_a_leader_is_forbidden_and_saves_nothing(
    powers, org, client, leader, acceptance_counts
):
    # given a county leader logged in
    client.force_login(leader)
    before = acceptance_counts()

    # when they post 天池镇's acceptance of the market item
    response = client.post("/powers/acceptances/new/", acceptance_data(powers, org))

    # then it is forbidden and nothing changes
    assert response.status_code == 403
    assert acceptance_counts() == before


def test_acceptance_form_of_another_town_cannot_choose_tianchi(
    powers, org, client, bailang_operator, acceptance_counts
):
    # given 白狼镇's operator logged in
    client.force_login(bailang_operator)
    before = acceptance_counts()

    # when they post an acceptance for 天池镇
    response = client.post("/powers/acceptances/new/", acceptance_data(powers, org))

    # then neither 天池镇 nor its office is a choice and nothing changes
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == {
        "unit": [INVALID_CHOICE],
        "responsible_unit": [INVALID_CHOICE],
    }
    assert acceptance_counts() == before


# ---------------------------------------------------------------- usage form


def test_usage_form_refuses_an_item_the_town_did_not_accept(powers, org, client, tianchi_operator):
    # given 天池镇 deferred the land item
    client.force_login(tianchi_operator)

    # when its operator posts a year's uses of it
    response = client.post(
        "/powers/usage/new/",
        {
            "unit": org.tianchi.pk,
            "item": powers.land.pk,
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "count": 4,
        },
    )

    # then the form explains and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == {
        "item": ["天池镇未承接“农村村民宅基地审批”, 不能登记行权"]
    }
    assert PowerUsage.objects.count() == 0


def test_usage_form_records_uses_of_an_accepted_item(powers, org, client, tianchi_operator):
    # given 天池镇 accepted the farm item
    client.force_login(tianchi_operator)

    # when its operator posts a year's uses
    response = client.post(
        "/powers/usage/new/",
        {
            "unit": org.tianchi.pk,
            "item": powers.farm.pk,
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "count": 4,
        },
    )

    # then the uses are stored and the item page is shown
    assert (response.status_code, response["Location"]) == (302, f"/powers/items/{powers.farm.pk}/")
    assert list(PowerUsage.objects.values_list("unit__name", "count")) == [("天池镇", 4)]
