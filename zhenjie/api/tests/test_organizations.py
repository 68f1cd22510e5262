"""Divisions, units and docking links through the API."""

import datetime as dt

from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import DockingLink, Unit

from .helpers import changed, column, results


def unit_data(parent: Unit, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "天池镇林业工作站",
        "kind": UnitKind.STATION,
        "parent": parent.pk,
        "established_on": "2025-03-01",
        "established_doc": "阿党办发〔2025〕4号",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ divisions


def test_divisions_are_those_of_the_users_region(api, org, staffing_officer, bailang_operator):
    # given the county staffing office and the 白狼镇 operator
    # when each lists the divisions
    county = api(staffing_officer).get("/api/v1/divisions/")
    town = api(bailang_operator).get("/api/v1/divisions/")

    # then the county sees its county, the towns and street under it and the levels above;
    # the town sees itself and the levels above, not the other towns
    assert column(county, "code") == [
        "15",
        "1522",
        "152202",
        "152202001",
        "152202100",
        "152202101",
    ]
    assert column(town, "code") == ["15", "1522", "152202", "152202101"]


def test_division_is_retrieved_with_its_parent(api, org, div, staffing_officer):
    # when 白狼镇's division is fetched
    response = api(staffing_officer).get(f"/api/v1/divisions/{div.bailang.pk}/")

    # then it shows its code, level and parent
    assert response.status_code == 200
    assert response.json() == {
        "id": div.bailang.pk,
        "code": "152202101",
        "name": "白狼镇",
        "level": "town",
        "parent": div.county.pk,
        "source": "",
    }


def test_divisions_filter_by_level(api, org, staffing_officer):
    # when the towns' divisions are asked for
    response = api(staffing_officer).get("/api/v1/divisions/", {"level": "town"})

    # then only the two towns come back
    assert column(response, "name") == ["天池镇", "白狼镇"]


# ------------------------------------------------------------------ units: reading


def test_unit_list_is_the_users_subtree_in_tree_order(api, org, tianchi_operator):
    # when the 天池镇 operator lists units
    response = api(tianchi_operator).get("/api/v1/units/")

    # then they see 天池镇 and its office and center, nothing else
    assert response.json()["count"] == 3
    assert column(response, "name") == [
        "天池镇",
        "天池镇党政综合办公室",
        "天池镇综合保障和技术推广中心",
    ]


def test_unit_list_filters_and_orders(api, org, staffing_officer):
    # when the staffing office asks for towns, by name descending
    response = api(staffing_officer).get("/api/v1/units/", {"kind": "town", "ordering": "-name"})

    # then the towns come back in that order (天 before 白 in code-point order, reversed)
    assert column(response, "name") == ["白狼镇", "天池镇"]


def test_unit_is_retrieved_with_its_parent_and_division(api, org, div, staffing_officer):
    # when 天池镇 is fetched
    response = api(staffing_officer).get(f"/api/v1/units/{org.tianchi.pk}/")

    # then every field is shown, related objects by id and name
    body = response.json()
    assert response.status_code == 200
    assert {k: v for k, v in body.items() if k not in ("created_at", "updated_at")} == {
        "id": org.tianchi.pk,
        "name": "天池镇",
        "short_name": "",
        "kind": "town",
        "nature": "organ",
        "parent": {"id": org.county.pk, "name": "阿尔山市"},
        "division": {"id": div.tianchi.pk, "code": "152202100", "name": "天池镇"},
        "department": None,
        "rank": "section",
        "credit_code": "",
        "established_on": "2000-01-01",
        "established_doc": "兴党办发〔2000〕1号",
        "abolished_on": None,
        "abolished_doc": "",
        "sort_order": 0,
        "notes": "",
        "depth": 3,
    }


def test_unit_outside_the_scope_is_not_found(api, org, bailang_operator):
    # when the 白狼镇 operator asks for 天池镇, and for a unit that does not exist
    client = api(bailang_operator)
    outside = client.get(f"/api/v1/units/{org.tianchi.pk}/")
    missing = client.get("/api/v1/units/999999/")

    # then both are the same 404: the API does not tell them apart
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json() == {"detail": "机构不存在或不在您的权限范围内"}


# ------------------------------------------------------------------ units: writing


def test_staffing_office_sets_up_a_unit(api, org, staffing_officer):
    # when the staffing office sets up a forestry station under 天池镇
    response = api(staffing_officer).post("/api/v1/units/", unit_data(org.tianchi), format="json")

    # then it exists under 天池镇, attributed to the staffing office
    assert response.status_code == 201
    station = Unit.objects.get(name="天池镇林业工作站")
    assert response.json()["id"] == station.pk
    assert response.json()["parent"] == {"id": org.tianchi.pk, "name": "天池镇"}
    assert (station.parent, station.kind, station.depth) == (org.tianchi, "station", 4)
    assert station.history.get().history_user == staffing_officer


def test_unit_in_a_wrong_place_is_refused_and_nothing_is_saved(
    api, org, staffing_officer, row_counts
):
    # given the tables as they are
    before = row_counts()

    # when an office (办) is set up directly under the county
    response = api(staffing_officer).post(
        "/api/v1/units/",
        unit_data(org.county, name="综合办公室", kind=UnitKind.OFFICE),
        format="json",
    )

    # then the service's reason comes back on the parent field, and nothing was written
    assert response.status_code == 400
    assert response.json() == {
        "parent": ["办(内设党政机构)的上级机构应为街道、镇、乡、苏木, 不能是旗县(市、区)党委政府"]
    }
    assert changed(before, row_counts()) == {}


def test_unit_parent_outside_the_scope_does_not_exist(api, org, bailang_operator, row_counts):
    # given the tables as they are
    before = row_counts()

    # when the 白狼镇 operator names 天池镇 as the parent
    response = api(bailang_operator).post("/api/v1/units/", unit_data(org.tianchi), format="json")

    # then 天池镇 is unknown to them, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"parent": [f"无效主键 “{org.tianchi.pk}” － 对象不存在。"]}
    assert changed(before, row_counts()) == {}


def test_division_of_another_county_does_not_exist(
    api, org, other_county, staffing_officer, row_counts
):
    # given 乌兰浩特市's town division, outside 阿尔山市's region
    before = row_counts()
    division = other_county.town.division

    # when 阿尔山市's staffing office sets up a town on it
    response = api(staffing_officer).post(
        "/api/v1/units/",
        unit_data(org.county, name="新镇", kind=UnitKind.TOWN, division=division.pk),
        format="json",
    )

    # then the division is unknown to them, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"division": [f"无效主键 “{division.pk}” － 对象不存在。"]}
    assert changed(before, row_counts()) == {}


def test_leader_may_not_set_up_a_unit(api, org, leader, row_counts):
    # given the tables as they are
    before = row_counts()

    # when the read-only county leader tries to set up a unit
    response = api(leader).post("/api/v1/units/", unit_data(org.tianchi), format="json")

    # then it is forbidden with the service's reason, and nothing was written
    assert response.status_code == 403
    assert response.json() == {
        "detail": "无权设立机构: 天池镇不在您的管理范围内或您的角色不允许此操作"
    }
    assert changed(before, row_counts()) == {}


def test_staffing_office_renames_a_unit_with_a_reason(api, org, staffing_officer):
    # when 白狼镇's center gets a short name, with the reason recorded
    response = api(staffing_officer).patch(
        f"/api/v1/units/{org.bailang_center.pk}/",
        {"short_name": "白狼镇中心", "reason": "规范简称"},
        format="json",
    )

    # then the short name is saved and the change history carries the reason
    assert response.status_code == 200
    assert response.json()["short_name"] == "白狼镇中心"
    latest = org.bailang_center.history.order_by("-history_id").first()
    assert (latest.short_name, latest.history_change_reason) == ("白狼镇中心", "规范简称")


def test_invalid_credit_code_is_refused_and_nothing_is_saved(
    api, org, staffing_officer, row_counts
):
    # given the tables as they are
    before = row_counts()

    # when a credit code of the wrong length is set
    response = api(staffing_officer).patch(
        f"/api/v1/units/{org.tianchi.pk}/", {"credit_code": "1115220212345"}, format="json"
    )

    # then the validator's message comes back on the field, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"credit_code": ["统一社会信用代码应为18位"]}
    assert changed(before, row_counts()) == {}
    org.tianchi.refresh_from_db()
    assert org.tianchi.credit_code == ""


def test_staffing_office_abolishes_an_empty_unit(api, org, staffing_officer):
    # when 天池镇's office, with no quota, people or children, is abolished
    response = api(staffing_officer).post(
        f"/api/v1/units/{org.tianchi_office.pk}/abolish/",
        {"abolished_on": "2025-06-30", "abolished_doc": "阿党办发〔2025〕9号"},
        format="json",
    )

    # then it is abolished from that day
    assert response.status_code == 200
    assert (response.json()["abolished_on"], response.json()["abolished_doc"]) == (
        "2025-06-30",
        "阿党办发〔2025〕9号",
    )
    org.tianchi_office.refresh_from_db()
    assert org.tianchi_office.abolished_on == dt.date(2025, 6, 30)


def test_unit_with_quota_is_not_abolished(api, org, qt, staffing_officer, grant_quota, row_counts):
    # given 白狼镇's center holds 5 institution places
    grant_quota(org.bailang_center, qt.institution, 5)
    before = row_counts()

    # when it is abolished
    response = api(staffing_officer).post(
        f"/api/v1/units/{org.bailang_center.pk}/abolish/",
        {"abolished_on": "2025-06-30", "abolished_doc": "阿党办发〔2025〕9号"},
        format="json",
    )

    # then the service refuses (a rule of no one field), and nothing was written
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["该机构仍有5名编制, 须先划转或核减"]}
    assert changed(before, row_counts()) == {}


# ------------------------------------------------------------------ docking links


def test_docking_links_list_and_filter(api, org, registers, staffing_officer):
    # when the staffing office lists the links of 天池镇's office
    client = api(staffing_officer)
    everything = client.get("/api/v1/docking-links/")
    tianchi = client.get("/api/v1/docking-links/", {"office": org.tianchi_office.pk})

    # then both towns' links are there, and the filter keeps 天池镇's
    assert [row["office"]["name"] for row in results(everything)] == [
        "天池镇党政综合办公室",
        "白狼镇党政综合办公室",
    ]
    assert results(tianchi) == [
        {
            "id": DockingLink.objects.get(office=org.tianchi_office).pk,
            "office": {"id": org.tianchi_office.pk, "name": "天池镇党政综合办公室"},
            "department": {"id": org.department.pk, "name": "阿尔山市农牧和科技局"},
            "notes": "",
            "created_at": results(tianchi)[0]["created_at"],
        }
    ]


def test_staffing_office_adds_and_removes_a_docking_link(api, org, staffing_officer):
    # when 天池镇's office is docked with 农牧局, then the link is removed
    client = api(staffing_officer)
    created = client.post(
        "/api/v1/docking-links/",
        {"office": org.tianchi_office.pk, "department": org.department.pk, "notes": "农牧业"},
        format="json",
    )
    link_id = created.json()["id"]
    removed = client.delete(f"/api/v1/docking-links/{link_id}/")

    # then it was created, then deleted
    assert created.status_code == 201
    assert created.json()["notes"] == "农牧业"
    assert removed.status_code == 204
    assert not DockingLink.objects.filter(pk=link_id).exists()


def test_only_offices_dock_and_nothing_is_saved(api, org, staffing_officer, row_counts):
    # given the tables as they are
    before = row_counts()

    # when a town (not an office) is docked with a department
    response = api(staffing_officer).post(
        "/api/v1/docking-links/",
        {"office": org.bailang.pk, "department": org.department.pk},
        format="json",
    )

    # then the service's reason comes back on the office field
    assert response.status_code == 400
    assert response.json() == {"office": ["白狼镇不是“办”, 只有办对接县直部门"]}
    assert changed(before, row_counts()) == {}


def test_leader_may_not_remove_a_docking_link(api, org, registers, leader, row_counts):
    # given 天池镇's docking link
    link = DockingLink.objects.get(office=org.tianchi_office)
    before = row_counts()

    # when the read-only leader deletes it
    response = api(leader).delete(f"/api/v1/docking-links/{link.pk}/")

    # then it is forbidden, and the link is still there
    assert response.status_code == 403
    assert response.json() == {
        "detail": "无权删除对接关系: 天池镇党政综合办公室不在您的管理范围内或您的角色不允许此操作"
    }
    assert changed(before, row_counts()) == {}
