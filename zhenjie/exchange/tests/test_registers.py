"""Units, quota movements, docking links and leadership posts: round trips and service rules."""

import datetime as dt

import pytest

from zhenjie.jobs.models import JobStatus
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import DockingLink, Unit
from zhenjie.organizations.services import docking_link_add, unit_abolish
from zhenjie.staffing.choices import LeadershipLevel, MovementKind
from zhenjie.staffing.models import LeadershipQuota, QuotaMovement
from zhenjie.staffing.services import leadership_quota_set

from .sheets import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

UNIT_HEADER = ["名称", "上级机构", "类别", "区划代码", "设立日期", "设立文号", "简称"]
MOVEMENT_HEADER = ["机构", "编制类型", "变动类型", "变动数", "批准文号", "生效日期"]


def errors(job) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in job.result["errors"]]


@pytest.fixture
def ledger(org, qt, quota, staffing_officer, root):
    """Quota, a docking link, leadership posts and an abolished unit: every register has rows."""
    docking_link_add(actor=staffing_officer, office=org.tianchi_office, department=org.department)
    leadership_quota_set(
        actor=staffing_officer,
        unit=org.tianchi,
        level=LeadershipLevel.PRINCIPAL,
        count=2,
        doc_no="阿机编发〔2024〕5号",
        effective_on=dt.date(2024, 1, 1),
    )
    unit_abolish(
        actor=root,
        unit=org.bailang_center,
        abolished_on=dt.date(2023, 12, 1),
        abolished_doc="阿机编发〔2023〕9号",
    )


@pytest.mark.parametrize("register", ["units", "movements", "docking", "leadership"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_export_then_import_changes_nothing(
    register, fmt, staffing_officer, ledger, run_export, run_import, row_counts
):
    # given an export of the register
    export = run_export(staffing_officer, register, fmt=fmt)
    assert export.status == JobStatus.SUCCEEDED, export.error
    before = row_counts()

    # when it is checked and imported again unchanged
    data = bytes(export.output_data)
    checked = run_import(staffing_officer, register, data, name=f"x.{fmt}")
    committed = run_import(staffing_officer, register, data, commit=True, name=f"x.{fmt}")

    # then every row is recognised and nothing is written
    for job in (checked, committed):
        assert job.result["errors"] == []
        counts = job.result["counts"]
        assert counts["created"] == counts["updated"] == 0
        assert counts["unchanged"] == counts["rows"] > 0
    assert row_counts() == before


def test_units_are_created_and_updated_through_the_services(staffing_officer, org, div, run_import):
    # given a new center for 林海街道 and a new short name for 天池镇
    data = xlsx(
        [
            UNIT_HEADER,
            [
                "林海街道综合保障中心",
                "林海街道",
                "中心(事业单位)",
                "",
                "2024-01-01",
                "阿机编发〔2024〕2号",
                "",
            ],
            ["天池镇", "阿尔山市", "镇", "152202100", "2000-01-01", "", "天池"],
        ]
    )

    # when imported
    job = run_import(staffing_officer, "units", data, commit=True)

    # then the center exists under the street and 天池镇 has its short name, with history
    assert job.result["errors"] == []
    assert (job.result["counts"]["created"], job.result["counts"]["updated"]) == (1, 1)
    center = Unit.objects.get(name="林海街道综合保障中心")
    assert (center.parent, center.kind, center.path.startswith(org.linhai.path)) == (
        org.linhai,
        UnitKind.CENTER,
        True,
    )
    org.tianchi.refresh_from_db()
    assert org.tianchi.short_name == "天池"
    assert org.tianchi.history.order_by("-history_id").first().history_change_reason == "批量导入"


def test_units_outside_the_scope_are_refused_by_the_service(
    staffing_officer, org, other_county, run_import, row_counts
):
    # given a unit to be set up in another county
    before = row_counts()
    data = xlsx(
        [UNIT_HEADER, ["义勒力特镇综合保障中心", "义勒力特镇", "中心", "", "2024-01-01", "文", ""]]
    )

    # when the 阿尔山市 编办 imports it
    job = run_import(staffing_officer, "units", data, commit=True)

    # then unit_create's permission check refuses it and nothing changed
    assert errors(job) == [
        (2, "上级机构", "无权设立机构: 义勒力特镇不在您的管理范围内或您的角色不允许此操作")
    ]
    assert row_counts() == before


def test_fixed_facts_of_a_unit_are_not_changed_by_import(staffing_officer, org, run_import):
    # given a row calling 天池镇 a street
    data = xlsx([UNIT_HEADER, ["天池镇", "阿尔山市", "街道", "", "2000-01-01", "", ""]])

    # when it is checked
    job = run_import(staffing_officer, "units", data)

    # then the importer refuses to change the kind (it has its own procedure)
    assert errors(job) == [(2, "类别", "导入不修改机构的类别(系统中为“镇”), 请在机构页面办理")]


def test_only_the_staffing_office_imports_units(tianchi_operator, run_import, row_counts):
    # given a town operator
    before = row_counts()

    # when the operator imports units
    job = run_import(tianchi_operator, "units", xlsx([UNIT_HEADER, ["新机构"]]), commit=True)

    # then the job is refused and nothing changed
    assert (job.status, job.error) == (JobStatus.FAILED, "只有机构编制部门可以导入机构")
    assert row_counts() == before


def test_movements_are_recorded_once_and_an_identical_row_is_recognised(
    staffing_officer, org, qt, quota, run_import
):
    # given the approval already in the ledger and a new increase
    data = csv_bytes(
        [
            MOVEMENT_HEADER,
            ["天池镇", "行政编制", "核定", "5", "阿机编发〔2024〕1号", "2024-01-01"],
            ["天池镇", "行政编制", "核增", "２", "阿机编发〔2024〕8号", "2024年6月1日"],
        ]
    )

    # when imported twice
    first = run_import(staffing_officer, "movements", data, commit=True, name="台账.csv")
    second = run_import(staffing_officer, "movements", data, commit=True, name="台账.csv")

    # then the increase is recorded once; the approval never again
    assert (first.result["counts"]["created"], first.result["counts"]["unchanged"]) == (1, 1)
    assert (second.result["counts"]["created"], second.result["counts"]["unchanged"]) == (0, 2)
    assert list(
        QuotaMovement.objects.filter(unit=org.tianchi).values_list("kind", "delta", "created_by")
    ) == [
        (MovementKind.APPROVE, 5, staffing_officer.pk),
        (MovementKind.INCREASE, 2, staffing_officer.pk),
    ]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            ["天池镇", "行政编制", "核减", "9", "阿机编发〔2024〕9号", "2024-06-01"],
            "变动数",
            "核减9名后天池镇的行政编制将为负数(现有5名)",
        ),
        (
            ["天池镇", "行政编制", "划入", "1", "阿机编发〔2024〕9号", "2024-06-01"],
            "变动类型",
            "划转和二次分配须通过专门的办理流程",
        ),
        (
            ["天池镇", "事业编制", "核定", "1", "阿机编发〔2024〕9号", "2024-06-01"],
            "机构",
            "事业编制只能用于事业单位, 天池镇是党政机关",
        ),
        (
            ["天池镇", "行政编制", "核增", "-1", "阿机编发〔2024〕9号", "2024-06-01"],
            "变动数",
            "变动数的正负与变动类型不符",
        ),
    ],
)
def test_movement_rules_are_the_services(
    row, column, message, staffing_officer, quota, run_import, row_counts
):
    # given a movement the staffing services refuse
    before = row_counts()

    # when it is imported
    job = run_import(staffing_officer, "movements", csv_bytes([MOVEMENT_HEADER, row]), commit=True)

    # then the service's message is shown in the row's column, and nothing changed
    assert errors(job) == [(2, column, message)]
    assert row_counts() == before


def test_docking_links_are_added_and_refused_like_the_service(
    staffing_officer, org, run_import, row_counts
):
    # given a valid docking row and one naming a town instead of an office
    data = csv_bytes(
        [
            ["办", "县直部门", "对接事项"],
            ["天池镇党政综合办公室", "阿尔山市农牧和科技局", "农牧业"],
            ["天池镇", "阿尔山市农牧和科技局", ""],
        ]
    )
    before = row_counts()

    # when both are imported, the file is refused as docking_link_add refuses the town
    refused = run_import(staffing_officer, "docking", data, commit=True, name="对接.csv")
    assert errors(refused) == [(3, "办", "天池镇不是“办”, 只有办对接县直部门")]
    assert row_counts() == before

    # when the valid row alone is imported, the link is added
    accepted = run_import(
        staffing_officer,
        "docking",
        csv_bytes(
            [
                ["办", "县直部门", "对接事项"],
                ["天池镇党政综合办公室", "阿尔山市农牧和科技局", "农牧业"],
            ]
        ),
        commit=True,
        name="对接.csv",
    )
    assert accepted.result["counts"]["created"] == 1
    assert DockingLink.objects.get().notes == "农牧业"


def test_leadership_posts_are_set_and_a_conflicting_row_is_refused(
    staffing_officer, org, ledger, run_import
):
    # given 2 principal posts approved for 天池镇 on 2024-01-01, a new deputy row and a row
    # giving the principal posts another number on the same day
    header = ["机构", "职级", "核定职数", "批准文号", "生效日期"]
    data = csv_bytes(
        [
            header,
            ["天池镇", "副职", "4", "阿机编发〔2024〕6号", "2024-01-01"],
            ["天池镇", "正职(正科级)", "3", "阿机编发〔2024〕5号", "2024-01-01"],
        ]
    )

    # when imported
    job = run_import(staffing_officer, "leadership", data, commit=True, name="职数.csv")

    # then the conflicting row is refused and nothing is written
    assert errors(job) == [
        (
            3,
            "核定职数",
            "该机构此职级在同一生效日期已有核定记录(系统中为2名, 阿机编发〔2024〕5号), 导入不修改已有记录",
        )
    ]
    assert LeadershipQuota.objects.count() == 1


def test_an_ambiguous_unit_name_asks_for_the_parent(staffing_officer, org, root, run_import):
    # given two live offices of the same name in two towns
    from zhenjie.organizations.services import unit_create

    for town in (org.tianchi, org.bailang):
        unit_create(
            actor=root,
            name="党建办",
            kind=UnitKind.OFFICE,
            parent=town,
            established_on=dt.date(2020, 1, 1),
        )
    header = ["办", "县直部门"]

    # when a docking row names only “党建办”, and another names “白狼镇/党建办”
    job = run_import(
        staffing_officer,
        "docking",
        csv_bytes(
            [header, ["党建办", "阿尔山市农牧和科技局"], ["白狼镇/党建办", "阿尔山市农牧和科技局"]]
        ),
        name="对接.csv",
    )

    # then the first is ambiguous and the second is found
    assert errors(job) == [
        (2, "办", "机构名称“党建办”对应2个机构, 请写成“上级机构/机构名称”或填写统一社会信用代码")
    ]
    assert job.result["error_count"] == 1
