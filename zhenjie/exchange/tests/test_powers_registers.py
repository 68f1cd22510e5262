"""Delegated powers and the duty lists as registers: catalog, answers, usage and list items.

Each register: a round trip changes nothing, the template offers drop-down lists, a dry run lists
every problem as (row, column, message) and writes nothing, a commit writes all rows or none,
rows outside the user's scope are refused without a trace, read-only roles cannot import, and
the export follows the page's filter.
"""

import csv
import datetime as dt
import io
import re
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenjie.conftest import ESTABLISHED
from zhenjie.duties.choices import DutyClass, EditionStatus, ListKind
from zhenjie.duties.models import DutyItem, DutyList, Edition
from zhenjie.duties.services import (
    duty_item_save,
    duty_list_create,
    edition_create,
    edition_transition,
)
from zhenjie.exchange.registers import REGISTERS
from zhenjie.jobs.models import JobStatus
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.services import unit_create
from zhenjie.powers.choices import AcceptanceStatus, DelegationMode, Grantee
from zhenjie.powers.models import (
    Acceptance,
    DelegationBatch,
    PowerCategory,
    PowerItem,
    PowerUsage,
)
from zhenjie.powers.services import (
    acceptance_record,
    batch_create,
    power_item_create,
    usage_record,
)

from .sheets import csv_bytes, read_xlsx, xlsx

pytestmark = pytest.mark.django_db

DOC = "内政字〔2024〕9号"
BATCH_DAY = dt.date(2024, 6, 1)
EFFECTIVE = dt.date(2024, 7, 1)
H1_START, H1_END = dt.date(2025, 1, 1), dt.date(2025, 6, 30)
# Dates as read back from an exported .xlsx.
EFFECTIVE_DT = dt.datetime(2024, 7, 1)
START_DT, END_DT = dt.datetime(2025, 1, 1), dt.datetime(2025, 6, 30)
FARM = "对违反动物防疫规定的行政处罚"
MARKET = "对农贸市场的监督检查"
LAND = "农村村民宅基地审批"
LIST_NAME = "阿尔山市镇(街道)职责事项清单"
PUBLISHED, DRAFT = "2023年版", "2024年征求意见稿"
CATEGORIES = [
    "行政许可",
    "行政处罚",
    "行政强制措施",
    "行政强制执行",
    "行政确认",
    "行政给付",
    "行政奖励",
    "行政征收",
    "行政监督检查",
    "其他行政权力",
]

ITEM_HEADER = [
    "赋权批次文号",
    "事项编码",
    "事项名称",
    "权力类别",
    "设定依据",
    "原实施主体",
    "赋权方式",
    "承接对象",
    "责任事项",
]
ACCEPTANCE_HEADER = [
    "镇(街道)",
    "赋权批次文号",
    "事项编码",
    "事项名称",
    "承接情况",
    "理由",
    "承办机构",
    "生效日期",
]
USAGE_HEADER = ["镇(街道)", "赋权批次文号", "事项编码", "起始日期", "截止日期", "行权次数"]
DUTY_HEADER = ["清单", "版本", "编号", "事项名称", "领域", "事项类别", "依据", "牵头部门"]

REFUSALS = {
    "power_items": "只有机构编制部门可以导入赋权事项目录",
    "acceptances": "您的角色不能登记承接情况",
    "power_usage": "您的角色不能登记行权情况",
    "duty_items": "只有机构编制部门可以导入清单事项",
}
NEW_REGISTERS = list(REFUSALS)


def denied(action: str, unit_name: str) -> str:
    return f"无权{action}: {unit_name}不在您的管理范围内或您的角色不允许此操作"


def errors(job) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in job.result["errors"]]


def counts(job) -> tuple[int, int, int, int]:
    c = job.result["counts"]
    return (c["rows"], c["created"], c["updated"], c["unchanged"])


def exported(job) -> list[list]:
    """The data rows of an export (below the title and header rows of an .xlsx)."""
    data = bytes(job.output_data)
    if job.output_name.endswith(".csv"):
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
    return read_xlsx(data)[2:]


def columns(rows: list[list], *indexes: int) -> list[tuple]:
    return [tuple(r[i] for i in indexes) for r in rows]


# -------------------------------------------------------------------------------- fixtures


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


def add_item(actor, batch, department, code, name, grantee, category):
    return power_item_create(
        actor=actor,
        batch=batch,
        code=code,
        name=name,
        category=PowerCategory.objects.get(code=category),
        legal_basis="《中华人民共和国行政处罚法》第二十四条",
        department=department,
        mode=DelegationMode.DEVOLVE,
        grantee=grantee,
        responsibility_items="依法实施行政处罚\n接受县直部门业务指导",
    )


@pytest.fixture
def powers(org, staffing_officer, land_bureau):
    """One batch of three items and the answers and usage of 天池镇 and 白狼镇.

    农牧和科技局: farm (towns), market (towns and streets); 自然资源局: land (towns).
    天池镇 accepted farm (12 uses in 2025 H1) and deferred land; 白狼镇 declined farm and
    accepted market (3 uses in 2025 H1). 林海街道 has not answered.
    """
    batch = batch_create(
        actor=staffing_officer,
        name="自治区赋予乡镇(街道)行政权力事项目录",
        issuer="内蒙古自治区人民政府",
        doc_no=DOC,
        issued_on=BATCH_DAY,
    )
    farm = add_item(
        staffing_officer, batch, org.department, "NMG-001", FARM, Grantee.TOWN, "penalty"
    )
    market = add_item(
        staffing_officer, batch, org.department, "NMG-002", MARKET, Grantee.BOTH, "inspection"
    )
    land = add_item(
        staffing_officer, batch, land_bureau, "ZRZY-001", LAND, Grantee.TOWN, "licensing"
    )

    def answer(unit, item, status, *, reason="", handler=None):
        acceptance_record(
            actor=staffing_officer,
            unit=unit,
            item=item,
            status=status,
            reason=reason,
            responsible_unit=handler,
            effective_on=EFFECTIVE,
        )

    answer(org.tianchi, farm, AcceptanceStatus.ACCEPTED, handler=org.tianchi_center)
    answer(org.tianchi, land, AcceptanceStatus.DEFERRED, reason="缺少专业技术人员")
    answer(org.bailang, farm, AcceptanceStatus.DECLINED, reason="辖区内无规模养殖场")
    answer(org.bailang, market, AcceptanceStatus.ACCEPTED, handler=org.bailang_center)
    for unit, item, count in ((org.tianchi, farm, 12), (org.bailang, market, 3)):
        usage_record(
            actor=staffing_officer,
            unit=unit,
            item=item,
            period_start=H1_START,
            period_end=H1_END,
            count=count,
        )
    return SimpleNamespace(batch=batch, farm=farm, market=market, land=land)


@pytest.fixture
def lists(org, staffing_officer):
    """The county's duty list: a published 2023 edition and the 2024 draft based on it."""
    duty_list = duty_list_create(
        actor=staffing_officer, county=org.county, kind=ListKind.DUTY, name=LIST_NAME
    )
    published = edition_create(actor=staffing_officer, duty_list=duty_list, label=PUBLISHED)
    duty_item_save(
        actor=staffing_officer,
        edition=published,
        code="JB-001",
        name="党的建设",
        area="党建",
        duty_class=DutyClass.BASIC,
        basis="《中国共产党农村基层组织工作条例》",
        responsible="党建工作办公室",
    )
    duty_item_save(
        actor=staffing_officer,
        edition=published,
        code="PH-001",
        name="动物防疫",
        area="农牧业",
        duty_class=DutyClass.COOPERATING,
        lead_department=org.department,
        county_duties="组织实施强制免疫",
        town_duties="配合开展免疫和排查",
    )
    for to in (EditionStatus.APPROVED, EditionStatus.PUBLISHED):
        published = edition_transition(
            actor=staffing_officer,
            edition=published,
            to=to,
            doc_no="阿党办发〔2023〕5号",
            published_on=dt.date(2023, 3, 1),
        )
    draft = edition_create(
        actor=staffing_officer, duty_list=duty_list, label=DRAFT, based_on=published
    )
    return SimpleNamespace(duty_list=duty_list, published=published, draft=draft)


@pytest.fixture
def ledger(powers, lists):
    """Every new register has rows."""
    return SimpleNamespace(powers=powers, lists=lists)


SNAPSHOT_MODELS = [
    DelegationBatch,
    PowerItem,
    PowerItem.history.model,
    Acceptance,
    Acceptance.history.model,
    PowerUsage,
    DutyList,
    Edition,
    Edition.history.model,
    DutyItem,
]


@pytest.fixture
def snapshot(row_counts):
    """Every row (all fields, timestamps included) of the powers and duties tables, and the
    shared row counts: equal snapshots mean nothing was written."""

    def take() -> dict:
        rows = {m._meta.label: list(m.objects.order_by("pk").values()) for m in SNAPSHOT_MODELS}
        return {**rows, "counts": row_counts()}

    return take


def template_lists(data: bytes) -> dict[str, list[str]]:
    """{column header: the options of its drop-down list} of an import template."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet, options = workbook.worksheets
    headers = {cell.column_letter: str(cell.value).lstrip("*") for cell in sheet[1]}
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        letter = re.match(r"[A-Z]+", str(validation.sqref)).group()
        column, last = re.fullmatch(
            r"'选项'!\$([A-Z]+)\$2:\$[A-Z]+\$(\d+)", validation.formula1
        ).groups()
        assert validation.type == "list"
        lists[headers[letter]] = [options[f"{column}{n}"].value for n in range(2, int(last) + 1)]
    assert options.sheet_state == "hidden"
    return lists


# ------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("register", NEW_REGISTERS)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_export_then_import_changes_nothing(
    register, fmt, staffing_officer, ledger, run_export, run_import, snapshot
):
    # given an export of the register by the county staffing office
    export = run_export(staffing_officer, register, fmt=fmt)
    assert export.status == JobStatus.SUCCEEDED, export.error
    rows = exported(export)
    before = snapshot()

    # when it is checked and imported again unchanged
    data = bytes(export.output_data)
    checked = run_import(staffing_officer, register, data, name=f"x.{fmt}")
    committed = run_import(staffing_officer, register, data, commit=True, name=f"x.{fmt}")

    # then every row is recognised, nothing is written and a new export is the same
    for job in (checked, committed):
        assert job.result["errors"] == []
        assert counts(job) == (len(rows), 0, 0, len(rows))
    assert (
        len(rows)
        == {"power_items": 3, "acceptances": 4, "power_usage": 2, "duty_items": 4}[register]
    )
    assert snapshot() == before
    assert exported(run_export(staffing_officer, register, fmt=fmt)) == rows


@pytest.mark.parametrize("register", ["acceptances", "power_usage"])
def test_a_towns_own_export_comes_back_unchanged(
    register, tianchi_operator, ledger, run_export, run_import, snapshot
):
    # given the export of a town operator (its own rows only)
    export = run_export(tianchi_operator, register)
    before = snapshot()

    # when the operator imports it again
    job = run_import(tianchi_operator, register, bytes(export.output_data), commit=True)

    # then nothing changes
    assert job.result["errors"] == []
    assert counts(job) == (export.result["count"], 0, 0, export.result["count"])
    assert snapshot() == before


def test_exported_values_are_those_of_the_database(staffing_officer, ledger, run_export):
    # when the four registers are exported
    items, answers, usage, duties = (
        exported(run_export(staffing_officer, name)) for name in NEW_REGISTERS
    )

    # then each row carries the record's values, choices as their Chinese labels
    assert items[0] == [
        DOC,
        "NMG-001",
        FARM,
        "行政处罚",
        "《中华人民共和国行政处罚法》第二十四条",
        "阿尔山市农牧和科技局",
        "交由行使(以镇街名义实施)",
        "镇",
        "依法实施行政处罚\n接受县直部门业务指导",
        None,
    ]
    assert answers == [
        [
            "天池镇",
            DOC,
            "NMG-001",
            FARM,
            "已承接",
            None,
            "天池镇综合保障和技术推广中心",
            EFFECTIVE_DT,
        ],
        ["天池镇", DOC, "ZRZY-001", LAND, "暂缓承接", "缺少专业技术人员", None, EFFECTIVE_DT],
        ["白狼镇", DOC, "NMG-001", FARM, "不承接", "辖区内无规模养殖场", None, EFFECTIVE_DT],
        [
            "白狼镇",
            DOC,
            "NMG-002",
            MARKET,
            "已承接",
            None,
            "白狼镇综合保障和技术推广中心",
            EFFECTIVE_DT,
        ],
    ]
    assert usage == [
        ["天池镇", DOC, "NMG-001", FARM, START_DT, END_DT, 12],
        ["白狼镇", DOC, "NMG-002", MARKET, START_DT, END_DT, 3],
    ]
    assert columns(duties, 0, 1, 2, 5, 8) == [
        (LIST_NAME, PUBLISHED, "JB-001", "基本履职事项", None),
        (LIST_NAME, PUBLISHED, "PH-001", "配合履职事项", "阿尔山市农牧和科技局"),
        (LIST_NAME, DRAFT, "JB-001", "基本履职事项", None),
        (LIST_NAME, DRAFT, "PH-001", "配合履职事项", "阿尔山市农牧和科技局"),
    ]


@pytest.mark.parametrize(
    ("register", "more"),
    [
        (
            "acceptances",
            lambda s, o, p, lists: acceptance_record(
                actor=s,
                unit=o.linhai,
                item=p.market,
                status=AcceptanceStatus.DEFERRED,
                reason="人员未到位",
                effective_on=EFFECTIVE,
            ),
        ),
        (
            "power_items",
            lambda s, o, p, lists: add_item(
                s, p.batch, o.department, "NMG-009", "新事项", Grantee.BOTH, "other"
            ),
        ),
        (
            "duty_items",
            lambda s, o, p, lists: duty_item_save(
                actor=s, edition=lists.draft, code="PH-002", name="禁牧", lead_department=o.county
            ),
        ),
    ],
)
def test_export_reads_a_fixed_number_of_queries(register, more, staffing_officer, org, ledger):
    # given the register's export of the fixture's rows
    definition = REGISTERS[register]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _total, rows = definition.export_rows(
                staffing_officer, {}, dt.date.today(), lambda *a: None
            )
            list(rows)
        return len(captured)

    few = queries()

    # when one more row is added
    more(staffing_officer, org, ledger.powers, ledger.lists)

    # then the export needs no more queries
    assert queries() == few


# -------------------------------------------------------------------------------- templates


def test_catalog_template_offers_batches_categories_departments_and_choices(
    client, staffing_officer, ledger
):
    # when the 编办 downloads the catalog template
    client.force_login(staffing_officer)
    response = client.get("/exchange/power_items/template/")

    # then every fixed-choice and reference column has its drop-down list
    assert response.status_code == 200
    assert template_lists(response.content) == {
        "赋权批次文号": [DOC],
        "权力类别": CATEGORIES,
        "原实施主体": ["阿尔山市农牧和科技局", "阿尔山市自然资源局"],
        "赋权方式": ["委托(以委托部门名义实施)", "交由行使(以镇街名义实施)"],
        "承接对象": ["镇", "街道", "镇和街道"],
    }


def test_acceptance_template_offers_the_operators_own_town_and_handlers(
    client, tianchi_operator, ledger
):
    # when a town operator downloads the acceptance template
    client.force_login(tianchi_operator)
    response = client.get("/exchange/acceptances/template/")

    # then the unit lists offer the operator's own town and its units only
    assert template_lists(response.content) == {
        "镇(街道)": ["天池镇"],
        "赋权批次文号": [DOC],
        "承接情况": ["已承接", "暂缓承接", "不承接"],
        "承办机构": ["天池镇党政综合办公室", "天池镇综合保障和技术推广中心"],
    }


def test_usage_template_offers_towns_and_batches(client, staffing_officer, ledger):
    client.force_login(staffing_officer)
    response = client.get("/exchange/power_usage/template/")

    assert template_lists(response.content) == {
        "镇(街道)": ["天池镇", "白狼镇", "林海街道"],
        "赋权批次文号": [DOC],
    }


def test_duty_item_template_offers_lists_classes_and_departments(client, staffing_officer, ledger):
    client.force_login(staffing_officer)
    response = client.get("/exchange/duty_items/template/")

    assert template_lists(response.content) == {
        "清单": [LIST_NAME],
        "事项类别": ["基本履职事项", "配合履职事项", "上级部门收回事项"],
        "牵头部门": ["阿尔山市农牧和科技局", "阿尔山市自然资源局"],
    }


# ------------------------------------------------------------------- the catalog (power_items)


def item_row(code, name, **overrides):
    row = {
        "赋权批次文号": DOC,
        "事项编码": code,
        "事项名称": name,
        "权力类别": "行政处罚",
        "设定依据": "《农药管理条例》第五十五条",
        "原实施主体": "阿尔山市农牧和科技局",
        "赋权方式": "交由行使",
        "承接对象": "镇",
        "责任事项": "",
    }
    row.update(overrides)
    return [row[h] for h in ITEM_HEADER]


def test_catalog_dry_run_lists_every_problem_and_writes_nothing(
    staffing_officer, ledger, run_import, snapshot
):
    # given a catalog file breaking a rule on every row but the first
    before = snapshot()
    data = xlsx(
        [
            ITEM_HEADER,
            item_row("NMG-004", "对农药经营的行政处罚"),
            item_row("NMG-004", "对农药使用的行政处罚"),
            item_row("NMG-005", "对兽药经营的处罚", 权力类别="行政审批"),
            item_row("NMG-006", "对饲料经营的处罚", 原实施主体="天池镇"),
            item_row("NMG-007", "对种子经营的处罚", 赋权批次文号="内政字〔2099〕1号"),
            item_row("NMG-001", FARM, 承接对象="街道"),
            item_row("NMG-008", "对肥料经营的处罚", 设定依据=""),
        ]
    )

    # when it is checked
    job = run_import(staffing_officer, "power_items", data)

    # then each problem is listed in its row and column, in Chinese, and nothing is written
    assert errors(job) == [
        (
            4,
            "权力类别",
            "找不到权力类别“行政审批”, 可选: " + "、".join(CATEGORIES),
        ),
        (6, "赋权批次文号", "找不到赋权批次“内政字〔2099〕1号”, 请填写已登记的赋权文件文号"),
        (8, "设定依据", "请填写设定依据"),
        (3, "事项编码", "与第2行重复: 同一赋权批次中事项编码不能重复"),
        (5, "原实施主体", "天池镇不是县直部门"),
        (7, "承接对象", "天池镇、白狼镇已登记该事项的承接情况, 承接对象不能改为街道"),
    ]
    assert counts(job) == (7, 1, 0, 0)
    assert snapshot() == before


def test_catalog_commit_with_one_bad_row_writes_nothing_then_writes_all(
    staffing_officer, ledger, run_import, snapshot
):
    # given a new item and a changed name and responsibility of NMG-002, and a bad row
    good = [
        item_row("NMG-004", "对农药经营的行政处罚", 权力类别="行政处罚", 承接对象="镇和街道"),
        item_row(
            "NMG-002",
            "对农贸市场食品安全的监督检查",
            权力类别="行政监督检查",
            赋权方式="交由行使(以镇街名义实施)",
            承接对象="镇和街道",
            责任事项="开展日常检查",
        ),
    ]
    bad = item_row("NMG-006", "对饲料经营的处罚", 原实施主体="天池镇")
    before = snapshot()

    # when the file with the bad row is committed
    refused = run_import(
        staffing_officer, "power_items", xlsx([ITEM_HEADER, *good, bad]), commit=True
    )

    # then nothing is written
    assert errors(refused) == [(4, "原实施主体", "天池镇不是县直部门")]
    assert refused.result["written"] is False
    assert snapshot() == before

    # when the good rows alone are committed, they are written through the services
    job = run_import(staffing_officer, "power_items", xlsx([ITEM_HEADER, *good]), commit=True)
    assert job.result["errors"] == []
    assert counts(job) == (2, 1, 1, 0)
    new = PowerItem.objects.get(code="NMG-004")
    assert (new.name, new.grantee, new.department.name, new.mode) == (
        "对农药经营的行政处罚",
        Grantee.BOTH,
        "阿尔山市农牧和科技局",
        DelegationMode.DEVOLVE,
    )
    market = PowerItem.objects.get(code="NMG-002")
    assert (market.name, market.responsibility_items) == (
        "对农贸市场食品安全的监督检查",
        "开展日常检查",
    )
    latest = market.history.order_by("-history_id").first()
    assert (latest.history_change_reason, latest.history_user) == ("批量导入", staffing_officer)


def test_an_item_of_another_county_is_not_changed_by_the_catalog_import(
    root, staffing_officer, ledger, other_county, run_import, snapshot
):
    # given an item of 乌兰浩特市农牧局 in the same batch
    add_item(
        root,
        ledger.powers.batch,
        other_county.department,
        "WLHT-001",
        "对草原违法的处罚",
        Grantee.TOWN,
        "penalty",
    )
    before = snapshot()

    # when the 阿尔山市 编办 renames it by import
    data = xlsx(
        [ITEM_HEADER, item_row("WLHT-001", "对草原违法行为的处罚", 原实施主体="乌兰浩特市农牧局")]
    )
    job = run_import(staffing_officer, "power_items", data, commit=True)

    # then power_item_update refuses it in the department's column, and nothing changed
    assert errors(job) == [(2, "原实施主体", denied("修改赋权事项", "乌兰浩特市农牧局"))]
    assert snapshot() == before


# ------------------------------------------------------------------ answers (acceptances)


def acceptance_row(unit, code, status, *, name="", reason="", handler="", on="2024-07-01"):
    return [unit, DOC, code, name, status, reason, handler, on]


def test_acceptance_dry_run_lists_every_problem_and_writes_nothing(
    staffing_officer, ledger, run_import, snapshot
):
    # given answers breaking the rules: a decline without reason, an item accepted twice in the
    # same file, an unknown code, an item the street may not take, a wrong name, a bad status
    before = snapshot()
    data = xlsx(
        [
            ACCEPTANCE_HEADER,
            acceptance_row("林海街道", "NMG-002", "不承接", name=MARKET),
            acceptance_row("天池镇", "NMG-002", "已承接", handler="天池镇党政综合办公室"),
            acceptance_row("天池镇", "NMG-002", "暂缓承接", reason="人员不足"),
            acceptance_row("天池镇", "NMG-999", "已承接", handler="天池镇党政综合办公室"),
            acceptance_row("林海街道", "NMG-001", "暂缓承接", reason="无养殖户"),
            acceptance_row("林海街道", "NMG-002", "暂缓承接", name="农贸市场检查", reason="x"),
            acceptance_row("林海街道", "NMG-002", "同意"),
        ]
    )

    # when it is checked
    job = run_import(staffing_officer, "acceptances", data)

    # then every problem is listed with the services' own messages, and nothing is written
    assert errors(job) == [
        (8, "承接情况", "“同意”不是有效的承接情况, 可选: 已承接、暂缓承接、不承接"),
        (2, "理由", "不承接或暂缓承接须书面说明理由"),
        (4, "事项编码", "与第3行重复: 同一镇(街道)对同一事项只能登记一次承接情况"),
        (5, "事项编码", "赋权批次内政字〔2024〕9号中没有事项编码“NMG-999”"),
        (6, "事项编码", "该事项只赋予镇, 林海街道不能承接"),
        (7, "事项名称", f"事项编码NMG-002是“{MARKET}”, 与所填事项名称不符"),
    ]
    assert counts(job) == (7, 1, 0, 0)
    assert snapshot() == before


def test_acceptance_commit_with_one_bad_row_writes_nothing_then_writes_all(
    staffing_officer, org, ledger, run_import, snapshot
):
    # given a deferral by 林海街道 and an acceptance by 天池镇, and a decline without reason
    good = [
        acceptance_row("林海街道", "NMG-002", "暂缓", reason="综合执法人员未到位"),
        acceptance_row(
            "天池镇", "NMG-002", "承接", handler="天池镇党政综合办公室", on="2024年8月1日"
        ),
    ]
    bad = acceptance_row("天池镇", "NMG-002", "不承接")
    before = snapshot()

    # when the file with the bad row is committed, nothing is written
    refused = run_import(
        staffing_officer,
        "acceptances",
        csv_bytes([ACCEPTANCE_HEADER, good[0], bad]),
        commit=True,
        name="承接.csv",
    )
    assert errors(refused) == [(3, "理由", "不承接或暂缓承接须书面说明理由")]
    assert snapshot() == before

    # when the good rows are committed, they are recorded by the 编办 through acceptance_record
    job = run_import(
        staffing_officer,
        "acceptances",
        csv_bytes([ACCEPTANCE_HEADER, *good]),
        commit=True,
        name="承接.csv",
    )
    assert counts(job) == (2, 2, 0, 0)
    recorded = {
        a.unit.name: (a.status, a.reason, a.responsible_unit, a.effective_on, a.decided_by)
        for a in Acceptance.objects.filter(
            item=ledger.powers.market, unit__in=[org.linhai, org.tianchi]
        )
    }
    assert recorded == {
        "林海街道": (
            AcceptanceStatus.DEFERRED,
            "综合执法人员未到位",
            None,
            EFFECTIVE,
            staffing_officer,
        ),
        "天池镇": (
            AcceptanceStatus.ACCEPTED,
            "",
            org.tianchi_office,
            dt.date(2024, 8, 1),
            staffing_officer,
        ),
    }


def test_an_answer_already_recorded_is_not_rewritten(
    staffing_officer, ledger, run_import, snapshot
):
    # given 白狼镇's decline of NMG-001 turned into an acceptance in the file
    before = snapshot()
    data = xlsx(
        [
            ACCEPTANCE_HEADER,
            acceptance_row("白狼镇", "NMG-001", "已承接", handler="白狼镇综合保障和技术推广中心"),
        ]
    )

    # when it is imported
    job = run_import(staffing_officer, "acceptances", data, commit=True)

    # then the recorded answer stays as it is
    assert errors(job) == [
        (
            2,
            "承接情况",
            f"白狼镇已登记过“{FARM}”的承接情况(系统中为不承接, 生效日期2024-07-01), 导入不修改已有记录",
        )
    ]
    assert snapshot() == before


# ---------------------------------------------------------------------- usage (power_usage)


def usage_row(unit, code, start, end, count):
    return [unit, DOC, code, start, end, count]


def test_usage_dry_run_lists_every_problem_and_writes_nothing(
    staffing_officer, ledger, run_import, snapshot
):
    # given usage of an item 天池镇 did not accept, a period twice, a period ending before it
    # starts, and a count that is not a number
    before = snapshot()
    data = xlsx(
        [
            USAGE_HEADER,
            usage_row("天池镇", "NMG-001", "2025-07-01", "2025-12-31", 8),
            usage_row("天池镇", "NMG-002", "2025-01-01", "2025-06-30", 2),
            usage_row("天池镇", "NMG-001", "2025-07-01", "2025-09-30", 3),
            usage_row("天池镇", "NMG-001", "2026-01-01", "2025-12-31", 1),
            usage_row("天池镇", "NMG-001", "2026-01-01", "2026-06-30", "很多"),
        ]
    )

    # when it is checked
    job = run_import(staffing_officer, "power_usage", data)

    # then every problem is listed, and nothing is written
    assert errors(job) == [
        (6, "行权次数", "“很多”不是整数"),
        (3, "事项编码", f"天池镇未承接“{MARKET}”, 不能登记行权"),
        (4, "起始日期", "与第2行重复: 同一镇(街道)同一事项同一期间只登记一次行权次数"),
        (5, "截止日期", "截止日期不能早于起始日期"),
    ]
    assert counts(job) == (5, 1, 0, 0)
    assert snapshot() == before


def test_usage_commit_with_one_bad_row_writes_nothing_then_records_and_corrects(
    staffing_officer, org, ledger, run_import, snapshot
):
    # given a second half-year for 天池镇, a corrected first half-year (12 -> 15), and a bad row
    good = [
        usage_row("天池镇", "NMG-001", "2025-07-01", "2025-12-31", 8),
        usage_row("天池镇", "NMG-001", "2025-01-01", "2025-06-30", "１５"),
    ]
    bad = usage_row("天池镇", "NMG-002", "2025-01-01", "2025-06-30", 2)
    before = snapshot()

    # when the file with the bad row is committed, nothing is written
    refused = run_import(
        staffing_officer, "power_usage", xlsx([USAGE_HEADER, *good, bad]), commit=True
    )
    assert errors(refused) == [(4, "事项编码", f"天池镇未承接“{MARKET}”, 不能登记行权")]
    assert snapshot() == before

    # when the good rows are committed, one is recorded and the other corrected
    job = run_import(staffing_officer, "power_usage", xlsx([USAGE_HEADER, *good]), commit=True)
    assert counts(job) == (2, 1, 1, 0)
    assert list(
        PowerUsage.objects.filter(unit=org.tianchi)
        .order_by("period_start")
        .values_list("period_start", "period_end", "count", "source")
    ) == [
        (H1_START, H1_END, 15, "manual"),
        (dt.date(2025, 7, 1), dt.date(2025, 12, 31), 8, "manual"),
    ]


def test_usage_fed_by_closed_cases_is_neither_exported_nor_touched(
    staffing_officer, org, ledger, run_export, run_import
):
    # given one use of NMG-001 in 天池镇 recorded by a closed enforcement case
    usage_record(
        actor=staffing_officer,
        unit=org.tianchi,
        item=ledger.powers.farm,
        period_start=H1_START,
        period_end=H1_START,
        count=1,
        source="enforcement:7",
    )

    # when usage is exported and the export imported again
    export = run_export(staffing_officer, "power_usage")
    job = run_import(staffing_officer, "power_usage", bytes(export.output_data), commit=True)

    # then only the counts recorded by hand are in the file, and the case's count stays
    assert columns(exported(export), 0, 2, 6) == [
        ("天池镇", "NMG-001", 12),
        ("白狼镇", "NMG-002", 3),
    ]
    assert counts(job) == (2, 0, 0, 2)
    assert list(
        PowerUsage.objects.filter(unit=org.tianchi)
        .order_by("source")
        .values_list("source", "count")
    ) == [("enforcement:7", 1), ("manual", 12)]


# ----------------------------------------------------------------------- list items (duties)


def duty_row(edition, code, name, *, duty_list=LIST_NAME, lead="", duty_class="基本履职"):
    return [duty_list, edition, code, name, "农业农村", duty_class, "《乡村振兴促进法》", lead]


def test_duty_item_dry_run_lists_every_problem_and_writes_nothing(
    staffing_officer, ledger, other_county, run_import, snapshot
):
    # given items for the published edition, for an edition that does not exist, twice the same
    # code, a lead department of another county and an unknown list
    before = snapshot()
    data = xlsx(
        [
            DUTY_HEADER,
            duty_row(DRAFT, "JB-003", "农村人居环境整治", lead="阿尔山市农牧和科技局"),
            duty_row(PUBLISHED, "JB-003", "农村人居环境整治"),
            duty_row("2025年版", "JB-003", "农村人居环境整治"),
            duty_row(DRAFT, "JB-003", "农村厕所改造"),
            duty_row(DRAFT, "JB-004", "草原禁牧", lead="乌兰浩特市农牧局"),
            duty_row(DRAFT, "JB-005", "河湖管护", duty_list="不存在的清单"),
            duty_row(DRAFT, "JB-006", "森林防火", duty_class="主要职责"),
        ]
    )

    # when it is checked
    job = run_import(staffing_officer, "duty_items", data)

    # then the published edition is refused by duty_item_save, and nothing is written
    assert errors(job) == [
        (7, "清单", "找不到清单“不存在的清单”"),
        (
            8,
            "事项类别",
            "“主要职责”不是有效的事项类别, 可选: 基本履职事项、配合履职事项、上级部门收回事项",
        ),
        (3, "版本", f"{LIST_NAME}({PUBLISHED})当前为已公布, 不能修改; 请新建版本进行调整"),
        (4, "版本", f"{LIST_NAME}没有版本“2025年版”, 请先在清单页面新建该版本"),
        (5, "编号", "与第2行重复: 同一版本中事项编号不能重复"),
        (6, "牵头部门", "乌兰浩特市农牧局不属于阿尔山市"),
    ]
    assert counts(job) == (7, 1, 0, 0)
    assert snapshot() == before


def test_a_published_edition_is_not_changed_by_import(
    staffing_officer, ledger, run_import, snapshot
):
    # given a published item renamed in the file
    before = snapshot()
    data = csv_bytes([DUTY_HEADER, duty_row(PUBLISHED, "JB-001", "基层党组织建设")])

    # when it is imported
    job = run_import(staffing_officer, "duty_items", data, commit=True, name="清单.csv")

    # then the service refuses it and the published list stays as it was
    assert errors(job) == [
        (2, "版本", f"{LIST_NAME}({PUBLISHED})当前为已公布, 不能修改; 请新建版本进行调整")
    ]
    assert snapshot() == before


def test_duty_item_commit_with_one_bad_row_writes_nothing_then_writes_all(
    staffing_officer, org, ledger, run_import, snapshot
):
    # given a new item and a renamed item of the draft, and a row for the published edition
    good = [
        duty_row(DRAFT, "JB-003", "农村人居环境整治", lead="阿尔山市农牧和科技局"),
        duty_row(DRAFT, "JB-001", "基层党组织建设"),
    ]
    bad = duty_row(PUBLISHED, "JB-003", "农村人居环境整治")
    before = snapshot()

    # when the file with the bad row is committed, nothing is written
    refused = run_import(
        staffing_officer, "duty_items", xlsx([DUTY_HEADER, *good, bad]), commit=True
    )
    assert [e[:2] for e in errors(refused)] == [(4, "版本")]
    assert snapshot() == before

    # when the good rows are committed, the draft gains one item and one is renamed
    job = run_import(staffing_officer, "duty_items", xlsx([DUTY_HEADER, *good]), commit=True)
    assert counts(job) == (2, 1, 1, 0)
    draft = ledger.lists.draft
    assert list(
        draft.items.order_by("code").values_list("code", "name", "duty_class", "lead_department")
    ) == [
        ("JB-001", "基层党组织建设", DutyClass.BASIC, None),
        ("JB-003", "农村人居环境整治", DutyClass.BASIC, org.department.pk),
        ("PH-001", "动物防疫", DutyClass.COOPERATING, org.department.pk),
    ]
    assert ledger.lists.published.items.get(code="JB-001").name == "党的建设"


# ------------------------------------------------------------------------------------ scope


def test_a_town_operator_sees_only_its_own_answers_and_usage(tianchi_operator, ledger, run_export):
    # when 天池镇's operator exports answers and usage
    answers = exported(run_export(tianchi_operator, "acceptances"))
    usage = exported(run_export(tianchi_operator, "power_usage"))

    # then only 天池镇's rows are there
    assert columns(answers, 0, 2) == [("天池镇", "NMG-001"), ("天池镇", "ZRZY-001")]
    assert columns(usage, 0, 2) == [("天池镇", "NMG-001")]


@pytest.mark.parametrize(
    ("register", "header", "rows", "action"),
    [
        (
            "acceptances",
            ACCEPTANCE_HEADER,
            [
                # an exact copy of 白狼镇's answer is refused too: it must reveal nothing
                acceptance_row("白狼镇", "NMG-001", "不承接", reason="辖区内无规模养殖场"),
                acceptance_row("白狼镇", "ZRZY-001", "暂缓承接", reason="人员不足"),
            ],
            "登记承接情况",
        ),
        (
            "power_usage",
            USAGE_HEADER,
            [
                usage_row("白狼镇", "NMG-002", "2025-01-01", "2025-06-30", 3),
                usage_row("白狼镇", "NMG-002", "2025-07-01", "2025-12-31", 5),
            ],
            "登记行权情况",
        ),
    ],
)
def test_a_town_operator_cannot_import_another_towns_rows(
    register, header, rows, action, tianchi_operator, ledger, run_import, snapshot
):
    # given rows of 白狼镇 in 天池镇's file
    before = snapshot()

    # when 天池镇's operator imports them
    job = run_import(tianchi_operator, register, xlsx([header, *rows]), commit=True)

    # then each is refused by the services' access check and nothing changed
    assert errors(job) == [
        (2, "镇(街道)", denied(action, "白狼镇")),
        (3, "镇(街道)", denied(action, "白狼镇")),
    ]
    assert snapshot() == before


@pytest.mark.parametrize("register", ["power_items", "duty_items"])
def test_a_town_operator_cannot_import_the_county_registers(
    register, tianchi_operator, ledger, run_export, run_import, snapshot
):
    # given an export of the register by the town operator (both are public to the county)
    export = run_export(tianchi_operator, register)
    assert export.result["count"] == {"power_items": 3, "duty_items": 4}[register]
    before = snapshot()

    # when the operator imports it
    job = run_import(tianchi_operator, register, bytes(export.output_data), commit=True)

    # then the import is refused before reading a row, and nothing changed
    assert (job.status, job.error) == (JobStatus.FAILED, REFUSALS[register])
    assert snapshot() == before


def test_a_department_sees_the_answers_and_usage_of_its_own_items_only(
    department_operator, ledger, run_export, run_import, snapshot
):
    # when 农牧和科技局's operator exports answers and usage
    answers = run_export(department_operator, "acceptances")
    usage = exported(run_export(department_operator, "power_usage"))

    # then the rows are those of the bureau's items (not 自然资源局's ZRZY-001)
    assert columns(exported(answers), 0, 2) == [
        ("天池镇", "NMG-001"),
        ("白狼镇", "NMG-001"),
        ("白狼镇", "NMG-002"),
    ]
    assert columns(usage, 0, 2) == [("天池镇", "NMG-001"), ("白狼镇", "NMG-002")]

    # and importing them back is refused row by row: the towns' answers are the towns' to record
    before = snapshot()
    job = run_import(department_operator, "acceptances", bytes(answers.output_data), commit=True)
    assert errors(job) == [
        (3, "镇(街道)", denied("登记承接情况", "天池镇")),
        (4, "镇(街道)", denied("登记承接情况", "白狼镇")),
        (5, "镇(街道)", denied("登记承接情况", "白狼镇")),
    ]
    assert snapshot() == before


@pytest.mark.parametrize("register", NEW_REGISTERS)
def test_a_leader_cannot_import(
    register, staffing_officer, leader, ledger, run_export, run_import, snapshot
):
    # given the register's own export
    data = bytes(run_export(staffing_officer, register).output_data)
    before = snapshot()

    # when a read-only leader imports it
    job = run_import(leader, register, data, commit=True)

    # then the job is refused with the register's reason and nothing changed
    assert (job.status, job.error) == (JobStatus.FAILED, REFUSALS[register])
    assert snapshot() == before


# ---------------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("register", "filters", "picked", "expected"),
    [
        (
            "power_items",
            lambda x: {"department": x.powers.land.department_id},
            (1,),
            [("ZRZY-001",)],
        ),
        ("power_items", lambda x: {"category": "3", "q": "NMG"}, (1,), []),
        (
            "acceptances",
            lambda x: {"status": "declined"},
            (0, 2, 4),
            [("白狼镇", "NMG-001", "不承接")],
        ),
        (
            "acceptances",
            lambda x: {"batch": x.powers.batch.pk, "department": x.powers.land.department_id},
            (0, 2),
            [("天池镇", "ZRZY-001")],
        ),
        ("power_usage", lambda x: {"unit": "白狼"}, (0, 2), [("白狼镇", "NMG-002")]),
        (
            "duty_items",
            lambda x: {"edition": x.lists.draft.pk},
            (1, 2),
            [(DRAFT, "JB-001"), (DRAFT, "PH-001")],
        ),
        (
            "duty_items",
            lambda x: {"duty_class": "cooperating"},
            (1, 2),
            [(PUBLISHED, "PH-001"), (DRAFT, "PH-001")],
        ),
    ],
    ids=[
        "items-by-department",
        "items-by-category-and-text",
        "answers-by-status",
        "answers-by-batch-and-department",
        "usage-by-town",
        "duty-items-by-edition",
        "duty-items-by-class",
    ],
)
def test_export_honours_the_page_filter(
    register, filters, picked, expected, staffing_officer, ledger, run_export
):
    # when the register is exported with a filter of its page
    job = run_export(staffing_officer, register, filters=filters(ledger))

    # then only the matching rows are written
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert columns(exported(job), *picked) == expected


def test_the_export_page_counts_what_the_matrix_link_asks_for(client, staffing_officer, ledger):
    # given the matrix filtered to 自然资源局's items
    client.force_login(staffing_officer)
    powers = ledger.powers
    matrix = client.get(
        f"/powers/matrix/?batch={powers.batch.pk}&department={powers.land.department_id}"
    ).content.decode()
    link = re.search(r'href="(/exchange/acceptances/export/\?[^"]*)"', matrix).group(1)

    # when its export link is followed
    page = client.get(link.replace("&amp;", "&"))

    # then the export page counts the one answer to that department's item
    assert link == (
        f"/exchange/acceptances/export/?batch={powers.batch.pk}"
        f"&amp;department={powers.land.department_id}"
    )
    assert page.status_code == 200
    assert page.context["count"] == 1


@pytest.mark.parametrize(
    ("register", "query", "count"),
    [
        ("power_items", "?mode=devolve&q=NMG", 2),
        ("acceptances", "?status=accepted", 2),
        ("power_usage", "?unit=天池", 1),
        ("duty_items", "?q=JB", 2),
    ],
)
def test_export_pages_offer_the_filters_and_count(
    register, query, count, client, staffing_officer, ledger
):
    # given the 编办 on a register's export page with a filter of its page
    client.force_login(staffing_officer)

    # when the page is opened
    response = client.get(f"/exchange/{register}/export/{query}")

    # then the filter form is shown and the rows to export are counted
    assert response.status_code == 200
    assert response.context["count"] == count
    assert response.context["filter"] is not None


# ------------------------------------------------------------------------------ pages, command


def test_the_registers_page_offers_the_new_imports_by_role(
    client, staffing_officer, tianchi_operator, department_operator, leader
):
    def imports(user):
        client.force_login(user)
        html = client.get("/exchange/").content.decode()
        assert all(f"/exchange/{name}/export/" in html for name in NEW_REGISTERS)
        return [name for name in NEW_REGISTERS if f"/exchange/{name}/import/" in html]

    assert imports(staffing_officer) == NEW_REGISTERS
    assert imports(tianchi_operator) == ["acceptances", "power_usage"]
    assert imports(department_operator) == ["acceptances", "power_usage"]
    assert imports(leader) == []


@pytest.mark.parametrize(
    ("user", "page", "links"),
    [
        (
            "staffing_officer",
            lambda x: f"/powers/items/?batch={x.powers.batch.pk}",
            lambda x: [
                f"/exchange/power_items/export/?batch={x.powers.batch.pk}",
                "/exchange/power_items/import/",
                f"/exchange/power_usage/export/?batch={x.powers.batch.pk}",
                "/exchange/power_usage/import/",
            ],
        ),
        (
            "tianchi_operator",
            lambda x: f"/powers/items/?batch={x.powers.batch.pk}",
            lambda x: [
                f"/exchange/power_items/export/?batch={x.powers.batch.pk}",
                f"/exchange/power_usage/export/?batch={x.powers.batch.pk}",
                "/exchange/power_usage/import/",
            ],
        ),
        (
            "leader",
            lambda x: f"/powers/matrix/?batch={x.powers.batch.pk}",
            lambda x: [f"/exchange/acceptances/export/?batch={x.powers.batch.pk}"],
        ),
        (
            "tianchi_operator",
            lambda x: f"/powers/matrix/?batch={x.powers.batch.pk}",
            lambda x: [
                f"/exchange/acceptances/export/?batch={x.powers.batch.pk}",
                "/exchange/acceptances/import/",
            ],
        ),
        (
            "tianchi_operator",
            lambda x: f"/powers/items/{x.powers.farm.pk}/",
            lambda x: [
                f"/exchange/acceptances/export/?item={x.powers.farm.pk}",
                "/exchange/acceptances/import/",
                f"/exchange/power_usage/export/?item={x.powers.farm.pk}",
                "/exchange/power_usage/import/",
            ],
        ),
        (
            "staffing_officer",
            lambda x: f"/duties/editions/{x.lists.draft.pk}/",
            lambda x: [
                f"/exchange/duty_items/export/?edition={x.lists.draft.pk}",
                "/exchange/duty_items/import/",
            ],
        ),
        (
            "staffing_officer",
            lambda x: f"/duties/editions/{x.lists.published.pk}/",
            lambda x: [f"/exchange/duty_items/export/?edition={x.lists.published.pk}"],
        ),
        (
            "tianchi_operator",
            lambda x: f"/duties/editions/{x.lists.draft.pk}/",
            lambda x: [f"/exchange/duty_items/export/?edition={x.lists.draft.pk}"],
        ),
        (
            "staffing_officer",
            lambda x: "/duties/",
            lambda x: ["/exchange/duty_items/export/", "/exchange/duty_items/import/"],
        ),
        ("leader", lambda x: "/duties/", lambda x: ["/exchange/duty_items/export/"]),
    ],
    ids=[
        "catalog-office",
        "catalog-town",
        "matrix-leader",
        "matrix-town",
        "item-town",
        "draft-office",
        "published-office",
        "draft-town",
        "lists-office",
        "lists-leader",
    ],
)
def test_pages_link_to_export_and_import(request, client, ledger, user, page, links):
    # given a user on a powers or duties page
    client.force_login(request.getfixturevalue(user))

    # when the page is opened
    html = client.get(page(ledger)).content.decode()

    # then it links to the exports with its filter, and to the imports the user may run
    found = re.findall(r'href="(/exchange/[^"]+)"', html)
    assert found == links(ledger)


def test_import_command_runs_the_new_registers(staffing_officer, ledger, tmp_path, snapshot):
    # given a file adding an item to the draft edition
    path = tmp_path / "清单事项.xlsx"
    path.write_bytes(xlsx([DUTY_HEADER, duty_row(DRAFT, "JB-003", "农村人居环境整治")]))
    before = snapshot()
    out = io.StringIO()

    # when the command checks it
    call_command(
        "import_register",
        "duty_items",
        str(path),
        "--user",
        "bianban",
        stdout=out,
        stderr=io.StringIO(),
    )

    # then it reports the check and writes nothing
    assert out.getvalue().strip() == (
        "检查通过, 尚未写入任何数据。共1行: 新增1条, 更新0条, 无变化0条。请确认导入。"
    )
    assert snapshot() == before
