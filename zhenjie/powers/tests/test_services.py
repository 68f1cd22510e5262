"""Writes of delegated powers: batches, items, acceptance, resource pledges, guidance and usage."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zhenjie.conftest import ESTABLISHED
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.services import unit_create
from zhenjie.powers.choices import AcceptanceStatus, DelegationMode, Grantee, GuidanceKind
from zhenjie.powers.models import (
    Acceptance,
    DelegationBatch,
    Guidance,
    PowerCategory,
    PowerItem,
    PowerUsage,
    ResourcePledge,
)
from zhenjie.powers.services import (
    acceptance_record,
    batch_create,
    guidance_record,
    pledge_set,
    power_item_create,
    usage_record,
)

pytestmark = pytest.mark.django_db

BATCH_DAY = dt.date(2024, 6, 1)
EFFECTIVE = dt.date(2024, 7, 1)
YEAR_START = dt.date(2025, 1, 1)
YEAR_END = dt.date(2025, 12, 31)
DOC = "内政字〔2024〕9号"
CATALOG_ONLY = "只有机构编制部门可以维护赋权事项目录"
REASON_NEEDED = "不承接或暂缓承接须书面说明理由"
TOWN_ITEM = "对违反动物防疫规定的行政处罚"
BOTH_ITEM = "对占道经营的行政处罚"

POWER_MODELS = [
    DelegationBatch,
    DelegationBatch.history.model,
    PowerItem,
    PowerItem.history.model,
    Acceptance,
    Acceptance.history.model,
    ResourcePledge,
    ResourcePledge.history.model,
    Guidance,
    PowerUsage,
]


def denied(action: str, unit_name: str) -> str:
    return f"无权{action}: {unit_name}不在您的管理范围内或您的角色不允许此操作"


@pytest.fixture
def counts(row_counts):
    """Rows of the shared domain tables plus every powers table and its history."""

    def all_counts() -> dict[str, int]:
        return {**row_counts(), **{m._meta.label: m.objects.count() for m in POWER_MODELS}}

    return all_counts


@pytest.fixture
def batch(staffing_officer):
    return batch_create(
        actor=staffing_officer,
        name="自治区赋予乡镇(街道)行政权力事项目录",
        issuer="内蒙古自治区人民政府",
        doc_no=DOC,
        issued_on=BATCH_DAY,
    )


def add_item(actor, batch, department, code, name, grantee, category="penalty"):
    return power_item_create(
        actor=actor,
        batch=batch,
        code=code,
        name=name,
        category=PowerCategory.objects.get(code=category),
        legal_basis="《中华人民共和国动物防疫法》第九十七条",
        department=department,
        mode=DelegationMode.DEVOLVE,
        grantee=grantee,
    )


@pytest.fixture
def items(org, staffing_officer, batch):
    """A town-only item and an item for towns and streets, both from 农牧和科技局."""
    return SimpleNamespace(
        town=add_item(staffing_officer, batch, org.department, "NMG-001", TOWN_ITEM, Grantee.TOWN),
        both=add_item(staffing_officer, batch, org.department, "NMG-002", BOTH_ITEM, Grantee.BOTH),
    )


@pytest.fixture
def linhai_office(root, org):
    return unit_create(
        actor=root,
        name="林海街道城市管理办公室",
        kind=UnitKind.OFFICE,
        parent=org.linhai,
        established_on=ESTABLISHED,
    )


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


def accept(actor, unit, item, responsible_unit, effective_on=EFFECTIVE):
    return acceptance_record(
        actor=actor,
        unit=unit,
        item=item,
        status=AcceptanceStatus.ACCEPTED,
        responsible_unit=responsible_unit,
        effective_on=effective_on,
    )


# ---------------------------------------------------------------- batch_create


def test_batch_create_registers_a_trimmed_decision_attributed_to_the_staffing_office(
    org, staffing_officer
):
    # given the county staffing office
    # when it registers the region's decision with blanks around the fields
    batch = batch_create(
        actor=staffing_officer,
        name=" 自治区赋予乡镇(街道)行政权力事项目录 ",
        issuer=" 内蒙古自治区人民政府 ",
        doc_no=f" {DOC} ",
        issued_on=BATCH_DAY,
        notes="99项",
    )

    # then the trimmed batch is stored with a history record by the 编办
    batch.refresh_from_db()
    assert (batch.name, batch.issuer, batch.doc_no, batch.issued_on, batch.notes) == (
        "自治区赋予乡镇(街道)行政权力事项目录",
        "内蒙古自治区人民政府",
        DOC,
        BATCH_DAY,
        "99项",
    )
    latest = batch.history.get()
    assert (latest.history_user, latest.history_change_reason) == (
        staffing_officer,
        "登记赋权批次",
    )


@pytest.mark.parametrize("doc_no", [DOC, f"  {DOC} "], ids=["same", "with-blanks"])
def test_batch_create_refuses_a_document_number_already_registered(
    batch, staffing_officer, counts, doc_no
):
    # given a batch registered under 内政字〔2024〕9号
    before = counts()

    # when another batch is registered under the same number
    with pytest.raises(ValidationError) as exc:
        batch_create(
            actor=staffing_officer,
            name="另一份赋权文件",
            issuer="内蒙古自治区人民政府",
            doc_no=doc_no,
            issued_on=dt.date(2024, 9, 1),
        )

    # then it is refused with the number named and nothing is saved
    assert exc.value.message_dict == {"doc_no": [f"文号{DOC}已登记"]}
    assert counts() == before


def test_batch_create_refuses_a_blank_document_number(org, staffing_officer, counts):
    # given no batch
    before = counts()

    # when a batch is registered without a document number
    with pytest.raises(ValidationError) as exc:
        batch_create(
            actor=staffing_officer, name="赋权", issuer="自治区", doc_no="  ", issued_on=BATCH_DAY
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"doc_no": ["请填写文号"]}
    assert counts() == before


@pytest.mark.parametrize("user", ["tianchi_operator", "department_operator", "leader"])
def test_batch_create_is_refused_outside_the_staffing_office(request, org, counts, user):
    # given a user who is not the staffing office
    actor = request.getfixturevalue(user)
    before = counts()

    # when they register a batch
    with pytest.raises(PermissionDenied) as exc:
        batch_create(actor=actor, name="赋权", issuer="自治区", doc_no=DOC, issued_on=BATCH_DAY)

    # then it is refused and nothing is saved
    assert str(exc.value) == CATALOG_ONLY
    assert counts() == before


# ---------------------------------------------------------------- power_item_create


def test_power_item_create_stores_the_item_with_its_legal_basis(org, staffing_officer, batch):
    # given a batch and the penalty category
    penalty = PowerCategory.objects.get(code="penalty")

    # when the 编办 adds an item with blanks around the code, name and basis
    item = power_item_create(
        actor=staffing_officer,
        batch=batch,
        code=" NMG-001 ",
        name=f" {TOWN_ITEM} ",
        category=penalty,
        legal_basis=" 《中华人民共和国动物防疫法》第九十七条 ",
        department=org.department,
        mode=DelegationMode.DEVOLVE,
        grantee=Grantee.TOWN,
        responsibility_items="受理、审查、决定",
        accountability_cases="不履行职责的",
    )

    # then the trimmed item is stored under the department with a history record
    item.refresh_from_db()
    assert (
        item.batch,
        item.code,
        item.name,
        item.category,
        item.legal_basis,
        item.department,
        item.mode,
        item.grantee,
        item.responsibility_items,
        item.accountability_cases,
    ) == (
        batch,
        "NMG-001",
        TOWN_ITEM,
        penalty,
        "《中华人民共和国动物防疫法》第九十七条",
        org.department,
        DelegationMode.DEVOLVE,
        Grantee.TOWN,
        "受理、审查、决定",
        "不履行职责的",
    )
    latest = item.history.get()
    assert (latest.history_user, latest.history_change_reason) == (
        staffing_officer,
        "登记赋权事项",
    )


@pytest.mark.parametrize("legal_basis", ["", "   "], ids=["empty", "blank"])
def test_power_item_create_refuses_an_item_without_legal_basis(
    org, staffing_officer, batch, counts, legal_basis
):
    # given a batch
    before = counts()

    # when an item is added without its legal basis
    with pytest.raises(ValidationError) as exc:
        power_item_create(
            actor=staffing_officer,
            batch=batch,
            code="NMG-001",
            name=TOWN_ITEM,
            category=PowerCategory.objects.get(code="penalty"),
            legal_basis=legal_basis,
            department=org.department,
            mode=DelegationMode.DEVOLVE,
            grantee=Grantee.TOWN,
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"legal_basis": ["赋权事项须写明设定依据"]}
    assert counts() == before


@pytest.mark.parametrize(
    ("unit", "name"),
    [
        ("tianchi", "天池镇"),
        ("tianchi_office", "天池镇党政综合办公室"),
        ("linhai", "林海街道"),
        ("county", "阿尔山市"),
    ],
)
def test_power_item_create_refuses_a_unit_that_is_not_a_county_department(
    org, staffing_officer, batch, counts, unit, name
):
    # given a batch
    before = counts()

    # when an item names a town, an office, a street or the county as its department
    with pytest.raises(ValidationError) as exc:
        add_item(staffing_officer, batch, getattr(org, unit), "NMG-001", TOWN_ITEM, Grantee.TOWN)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"department": [f"{name}不是县直部门"]}
    assert counts() == before


@pytest.mark.parametrize("code", ["NMG-001", " NMG-001 "], ids=["same", "with-blanks"])
def test_power_item_create_refuses_a_code_already_in_the_batch(
    items, org, staffing_officer, batch, counts, code
):
    # given a batch holding NMG-001
    before = counts()

    # when another item is added under the same code
    with pytest.raises(ValidationError) as exc:
        add_item(staffing_officer, batch, org.department, code, "另一事项", Grantee.BOTH)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"code": ["事项编码NMG-001在该批次中已存在"]}
    assert counts() == before


def test_power_item_create_allows_the_same_code_in_another_batch(items, org, staffing_officer):
    # given NMG-001 in the first batch and a second batch
    later = batch_create(
        actor=staffing_officer,
        name="第二批赋权事项",
        issuer="内蒙古自治区人民政府",
        doc_no="内政字〔2025〕3号",
        issued_on=dt.date(2025, 3, 1),
    )

    # when NMG-001 is added to the second batch
    item = add_item(staffing_officer, later, org.department, "NMG-001", TOWN_ITEM, Grantee.TOWN)

    # then both batches hold an NMG-001
    assert sorted(PowerItem.objects.filter(code="NMG-001").values_list("batch_id", flat=True)) == [
        items.town.batch_id,
        item.batch_id,
    ]


@pytest.mark.parametrize("user", ["tianchi_operator", "department_operator", "leader"])
def test_power_item_create_is_refused_outside_the_staffing_office(
    request, org, batch, counts, user
):
    # given a user who is not the staffing office
    actor = request.getfixturevalue(user)
    before = counts()

    # when they add an item
    with pytest.raises(PermissionDenied) as exc:
        add_item(actor, batch, org.department, "NMG-001", TOWN_ITEM, Grantee.TOWN)

    # then it is refused and nothing is saved
    assert str(exc.value) == CATALOG_ONLY
    assert counts() == before


def test_power_item_create_refuses_a_department_of_another_county(
    other_county, staffing_officer, batch, counts
):
    # given 乌兰浩特市农牧局, outside 阿尔山市's staffing office
    before = counts()

    # when 阿尔山市's 编办 adds an item held by it
    with pytest.raises(PermissionDenied) as exc:
        add_item(
            staffing_officer, batch, other_county.department, "NMG-001", TOWN_ITEM, Grantee.TOWN
        )

    # then it is refused and nothing is saved
    assert str(exc.value) == denied("登记赋权事项", "乌兰浩特市农牧局")
    assert counts() == before


# ---------------------------------------------------------------- acceptance_record


@pytest.mark.parametrize(
    "effective_on", [BATCH_DAY, EFFECTIVE], ids=["on-batch-day", "after-batch-day"]
)
def test_acceptance_record_stores_a_town_accepting_through_its_office(
    items, org, tianchi_operator, effective_on
):
    # given 天池镇's operator and a town-only item
    # when 天池镇 accepts it through its office
    acceptance = accept(tianchi_operator, org.tianchi, items.town, org.tianchi_office, effective_on)

    # then the answer is stored with its office and registrar and a history record
    acceptance.refresh_from_db()
    assert (
        acceptance.unit,
        acceptance.item,
        acceptance.status,
        acceptance.reason,
        acceptance.responsible_unit,
        acceptance.effective_on,
        acceptance.decided_by,
    ) == (
        org.tianchi,
        items.town,
        AcceptanceStatus.ACCEPTED,
        "",
        org.tianchi_office,
        effective_on,
        tianchi_operator,
    )
    latest = acceptance.history.get()
    assert (latest.history_user, latest.history_change_reason) == (
        tianchi_operator,
        "登记承接情况",
    )


@pytest.mark.parametrize("status", [AcceptanceStatus.DECLINED, AcceptanceStatus.DEFERRED])
def test_acceptance_record_stores_a_trimmed_written_reason_and_no_office_when_not_accepting(
    items, org, staffing_officer, status
):
    # given a town-only item
    # when 天池镇 declines or defers it with a reason
    acceptance = acceptance_record(
        actor=staffing_officer,
        unit=org.tianchi,
        item=items.town,
        status=status,
        reason="  缺少专业技术人员, 待部门培训指导后承接 ",
        effective_on=EFFECTIVE,
    )

    # then the trimmed reason is kept and no office is recorded
    acceptance.refresh_from_db()
    assert (acceptance.status, acceptance.reason, acceptance.responsible_unit) == (
        status,
        "缺少专业技术人员, 待部门培训指导后承接",
        None,
    )


@pytest.mark.parametrize(
    ("status", "label"),
    [(AcceptanceStatus.DECLINED, "不承接"), (AcceptanceStatus.DEFERRED, "暂缓承接")],
)
def test_acceptance_record_refuses_an_office_named_when_not_accepting(
    items, org, staffing_officer, counts, status, label
):
    # given a town-only item
    before = counts()

    # when 天池镇 declines or defers it with a reason, naming its own office anyway
    with pytest.raises(ValidationError) as exc:
        acceptance_record(
            actor=staffing_officer,
            unit=org.tianchi,
            item=items.town,
            status=status,
            reason="缺少专业技术人员",
            responsible_unit=org.tianchi_office,
            effective_on=EFFECTIVE,
        )

    # then the office is refused, not silently dropped, and nothing is saved
    assert exc.value.message_dict == {
        "responsible_unit": [f"{label}的事项不设承办机构, 请清空承办机构"]
    }
    assert counts() == before


def test_the_database_keeps_a_declined_answer_without_an_office(items, org, staffing_officer):
    # given the town-only item
    before = Acceptance.objects.count()

    # when a declined answer naming 天池镇's office is written around the service
    with pytest.raises(IntegrityError), transaction.atomic():
        Acceptance.objects.create(
            unit=org.tianchi,
            item=items.town,
            status=AcceptanceStatus.DECLINED,
            reason="无管理对象",
            responsible_unit=org.tianchi_office,
            effective_on=EFFECTIVE,
        )

    # then nothing is saved
    assert Acceptance.objects.count() == before


def test_acceptance_record_lets_a_street_accept_an_item_for_towns_and_streets(
    items, org, staffing_officer, linhai_office
):
    # given an item granted to towns and streets
    # when 林海街道 accepts it through its city-management office
    acceptance = accept(staffing_officer, org.linhai, items.both, linhai_office)

    # then it is stored
    assert Acceptance.objects.filter(pk=acceptance.pk).values_list(
        "unit__name", "responsible_unit__name", "status"
    ).get() == ("林海街道", "林海街道城市管理办公室", AcceptanceStatus.ACCEPTED)


BROKEN_ACCEPTANCES = {
    "declined-without-reason": (
        lambda o: {"unit": o.tianchi, "item": "town", "status": AcceptanceStatus.DECLINED},
        {"reason": [REASON_NEEDED]},
    ),
    "deferred-with-blank-reason": (
        lambda o: {
            "unit": o.tianchi,
            "item": "town",
            "status": AcceptanceStatus.DEFERRED,
            "reason": "   ",
        },
        {"reason": [REASON_NEEDED]},
    ),
    "accepted-without-office": (
        lambda o: {"unit": o.tianchi, "item": "town", "status": AcceptanceStatus.ACCEPTED},
        {"responsible_unit": ["承接的事项须明确承办机构"]},
    ),
    "office-of-another-town": (
        lambda o: {
            "unit": o.tianchi,
            "item": "town",
            "status": AcceptanceStatus.ACCEPTED,
            "responsible_unit": o.bailang_center,
        },
        {"responsible_unit": ["承办机构须是天池镇的内设机构或所属单位"]},
    ),
    "town-as-its-own-office": (
        lambda o: {
            "unit": o.tianchi,
            "item": "town",
            "status": AcceptanceStatus.ACCEPTED,
            "responsible_unit": o.tianchi,
        },
        {"responsible_unit": ["承办机构须是天池镇的内设机构或所属单位"]},
    ),
    "declined-naming-another-towns-office": (
        lambda o: {
            "unit": o.tianchi,
            "item": "town",
            "status": AcceptanceStatus.DECLINED,
            "reason": "无管理对象",
            "responsible_unit": o.bailang_center,
        },
        {"responsible_unit": ["不承接的事项不设承办机构, 请清空承办机构"]},
    ),
    "street-takes-town-only-item": (
        lambda o: {
            "unit": o.linhai,
            "item": "town",
            "status": AcceptanceStatus.DECLINED,
            "reason": "无管理对象",
        },
        {"item": ["该事项只赋予镇, 林海街道不能承接"]},
    ),
    "office-is-not-base-level": (
        lambda o: {
            "unit": o.tianchi_office,
            "item": "both",
            "status": AcceptanceStatus.DECLINED,
            "reason": "无管理对象",
        },
        {"unit": ["天池镇党政综合办公室不是镇或街道, 不能承接赋权事项"]},
    ),
    "department-is-not-base-level": (
        lambda o: {
            "unit": o.department,
            "item": "both",
            "status": AcceptanceStatus.DECLINED,
            "reason": "无管理对象",
        },
        {"unit": ["阿尔山市农牧和科技局不是镇或街道, 不能承接赋权事项"]},
    ),
    "effective-before-batch": (
        lambda o: {
            "unit": o.tianchi,
            "item": "town",
            "status": AcceptanceStatus.ACCEPTED,
            "responsible_unit": o.tianchi_office,
            "effective_on": BATCH_DAY - dt.timedelta(days=1),
        },
        {"effective_on": ["生效日期不能早于赋权文件发文日期2024-06-01"]},
    ),
    "unknown-status": (
        lambda o: {"unit": o.tianchi, "item": "town", "status": "maybe", "reason": "?"},
        {"status": ["承接情况无效"]},
    ),
}


@pytest.mark.parametrize(
    ("build", "errors"), list(BROKEN_ACCEPTANCES.values()), ids=list(BROKEN_ACCEPTANCES)
)
def test_acceptance_record_refuses_an_answer_that_breaks_a_rule(
    items, org, staffing_officer, counts, build, errors
):
    # given the staffing office and the batch's two items
    kwargs = {"effective_on": EFFECTIVE, **build(org)}
    kwargs["item"] = getattr(items, kwargs["item"])
    before = counts()

    # when it records an answer that breaks one rule
    with pytest.raises(ValidationError) as exc:
        acceptance_record(actor=staffing_officer, **kwargs)

    # then it is refused with the rule's message and nothing is saved
    assert exc.value.message_dict == errors
    assert counts() == before


@pytest.mark.parametrize(
    ("status", "reason", "office"),
    [
        (AcceptanceStatus.ACCEPTED, "", "tianchi_center"),
        (AcceptanceStatus.DECLINED, "无管理对象", None),
    ],
    ids=["accepted-again", "then-declined"],
)
def test_acceptance_record_refuses_a_second_answer_for_the_same_item(
    items, org, staffing_officer, counts, status, reason, office
):
    # given 天池镇 has accepted the town-only item
    accept(staffing_officer, org.tianchi, items.town, org.tianchi_office)
    before = counts()

    # when a second answer is recorded for the same town and item
    with pytest.raises(ValidationError) as exc:
        acceptance_record(
            actor=staffing_officer,
            unit=org.tianchi,
            item=items.town,
            status=status,
            reason=reason,
            responsible_unit=getattr(org, office) if office else None,
            effective_on=EFFECTIVE,
        )

    # then it is refused and the first answer stands alone
    assert exc.value.message_dict == {"item": [f"天池镇已登记过“{TOWN_ITEM}”的承接情况"]}
    assert counts() == before
    assert list(Acceptance.objects.values_list("unit__name", "status")) == [
        ("天池镇", AcceptanceStatus.ACCEPTED)
    ]


def test_acceptance_record_lets_another_town_answer_the_same_item(items, org, staffing_officer):
    # given 天池镇 has accepted the town-only item
    accept(staffing_officer, org.tianchi, items.town, org.tianchi_office)

    # when 白狼镇 accepts it too
    accept(staffing_officer, org.bailang, items.town, org.bailang_center)

    # then each town holds one answer
    assert sorted(Acceptance.objects.values_list("unit__name", "responsible_unit__name")) == [
        ("天池镇", "天池镇党政综合办公室"),
        ("白狼镇", "白狼镇综合保障和技术推广中心"),
    ]


@pytest.mark.parametrize("user", ["bailang_operator", "department_operator", "leader"])
def test_acceptance_record_for_tianchi_is_refused_outside_its_operators(
    request, items, org, counts, user
):
    # given 白狼镇's operator, 农牧和科技局's operator or a county leader
    actor = request.getfixturevalue(user)
    before = counts()

    # when they record 天池镇's acceptance
    with pytest.raises(PermissionDenied) as exc:
        accept(actor, org.tianchi, items.town, org.tianchi_office)

    # then it is refused and nothing changes
    assert str(exc.value) == denied("登记承接情况", "天池镇")
    assert counts() == before


# ---------------------------------------------------------------- usage_record


@pytest.fixture
def accepted(items, org, staffing_officer):
    """天池镇 accepted the town-only item from Jul 1 2024."""
    return accept(staffing_officer, org.tianchi, items.town, org.tianchi_office)


def test_usage_record_counts_the_uses_of_an_accepted_power(accepted, items, org, tianchi_operator):
    # given 天池镇 accepted the town-only item
    # when its operator records 2025's uses
    usage = usage_record(
        actor=tianchi_operator,
        unit=org.tianchi,
        item=items.town,
        period_start=YEAR_START,
        period_end=YEAR_END,
        count=17,
    )

    # then the count is stored as a manual record
    usage.refresh_from_db()
    assert (
        usage.unit,
        usage.item,
        usage.period_start,
        usage.period_end,
        usage.count,
        usage.source,
    ) == (org.tianchi, items.town, YEAR_START, YEAR_END, 17, "manual")


NOT_ACCEPTED = {
    "never-answered": lambda o, i, a: None,
    "declined": lambda o, i, a: acceptance_record(
        actor=a,
        unit=o.tianchi,
        item=i.town,
        status=AcceptanceStatus.DECLINED,
        reason="无管理对象",
        effective_on=EFFECTIVE,
    ),
    "deferred": lambda o, i, a: acceptance_record(
        actor=a,
        unit=o.tianchi,
        item=i.town,
        status=AcceptanceStatus.DEFERRED,
        reason="缺少专业人员",
        effective_on=EFFECTIVE,
    ),
    "accepted-by-another-town": lambda o, i, a: accept(a, o.bailang, i.town, o.bailang_center),
    "accepted-after-the-period": lambda o, i, a: accept(
        a, o.tianchi, i.town, o.tianchi_office, dt.date(2026, 1, 1)
    ),
}


@pytest.mark.parametrize("given", list(NOT_ACCEPTED.values()), ids=list(NOT_ACCEPTED))
def test_usage_record_refuses_a_power_the_town_did_not_accept(
    items, org, staffing_officer, counts, given
):
    # given 天池镇 has not accepted the town-only item for 2025
    given(org, items, staffing_officer)
    before = counts()

    # when 2025's uses are recorded for 天池镇
    with pytest.raises(ValidationError) as exc:
        usage_record(
            actor=staffing_officer,
            unit=org.tianchi,
            item=items.town,
            period_start=YEAR_START,
            period_end=YEAR_END,
            count=3,
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"item": [f"天池镇未承接“{TOWN_ITEM}”, 不能登记行权"]}
    assert counts() == before


@pytest.mark.parametrize(
    ("start", "end", "count", "errors"),
    [
        (YEAR_END, YEAR_START, 3, {"period_end": ["截止日期不能早于起始日期"]}),
        (
            YEAR_START,
            YEAR_START - dt.timedelta(days=1),
            3,
            {"period_end": ["截止日期不能早于起始日期"]},
        ),
        (YEAR_START, YEAR_END, -1, {"count": ["行权次数不能为负数"]}),
    ],
    ids=["end-before-start", "end-a-day-early", "negative-count"],
)
def test_usage_record_refuses_a_bad_period_or_count(
    accepted, items, org, staffing_officer, counts, start, end, count, errors
):
    # given 天池镇 accepted the town-only item
    before = counts()

    # when a usage with a reversed period or a negative count is recorded
    with pytest.raises(ValidationError) as exc:
        usage_record(
            actor=staffing_officer,
            unit=org.tianchi,
            item=items.town,
            period_start=start,
            period_end=end,
            count=count,
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == errors
    assert counts() == before


def test_usage_record_refuses_a_second_record_for_the_same_period(
    accepted, items, org, staffing_officer, counts
):
    # given 2025's uses of the item are recorded for 天池镇
    usage_record(
        actor=staffing_officer,
        unit=org.tianchi,
        item=items.town,
        period_start=YEAR_START,
        period_end=YEAR_END,
        count=5,
    )
    before = counts()

    # when they are recorded again
    with pytest.raises(ValidationError) as exc:
        usage_record(
            actor=staffing_officer,
            unit=org.tianchi,
            item=items.town,
            period_start=YEAR_START,
            period_end=YEAR_END,
            count=6,
        )

    # then it is refused and the first count stands
    assert exc.value.message_dict == {"period_start": ["该镇(街道)此事项在该期间已有行权记录"]}
    assert counts() == before
    assert list(PowerUsage.objects.values_list("count", flat=True)) == [5]


@pytest.mark.parametrize("user", ["bailang_operator", "leader"])
def test_usage_record_for_tianchi_is_refused_outside_its_operators(
    request, accepted, items, org, counts, user
):
    # given 白狼镇's operator or a county leader
    actor = request.getfixturevalue(user)
    before = counts()

    # when they record 天池镇's uses
    with pytest.raises(PermissionDenied) as exc:
        usage_record(
            actor=actor,
            unit=org.tianchi,
            item=items.town,
            period_start=YEAR_START,
            period_end=YEAR_END,
            count=3,
        )

    # then it is refused and nothing is saved
    assert str(exc.value) == denied("登记行权情况", "天池镇")
    assert counts() == before


# ---------------------------------------------------------------- pledge_set


def set_pledge(actor, department, batch, quota=2, people=2, funds="200000.00", moved="0"):
    return pledge_set(
        actor=actor,
        department=department,
        batch=batch,
        expected_quota=quota,
        expected_people=people,
        expected_funds=Decimal(funds),
        funds_transferred=Decimal(moved),
        notes="编随事走、人随编走、费随事转",
    )


def test_pledge_set_records_what_should_follow_and_updates_it_in_place(
    org, staffing_officer, batch
):
    # given a pledge of 2 places, 2 people and 200000 yuan for 农牧和科技局
    first = set_pledge(staffing_officer, org.department, batch)

    # when it is set again with 3 places, 3 people and 50000 yuan transferred
    second = set_pledge(staffing_officer, org.department, batch, 3, 3, "300000.00", "50000.00")

    # then the same row holds the new figures
    assert second.pk == first.pk
    assert list(
        ResourcePledge.objects.values_list(
            "department__name",
            "expected_quota",
            "expected_people",
            "expected_funds",
            "funds_transferred",
            "notes",
        )
    ) == [
        (
            "阿尔山市农牧和科技局",
            3,
            3,
            Decimal("300000.00"),
            Decimal("50000.00"),
            "编随事走、人随编走、费随事转",
        )
    ]
    assert second.history.first().history_change_reason == "登记资源下沉安排"


@pytest.mark.parametrize(
    ("quota", "people", "funds", "moved"),
    [(-1, 2, "0", "0"), (2, -1, "0", "0"), (2, 2, "-0.01", "0"), (2, 2, "0", "-1")],
    ids=["quota", "people", "expected-funds", "funds-transferred"],
)
def test_pledge_set_refuses_negative_figures(
    org, staffing_officer, batch, counts, quota, people, funds, moved
):
    # given a batch
    before = counts()

    # when a pledge with a negative figure is set
    with pytest.raises(ValidationError) as exc:
        set_pledge(staffing_officer, org.department, batch, quota, people, funds, moved)

    # then it is refused and nothing is saved
    assert exc.value.messages == ["数量和金额不能为负数"]
    assert counts() == before


def test_pledge_set_refuses_a_unit_that_is_not_a_department(org, staffing_officer, batch, counts):
    # given a batch
    before = counts()

    # when a pledge is set for a town
    with pytest.raises(ValidationError) as exc:
        set_pledge(staffing_officer, org.tianchi, batch)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"department": ["天池镇不是县直部门"]}
    assert counts() == before


@pytest.mark.parametrize("user", ["department_operator", "leader"])
def test_pledge_set_is_refused_outside_the_staffing_office(request, org, batch, counts, user):
    # given the department's own operator or a county leader
    actor = request.getfixturevalue(user)
    before = counts()

    # when they set the department's pledge
    with pytest.raises(PermissionDenied) as exc:
        set_pledge(actor, org.department, batch)

    # then it is refused and nothing is saved
    assert str(exc.value) == CATALOG_ONLY
    assert counts() == before


# ---------------------------------------------------------------- guidance_record


def test_guidance_record_stores_training_of_towns_on_an_item(items, org, department_operator):
    # given 农牧和科技局's operator and one of its delegated items
    # when they record a training for 天池镇 and 白狼镇 on it
    guidance = guidance_record(
        actor=department_operator,
        department=org.department,
        kind=GuidanceKind.TRAINING,
        held_on=dt.date(2024, 8, 15),
        description=" 动物防疫执法培训 ",
        units=[org.tianchi, org.bailang],
        item=items.town,
    )

    # then the training is stored with its towns
    guidance.refresh_from_db()
    assert (
        guidance.department,
        guidance.item,
        guidance.kind,
        guidance.held_on,
        guidance.description,
    ) == (
        org.department,
        items.town,
        GuidanceKind.TRAINING,
        dt.date(2024, 8, 15),
        "动物防疫执法培训",
    )
    assert sorted(guidance.units.values_list("name", flat=True)) == ["天池镇", "白狼镇"]


def test_guidance_record_without_item_covers_all_the_departments_powers(org, staffing_officer):
    # given the staffing office
    # when it records an evaluation for 农牧和科技局 without naming an item
    guidance = guidance_record(
        actor=staffing_officer,
        department=org.department,
        kind=GuidanceKind.EVALUATION,
        held_on=dt.date(2025, 6, 30),
        description="赋权事项承接评估",
        units=[],
    )

    # then it is stored with no item and no towns
    assert (guidance.item, guidance.units.count()) == (None, 0)


@pytest.mark.parametrize(
    ("kind", "description", "use_other_item", "errors"),
    [
        ("meeting", "会议", False, {"kind": ["类型无效"]}),
        (GuidanceKind.GUIDANCE, "   ", False, {"description": ["请填写指导内容"]}),
        (GuidanceKind.GUIDANCE, "业务指导", True, {"item": ["只能登记本部门下放的事项"]}),
    ],
    ids=["unknown-kind", "blank-description", "item-of-another-department"],
)
def test_guidance_record_refuses_bad_input(
    items, org, staffing_officer, land_bureau, counts, kind, description, use_other_item, errors
):
    # given an item of 自然资源局 beside 农牧和科技局's items
    other = add_item(
        staffing_officer, items.town.batch, land_bureau, "NMG-003", "宅基地审批", Grantee.TOWN
    )
    before = counts()

    # when 农牧和科技局's guidance is recorded with bad input
    with pytest.raises(ValidationError) as exc:
        guidance_record(
            actor=staffing_officer,
            department=org.department,
            kind=kind,
            held_on=dt.date(2024, 8, 15),
            description=description,
            units=[org.tianchi],
            item=other if use_other_item else items.town,
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == errors
    assert counts() == before


@pytest.mark.parametrize("user", ["tianchi_operator", "leader"])
def test_guidance_record_is_refused_outside_the_department_and_the_staffing_office(
    request, org, counts, user
):
    # given 天池镇's operator or a county leader
    actor = request.getfixturevalue(user)
    before = counts()

    # when they record 农牧和科技局's guidance
    with pytest.raises(PermissionDenied) as exc:
        guidance_record(
            actor=actor,
            department=org.department,
            kind=GuidanceKind.GUIDANCE,
            held_on=dt.date(2024, 8, 15),
            description="业务指导",
            units=[org.tianchi],
        )

    # then it is refused and nothing is saved
    assert str(exc.value) == denied("登记赋权后指导", "阿尔山市农牧和科技局")
    assert counts() == before


def test_a_new_pledge_writes_one_attributed_history_record(org, staffing_officer, batch):
    # when a department's pledge is first recorded
    pledge = pledge_set(
        actor=staffing_officer,
        department=org.department,
        batch=batch,
        expected_quota=2,
        expected_people=2,
        expected_funds=Decimal("10000.00"),
    )

    # then its history holds one creation, by the staffing office, with the real figures
    records = list(pledge.history.values_list("history_type", "history_user_id", "expected_quota"))
    assert records == [("+", staffing_officer.pk, 2)]


def test_acceptance_naming_an_abolished_handling_unit_is_refused(
    org, staffing_officer, items, counts
):
    # given 天池镇's office abolished before the acceptance takes effect
    from zhenjie.organizations.services import unit_abolish

    unit_abolish(
        actor=staffing_officer,
        unit=org.tianchi_office,
        abolished_on=dt.date(2024, 6, 2),
        abolished_doc="阿机编发〔2024〕5号",
    )
    office = type(org.tianchi_office).objects.get(pk=org.tianchi_office.pk)
    before = counts()

    # when 天池镇 accepts a power naming it as the handling unit
    with pytest.raises(ValidationError) as exc:
        accept(staffing_officer, org.tianchi, items.town, office)

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {
        "responsible_unit": [f"{office.name}在{EFFECTIVE}不存在或已撤销"]
    }
    assert counts() == before


def test_batches_are_listed_newest_first(staffing_officer, batch):
    from zhenjie.powers.selectors import batch_list

    newer = batch_create(
        actor=staffing_officer,
        name="第二批",
        issuer="内蒙古自治区人民政府",
        doc_no="内政字〔2025〕1号",
        issued_on=dt.date(2025, 1, 1),
    )
    assert list(batch_list().values_list("pk", flat=True)) == [newer.pk, batch.pk]
