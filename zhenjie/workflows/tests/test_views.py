"""Approval pages for each role: lists, inbox, the request page and its buttons, new requests."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhenjie.staffing.choices import MovementKind
from zhenjie.workflows.choices import RequestStatus
from zhenjie.workflows.models import ApprovalDefinition, ApprovalRequest

from .factories import DOC, JUN, quota_payload, snapshot, stage, transfer_payload

pytestmark = pytest.mark.django_db

STAGE_ONE_REFUSAL = "无权审批: “编办业务科室审核”须由阿尔山市的机构编制部门(编办)办理"
NEW_BUTTONS = [
    '<a class="btn btn-sm btn-primary" href="/approvals/new/?kind=quota_decrease">申请核减编制</a>',
    '<a class="btn btn-sm btn-primary" href="/approvals/new/?kind=quota_increase">申请核增编制</a>',
    '<a class="btn btn-sm btn-primary" href="/approvals/new/?kind=quota_transfer">申请编制划转</a>',
]
DECISION_FORM = 'data-testid="decision-form"'
WITHDRAW_BUTTON = '<button class="btn btn-outline-secondary" type="submit">撤回申请</button>'


def page(client, user, url, **kwargs):
    client.force_login(user)
    response = client.get(url, **kwargs)
    return response, response.content.decode()


def post(client, user, url, data=None, **kwargs):
    client.force_login(user)
    return client.post(url, data or {}, **kwargs)


def error_box(message):
    return (
        f'<div class="alert alert-danger" role="alert" data-testid="action-error">{message}</div>'
    )


# ---------------------------------------------------------------- 我的申请 and 待我审批


@pytest.mark.parametrize(
    ("who", "may_request"),
    [
        ("tianchi_operator", True),
        ("department_operator", True),
        ("staffing_officer", True),
        ("leader", False),
    ],
)
def test_my_requests_page_renders_for_each_role(request, client, org, who, may_request):
    # given a user of each role with no requests yet
    user = request.getfixturevalue(who)

    # when they open 我的申请
    response, html = page(client, user, "/approvals/")

    # then the page shows the empty list, and the new-request buttons only to those who may ask
    assert response.status_code == 200
    assert '<h1 class="h3 mb-0">我的申请</h1>' in html
    assert '<tr><td colspan="7" class="text-muted">还没有申请</td></tr>' in html
    assert [button in html for button in NEW_BUTTONS] == [may_request] * 3


def test_my_requests_lists_the_users_requests_with_their_stage(client, submitted, tianchi_operator):
    response, html = page(client, tianchi_operator, "/approvals/")

    assert response.status_code == 200
    assert f'<td><a href="/approvals/{submitted.pk}/">天池镇核增行政编制2名</a></td>' in html
    assert '<span class="badge bg-primary" data-testid="status">审批中</span>' in html
    assert "<td>编办业务科室审核</td>" in html


@pytest.mark.parametrize(
    ("who", "listed"),
    [
        ("staffing_officer", True),
        ("leader", False),
        ("tianchi_operator", False),
        ("department_operator", False),
    ],
)
def test_inbox_renders_for_each_role(request, client, submitted, who, listed):
    # given a request at the staffing-office stage, submitted today
    user = request.getfixturevalue(who)
    due = timezone.localdate(submitted.submitted_at) + dt.timedelta(days=5)

    # when each role opens 待我审批
    response, html = page(client, user, "/approvals/inbox/")

    # then only the staffing office finds it there, with the day it is due
    assert response.status_code == 200
    assert '<h1 class="h3 mb-0">待我审批</h1>' in html
    assert '<p class="small text-muted">申请提交后5日内应办结。</p>' in html
    assert (f'<a href="/approvals/{submitted.pk}/">天池镇核增行政编制2名</a>' in html) is listed
    assert (f"<td>{due:%Y-%m-%d}</td>" in html) is listed
    assert ("没有待您审批的申请" in html) is not listed


def test_inbox_page_query_count_does_not_grow(client, org, qt, make_request, staffing_officer):
    # given one request waiting
    make_request()
    client.force_login(staffing_officer)
    with CaptureQueriesContext(connection) as one:
        client.get("/approvals/inbox/")

    # when five more arrive
    for amount in range(1, 6):
        make_request(payload=quota_payload(org.tianchi, qt.administrative, amount))
    with CaptureQueriesContext(connection) as six:
        html = client.get("/approvals/inbox/").content.decode()

    # then the page costs the same number of queries
    assert len(re.findall(r'href="/approvals/\d+/"', html)) == 6
    assert len(six) == len(one)


# ---------------------------------------------------------------- the request page


@pytest.mark.parametrize(
    ("who", "decides", "withdraws"),
    [
        ("staffing_officer", True, False),
        ("tianchi_operator", False, True),
        ("leader", False, False),
    ],
)
def test_request_page_shows_each_role_its_buttons(
    request, client, submitted, who, decides, withdraws
):
    # given a request at stage 1
    user = request.getfixturevalue(who)

    # when each role opens it
    response, html = page(client, user, f"/approvals/{submitted.pk}/")

    # then it shows where it waits, and only the right buttons
    assert response.status_code == 200
    assert (
        '<dd class="col-8" data-testid="waiting-for">编办业务科室审核'
        "(待阿尔山市的机构编制部门(编办)办理)</dd>"
    ) in html
    assert '<dt class="col-4">核增编制数</dt><dd class="col-8">2名</dd>' in html
    assert (DECISION_FORM in html) is decides
    assert ('<button class="btn btn-success" type="submit">同意</button>' in html) is decides
    assert (WITHDRAW_BUTTON in html) is withdraws


@pytest.mark.parametrize("who", ["bailang_operator", "other_officer"])
def test_request_page_is_not_found_outside_the_scope(request, client, submitted, who):
    response, _ = page(client, request.getfixturevalue(who), f"/approvals/{submitted.pk}/")

    assert response.status_code == 404


def test_approving_through_the_pages_applies_the_change(
    client, org, qt, submitted, staffing_officer, leader
):
    # when the staffing office and then the leader press 同意
    first = post(
        client,
        staffing_officer,
        f"/approvals/{submitted.pk}/approve/",
        {"stage": stage(submitted, 1).pk, "comment": "拟同意"},
    )
    second = post(
        client,
        leader,
        f"/approvals/{submitted.pk}/approve/",
        {"stage": stage(submitted, 2).pk},
        follow=True,
    )

    # then each is redirected to the request, which ends approved and recorded in the ledger
    assert (first.status_code, first["Location"]) == (302, f"/approvals/{submitted.pk}/")
    html = second.content.decode()
    assert "已同意" in html
    assert '<span class="badge bg-success" data-testid="status">已通过</span>' in html
    assert "记账人: bianban(机构编制部门(编办))" in html
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.APPROVED
    assert org.tianchi.quota_movements.filter(kind=MovementKind.INCREASE).count() == 1


def test_reject_without_a_reason_shows_the_error_and_changes_nothing(
    client, submitted, staffing_officer
):
    before = snapshot(submitted)

    response = post(
        client,
        staffing_officer,
        f"/approvals/{submitted.pk}/reject/",
        {"stage": stage(submitted, 1).pk, "comment": "  "},
    )

    assert response.status_code == 400
    assert error_box("不同意须填写理由") in response.content.decode()
    assert snapshot(submitted) == before


def test_reject_with_a_reason_closes_the_request(client, submitted, staffing_officer):
    response = post(
        client,
        staffing_officer,
        f"/approvals/{submitted.pk}/reject/",
        {"stage": stage(submitted, 1).pk, "comment": "缺少机构职能调整依据"},
        follow=True,
    )

    html = response.content.decode()
    assert "已不同意, 申请已办结" in html
    assert '<span class="badge bg-danger" data-testid="status">未通过</span>' in html
    assert "<td>缺少机构职能调整依据</td>" in html


def test_a_wrong_role_pressing_approve_is_refused_and_nothing_changes(client, submitted, leader):
    before = snapshot(submitted)

    response = post(
        client, leader, f"/approvals/{submitted.pk}/approve/", {"stage": stage(submitted, 1).pk}
    )

    assert response.status_code == 403
    assert error_box(STAGE_ONE_REFUSAL) in response.content.decode()
    assert snapshot(submitted) == before


def test_another_countys_officer_cannot_reach_the_request(client, submitted, other_officer):
    before = snapshot(submitted)

    response = post(
        client,
        other_officer,
        f"/approvals/{submitted.pk}/approve/",
        {"stage": stage(submitted, 1).pk},
    )

    assert response.status_code == 404
    assert snapshot(submitted) == before


def test_a_stale_page_cannot_decide_the_next_stage(client, at_stage_two, second_officer):
    before = snapshot(at_stage_two)

    response = post(
        client,
        second_officer,
        f"/approvals/{at_stage_two.pk}/approve/",
        {"stage": stage(at_stage_two, 1).pk},
    )

    assert response.status_code == 400
    assert (
        error_box("该申请已进入其他环节或已办结, 请刷新页面后再办理") in response.content.decode()
    )
    assert snapshot(at_stage_two) == before


def test_a_refused_apply_shows_the_services_error(
    client, org, qt, make_request, grant_quota, staffing_officer, leader
):
    # given a cut of 4 of 5 places agreed by the staffing office, and 2 places cut meanwhile
    request = make_request(
        "quota_decrease", payload=quota_payload(org.tianchi, qt.administrative, 4)
    )
    post(
        client,
        staffing_officer,
        f"/approvals/{request.pk}/approve/",
        {"stage": stage(request, 1).pk},
    )
    grant_quota(org.tianchi, qt.administrative, 2, on=JUN, kind=MovementKind.DECREASE)
    before = snapshot(request)

    # when the leader presses 同意
    response = post(
        client, leader, f"/approvals/{request.pk}/approve/", {"stage": stage(request, 2).pk}
    )

    # then the page says why and the request still waits for the leader
    html = response.content.decode()
    assert response.status_code == 400
    assert error_box("办理失败, 审批未记录: 核减4名后天池镇的行政编制将为负数(现有3名)") in html
    assert DECISION_FORM in html
    assert snapshot(request) == before


def test_the_requester_submits_and_withdraws_through_the_page(
    client, make_request, tianchi_operator
):
    draft = make_request(submit=False)

    submitted = post(client, tianchi_operator, f"/approvals/{draft.pk}/submit/", follow=True)
    assert "申请已提交" in submitted.content.decode()
    withdrawn = post(client, tianchi_operator, f"/approvals/{draft.pk}/withdraw/", follow=True)

    html = withdrawn.content.decode()
    assert "申请已撤回" in html
    assert '<span class="badge bg-secondary" data-testid="status">已撤回</span>' in html
    assert WITHDRAW_BUTTON not in html


def test_action_urls_refuse_get(client, submitted, staffing_officer):
    response, _ = page(client, staffing_officer, f"/approvals/{submitted.pk}/approve/")

    assert response.status_code == 405


# ---------------------------------------------------------------- new requests


def test_new_request_page_lists_the_kinds(client, org, tianchi_operator):
    response, html = page(client, tianchi_operator, "/approvals/new/")

    assert response.status_code == 200
    for kind, name in [
        ("quota_decrease", "核减编制"),
        ("quota_increase", "核增编制"),
        ("quota_transfer", "编制划转"),
    ]:
        assert f'href="/approvals/new/?kind={kind}"><strong>{name}</strong>' in html


def test_a_leader_may_not_open_the_new_request_form(client, org, leader):
    response, html = page(client, leader, "/approvals/new/?kind=quota_increase")

    assert response.status_code == 403
    assert "您的角色不能提出审批申请" in html


def test_an_unknown_kind_is_not_found(client, org, tianchi_operator):
    response, _ = page(client, tianchi_operator, "/approvals/new/?kind=unit_merge")

    assert response.status_code == 404


def test_the_increase_form_offers_only_the_users_units(
    client, org, tianchi_quota, tianchi_operator
):
    response, html = page(client, tianchi_operator, "/approvals/new/?kind=quota_increase")

    assert response.status_code == 200
    assert '<h1 class="h3 mb-3">新建申请: 核增编制</h1>' in html
    assert "审批环节: 1. 编办业务科室审核(机构编制部门(编办)) → 2. 编委会审批(领导(只读))。" in html
    assert f'<option value="{org.tianchi.pk}">天池镇</option>' in html
    assert "白狼镇" not in html


@pytest.mark.parametrize(
    ("button", "status", "message"),
    [
        ("submit", RequestStatus.SUBMITTED, "申请已提交, 等待审批"),
        ("draft", RequestStatus.DRAFT, "申请已保存为草稿"),
    ],
)
def test_posting_the_form_creates_the_request(
    client, org, qt, tianchi_quota, tianchi_operator, button, status, message
):
    # when the town operator fills in the form and presses 提交审批 or 保存草稿
    response = post(
        client,
        tianchi_operator,
        "/approvals/new/?kind=quota_increase",
        {
            "unit": org.tianchi.pk,
            "quota_type": qt.administrative.pk,
            "amount": 2,
            "doc_no": DOC,
            "effective_on": "2024-06-01",
            "summary": "承接新增职能",
            button: "",
        },
        follow=True,
    )

    # then the request exists with the form's payload and the user lands on its page
    created = ApprovalRequest.objects.get()
    assert response.redirect_chain == [(f"/approvals/{created.pk}/", 302)]
    assert message in response.content.decode()
    assert (created.status, created.title) == (status, "天池镇核增行政编制2名")
    assert created.payload == quota_payload(org.tianchi, qt.administrative)


def test_a_refused_payload_is_shown_beside_its_field(
    client, org, qt, tianchi_quota, tianchi_operator
):
    response = post(
        client,
        tianchi_operator,
        "/approvals/new/?kind=quota_decrease",
        {
            "unit": org.tianchi.pk,
            "quota_type": qt.administrative.pk,
            "amount": 6,
            "doc_no": DOC,
            "effective_on": "2024-06-01",
        },
    )

    assert response.status_code == 400
    assert (
        '<div class="invalid-feedback d-block" data-field="amount">'
        "核减6名后天池镇的行政编制将为负数(现有5名)</div>"
    ) in response.content.decode()
    assert ApprovalRequest.objects.count() == 0


@pytest.fixture
def people(org, qt, tianchi_quota, grant_quota, register_person, enrol):
    """张三 on 天池镇's quota, 王五 on 白狼镇's."""
    grant_quota(org.bailang, qt.administrative, 1)
    zhang = register_person("张三")
    wang = register_person("王五")
    enrol(zhang, org.tianchi, qt.administrative)
    enrol(wang, org.bailang, qt.administrative)
    return zhang, wang


def test_the_transfer_form_lists_the_from_units_people(client, org, people, staffing_officer):
    # given 张三 in 天池镇 and 王五 in 白狼镇
    zhang, _ = people

    # when the form is opened without and then with a from-unit
    _, empty = page(client, staffing_officer, "/approvals/new/?kind=quota_transfer")
    _, html = page(
        client, staffing_officer, f"/approvals/new/?kind=quota_transfer&from_unit={org.tianchi.pk}"
    )

    # then people are listed only once the from-unit is known, and only that unit's
    assert '<div class="form-text">请先选择划出机构</div>' in empty
    assert "张三" not in empty
    assert f'<option value="{zhang.pk}">张三(行政编制)</option>' in html
    assert "王五" not in html
    # choosing another from-unit reloads the list in place
    assert 'hx-get="/approvals/new/?kind=quota_transfer"' in html
    assert 'hx-select="#persons-field"' in html
    assert '<div class="mb-3 row" id="persons-field">' in html


def test_posting_a_transfer_keeps_the_chosen_people(client, org, qt, people, tianchi_operator):
    zhang, _ = people

    response = post(
        client,
        tianchi_operator,
        "/approvals/new/?kind=quota_transfer",
        {
            "from_unit": org.tianchi.pk,
            "to_unit": org.department.pk,
            "quota_type": qt.administrative.pk,
            "amount": 1,
            "persons": [zhang.pk],
            "doc_no": DOC,
            "effective_on": "2024-06-01",
        },
    )

    created = ApprovalRequest.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/approvals/{created.pk}/")
    assert created.payload == transfer_payload(
        org.tianchi, org.department, qt.administrative, 1, [zhang]
    )
    assert created.status == RequestStatus.SUBMITTED


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/approvals/inbox/")

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/approvals/inbox/",
    )


def test_the_admin_edits_definitions_with_their_stages(client, root):
    # given the superuser
    client.force_login(root)
    definition = ApprovalDefinition.objects.get(kind="quota_transfer")

    # when they open the list of definitions and one definition
    listing = client.get("/admin/workflows/approvaldefinition/").content.decode()
    response = client.get(f"/admin/workflows/approvaldefinition/{definition.pk}/change/")

    # then the three are listed, and the stages are edited inline (the kind key is fixed)
    html = response.content.decode()
    assert [name in listing for name in ("核增编制", "核减编制", "编制划转")] == [True] * 3
    assert response.status_code == 200
    assert 'value="编办业务科室审核"' in html
    assert 'value="编委会审批"' in html
    assert 'name="kind"' not in html


def test_the_admin_shows_requests_read_only_with_their_trail(client, root, at_stage_two):
    client.force_login(root)

    listing = client.get("/admin/workflows/approvalrequest/")
    detail = client.get(f"/admin/workflows/approvalrequest/{at_stage_two.pk}/change/")

    html = detail.content.decode()
    assert (listing.status_code, detail.status_code) == (200, 200)
    assert "天池镇核增行政编制2名" in listing.content.decode()
    assert "拟同意" in html
    assert 'name="_save"' not in html
