"""Divisions, units and docking links: codes, placement rules, abolition and permissions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhenjie.organizations.choices import DivisionLevel, UnitKind, UnitRank
from zhenjie.organizations.models import Division, DockingLink, Unit
from zhenjie.organizations.selectors import docking_summary, unit_is_visible
from zhenjie.organizations.services import (
    division_create,
    docking_link_add,
    docking_link_remove,
    unit_abolish,
    unit_create,
    unit_update,
)
from zhenjie.personnel.choices import ExitReason
from zhenjie.personnel.services import person_exit
from zhenjie.staffing.choices import MovementKind

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 6, 30)
ESTABLISHED_ROOT = dt.date(2000, 1, 1)
VALID_CREDIT_CODE = "91350100M000100Y43"


def denied(action: str, unit_name: str) -> str:
    return f"无权{action}: {unit_name}不在您的管理范围内或您的角色不允许此操作"


# ---------------------------------------------------------------- division_create


def test_division_fixture_builds_the_code_chain(div):
    # given the divisions of the shared fixture
    # when they are read back in code order
    rows = list(Division.objects.values_list("code", "name", "level", "parent__code"))

    # then every level hangs under the one above it
    assert rows == [
        ("15", "内蒙古自治区", DivisionLevel.PROVINCE, None),
        ("1522", "兴安盟", DivisionLevel.PREFECTURE, "15"),
        ("152202", "阿尔山市", DivisionLevel.COUNTY, "1522"),
        ("152202001", "林海街道", DivisionLevel.STREET, "152202"),
        ("152202100", "天池镇", DivisionLevel.TOWN, "152202"),
        ("152202101", "白狼镇", DivisionLevel.TOWN, "152202"),
    ]


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("152202002", DivisionLevel.STREET),
        ("152202099", DivisionLevel.STREET),
        ("152202102", DivisionLevel.TOWN),
        ("152202199", DivisionLevel.TOWN),
        ("152202200", DivisionLevel.TOWNSHIP),
        ("152202399", DivisionLevel.TOWNSHIP),
    ],
    ids=["street-002", "street-099", "town-102", "town-199", "township-200", "township-399"],
)
def test_division_create_accepts_each_township_segment_range(div, code, level):
    # given the county 阿尔山市
    # when a township-level division is registered at the edge of its segment range
    division = division_create(code=code, name=" 新区划 ", level=level, parent=div.county)

    # then it is saved with a trimmed name under the county
    division.refresh_from_db()
    assert (division.code, division.name, division.level, division.parent) == (
        code,
        "新区划",
        level,
        div.county,
    )


def test_division_create_normalises_a_full_width_code(div):
    # given a code typed with full-width digits
    # when the division is registered
    division = division_create(
        code="１５２２０２１０２", name="五岔沟镇", level=DivisionLevel.TOWN, parent=div.county
    )

    # then the ASCII code is stored
    assert Division.objects.get(pk=division.pk).code == "152202102"


@pytest.mark.parametrize(
    ("code", "level", "parent", "field", "message"),
    [
        ("15220210A", DivisionLevel.TOWN, "county", "code", "区划代码只能由数字组成"),
        ("150", DivisionLevel.PROVINCE, None, "code", "省级的区划代码应为2位, 实为3位"),
        (
            "152",
            DivisionLevel.PREFECTURE,
            "province",
            "code",
            "地级(盟、市)的区划代码应为4位, 实为3位",
        ),
        (
            "15220",
            DivisionLevel.COUNTY,
            "prefecture",
            "code",
            "县级(旗、县、市、区)的区划代码应为6位, 实为5位",
        ),
        ("1522021", DivisionLevel.TOWN, "county", "code", "镇的区划代码应为9位, 实为7位"),
        ("15220200101", DivisionLevel.STREET, "county", "code", "街道的区划代码应为9位, 实为11位"),
        (
            "152301",
            DivisionLevel.COUNTY,
            "prefecture",
            "code",
            "区划代码152301应以上级区划代码1522开头",
        ),
        (
            "152201102",
            DivisionLevel.TOWN,
            "county",
            "code",
            "区划代码152201102应以上级区划代码152202开头",
        ),
        (
            "152202000",
            DivisionLevel.STREET,
            "county",
            "code",
            "街道的乡级代码段(第7-9位)应在001-099之间, 152202000的代码段为000",
        ),
        (
            "152202150",
            DivisionLevel.STREET,
            "county",
            "code",
            "街道的乡级代码段(第7-9位)应在001-099之间, 152202150的代码段为150",
        ),
        (
            "152202099",
            DivisionLevel.TOWN,
            "county",
            "code",
            "镇的乡级代码段(第7-9位)应在100-199之间, 152202099的代码段为099",
        ),
        (
            "152202200",
            DivisionLevel.TOWN,
            "county",
            "code",
            "镇的乡级代码段(第7-9位)应在100-199之间, 152202200的代码段为200",
        ),
        (
            "152202199",
            DivisionLevel.TOWNSHIP,
            "county",
            "code",
            "乡、苏木的乡级代码段(第7-9位)应在200-399之间, 152202199的代码段为199",
        ),
        (
            "152202400",
            DivisionLevel.TOWNSHIP,
            "county",
            "code",
            "乡、苏木的乡级代码段(第7-9位)应在200-399之间, 152202400的代码段为400",
        ),
        ("16", DivisionLevel.PROVINCE, "province", "parent", "省级不能有上级区划"),
        ("1523", DivisionLevel.PREFECTURE, "county", "parent", "地级(盟、市)的上级区划应为省级"),
        (
            "152203",
            DivisionLevel.COUNTY,
            "province",
            "parent",
            "县级(旗、县、市、区)的上级区划应为地级(盟、市)",
        ),
        (
            "152202102",
            DivisionLevel.TOWN,
            "prefecture",
            "parent",
            "镇的上级区划应为县级(旗、县、市、区)",
        ),
        (
            "152202102",
            DivisionLevel.TOWN,
            "tianchi",
            "parent",
            "镇的上级区划应为县级(旗、县、市、区)",
        ),
        ("152202102", DivisionLevel.TOWN, None, "parent", "镇的上级区划应为县级(旗、县、市、区)"),
        ("152202100", DivisionLevel.TOWN, "county", "code", "区划代码152202100已存在"),
        (" 152202 100 ", DivisionLevel.TOWN, "county", "code", "区划代码152202100已存在"),
        ("152202", DivisionLevel.COUNTY, "prefecture", "code", "区划代码152202已存在"),
    ],
    ids=[
        "not-digits",
        "province-length",
        "prefecture-length",
        "county-length",
        "town-length",
        "street-length",
        "county-outside-prefecture",
        "town-outside-county",
        "street-segment-000",
        "street-segment-150",
        "town-segment-099",
        "town-segment-200",
        "township-segment-199",
        "township-segment-400",
        "province-with-parent",
        "prefecture-under-county",
        "county-under-province",
        "town-under-prefecture",
        "town-under-town",
        "town-without-parent",
        "duplicate-town",
        "duplicate-after-normalising",
        "duplicate-county",
    ],
)
def test_division_create_refuses_bad_codes(div, row_counts, code, level, parent, field, message):
    # given the divisions of the fixture
    before = row_counts()

    # when a division with a bad code or parent is registered
    with pytest.raises(ValidationError) as exc:
        division_create(
            code=code,
            name="新区划",
            level=level,
            parent=getattr(div, parent) if parent else None,
        )

    # then the exact rule is named and nothing is saved
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before


# ---------------------------------------------------------------- unit_create


def test_unit_create_sets_path_and_depth_for_subtree_queries(org, staffing_officer):
    # given the towns of the county
    # when the 编办 sets up an office in 天池镇
    office = unit_create(
        actor=staffing_officer,
        name="天池镇乡村振兴办公室",
        kind=UnitKind.OFFICE,
        parent=org.tianchi,
        established_on=dt.date(2019, 11, 1),
        established_doc="阿机编发〔2019〕21号",
    )

    # then its path extends its parent's with its zero-padded id, so subtree queries find it
    # under 天池镇 only and tree order (by path) is creation order
    office.refresh_from_db()
    assert (office.path, office.depth) == (f"{org.tianchi.path}{office.pk:08d}/", 4)
    assert list(Unit.objects.in_subtree(org.tianchi).values_list("name", flat=True)) == [
        "天池镇",
        "天池镇党政综合办公室",
        "天池镇综合保障和技术推广中心",
        "天池镇乡村振兴办公室",
    ]
    assert not Unit.objects.in_subtree(org.bailang).filter(pk=office.pk).exists()
    assert Unit.objects.in_subtree(org.county).filter(pk=office.pk).exists()


def test_unit_fixture_tree_has_the_expected_paths(org):
    # given the units of the fixture
    # when their depths are listed in tree order
    rows = [(u.name, u.depth, u.path.count("/") - 1) for u in Unit.objects.order_by("path")]

    # then each depth matches the number of ids in its path
    assert rows == [
        ("内蒙古自治区", 0, 1),
        ("兴安盟", 1, 2),
        ("阿尔山市", 2, 3),
        ("阿尔山市农牧和科技局", 3, 4),
        ("天池镇", 3, 4),
        ("天池镇党政综合办公室", 4, 5),
        ("天池镇综合保障和技术推广中心", 4, 5),
        ("白狼镇", 3, 4),
        ("白狼镇综合保障和技术推广中心", 4, 5),
        ("林海街道", 3, 4),
    ]


def test_unit_create_records_who_established_the_unit(org, staffing_officer):
    # given the 编办
    # when it sets up a street
    division = division_create(
        code="152202002", name="新城街道", level=DivisionLevel.STREET, parent=org.county.division
    )
    street = unit_create(
        actor=staffing_officer,
        name=" 新城街道 ",
        kind=UnitKind.STREET,
        parent=org.county,
        division=division,
        rank=UnitRank.SECTION,
        established_on=dt.date(2019, 11, 1),
        established_doc=" 阿党发〔2019〕9号 ",
    )

    # then the trimmed values are saved and the last history record names the 编办
    street.refresh_from_db()
    assert (street.name, street.established_doc, street.division, street.nature) == (
        "新城街道",
        "阿党发〔2019〕9号",
        division,
        "organ",
    )
    latest = street.history.first()
    assert (latest.history_user, latest.history_change_reason) == (staffing_officer, "设立机构")


@pytest.mark.parametrize(
    ("kind", "parent", "division", "department", "field", "message"),
    [
        (
            UnitKind.OFFICE,
            "county",
            None,
            None,
            "parent",
            "办(内设党政机构)的上级机构应为街道、镇、乡、苏木, 不能是旗县(市、区)党委政府",
        ),
        (
            UnitKind.CENTER,
            "department",
            None,
            None,
            "parent",
            "中心(事业单位)的上级机构应为街道、镇、乡、苏木, 不能是县直部门",
        ),
        (
            UnitKind.TOWN,
            "tianchi",
            "tianchi",
            None,
            "parent",
            "镇的上级机构应为旗县(市、区)党委政府, 不能是镇",
        ),
        (
            UnitKind.STATION,
            "linhai",
            None,
            None,
            "parent",
            "站所(事业单位)的上级机构应为县直部门、镇、乡、苏木, 不能是街道",
        ),
        (
            UnitKind.DEPARTMENT,
            "prefecture",
            None,
            None,
            "parent",
            "县直部门的上级机构应为旗县(市、区)党委政府, 不能是盟市党委政府",
        ),
        (
            UnitKind.DISPATCHED_AGENCY,
            "tianchi",
            None,
            None,
            "department",
            "派出机构必须指定主管的县直部门",
        ),
        (
            UnitKind.DISPATCHED_AGENCY,
            "tianchi",
            None,
            "tianchi_center",
            "department",
            "派出机构必须指定主管的县直部门",
        ),
        (
            UnitKind.OFFICE,
            "tianchi",
            None,
            "department",
            "department",
            "只有派出机构才指定主管部门",
        ),
        (UnitKind.TOWN, "county", None, None, "division", "镇必须关联行政区划"),
        (
            UnitKind.TOWN,
            "county",
            "linhai",
            None,
            "division",
            "镇应关联镇区划, 林海街道(152202001) 是街道",
        ),
        (
            UnitKind.STREET,
            "county",
            "tianchi",
            None,
            "division",
            "街道应关联街道区划, 天池镇(152202100) 是镇",
        ),
        (
            UnitKind.COUNTY,
            "prefecture",
            "tianchi",
            None,
            "division",
            "旗县(市、区)党委政府应关联县级(旗、县、市、区)区划, 天池镇(152202100) 是镇",
        ),
        (UnitKind.DEPARTMENT, "county", "county", None, "division", "县直部门不单独关联行政区划"),
        (
            UnitKind.CENTER,
            "tianchi",
            "tianchi",
            None,
            "division",
            "中心(事业单位)不单独关联行政区划",
        ),
    ],
    ids=[
        "office-under-county",
        "center-under-department",
        "town-under-town",
        "station-under-street",
        "department-under-prefecture",
        "agency-without-department",
        "agency-with-center-as-department",
        "office-with-department",
        "town-without-division",
        "town-on-street-division",
        "street-on-town-division",
        "county-on-town-division",
        "department-with-division",
        "center-with-division",
    ],
)
def test_unit_create_refuses_bad_placement(
    org, div, root, row_counts, kind, parent, division, department, field, message
):
    # given the county's units and divisions
    before = row_counts()

    # when a unit is placed where the rules do not allow it
    with pytest.raises(ValidationError) as exc:
        unit_create(
            actor=root,
            name="新机构",
            kind=kind,
            parent=getattr(org, parent),
            division=getattr(div, division) if division else None,
            department=getattr(org, department) if department else None,
            established_on=dt.date(2019, 11, 1),
        )

    # then the exact rule is named and nothing is saved
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before


def test_unit_create_places_a_dispatched_agency_under_its_department(
    org, staffing_officer, department_operator
):
    # given the county department 农牧和科技局
    # when the 编办 sets up an agency it dispatches into 天池镇
    agency = unit_create(
        actor=staffing_officer,
        name="天池镇农牧工作站",
        kind=UnitKind.DISPATCHED_AGENCY,
        parent=org.tianchi,
        department=org.department,
        established_on=dt.date(2019, 11, 1),
    )

    # then it sits under the town, is managed by the department and is in the department's scope
    agency.refresh_from_db()
    assert (agency.parent, agency.department, agency.nature) == (
        org.tianchi,
        org.department,
        "organ",
    )
    assert unit_is_visible(user=department_operator, unit=agency) is True


def test_unit_create_refuses_a_department_of_another_county(
    org, other_county, staffing_officer, row_counts
):
    # given a department of 乌兰浩特市
    before = row_counts()

    # when the 编办 of 阿尔山市 dispatches an agency from it into 天池镇
    with pytest.raises(ValidationError) as exc:
        unit_create(
            actor=staffing_officer,
            name="天池镇农牧工作站",
            kind=UnitKind.DISPATCHED_AGENCY,
            parent=org.tianchi,
            department=other_county.department,
            established_on=dt.date(2019, 11, 1),
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {
        "department": ["派出机构的主管部门须与所在镇(街道)属于同一旗县"]
    }
    assert row_counts() == before


def test_unit_create_refuses_a_parent_not_yet_established(org, staffing_officer, row_counts):
    # given 天池镇, established on 2000-01-01
    before = row_counts()

    # when an office is set up under it the day before
    with pytest.raises(ValidationError) as exc:
        unit_create(
            actor=staffing_officer,
            name="天池镇社会事务办公室",
            kind=UnitKind.OFFICE,
            parent=org.tianchi,
            established_on=dt.date(1999, 12, 31),
        )

    # then the parent is named as absent that day and nothing is saved
    assert exc.value.message_dict == {"parent": ["上级机构天池镇在1999-12-31不存在或已撤销"]}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(VALID_CREDIT_CODE, VALID_CREDIT_CODE), (" 91350100m000100y43 ", VALID_CREDIT_CODE)],
    ids=["canonical", "lowercase-with-blanks"],
)
def test_unit_create_stores_a_normalised_credit_code(org, staffing_officer, typed, stored):
    # given a valid credit code as typed
    # when a center is set up with it
    center = unit_create(
        actor=staffing_officer,
        name="白狼镇党群服务中心",
        kind=UnitKind.CENTER,
        parent=org.bailang,
        credit_code=typed,
        established_on=dt.date(2019, 11, 1),
    )

    # then the canonical code is stored
    assert Unit.objects.get(pk=center.pk).credit_code == stored


@pytest.mark.parametrize(
    ("credit_code", "message"),
    [
        ("91350100M000100Y44", "统一社会信用代码校验位错误"),
        ("91350100M000100Y4", "统一社会信用代码应为18位"),
        ("9135010AM000100Y43", "统一社会信用代码格式错误"),
    ],
    ids=["altered-check-char", "too-short", "bad-format"],
)
def test_unit_create_refuses_an_invalid_credit_code(
    org, staffing_officer, row_counts, credit_code, message
):
    # given the town 白狼镇
    before = row_counts()

    # when a center is set up with an invalid credit code
    with pytest.raises(ValidationError) as exc:
        unit_create(
            actor=staffing_officer,
            name="白狼镇党群服务中心",
            kind=UnitKind.CENTER,
            parent=org.bailang,
            credit_code=credit_code,
            established_on=dt.date(2019, 11, 1),
        )

    # then the credit code error is reported and nothing is saved
    assert exc.value.message_dict == {"credit_code": [message]}
    assert row_counts() == before


def test_unit_create_refuses_a_credit_code_already_used(org, staffing_officer, row_counts):
    # given a center holding a credit code
    unit_create(
        actor=staffing_officer,
        name="白狼镇党群服务中心",
        kind=UnitKind.CENTER,
        parent=org.bailang,
        credit_code=VALID_CREDIT_CODE,
        established_on=dt.date(2019, 11, 1),
    )
    before = row_counts()

    # when another unit is set up with the same code
    with pytest.raises(ValidationError) as exc:
        unit_create(
            actor=staffing_officer,
            name="天池镇党群服务中心",
            kind=UnitKind.CENTER,
            parent=org.tianchi,
            credit_code=VALID_CREDIT_CODE,
            established_on=dt.date(2019, 11, 1),
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"__all__": ["统一社会信用代码已被其他机构使用"]}
    assert row_counts() == before


def test_unit_create_refuses_a_live_namesake_in_the_same_parent(org, staffing_officer, row_counts):
    # given 天池镇 with its 党政综合办公室
    before = row_counts()

    # when a second office of the same name is set up there
    with pytest.raises(ValidationError) as exc:
        unit_create(
            actor=staffing_officer,
            name="天池镇党政综合办公室",
            kind=UnitKind.OFFICE,
            parent=org.tianchi,
            established_on=dt.date(2019, 11, 1),
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"__all__": ["同一上级机构下已有同名的在用机构"]}
    assert row_counts() == before


def test_unit_create_allows_the_name_of_an_abolished_unit(org, staffing_officer):
    # given 天池镇's office abolished on 2024-06-30
    unit_abolish(
        actor=staffing_officer,
        unit=org.tianchi_office,
        abolished_on=DAY,
        abolished_doc="阿机编发〔2024〕9号",
    )

    # when an office of the same name is set up again the next day
    office = unit_create(
        actor=staffing_officer,
        name="天池镇党政综合办公室",
        kind=UnitKind.OFFICE,
        parent=org.tianchi,
        established_on=dt.date(2024, 7, 1),
    )

    # then both exist and only the new one is active on 2024-07-01
    assert list(
        Unit.objects.filter(name="天池镇党政综合办公室")
        .active_on(dt.date(2024, 7, 1))
        .values_list("pk", flat=True)
    ) == [office.pk]


@pytest.mark.parametrize("user", ["tianchi_operator", "leader", "department_operator"])
def test_unit_create_is_reserved_to_the_staffing_office(request, org, row_counts, user):
    # given a user whose role may not change the structure
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they set up an office in 天池镇
    with pytest.raises(PermissionDenied) as exc:
        unit_create(
            actor=actor,
            name="天池镇社会事务办公室",
            kind=UnitKind.OFFICE,
            parent=org.tianchi,
            established_on=dt.date(2019, 11, 1),
        )

    # then it is denied and nothing is saved
    assert str(exc.value) == denied("设立机构", "天池镇")
    assert row_counts() == before


def test_unit_create_is_denied_outside_the_staffing_office_county(
    other_county, staffing_officer, row_counts
):
    # given the 编办 of 阿尔山市 and a town of 乌兰浩特市
    before = row_counts()

    # when it sets up an office in that town
    with pytest.raises(PermissionDenied) as exc:
        unit_create(
            actor=staffing_officer,
            name="义勒力特镇党政综合办公室",
            kind=UnitKind.OFFICE,
            parent=other_county.town,
            established_on=dt.date(2019, 11, 1),
        )

    # then it is denied and nothing is saved
    assert str(exc.value) == denied("设立机构", "义勒力特镇")
    assert row_counts() == before


def test_unit_create_of_a_root_unit_is_reserved_to_superusers(div, staffing_officer, row_counts):
    # given the 编办, who is not a superuser
    before = row_counts()

    # when it sets up a province-level unit without a parent
    with pytest.raises(ValidationError) as exc:
        unit_create(
            actor=staffing_officer,
            name="内蒙古自治区(重复)",
            kind=UnitKind.PROVINCE,
            parent=None,
            division=div.province,
            established_on=ESTABLISHED_ROOT,
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"parent": ["只有系统管理员可以设立顶级机构"]}
    assert row_counts() == before


# ---------------------------------------------------------------- unit_update


def test_unit_update_renames_and_records_the_reason(org, staffing_officer):
    # given 白狼镇's center
    # when the 编办 renames it with a reason
    unit = unit_update(
        actor=staffing_officer,
        unit=org.bailang_center,
        reason="更名",
        name="白狼镇党群服务中心",
        credit_code=" 91350100m000100y43",
    )

    # then the new name and code are saved and the history names the 编办 and the reason
    unit.refresh_from_db()
    assert (unit.name, unit.credit_code) == ("白狼镇党群服务中心", VALID_CREDIT_CODE)
    latest = unit.history.first()
    assert (latest.history_user, latest.history_change_reason, latest.name) == (
        staffing_officer,
        "更名",
        "白狼镇党群服务中心",
    )


def test_unit_update_refuses_placement_fields(org, staffing_officer, row_counts):
    # given 天池镇's office
    before = row_counts()

    # when its kind and parent are changed through unit_update
    with pytest.raises(ValidationError) as exc:
        unit_update(
            actor=staffing_officer, unit=org.tianchi_office, kind="center", parent=org.bailang
        )

    # then it is refused and nothing changes
    assert exc.value.messages == ["不能通过此操作修改: kind、parent"]
    assert row_counts() == before


def test_unit_update_is_denied_to_a_leader(org, leader, row_counts):
    # given a county leader
    before = row_counts()

    # when they rename a town
    with pytest.raises(PermissionDenied) as exc:
        unit_update(actor=leader, unit=org.tianchi, name="天池镇人民政府")

    # then it is denied and the name is unchanged
    assert str(exc.value) == denied("修改机构", "天池镇")
    assert row_counts() == before
    assert Unit.objects.get(pk=org.tianchi.pk).name == "天池镇"


# ---------------------------------------------------------------- unit_abolish


def test_unit_abolish_ends_a_unit_without_quota_or_people(org, staffing_officer):
    # given 天池镇's office, which holds no quota and no people
    # when the 编办 abolishes it on 2024-06-30
    unit = unit_abolish(
        actor=staffing_officer,
        unit=org.tianchi_office,
        abolished_on=DAY,
        abolished_doc=" 阿机编发〔2024〕9号 ",
    )

    # then it is active until the day before only, and the history names the 编办
    unit.refresh_from_db()
    assert (unit.abolished_on, unit.abolished_doc) == (DAY, "阿机编发〔2024〕9号")
    assert Unit.objects.active_on(dt.date(2024, 6, 29)).filter(pk=unit.pk).exists()
    assert not Unit.objects.active_on(DAY).filter(pk=unit.pk).exists()
    latest = unit.history.first()
    assert (latest.history_user, latest.history_change_reason) == (staffing_officer, "撤销机构")


def test_unit_abolish_refuses_while_children_remain(org, staffing_officer, row_counts):
    # given 天池镇 with an office and a center
    before = row_counts()

    # when the town is abolished
    with pytest.raises(ValidationError) as exc:
        unit_abolish(
            actor=staffing_officer,
            unit=org.tianchi,
            abolished_on=DAY,
            abolished_doc="阿党发〔2024〕1号",
        )

    # then it is refused and nothing changes
    assert exc.value.messages == ["该机构仍有在用的下级机构, 须先撤销或调整下级机构"]
    assert row_counts() == before
    assert Unit.objects.get(pk=org.tianchi.pk).abolished_on is None


def test_unit_abolish_refuses_while_quota_remains(
    org, qt, grant_quota, staffing_officer, row_counts
):
    # given 天池镇's center holding 3 places of 事业编制
    grant_quota(org.tianchi_center, qt.institution, 3)
    before = row_counts()

    # when the center is abolished
    with pytest.raises(ValidationError) as exc:
        unit_abolish(
            actor=staffing_officer,
            unit=org.tianchi_center,
            abolished_on=DAY,
            abolished_doc="阿机编发〔2024〕9号",
        )

    # then the remaining places are named and nothing changes
    assert exc.value.messages == ["该机构仍有3名编制, 须先划转或核减"]
    assert row_counts() == before
    assert Unit.objects.get(pk=org.tianchi_center.pk).abolished_on is None


def test_unit_abolish_refuses_while_people_remain(
    org, qt, grant_quota, register_person, enrol, staffing_officer, row_counts
):
    # given 天池镇's center whose only place was cut while a person is still enrolled on it
    grant_quota(org.tianchi_center, qt.institution, 1)
    enrol(register_person("赵一"), org.tianchi_center, qt.institution)
    grant_quota(
        org.tianchi_center, qt.institution, 1, kind=MovementKind.DECREASE, on=dt.date(2024, 5, 1)
    )
    before = row_counts()

    # when the center is abolished
    with pytest.raises(ValidationError) as exc:
        unit_abolish(
            actor=staffing_officer,
            unit=org.tianchi_center,
            abolished_on=DAY,
            abolished_doc="阿机编发〔2024〕9号",
        )

    # then the people are named as the obstacle and nothing changes
    assert exc.value.messages == ["该机构仍有在编人员, 须先办理出编或随编划转"]
    assert row_counts() == before
    assert Unit.objects.get(pk=org.tianchi_center.pk).abolished_on is None


def test_unit_abolish_succeeds_once_quota_and_people_are_gone(
    org, qt, grant_quota, register_person, enrol, staffing_officer
):
    # given 天池镇's center whose person left and whose place was cut
    grant_quota(org.tianchi_center, qt.institution, 1)
    enrolment = enrol(register_person("赵一"), org.tianchi_center, qt.institution)
    person_exit(
        actor=staffing_officer,
        enrolment=enrolment,
        end_date=dt.date(2024, 5, 1),
        reason=ExitReason.TRANSFER_OUT,
    )
    grant_quota(
        org.tianchi_center, qt.institution, 1, kind=MovementKind.DECREASE, on=dt.date(2024, 5, 1)
    )

    # when the center is abolished
    unit = unit_abolish(
        actor=staffing_officer,
        unit=org.tianchi_center,
        abolished_on=DAY,
        abolished_doc="阿机编发〔2024〕9号",
    )

    # then it is abolished
    assert Unit.objects.get(pk=unit.pk).abolished_on == DAY


@pytest.mark.parametrize(
    ("abolished_on", "abolished_doc", "field", "message"),
    [
        (dt.date(1999, 12, 31), "阿机编发〔2024〕9号", "abolished_on", "撤销日期不能早于设立日期"),
        (DAY, "   ", "abolished_doc", "撤销机构须填写文号"),
    ],
    ids=["before-established", "missing-doc"],
)
def test_unit_abolish_refuses_bad_input(
    org, staffing_officer, row_counts, abolished_on, abolished_doc, field, message
):
    # given 天池镇's office
    before = row_counts()

    # when it is abolished with a bad date or without a document number
    with pytest.raises(ValidationError) as exc:
        unit_abolish(
            actor=staffing_officer,
            unit=org.tianchi_office,
            abolished_on=abolished_on,
            abolished_doc=abolished_doc,
        )

    # then the exact reason is given and nothing changes
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before


def test_unit_abolish_refuses_a_unit_already_abolished(org, staffing_officer, row_counts):
    # given 天池镇's office abolished on 2024-06-30
    unit_abolish(
        actor=staffing_officer,
        unit=org.tianchi_office,
        abolished_on=DAY,
        abolished_doc="阿机编发〔2024〕9号",
    )
    before = row_counts()

    # when it is abolished again
    with pytest.raises(ValidationError) as exc:
        unit_abolish(
            actor=staffing_officer,
            unit=org.tianchi_office,
            abolished_on=dt.date(2024, 7, 1),
            abolished_doc="阿机编发〔2024〕10号",
        )

    # then the first abolition is named and nothing changes
    assert exc.value.message_dict == {"abolished_on": ["天池镇党政综合办公室已于2024-06-30撤销"]}
    assert row_counts() == before


@pytest.mark.parametrize("user", ["tianchi_operator", "leader", "bailang_operator"])
def test_unit_abolish_is_reserved_to_the_staffing_office(request, org, row_counts, user):
    # given a user who may not change the structure
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they abolish 天池镇's office
    with pytest.raises(PermissionDenied) as exc:
        unit_abolish(
            actor=actor,
            unit=org.tianchi_office,
            abolished_on=DAY,
            abolished_doc="阿机编发〔2024〕9号",
        )

    # then it is denied and the office stays
    assert str(exc.value) == denied("撤销机构", "天池镇党政综合办公室")
    assert row_counts() == before
    assert Unit.objects.get(pk=org.tianchi_office.pk).abolished_on is None


# ---------------------------------------------------------------- docking links


def test_docking_link_add_links_an_office_with_a_department(org, staffing_officer):
    # given 天池镇's office and the county department
    # when the 编办 records that they dock
    link = docking_link_add(
        actor=staffing_officer,
        office=org.tianchi_office,
        department=org.department,
        notes=" 农牧业 ",
    )

    # then the link is saved, attributed and counted in the docking summary
    link.refresh_from_db()
    assert (link.office, link.department, link.notes) == (
        org.tianchi_office,
        org.department,
        "农牧业",
    )
    assert link.history.first().history_user == staffing_officer
    summary = docking_summary(user=staffing_officer, root=org.county, on=DAY)
    assert (summary["office_count"], summary["link_count"], summary["distinct_departments"]) == (
        1,
        1,
        1,
    )


@pytest.mark.parametrize(
    ("office", "department", "field", "message"),
    [
        (
            "tianchi_center",
            "department",
            "office",
            "天池镇综合保障和技术推广中心不是“办”, 只有办对接县直部门",
        ),
        ("tianchi", "department", "office", "天池镇不是“办”, 只有办对接县直部门"),
        ("tianchi_office", "tianchi", "department", "天池镇不是县直部门"),
        ("tianchi_office", "county", "department", "阿尔山市不是县直部门"),
    ],
    ids=["center-as-office", "town-as-office", "town-as-department", "county-as-department"],
)
def test_docking_link_add_refuses_wrong_kinds(
    org, staffing_officer, row_counts, office, department, field, message
):
    # given the county's units
    before = row_counts()

    # when a link is recorded between units of the wrong kinds
    with pytest.raises(ValidationError) as exc:
        docking_link_add(
            actor=staffing_officer, office=getattr(org, office), department=getattr(org, department)
        )

    # then the exact rule is named and nothing is saved
    assert exc.value.message_dict == {field: [message]}
    assert row_counts() == before


def test_docking_link_add_refuses_a_duplicate(org, staffing_officer, row_counts):
    # given 天池镇's office already docking with the department
    docking_link_add(actor=staffing_officer, office=org.tianchi_office, department=org.department)
    before = row_counts()

    # when the same link is recorded again
    with pytest.raises(ValidationError) as exc:
        docking_link_add(
            actor=staffing_officer, office=org.tianchi_office, department=org.department
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {
        "department": ["天池镇党政综合办公室已对接阿尔山市农牧和科技局"]
    }
    assert row_counts() == before
    assert DockingLink.objects.count() == 1


@pytest.mark.parametrize("user", ["tianchi_operator", "leader", "department_operator"])
def test_docking_link_add_is_reserved_to_the_staffing_office(request, org, row_counts, user):
    # given a user who may not change the structure
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they link 天池镇's office with the department
    with pytest.raises(PermissionDenied) as exc:
        docking_link_add(actor=actor, office=org.tianchi_office, department=org.department)

    # then it is denied and nothing is saved
    assert str(exc.value) == denied("设置对接关系", "天池镇党政综合办公室")
    assert row_counts() == before


def test_docking_link_remove_deletes_and_keeps_the_history(org, staffing_officer):
    # given a docking link
    link = docking_link_add(
        actor=staffing_officer, office=org.tianchi_office, department=org.department
    )

    # when the 编办 removes it
    docking_link_remove(actor=staffing_officer, link=link)

    # then the link is gone and its deletion is in the history
    assert DockingLink.objects.count() == 0
    assert list(DockingLink.history.values_list("history_type", "history_change_reason")) == [
        ("-", "删除对接关系"),
        ("+", "新增对接关系"),
    ]


@pytest.mark.parametrize("user", ["tianchi_operator", "leader"])
def test_docking_link_remove_is_reserved_to_the_staffing_office(
    request, org, staffing_officer, row_counts, user
):
    # given a docking link of 天池镇's office and a user who may not change the structure
    link = docking_link_add(
        actor=staffing_officer, office=org.tianchi_office, department=org.department
    )
    actor = request.getfixturevalue(user)
    before = row_counts()

    # when they remove it
    with pytest.raises(PermissionDenied) as exc:
        docking_link_remove(actor=actor, link=link)

    # then it is denied and the link stays
    assert str(exc.value) == denied("删除对接关系", "天池镇党政综合办公室")
    assert row_counts() == before
