"""Pages of the organizations app (unit list, tree, unit pages, docking) on the Arxan demo."""

import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction

from zhenjie.demo.arxan import build_demo
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import DockingLink, Unit
from zhenjie.organizations.selectors import docking_summary
from zhenjie.organizations.services import unit_create

TODAY = dt.date.today()
# A valid unified social credit code (GB 32100) that no demo unit uses.
VALID_CREDIT_CODE = "91350100M000100Y43"


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_demo()
        yield built
        transaction.set_rollback(True)


def unit(name: str, parent: str | None = None) -> Unit:
    if parent is None:
        return Unit.objects.get(name=name, abolished_on=None)
    return Unit.objects.get(name=name, parent__name=parent, abolished_on=None)


def listed_units(html: str) -> list[int]:
    """Ids of the units in a unit table, one per row (the name column links first)."""
    body = html[html.index("<tbody") : html.index("</tbody>")]
    rows = body.split("<tr")[1:]
    return [int(re.search(r'href="/org/units/(\d+)/"', row).group(1)) for row in rows]


def field_errors(html: str) -> list[str]:
    return re.findall(
        r'<div class="invalid-feedback d-block" data-field="[^"]*">([^<]*)</div>', html
    )


def form_errors(html: str) -> list[str]:
    match = re.search(r'data-testid="form-errors">(.*?)</div>\n', html, re.S)
    return re.findall(r"<div>([^<]*)", match.group(1)) if match else []


def history(html: str) -> list[tuple[str, str, list[str]]]:
    """(who, action, changes) of each row of a page's history table, newest first."""
    body = html[html.index('data-testid="history"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    rows = []
    for row in body.split("<tr>")[1:]:
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        changes = re.findall(r"<div><strong>([^<]+)</strong>: ([^<]*)</div>", cells[3])
        rows.append((cells[1], cells[2], [f"{label}: {change}" for label, change in changes]))
    return rows


def edit_data(target: Unit, **overrides: Any) -> dict[str, Any]:
    """The edit form as the page fills it in, with some fields changed."""
    data = {
        "name": target.name,
        "short_name": target.short_name,
        "rank": target.rank,
        "credit_code": target.credit_code,
        "established_doc": target.established_doc,
        "sort_order": target.sort_order,
        "notes": target.notes,
        "reason": "",
    }
    data.update(overrides)
    return data


def create_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "营商环境办公室",
        "short_name": "营商办",
        "kind": UnitKind.OFFICE,
        "parent": unit("天池镇").pk,
        "division": "",
        "department": "",
        "rank": "",
        "credit_code": "",
        "established_on": "2025-01-01",
        "established_doc": "阿机编发〔2025〕2号",
        "sort_order": 7,
        "notes": "",
    }
    data.update(overrides)
    return data


def undocked_department(office: Unit) -> Unit:
    docked = DockingLink.objects.filter(office=office).values("department")
    return (
        Unit.objects.filter(kind=UnitKind.DEPARTMENT)
        .exclude(pk__in=docked)
        .order_by("sort_order")
        .first()
    )


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        label: after[label] - before[label] for label in before if after[label] != before[label]
    }


# ------------------------------------------------------------------ pages render


@pytest.mark.parametrize(
    ("url", "marker"),
    [
        (lambda: "/org/units/", "<title>机构 · 镇街</title>"),
        (lambda: "/org/units/tree/", "<title>机构树 · 镇街</title>"),
        (lambda: f"/org/units/{unit('天池镇').pk}/", "<title>天池镇 · 镇街</title>"),
        (
            lambda: f"/org/units/{unit('乡村振兴办公室', '天池镇').pk}/",
            "<title>乡村振兴办公室 · 镇街</title>",
        ),
        (
            lambda: f"/org/units/{unit('阿尔山市农牧局').pk}/",
            "<title>阿尔山市农牧局 · 镇街</title>",
        ),
        (
            lambda: f"/org/units/{Unit.objects.get(name='天池镇林业工作站').pk}/",
            "<title>天池镇林业工作站 · 镇街</title>",
        ),
        (lambda: "/org/docking/", "<title>对接部门 · 镇街</title>"),
        (lambda: f"/org/docking/?unit={unit('天池镇').pk}", "<title>对接部门 · 镇街</title>"),
        (lambda: "/org/units/new/", "<title>设立机构 · 镇街</title>"),
        (lambda: f"/org/units/new/?parent={unit('天池镇').pk}", "<title>设立机构 · 镇街</title>"),
        (lambda: f"/org/units/{unit('天池镇').pk}/edit/", "<title>修改机构: 天池镇 · 镇街</title>"),
        (
            lambda: f"/org/units/{unit('天池镇司法所').pk}/abolish/",
            "<title>撤销机构: 天池镇司法所 · 镇街</title>",
        ),
    ],
    ids=[
        "unit-list",
        "unit-tree",
        "town",
        "office",
        "department",
        "abolished-station",
        "docking",
        "docking-of-town",
        "unit-create",
        "unit-create-under-town",
        "unit-edit",
        "unit-abolish",
    ],
)
def test_organization_pages_render_for_the_staffing_office(demo, db, client, url, marker):
    # given the county staffing office logged in
    client.force_login(demo.users["bianban"])

    # when the page is opened
    response = client.get(url())

    # then it renders
    assert response.status_code == 200
    assert marker in response.content.decode()


def test_town_page_lists_its_live_units_and_loads_its_panels(demo, db, client):
    # given 天池镇 and the staffing office logged in
    town = unit("天池镇")
    client.force_login(demo.users["bianban"])

    # when the town's page is opened
    html = client.get(f"/org/units/{town.pk}/").content.decode()

    # then its ten live units are listed and the quota and people panels are wired to HTMX
    assert "下级机构(10)" in html
    assert f'hx-get="/staffing/units/{town.pk}/quota/?on={TODAY:%Y-%m-%d}"' in html
    assert f'hx-get="/people/units/{town.pk}/people/?on={TODAY:%Y-%m-%d}"' in html


def test_abolished_station_page_shows_it_abolished(demo, db, client):
    # given a station abolished at the end of 2019
    station = Unit.objects.get(name="天池镇林业工作站")
    client.force_login(demo.users["bianban"])

    # when its page is opened
    html = client.get(f"/org/units/{station.pk}/").content.decode()

    # then it is marked abolished with the date and document
    assert '<span class="badge bg-secondary">已撤销</span>' in html
    assert "2019-12-31 阿机编发〔2019〕25号" in html


@pytest.mark.parametrize(
    ("on", "present", "absent"),
    [
        ("2019-06-01", "天池镇林业工作站", "乡村振兴办公室"),
        (TODAY.isoformat(), "乡村振兴办公室", "天池镇林业工作站"),
    ],
    ids=["before-the-reform", "today"],
)
def test_unit_tree_shows_the_units_live_on_the_chosen_day(demo, db, client, on, present, absent):
    # given the staffing office logged in
    client.force_login(demo.users["bianban"])

    # when the tree is opened as of a day
    html = client.get("/org/units/tree/", {"on": on}).content.decode()

    # then the units live that day are in it and the others are not
    assert f">{present}</a>" in html
    assert f">{absent}</a>" not in html


def test_docking_page_reports_the_county_figures(demo, db, client):
    # given the county's docking summary and the staffing office logged in
    summary = docking_summary(user=demo.users["bianban"], root=demo.county, on=TODAY)
    client.force_login(demo.users["bianban"])

    # when the docking page is opened
    html = client.get("/org/docking/").content.decode()

    # then it shows 44 offices, their average and the departments involved
    assert 'data-testid="office-count">44</div>' in html
    assert f'data-testid="docking-average">{summary["average"]}</div>' in html
    assert f'data-testid="docking-departments">{summary["distinct_departments"]}</div>' in html


@pytest.mark.parametrize("username", ["tianchi", "bianban"])
def test_docking_page_of_a_town_counts_its_six_offices(demo, db, client, username):
    # given 天池镇
    town = unit("天池镇")
    client.force_login(demo.users[username])

    # when the town's docking page is opened (the operator lands on it by default)
    url = "/org/docking/" if username == "tianchi" else f"/org/docking/?unit={town.pk}"
    html = client.get(url).content.decode()

    # then it counts the town's six offices
    assert '<h1 class="h3 mb-0">天池镇 · “办”对接县直部门</h1>' in html
    assert 'data-testid="office-count">6</div>' in html


# ------------------------------------------------------------------ list, filter, pagination


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "town"}, lambda: Unit.objects.filter(kind=UnitKind.TOWN)),
        ({"kind": "street"}, lambda: Unit.objects.filter(kind=UnitKind.STREET)),
        ({"q": "司法所"}, lambda: Unit.objects.filter(name__endswith="司法所")),
        ({"status": "abolished"}, lambda: Unit.objects.filter(kind=UnitKind.STATION)),
        ({"kind": "center"}, lambda: Unit.objects.filter(kind=UnitKind.CENTER)),
    ],
    ids=["towns", "streets", "judicial-offices", "abolished", "centers"],
)
def test_unit_list_filters(demo, db, client, query, expected):
    # given the staffing office logged in
    client.force_login(demo.users["bianban"])

    # when the unit list is filtered
    html = client.get("/org/units/", query).content.decode()

    # then exactly the matching units are listed, by name
    assert listed_units(html) == list(
        expected().order_by("name", "pk").values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ({"kind": "town"}, 4),
        ({"kind": "street"}, 4),
        ({"q": "司法所"}, 8),
        ({"status": "abolished"}, 12),
    ],
    ids=["towns", "streets", "judicial-offices", "abolished"],
)
def test_unit_list_filter_counts_match_the_report(demo, db, client, query, rows):
    # given the staffing office logged in
    client.force_login(demo.users["bianban"])

    # when the unit list is filtered
    html = client.get("/org/units/", query).content.decode()

    # then the report's numbers come out: 4 towns, 4 streets, 8 司法所, 12 abolished stations
    assert len(listed_units(html)) == rows


def test_unit_list_paginates_fifty_a_page(demo, db, client):
    # given the units of the county (the office does not see the league and the region above it)
    county_units = Unit.objects.filter(path__startswith=demo.county.path)
    total = county_units.count()
    pages = -(-total // 50)
    client.force_login(demo.users["bianban"])

    # when every page of the unit list is read
    seen = [
        listed_units(client.get("/org/units/", {"page": page}).content.decode())
        for page in range(1, pages + 1)
    ]

    # then full pages hold fifty, the last the rest, and every unit appears once
    assert [len(rows) for rows in seen] == [50] * (pages - 1) + [total - 50 * (pages - 1)]
    assert sorted(pk for rows in seen for pk in rows) == sorted(
        county_units.values_list("pk", flat=True)
    )
    assert pages == 3


@pytest.mark.parametrize(
    ("url", "bound"),
    [
        ("/org/units/", 5),
        ("/org/units/?page=3", 5),
        ("/org/units/?kind=office", 5),
        ("/org/units/tree/", 4),
        ("/org/docking/", 5),
    ],
)
def test_organization_lists_use_a_fixed_number_of_queries(
    demo, db, client, django_assert_max_num_queries, url, bound
):
    # given the staffing office logged in over 130 units
    client.force_login(demo.users["bianban"])

    # when the list is opened
    with django_assert_max_num_queries(bound):
        response = client.get(url)

    # then it was built in a fixed number of queries, whatever the data
    assert response.status_code == 200


# ------------------------------------------------------------------ scope


def test_unit_operator_lists_only_their_town(demo, db, client):
    # given 天池镇 and its operator logged in
    town = unit("天池镇")
    client.force_login(demo.users["tianchi"])

    # when the operator opens the unit list
    html = client.get("/org/units/").content.decode()

    # then it holds the town and its ten live units, nothing of 白狼镇
    expected = Unit.objects.filter(path__startswith=town.path).order_by("name")
    assert listed_units(html) == list(expected.values_list("pk", flat=True))
    assert len(listed_units(html)) == 11


@pytest.mark.parametrize(
    "url",
    [
        lambda: f"/org/units/{unit('白狼镇').pk}/",
        lambda: f"/org/units/{unit('乡村振兴办公室', '白狼镇').pk}/",
        lambda: f"/org/units/{unit('白狼镇').pk}/edit/",
        lambda: f"/org/docking/?unit={unit('白狼镇').pk}",
        lambda: f"/staffing/units/{unit('白狼镇').pk}/quota/",
    ],
    ids=["town", "office", "edit", "docking", "quota-panel"],
)
def test_unit_operator_gets_not_found_for_another_town(demo, db, client, url):
    # given the 天池镇 operator logged in
    client.force_login(demo.users["tianchi"])

    # when they open a page of 白狼镇
    response = client.get(url())

    # then it is not found
    assert response.status_code == 404


# ------------------------------------------------------------------ who may change the structure


def structure_post(action: str) -> tuple[str, dict[str, Any]]:
    office = unit("乡村振兴办公室", "天池镇")
    if action == "unit-create":
        return "/org/units/new/", create_data()
    if action == "unit-edit":
        return f"/org/units/{office.pk}/edit/", edit_data(office, name="产业发展办公室")
    if action == "unit-abolish":
        return f"/org/units/{office.pk}/abolish/", {
            "abolished_on": "2025-01-01",
            "abolished_doc": "阿机编发〔2025〕1号",
        }
    if action == "docking-add":
        return f"/org/units/{office.pk}/docking/add/", {
            "department": undocked_department(office).pk
        }
    if action == "docking-remove":
        link = DockingLink.objects.filter(office=office).order_by("pk").first()
        return f"/org/docking/{link.pk}/remove/", {}
    raise AssertionError(action)


@pytest.mark.parametrize(
    ("username", "action"),
    [
        ("lingdao", "unit-create"),
        ("lingdao", "unit-edit"),
        ("lingdao", "unit-abolish"),
        ("lingdao", "docking-add"),
        ("lingdao", "docking-remove"),
        ("tianchi", "unit-create"),
        ("tianchi", "unit-edit"),
    ],
)
def test_only_the_staffing_office_changes_the_structure(
    demo, db, client, row_counts, username, action
):
    # given a user other than the staffing office and a valid form inside their scope
    client.force_login(demo.users[username])
    url, data = structure_post(action)
    before = row_counts()

    # when they post it
    response = client.post(url, data)

    # then it is forbidden and nothing changed
    assert response.status_code == 403
    assert row_counts() == before


def test_unit_operator_cannot_pick_a_department_to_dock_with(demo, db, client, row_counts):
    # given the 天池镇 operator, who sees no county department, and an office of their town
    office = unit("乡村振兴办公室", "天池镇")
    department = undocked_department(office)
    client.force_login(demo.users["tianchi"])
    before = row_counts()

    # when the operator adds a docking to a department
    response = client.post(
        f"/org/units/{office.pk}/docking/add/", {"department": department.pk}, follow=True
    )

    # then the department is not on offer, the office page says so and nothing is saved
    assert response.redirect_chain == [(f"/org/units/{office.pk}/", 302)]
    assert "选择一个有效的选项： 该选择不在可用的选项中。" in response.content.decode()
    assert row_counts() == before


def test_department_operator_cannot_edit_their_department(demo, db, client, row_counts):
    # given 农牧局 and its operator
    department = unit("阿尔山市农牧局")
    client.force_login(demo.users["nongmu"])
    before = row_counts()

    # when the operator renames the department
    response = client.post(
        f"/org/units/{department.pk}/edit/", edit_data(department, name="农牧科技局")
    )

    # then it is forbidden and nothing changed
    assert response.status_code == 403
    assert (
        "无权修改机构: 阿尔山市农牧局不在您的管理范围内或您的角色不允许此操作"
        in response.content.decode()
    )
    assert row_counts() == before


# ------------------------------------------------------------------ bad input


def test_unit_create_refuses_a_wrong_credit_code_check_character(demo, db, client, row_counts):
    # given a credit code whose check character is wrong
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when the staffing office sets up a unit with it
    response = client.post("/org/units/new/", create_data(credit_code="91350100M000100Y44"))

    # then the code is refused beside the field and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == ["统一社会信用代码校验位错误"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("credit_code", "message"),
    [
        ("91350100M000100Y44", "统一社会信用代码校验位错误"),
        ("91350100M000100Y4", "统一社会信用代码应为18位"),
    ],
    ids=["checksum", "length"],
)
def test_unit_edit_refuses_a_bad_credit_code(demo, db, client, row_counts, credit_code, message):
    # given 天池镇 and the staffing office logged in
    town = unit("天池镇")
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when its credit code is changed to a bad one
    response = client.post(f"/org/units/{town.pk}/edit/", edit_data(town, credit_code=credit_code))

    # then the code is refused beside the field and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == [message]
    assert row_counts() == before
    assert Unit.objects.get(pk=town.pk).credit_code == town.credit_code


def test_unit_edit_refuses_another_units_credit_code(demo, db, client, row_counts):
    # given 天池镇 and the credit code of 白狼镇
    town = unit("天池镇")
    other = unit("白狼镇")
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when 天池镇's code is set to 白狼镇's
    response = client.post(
        f"/org/units/{town.pk}/edit/", edit_data(town, credit_code=other.credit_code)
    )

    # then the duplicate is refused and nothing is saved
    assert response.status_code == 400
    assert form_errors(response.content.decode()) == ["统一社会信用代码已被其他机构使用"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"parent": "county"},
            "办(内设党政机构)的上级机构应为街道、镇、乡、苏木, 不能是旗县(市、区)党委政府",
        ),
        ({"kind": UnitKind.DISPATCHED_AGENCY}, "派出机构必须指定主管的县直部门"),
        ({"kind": UnitKind.TOWN, "parent": "county"}, "镇必须关联行政区划"),
        ({"established_on": "1990-01-01"}, "上级机构天池镇在1990-01-01不存在或已撤销"),
    ],
    ids=[
        "office-under-county",
        "agency-without-department",
        "town-without-division",
        "before-parent",
    ],
)
def test_unit_create_refuses_a_misplaced_unit(demo, db, client, row_counts, overrides, message):
    # given the staffing office logged in
    client.force_login(demo.users["bianban"])
    if overrides.get("parent") == "county":
        overrides = {**overrides, "parent": demo.county.pk}
    before = row_counts()

    # when it sets up a unit in the wrong place
    response = client.post("/org/units/new/", create_data(**overrides))

    # then the placement rule is shown beside the field and nothing is saved
    assert response.status_code == 400
    assert field_errors(response.content.decode()) == [message]
    assert row_counts() == before


def test_unit_create_refuses_a_second_live_unit_of_the_same_name(demo, db, client, row_counts):
    # given 天池镇, which already has a 乡村振兴办公室
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when another 乡村振兴办公室 is set up under it
    response = client.post("/org/units/new/", create_data(name="乡村振兴办公室"))

    # then the name clash is refused and nothing is saved
    assert response.status_code == 400
    assert form_errors(response.content.decode()) == ["同一上级机构下已有同名的在用机构"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (lambda: unit("天池镇"), "该机构仍有在用的下级机构, 须先撤销或调整下级机构"),
        (lambda: unit("天池镇司法所"), "该机构仍有2名编制, 须先划转或核减"),
    ],
    ids=["with-children", "with-quota"],
)
def test_unit_abolish_refuses_a_unit_still_in_use(demo, db, client, row_counts, target, message):
    # given a unit that still has children or quota
    victim = target()
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when the staffing office abolishes it
    response = client.post(
        f"/org/units/{victim.pk}/abolish/",
        {"abolished_on": "2025-01-01", "abolished_doc": "阿机编发〔2025〕1号"},
    )

    # then it is refused with the reason and nothing is saved
    assert response.status_code == 400
    assert form_errors(response.content.decode()) == [message]
    assert row_counts() == before


def test_docking_add_refuses_a_department_already_docked(demo, db, client, row_counts):
    # given an office and a department it already docks with
    office = unit("乡村振兴办公室", "天池镇")
    link = DockingLink.objects.filter(office=office).select_related("department").first()
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when the same docking is added again
    response = client.post(
        f"/org/units/{office.pk}/docking/add/", {"department": link.department_id}, follow=True
    )

    # then the office page says so and nothing is saved
    assert response.redirect_chain == [(f"/org/units/{office.pk}/", 302)]
    assert f"乡村振兴办公室已对接{link.department.name}" in response.content.decode()
    assert row_counts() == before


# ------------------------------------------------------------------ successful changes


def test_unit_create_sets_up_an_office_under_a_town(demo, db, client, row_counts):
    # given 天池镇 and the staffing office logged in
    town = unit("天池镇")
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when a new office is set up under it
    response = client.post("/org/units/new/", create_data())

    # then the office exists in the town's subtree, attributed to the office, and nothing else changed
    office = Unit.objects.get(name="营商环境办公室")
    assert (response.status_code, response["Location"]) == (302, f"/org/units/{office.pk}/")
    assert (
        office.kind,
        office.parent,
        office.short_name,
        office.established_on,
        office.established_doc,
        office.sort_order,
        office.path,
        office.depth,
    ) == (
        UnitKind.OFFICE,
        town,
        "营商办",
        dt.date(2025, 1, 1),
        "阿机编发〔2025〕2号",
        7,
        f"{town.path}{office.pk:08d}/",
        town.depth + 1,
    )
    record = office.history.get()
    assert (record.history_user, record.history_change_reason) == (
        demo.users["bianban"],
        "设立机构",
    )
    assert changed(before, row_counts()) == {
        "organizations.Unit": 1,
        "organizations.HistoricalUnit": 1,
    }


def test_unit_create_accepts_a_valid_credit_code(demo, db, client):
    # given the staffing office logged in
    client.force_login(demo.users["bianban"])

    # when a unit is set up with a valid code typed in lower case and full-width digits
    response = client.post("/org/units/new/", create_data(credit_code=" 9135０100m000100y43 "))

    # then the normalised code is stored
    assert response.status_code == 302
    assert Unit.objects.get(name="营商环境办公室").credit_code == VALID_CREDIT_CODE


def test_unit_edit_shows_the_change_in_the_history(demo, db, client, row_counts):
    # given 天池镇's 城市管理办公室 and the staffing office logged in
    office = unit("城市管理办公室", "天池镇")
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when it is renamed with a reason
    response = client.post(
        f"/org/units/{office.pk}/edit/",
        edit_data(office, name="城镇建设管理办公室", reason="机构更名"),
    )
    page = client.get(f"/org/units/{office.pk}/").content.decode()

    # then the name is changed and the page's history shows who, why and before → after
    assert (response.status_code, response["Location"]) == (302, f"/org/units/{office.pk}/")
    assert Unit.objects.get(pk=office.pk).name == "城镇建设管理办公室"
    assert history(page) == [
        ("市委编办", "已修改(机构更名)", ["名称: 城市管理办公室 → 城镇建设管理办公室"]),
        ("系统管理员", "已创建(设立机构)", []),
    ]
    assert changed(before, row_counts()) == {"organizations.HistoricalUnit": 1}


def test_unit_edit_with_no_change_records_nothing(demo, db, client, row_counts):
    # given 天池镇 and the staffing office logged in
    town = unit("天池镇")
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when the edit form is saved as it was filled in
    response = client.post(f"/org/units/{town.pk}/edit/", edit_data(town))

    # then the page redirects and no history record is added
    assert response.status_code == 302
    assert row_counts() == before


def test_unit_abolish_closes_an_empty_unit(demo, db, client, row_counts):
    # given an empty office set up under 天池镇
    office = unit_create(
        actor=demo.users["admin"],
        name="临时工作专班",
        kind=UnitKind.OFFICE,
        parent=unit("天池镇"),
        established_on=dt.date(2024, 1, 1),
    )
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when the staffing office abolishes it
    response = client.post(
        f"/org/units/{office.pk}/abolish/",
        {"abolished_on": "2025-01-01", "abolished_doc": "阿机编发〔2025〕1号"},
    )

    # then it is abolished on that day with the document
    assert (response.status_code, response["Location"]) == (302, f"/org/units/{office.pk}/")
    office.refresh_from_db()
    assert (office.abolished_on, office.abolished_doc) == (
        dt.date(2025, 1, 1),
        "阿机编发〔2025〕1号",
    )
    assert changed(before, row_counts()) == {"organizations.HistoricalUnit": 1}


def test_docking_add_and_remove(demo, db, client, row_counts):
    # given an office and a department it does not dock with
    office = unit("乡村振兴办公室", "天池镇")
    department = undocked_department(office)
    links = DockingLink.objects.filter(office=office).count()
    client.force_login(demo.users["bianban"])
    before = row_counts()

    # when the docking is added
    added = client.post(
        f"/org/units/{office.pk}/docking/add/", {"department": department.pk}, follow=True
    )

    # then the office page lists one more department
    assert added.redirect_chain == [(f"/org/units/{office.pk}/", 302)]
    assert f"对接县直部门({links + 1})" in added.content.decode()
    assert changed(before, row_counts()) == {
        "organizations.DockingLink": 1,
        "organizations.HistoricalDockingLink": 1,
    }

    # when it is removed again
    link = DockingLink.objects.get(office=office, department=department)
    removed = client.post(f"/org/docking/{link.pk}/remove/", follow=True)

    # then the office is back to its departments, with both changes in the history table
    assert removed.redirect_chain == [(f"/org/units/{office.pk}/", 302)]
    assert f"对接县直部门({links})" in removed.content.decode()
    assert changed(before, row_counts()) == {"organizations.HistoricalDockingLink": 2}
