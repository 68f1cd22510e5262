"""Payload checks at creation: a request the staffing office could never record is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhenjie.workflows import registry
from zhenjie.workflows.models import ApprovalRequest
from zhenjie.workflows.services import request_create

from .factories import quota_payload, transfer_payload

pytestmark = pytest.mark.django_db


def create(actor, kind, payload):
    return request_create(actor=actor, kind=kind, payload=payload, submit=True)


@pytest.mark.parametrize(
    ("kind", "change", "errors"),
    [
        ("quota_increase", {"amount": 0}, {"amount": ["申请编制数必须是正整数"]}),
        ("quota_increase", {"amount": "两名"}, {"amount": ["申请编制数必须是正整数"]}),
        ("quota_increase", {"amount": True}, {"amount": ["申请编制数必须是正整数"]}),
        ("quota_increase", {"doc_no": "  "}, {"doc_no": ["请填写批准文号"]}),
        (
            "quota_increase",
            {"effective_on": "2024-13-01"},
            {"effective_on": ["请填写生效日期(格式YYYY-MM-DD)"]},
        ),
        ("quota_increase", {"quota_type": 9999}, {"quota_type": ["请选择编制类型"]}),
        ("quota_increase", {"unit": 9999}, {"unit": ["请选择申请机构"]}),
        ("quota_increase", {"summary": "理" * 301}, {"summary": ["不能超过300个字"]}),
        (
            "quota_increase",
            {"amount": -1, "doc_no": ""},
            {"amount": ["申请编制数必须是正整数"], "doc_no": ["请填写批准文号"]},
        ),
        (
            "quota_increase",
            {"effective_on": "1999-01-01"},
            {"unit": ["天池镇在1999-01-01不存在或已撤销"]},
        ),
        (
            "quota_decrease",
            {"amount": 6},
            {"amount": ["核减6名后天池镇的行政编制将为负数(现有5名)"]},
        ),
    ],
    ids=[
        "zero",
        "not-a-number",
        "boolean",
        "no-doc-no",
        "bad-date",
        "unknown-quota-type",
        "unknown-unit",
        "long-summary",
        "two-errors",
        "unit-not-yet-established",
        "decrease-beyond-balance",
    ],
)
def test_bad_quota_payloads_are_refused_by_field(
    org, qt, tianchi_quota, tianchi_operator, kind, change, errors
):
    # given a payload with one thing wrong
    payload = {**quota_payload(org.tianchi, qt.administrative), **change}

    # when the request is made
    with pytest.raises(ValidationError) as exc:
        create(tianchi_operator, kind, payload)

    # then the error names the field and nothing is saved
    assert exc.value.message_dict == errors
    assert ApprovalRequest.objects.count() == 0


def test_unknown_payload_fields_are_refused(org, qt, tianchi_quota, tianchi_operator):
    payload = {**quota_payload(org.tianchi, qt.administrative), "note": "x", "persons": []}

    with pytest.raises(ValidationError) as exc:
        create(tianchi_operator, "quota_increase", payload)

    assert exc.value.messages == ["未知字段: note、persons"]
    assert ApprovalRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("unit", "quota_type", "message"),
    [
        ("tianchi", "institution", "事业编制只能用于事业单位, 天池镇是党政机关"),
        (
            "tianchi_office",
            "administrative",
            "天池镇党政综合办公室是内设机构, 不单独核定编制; 请在天池镇核定",
        ),
    ],
    ids=["mixed-quota", "internal-office"],
)
def test_a_quota_type_the_unit_may_not_hold_is_refused(
    org, qt, tianchi_quota, tianchi_operator, unit, quota_type, message
):
    payload = quota_payload(getattr(org, unit), getattr(qt, quota_type))

    with pytest.raises(ValidationError) as exc:
        create(tianchi_operator, "quota_increase", payload)

    assert exc.value.message_dict == {"unit": [message]}
    assert ApprovalRequest.objects.count() == 0


# ---------------------------------------------------------------- transfers


@pytest.fixture
def zhang(org, qt, tianchi_quota, register_person, enrol):
    """张三, on one of 天池镇's places of 行政编制."""
    person = register_person("张三")
    enrol(person, org.tianchi, qt.administrative)
    return person


@pytest.fixture
def wang(org, qt, grant_quota, register_person, enrol):
    """王五, on 白狼镇's 行政编制."""
    grant_quota(org.bailang, qt.administrative, 1)
    person = register_person("王五")
    enrol(person, org.bailang, qt.administrative)
    return person


@pytest.mark.parametrize(
    ("build", "errors"),
    [
        (
            lambda o, q, z, w: transfer_payload(o.tianchi, o.tianchi, q.administrative),
            {"to_unit": ["划出机构与划入机构不能相同"]},
        ),
        (
            lambda o, q, z, w: transfer_payload(o.tianchi, o.tianchi_center, q.administrative),
            {"to_unit": ["行政编制只能用于党政机关, 天池镇综合保障和技术推广中心是事业单位"]},
        ),
        (
            lambda o, q, z, w: transfer_payload(o.tianchi, o.bailang, q.administrative, 1, [z, z]),
            {"persons": ["随编划转人员有重复"]},
        ),
        (
            lambda o, q, z, w: transfer_payload(o.tianchi, o.bailang, q.administrative, 1, [z, w]),
            {"persons": ["随编划转2人, 超过划转编制数1名"]},
        ),
        (
            lambda o, q, z, w: transfer_payload(o.tianchi, o.bailang, q.administrative, 2, [z, w]),
            {"persons": ["王五不在天池镇的行政编制上, 不能随编划转"]},
        ),
        (
            lambda o, q, z, w: {
                **transfer_payload(o.tianchi, o.bailang, q.administrative),
                "persons": [99999],
            },
            {"persons": ["所选人员不存在"]},
        ),
        (
            lambda o, q, z, w: {
                **transfer_payload(o.tianchi, o.bailang, q.administrative),
                "persons": "张三",
            },
            {"persons": ["人员列表格式错误"]},
        ),
        (
            lambda o, q, z, w: transfer_payload(o.tianchi, o.bailang, q.administrative, 6),
            {"amount": ["天池镇的行政编制只有5名, 不能划出6名"]},
        ),
        (
            lambda o, q, z, w: {
                **transfer_payload(o.tianchi, o.bailang, q.administrative),
                "to_unit": None,
                "amount": "",
            },
            {"to_unit": ["请选择划入机构"], "amount": ["划转编制数必须是正整数"]},
        ),
    ],
    ids=[
        "same-unit",
        "to-unit-of-other-nature",
        "duplicate-person",
        "more-people-than-places",
        "person-not-on-the-from-unit",
        "unknown-person",
        "persons-not-a-list",
        "beyond-balance",
        "missing-fields",
    ],
)
def test_bad_transfer_payloads_are_refused_by_field(
    org, qt, zhang, wang, tianchi_operator, build, errors
):
    with pytest.raises(ValidationError) as exc:
        create(tianchi_operator, "quota_transfer", build(org, qt, zhang, wang))

    assert exc.value.message_dict == errors
    assert ApprovalRequest.objects.count() == 0


def test_a_transfer_may_not_leave_the_county(org, qt, other_county, zhang, tianchi_operator):
    # given a town of another county as the destination
    payload = transfer_payload(org.tianchi, other_county.town, qt.administrative)

    # when the request is made
    with pytest.raises(ValidationError) as exc:
        create(tianchi_operator, "quota_transfer", payload)

    # then it is refused
    assert exc.value.message_dict == {"to_unit": ["划入机构须与划出机构同属阿尔山市"]}
    assert ApprovalRequest.objects.count() == 0


def test_a_town_may_ask_to_transfer_to_a_county_department_outside_its_scope(
    org, qt, zhang, grant_quota, tianchi_operator
):
    # given the county department, which the town operator cannot see
    # when the town asks to transfer a place and 张三 there
    request = create(
        tianchi_operator,
        "quota_transfer",
        transfer_payload(org.tianchi, org.department, qt.administrative, 1, [zhang]),
    )

    # then the request is about the from-unit and waits for the staffing office
    assert (request.unit, request.title, request.payload["persons"]) == (
        org.tianchi,
        "天池镇划转行政编制1名至阿尔山市农牧和科技局",
        [zhang.pk],
    )


def test_a_transfer_from_outside_the_scope_is_denied(org, qt, zhang, bailang_operator, row_counts):
    before = row_counts()

    with pytest.raises(PermissionDenied) as exc:
        create(
            bailang_operator,
            "quota_transfer",
            transfer_payload(org.tianchi, org.bailang, qt.administrative),
        )

    assert str(exc.value) == "无权提出编制申请: 天池镇不在您的管理范围内或您的角色不允许此操作"
    assert (row_counts(), ApprovalRequest.objects.count()) == (before, 0)


# ---------------------------------------------------------------- how requests are shown


def test_describe_shows_a_quota_change_in_words(org, qt):
    rows = registry.get("quota_decrease").describe(
        {**quota_payload(org.tianchi, qt.administrative, 3), "summary": ""}
    )

    assert rows == [
        ("申请机构", "天池镇"),
        ("编制类型", "行政编制"),
        ("核减编制数", "3名"),
        ("批准文号", "阿机编发〔2024〕20号"),
        ("生效日期", "2024-06-01"),
        ("摘要", "—"),
    ]


def test_describe_shows_a_transfer_with_its_people(org, qt, zhang):
    rows = registry.get("quota_transfer").describe(
        transfer_payload(org.tianchi, org.bailang, qt.administrative, 2, [zhang])
    )

    assert rows == [
        ("划出机构", "天池镇"),
        ("划入机构", "白狼镇"),
        ("编制类型", "行政编制"),
        ("划转编制数", "2名"),
        ("随编划转人员", "张三"),
        ("批准文号", "阿机编发〔2024〕20号"),
        ("生效日期", "2024-06-01"),
        ("摘要", "—"),
    ]


def test_the_registry_knows_the_three_quota_kinds():
    # (other apps register their own kinds too, e.g. duties' admission)
    quota = sorted(k for k in registry.kinds() if k.startswith("quota_"))
    assert quota == ["quota_decrease", "quota_increase", "quota_transfer"]
    with pytest.raises(ValidationError) as exc:
        registry.get("nope")
    assert exc.value.message_dict == {"kind": ["未知的申请类型: nope"]}
