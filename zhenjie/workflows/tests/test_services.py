"""The approval engine: every transition allowed and refused, and the change applied atomically."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhenjie.accounts.models import User
from zhenjie.core.roles import Role
from zhenjie.personnel.choices import ExitReason
from zhenjie.personnel.models import Enrolment
from zhenjie.personnel.services import person_exit
from zhenjie.staffing.choices import MovementKind
from zhenjie.staffing.models import QuotaMovement, QuotaTransfer
from zhenjie.staffing.selectors import quota_balance
from zhenjie.workflows.choices import ApproverLocation, RequestStatus, StepDecision
from zhenjie.workflows.models import (
    ApprovalDefinition,
    ApprovalRequest,
    ApprovalStage,
    ApprovalStep,
)
from zhenjie.workflows.selectors import inbox
from zhenjie.workflows.services import (
    TRANSITIONS,
    request_approve,
    request_create,
    request_reject,
    request_submit,
    request_withdraw,
)

from .factories import DOC, JUN, quota_payload, snapshot, stage, transfer_payload

pytestmark = pytest.mark.django_db

STAGE_ONE_REFUSAL = "无权审批: “编办业务科室审核”须由阿尔山市的机构编制部门(编办)办理"
STAGE_TWO_REFUSAL = "无权审批: “编委会审批”须由阿尔山市的领导(只读)办理"
AFTER_JUN = dt.date(2024, 7, 1)


def decisions(request: ApprovalRequest) -> list[tuple[str, str, str, str]]:
    return [
        (s.decision, s.stage_name, s.actor.username, s.comment)
        for s in request.steps.select_related("actor").order_by("id")
    ]


# ---------------------------------------------------------------- the seeded definitions


def test_the_three_quota_definitions_are_seeded_with_two_county_stages():
    # given the migrated database
    # when the definitions and their stages are read
    rows = [
        (
            d.kind,
            d.name,
            d.is_active,
            [
                (s.order, s.name, s.approver_role, s.approver_location)
                for s in d.stages.order_by("order")
            ],
        )
        for d in ApprovalDefinition.objects.filter(kind__startswith="quota_").order_by("kind")
    ]

    # then each quota request goes to the county's staffing office, then its leaders
    two_stages = [
        (1, "编办业务科室审核", Role.STAFFING_OFFICE, ApproverLocation.COUNTY),
        (2, "编委会审批", Role.LEADER, ApproverLocation.COUNTY),
    ]
    assert rows == [
        ("quota_decrease", "核减编制", True, two_stages),
        ("quota_increase", "核增编制", True, two_stages),
        ("quota_transfer", "编制划转", True, two_stages),
    ]


def test_the_transition_table_lets_nothing_leave_a_finished_request():
    # given the transition table
    # when it is read as action -> (from, to)
    table = {action: (sorted(t.sources), sorted(t.targets)) for action, t in TRANSITIONS.items()}

    # then approved, rejected and withdrawn requests are never a source
    assert table == {
        "submit": (["draft"], ["submitted"]),
        "approve": (["submitted"], ["approved", "submitted"]),
        "reject": (["submitted"], ["rejected"]),
        "withdraw": (["draft", "submitted"], ["withdrawn"]),
    }


# ---------------------------------------------------------------- create and submit


def test_request_create_keeps_a_draft_with_the_normalised_payload(org, qt, make_request):
    # given a town operator's request typed with text ids and blanks
    payload = quota_payload(
        org.tianchi, qt.administrative, amount="2", doc_no=f" {DOC} ", summary=" 承接新增职能 "
    )
    payload["unit"] = str(org.tianchi.pk)

    # when it is created without submitting
    request = make_request(submit=False, payload=payload)

    # then it is a draft about 天池镇 with a clean payload, a title, a history record and no steps
    request.refresh_from_db()
    assert (request.status, request.title, request.unit, request.current_stage) == (
        RequestStatus.DRAFT,
        "天池镇核增行政编制2名",
        org.tianchi,
        None,
    )
    assert request.payload == {
        "unit": org.tianchi.pk,
        "quota_type": qt.administrative.pk,
        "amount": 2,
        "doc_no": DOC,
        "effective_on": "2024-06-01",
        "summary": "承接新增职能",
    }
    assert (request.submitted_at, request.closed_at, request.steps.count()) == (None, None, 0)
    latest = request.history.first()
    assert (latest.history_user.username, latest.history_change_reason) == ("tianchi", "创建申请")


def test_request_submit_sends_a_draft_to_the_first_stage(make_request, tianchi_operator):
    # given a draft
    draft = make_request(submit=False)

    # when its requester submits it
    request = request_submit(actor=tianchi_operator, request=draft)

    # then it waits at stage 1 and the trail records the submission
    request.refresh_from_db()
    assert (request.status, request.current_stage.name) == (
        RequestStatus.SUBMITTED,
        "编办业务科室审核",
    )
    assert request.submitted_at is not None
    assert decisions(request) == [(StepDecision.SUBMIT, "", "tianchi", "")]
    assert request.history.first().history_change_reason == "提交申请"


def test_request_submit_by_someone_else_is_refused_and_changes_nothing(
    make_request, staffing_officer
):
    # given a draft of the town operator
    draft = make_request(submit=False)
    before = snapshot(draft)

    # when the staffing office tries to submit it
    with pytest.raises(PermissionDenied) as exc:
        request_submit(actor=staffing_officer, request=draft)

    # then it is refused and the draft is untouched
    assert str(exc.value) == "只有申请人可以提交此申请"
    assert snapshot(draft) == before


def test_request_submit_twice_is_refused(submitted, tianchi_operator):
    before = snapshot(submitted)

    with pytest.raises(ValidationError) as exc:
        request_submit(actor=tianchi_operator, request=submitted)

    assert exc.value.messages == ["该申请当前状态为“审批中”, 不能提交"]
    assert snapshot(submitted) == before


def test_request_submit_checks_the_payload_again(
    org, qt, make_request, grant_quota, tianchi_operator
):
    # given a draft to cut 4 of 天池镇's 5 places, then a direct cut of 2 places
    draft = make_request(
        "quota_decrease", submit=False, payload=quota_payload(org.tianchi, qt.administrative, 4)
    )
    grant_quota(org.tianchi, qt.administrative, 2, on=JUN, kind=MovementKind.DECREASE)
    before = snapshot(draft)

    # when the draft is submitted
    with pytest.raises(ValidationError) as exc:
        request_submit(actor=tianchi_operator, request=draft)

    # then the request never enters the queue
    assert exc.value.message_dict == {"amount": ["核减4名后天池镇的行政编制将为负数(现有3名)"]}
    assert snapshot(draft) == before


def test_request_submit_of_a_definition_without_stages_is_refused(make_request, tianchi_operator):
    # given a draft whose definition lost its stages in the admin
    draft = make_request(submit=False)
    ApprovalStage.objects.filter(definition=draft.definition).delete()

    # when it is submitted
    with pytest.raises(ValidationError) as exc:
        request_submit(actor=tianchi_operator, request=draft)

    # then it stays a draft
    assert exc.value.messages == ["“核增编制”审批流程尚未设置审批环节"]
    draft.refresh_from_db()
    assert draft.status == RequestStatus.DRAFT


def test_request_create_of_an_inactive_definition_is_refused(
    org, qt, tianchi_quota, tianchi_operator
):
    # given 核增编制 switched off in the admin
    ApprovalDefinition.objects.filter(kind="quota_increase").update(is_active=False)

    # when a request is made
    with pytest.raises(ValidationError) as exc:
        request_create(
            actor=tianchi_operator,
            kind="quota_increase",
            payload=quota_payload(org.tianchi, qt.administrative),
        )

    # then it is refused and nothing is saved
    assert exc.value.message_dict == {"kind": ["“核增编制”审批流程已停用"]}
    assert ApprovalRequest.objects.count() == 0


def test_request_create_of_an_unknown_kind_is_refused(org, tianchi_operator):
    with pytest.raises(ValidationError) as exc:
        request_create(actor=tianchi_operator, kind="unit_merge", payload={})

    assert exc.value.message_dict == {"kind": ["未知的申请类型: unit_merge"]}
    assert ApprovalRequest.objects.count() == 0


def test_a_leader_may_not_make_requests(org, qt, tianchi_quota, leader, row_counts):
    # given a county leader (read-only)
    before = row_counts()

    # when they ask for more quota
    with pytest.raises(PermissionDenied) as exc:
        request_create(
            actor=leader,
            kind="quota_increase",
            payload=quota_payload(org.tianchi, qt.administrative),
        )

    # then it is refused and nothing is saved
    assert str(exc.value) == "您的角色不能提出审批申请"
    assert (row_counts(), ApprovalRequest.objects.count()) == (before, 0)


def test_an_operator_may_not_ask_for_another_towns_quota(
    org, qt, tianchi_quota, bailang_operator, row_counts
):
    # given 白狼镇's operator
    before = row_counts()

    # when they ask for more quota for 天池镇
    with pytest.raises(PermissionDenied) as exc:
        request_create(
            actor=bailang_operator,
            kind="quota_increase",
            payload=quota_payload(org.tianchi, qt.administrative),
        )

    # then it is refused and nothing is saved
    assert str(exc.value) == "无权提出编制申请: 天池镇不在您的管理范围内或您的角色不允许此操作"
    assert (row_counts(), ApprovalRequest.objects.count()) == (before, 0)


# ---------------------------------------------------------------- approval, stage by stage


def test_the_increase_is_applied_only_when_the_last_stage_approves(
    org, qt, submitted, staffing_officer, leader
):
    # given 天池镇 with 5 places and a request for 2 more waiting at stage 1
    assert quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=AFTER_JUN) == 5

    # when the staffing office agrees
    request = request_approve(
        actor=staffing_officer, request=submitted, stage_id=stage(submitted, 1).pk, comment="拟同意"
    )

    # then the request moves to stage 2 and the ledger is unchanged
    request.refresh_from_db()
    assert (request.status, request.current_stage.name) == (RequestStatus.SUBMITTED, "编委会审批")
    assert quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=AFTER_JUN) == 5

    # when the leader agrees as well
    request = request_approve(actor=leader, request=request, stage_id=stage(request, 2).pk)

    # then the increase is in the ledger under the staffing officer, and the request is closed
    request.refresh_from_db()
    movement = QuotaMovement.objects.get(kind=MovementKind.INCREASE)
    assert quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=AFTER_JUN) == 7
    assert (movement.unit, movement.delta, movement.doc_no, movement.effective_on) == (
        org.tianchi,
        2,
        DOC,
        JUN,
    )
    assert (movement.summary, movement.created_by) == ("承接新增职能", staffing_officer)
    assert (request.status, request.current_stage, request.result) == (
        RequestStatus.APPROVED,
        None,
        {"movement": movement.pk},
    )
    assert request.closed_at is not None
    assert decisions(request) == [
        (StepDecision.SUBMIT, "", "tianchi", ""),
        (StepDecision.APPROVE, "编办业务科室审核", "bianban", "拟同意"),
        (StepDecision.APPROVE, "编委会审批", "lingdao", ""),
    ]
    # the last step names the user whose quota authority recorded the change
    assert [s.applied_by for s in request.steps.order_by("id")] == [None, None, staffing_officer]
    assert [h.history_change_reason for h in request.history.order_by("history_id")] == [
        "创建申请",
        "提交申请",
        "同意: 编办业务科室审核",
        "同意: 编委会审批, 审批通过",
    ]


def test_an_approved_decrease_cuts_the_ledger(org, qt, make_request, staffing_officer, leader):
    # given a request to cut 3 of 天池镇's 5 places
    request = make_request(
        "quota_decrease", payload=quota_payload(org.tianchi, qt.administrative, 3)
    )

    # when both stages agree
    request_approve(actor=staffing_officer, request=request, stage_id=stage(request, 1).pk)
    request_approve(actor=leader, request=request, stage_id=stage(request, 2).pk)

    # then 2 places remain
    movement = QuotaMovement.objects.get(kind=MovementKind.DECREASE)
    assert (movement.delta, movement.created_by) == (-3, staffing_officer)
    assert quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=AFTER_JUN) == 2


def test_an_approved_transfer_moves_quota_and_people(
    org, qt, make_request, grant_quota, register_person, enrol, staffing_officer, leader
):
    # given 2 people on 天池镇's 行政编制 and a request to move 2 places and 张三 to 白狼镇
    grant_quota(org.bailang, qt.administrative, 1)
    zhang = register_person("张三")
    li = register_person("李四")
    enrol(zhang, org.tianchi, qt.administrative)
    enrol(li, org.tianchi, qt.administrative)
    request = make_request(
        "quota_transfer",
        payload=transfer_payload(org.tianchi, org.bailang, qt.administrative, 2, [zhang]),
    )
    assert request.title == "天池镇划转行政编制2名至白狼镇"

    # when both stages agree
    request_approve(actor=staffing_officer, request=request, stage_id=stage(request, 1).pk)
    request_approve(actor=leader, request=request, stage_id=stage(request, 2).pk)

    # then quota and 张三 moved, recorded by the staffing officer; 李四 stayed
    transfer = QuotaTransfer.objects.get()
    request.refresh_from_db()
    assert request.result == {"transfer": transfer.pk}
    assert (transfer.from_unit, transfer.to_unit, transfer.amount, transfer.created_by) == (
        org.tianchi,
        org.bailang,
        2,
        staffing_officer,
    )
    assert quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=AFTER_JUN) == 3
    assert quota_balance(unit=org.bailang, quota_type=qt.administrative, on=AFTER_JUN) == 3
    open_units = dict(
        Enrolment.objects.filter(end_date__isnull=True).values_list("person__name", "unit__name")
    )
    assert open_units == {"张三": "白狼镇", "李四": "天池镇"}


def test_a_refused_apply_keeps_the_request_at_its_stage_and_changes_nothing(
    org, qt, make_request, grant_quota, staffing_officer, leader, row_counts
):
    # given a request to cut 4 of 5 places, agreed by the staffing office
    request = make_request(
        "quota_decrease", payload=quota_payload(org.tianchi, qt.administrative, 4)
    )
    request_approve(actor=staffing_officer, request=request, stage_id=stage(request, 1).pk)
    # and, meanwhile, 2 places cut directly, so only 3 remain
    grant_quota(org.tianchi, qt.administrative, 2, on=JUN, kind=MovementKind.DECREASE)
    before, counts = snapshot(request), row_counts()

    # when the leader agrees
    with pytest.raises(ValidationError) as exc:
        request_approve(actor=leader, request=request, stage_id=stage(request, 2).pk)

    # then the service's error is raised, the approval is not recorded and the ledger is untouched
    assert exc.value.messages == [
        "办理失败, 审批未记录: 核减4名后天池镇的行政编制将为负数(现有3名)"
    ]
    assert (snapshot(request), row_counts()) == (before, counts)
    assert (request.status, request.current_stage.order) == (RequestStatus.SUBMITTED, 2)


def test_a_transfer_whose_person_left_meanwhile_is_not_applied(
    org, qt, make_request, register_person, enrol, staffing_officer, leader, row_counts
):
    # given a transfer of 张三 agreed by the staffing office, and 张三 retiring before the end
    zhang = register_person("张三")
    enrolment = enrol(zhang, org.tianchi, qt.administrative)
    request = make_request(
        "quota_transfer",
        payload=transfer_payload(org.tianchi, org.bailang, qt.administrative, 1, [zhang]),
    )
    request_approve(actor=staffing_officer, request=request, stage_id=stage(request, 1).pk)
    person_exit(
        actor=staffing_officer,
        enrolment=enrolment,
        end_date=dt.date(2024, 5, 1),
        reason=ExitReason.RETIREMENT,
    )
    before, counts = snapshot(request), row_counts()

    # when the leader agrees
    with pytest.raises(ValidationError) as exc:
        request_approve(actor=leader, request=request, stage_id=stage(request, 2).pk)

    # then nothing is recorded
    assert exc.value.messages == ["办理失败, 审批未记录: 张三不在天池镇的行政编制上, 不能随编划转"]
    assert (snapshot(request), row_counts()) == (before, counts)


# ---------------------------------------------------------------- who may decide


@pytest.mark.parametrize(
    "who",
    ["bailang_operator", "department_operator", "leader"],
    ids=["town", "department", "leader"],
)
def test_stage_one_refuses_the_wrong_role(request, submitted, who):
    # given a request at the staffing-office stage and a user of another role in the county
    actor = request.getfixturevalue(who)
    before = snapshot(submitted)

    # when they try to agree
    with pytest.raises(PermissionDenied) as exc:
        request_approve(actor=actor, request=submitted, stage_id=stage(submitted, 1).pk)

    # then it is refused and nothing changed
    assert str(exc.value) == STAGE_ONE_REFUSAL
    assert snapshot(submitted) == before


def test_stage_two_refuses_the_staffing_office(at_stage_two, second_officer):
    before = snapshot(at_stage_two)

    with pytest.raises(PermissionDenied) as exc:
        request_approve(
            actor=second_officer, request=at_stage_two, stage_id=stage(at_stage_two, 2).pk
        )

    assert str(exc.value) == STAGE_TWO_REFUSAL
    assert snapshot(at_stage_two) == before


def test_the_staffing_office_of_another_county_may_not_decide(submitted, other_officer):
    # given the staffing office of 乌兰浩特市
    before = snapshot(submitted)

    # when it tries to agree to 天池镇's request (or refuse it)
    with pytest.raises(PermissionDenied) as approve_exc:
        request_approve(actor=other_officer, request=submitted, stage_id=stage(submitted, 1).pk)
    with pytest.raises(PermissionDenied) as reject_exc:
        request_reject(
            actor=other_officer, request=submitted, stage_id=stage(submitted, 1).pk, reason="不同意"
        )

    # then both are refused and nothing changed
    assert str(approve_exc.value) == str(reject_exc.value) == STAGE_ONE_REFUSAL
    assert snapshot(submitted) == before


def test_an_inactive_user_may_not_decide(submitted, staffing_officer):
    staffing_officer.is_active = False
    staffing_officer.save(update_fields=["is_active"])
    before = snapshot(submitted)

    with pytest.raises(PermissionDenied) as exc:
        request_approve(actor=staffing_officer, request=submitted, stage_id=stage(submitted, 1).pk)

    assert str(exc.value) == STAGE_ONE_REFUSAL
    assert snapshot(submitted) == before


def test_nobody_approves_their_own_request(org, qt, make_request, staffing_officer):
    # given a request made by a staffing officer
    own = make_request(
        actor=staffing_officer, payload=quota_payload(org.tianchi, qt.administrative)
    )
    before = snapshot(own)

    # when they try to agree to it or refuse it
    with pytest.raises(PermissionDenied) as approve_exc:
        request_approve(actor=staffing_officer, request=own, stage_id=stage(own, 1).pk)
    with pytest.raises(PermissionDenied) as reject_exc:
        request_reject(
            actor=staffing_officer, request=own, stage_id=stage(own, 1).pk, reason="撤销"
        )

    # then both are refused
    assert str(approve_exc.value) == str(reject_exc.value) == "不能审批本人提出的申请"
    assert snapshot(own) == before


def test_another_officer_may_approve_a_staffing_officers_request(
    org, qt, make_request, staffing_officer, second_officer
):
    own = make_request(
        actor=staffing_officer, payload=quota_payload(org.tianchi, qt.administrative)
    )

    request = request_approve(actor=second_officer, request=own, stage_id=stage(own, 1).pk)

    assert request.current_stage.order == 2


def test_a_second_click_on_a_decided_stage_is_refused(submitted, staffing_officer, second_officer):
    # given stage 1 agreed by one officer
    request_approve(actor=staffing_officer, request=submitted, stage_id=stage(submitted, 1).pk)
    before = snapshot(submitted)

    # when the same stage is decided again (a double click, or a colleague's stale page)
    for actor in (staffing_officer, second_officer):
        with pytest.raises(ValidationError) as exc:
            request_approve(actor=actor, request=submitted, stage_id=stage(submitted, 1).pk)
        # then it is refused and nothing changed
        assert exc.value.messages == ["该申请已进入其他环节或已办结, 请刷新页面后再办理"]
    assert snapshot(submitted) == before


def test_one_person_may_not_decide_two_stages(
    org, qt, tianchi_quota, tianchi_operator, staffing_officer
):
    # given a definition configured with two staffing-office stages
    definition = ApprovalDefinition.objects.get(kind="quota_increase")
    definition.stages.filter(order=2).update(
        name="编办分管领导审核", approver_role=Role.STAFFING_OFFICE
    )
    request = request_create(
        actor=tianchi_operator,
        kind="quota_increase",
        payload=quota_payload(org.tianchi, qt.administrative),
        submit=True,
    )
    request_approve(actor=staffing_officer, request=request, stage_id=stage(request, 1).pk)
    before = snapshot(request)

    # when the same officer tries the second stage
    with pytest.raises(PermissionDenied) as exc:
        request_approve(actor=staffing_officer, request=request, stage_id=stage(request, 2).pk)

    # then it is refused
    assert str(exc.value) == "您已审批过此申请的其他环节, 同一人不能审批两个环节"
    assert snapshot(request) == before


def test_a_subtree_stage_is_decided_inside_the_requests_unit(
    org, qt, tianchi_quota, tianchi_operator, staffing_officer, leader
):
    # given 核增编制 reconfigured: first the town's own office, then the county's staffing office
    definition = ApprovalDefinition.objects.get(kind="quota_increase")
    definition.stages.all().delete()
    ApprovalStage.objects.create(
        definition=definition,
        order=1,
        name="镇党委审核",
        approver_role=Role.UNIT_OPERATOR,
        approver_location=ApproverLocation.SUBTREE,
    )
    ApprovalStage.objects.create(
        definition=definition, order=2, name="编办审批", approver_role=Role.STAFFING_OFFICE
    )
    town_officer = User.objects.create_user(
        "tianchi2", password="tianchi2-password", role=Role.UNIT_OPERATOR, unit=org.tianchi
    )
    bailang_officer = User.objects.create_user(
        "bailang2", password="bailang2-password", role=Role.UNIT_OPERATOR, unit=org.bailang
    )
    request = request_create(
        actor=tianchi_operator,
        kind="quota_increase",
        payload=quota_payload(org.tianchi, qt.administrative),
        submit=True,
    )

    # when an operator of another town tries stage 1
    with pytest.raises(PermissionDenied) as exc:
        request_approve(actor=bailang_officer, request=request, stage_id=stage(request, 1).pk)

    # then only someone in 天池镇 may decide it (and only their inbox holds it)
    assert str(exc.value) == "无权审批: “镇党委审核”须由天池镇或其下级机构的镇(街道)经办人办理"
    assert [list(inbox(user=u)) for u in (town_officer, bailang_officer, tianchi_operator)] == [
        [request],
        [],
        [],
    ]
    # and after them the staffing office decides and the change is recorded under its name
    request_approve(actor=town_officer, request=request, stage_id=stage(request, 1).pk)
    request_approve(actor=staffing_officer, request=request, stage_id=stage(request, 2).pk)
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert QuotaMovement.objects.get(kind=MovementKind.INCREASE).created_by == staffing_officer


def test_a_definition_without_a_staffing_office_stage_cannot_apply(
    org, qt, tianchi_quota, tianchi_operator, leader
):
    # given 核增编制 reconfigured with the leaders' stage only
    definition = ApprovalDefinition.objects.get(kind="quota_increase")
    definition.stages.filter(order=1).delete()
    request = request_create(
        actor=tianchi_operator,
        kind="quota_increase",
        payload=quota_payload(org.tianchi, qt.administrative),
        submit=True,
    )
    before = snapshot(request)

    # when the leader agrees
    with pytest.raises(ValidationError) as exc:
        request_approve(actor=leader, request=request, stage_id=stage(request, 2).pk)

    # then there is nobody whose authority could record it, and nothing is recorded
    assert exc.value.messages == ["“核增编制”审批流程没有由机构编制部门(编办)审批的环节, 无法办理"]
    assert snapshot(request) == before


# ---------------------------------------------------------------- reject and withdraw


def test_reject_ends_the_request_with_its_reason(org, qt, at_stage_two, leader):
    # when the leader refuses at stage 2
    request = request_reject(
        actor=leader,
        request=at_stage_two,
        stage_id=stage(at_stage_two, 2).pk,
        reason=" 编制总量已满 ",
    )

    # then the request is closed with the reason and the ledger is unchanged
    request.refresh_from_db()
    assert (request.status, request.current_stage, request.result) == (
        RequestStatus.REJECTED,
        None,
        {},
    )
    assert request.closed_at is not None
    assert decisions(request)[-1] == (StepDecision.REJECT, "编委会审批", "lingdao", "编制总量已满")
    assert quota_balance(unit=org.tianchi, quota_type=qt.administrative, on=AFTER_JUN) == 5


@pytest.mark.parametrize("reason", ["", "   "], ids=["empty", "blank"])
def test_reject_without_a_reason_is_refused(submitted, staffing_officer, reason):
    before = snapshot(submitted)

    with pytest.raises(ValidationError) as exc:
        request_reject(
            actor=staffing_officer,
            request=submitted,
            stage_id=stage(submitted, 1).pk,
            reason=reason,
        )

    assert exc.value.message_dict == {"reason": ["不同意须填写理由"]}
    assert snapshot(submitted) == before


def test_the_database_refuses_a_reject_step_without_a_reason(submitted, staffing_officer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalStep.objects.create(
            request=submitted, actor=staffing_officer, decision=StepDecision.REJECT, comment=""
        )


@pytest.mark.parametrize("submit", [False, True], ids=["draft", "submitted"])
def test_the_requester_may_withdraw_before_the_decision(make_request, tianchi_operator, submit):
    # given a draft or a request under approval
    request = make_request(submit=submit)

    # when its requester withdraws it
    request = request_withdraw(actor=tianchi_operator, request=request, reason="情况有变")

    # then it is closed as withdrawn with a step naming the stage it was at
    request.refresh_from_db()
    assert (request.status, request.current_stage) == (RequestStatus.WITHDRAWN, None)
    assert request.closed_at is not None
    stage_name = "编办业务科室审核" if submit else ""
    assert decisions(request)[-1] == (StepDecision.WITHDRAW, stage_name, "tianchi", "情况有变")


def test_only_the_requester_may_withdraw(submitted, staffing_officer):
    before = snapshot(submitted)

    with pytest.raises(PermissionDenied) as exc:
        request_withdraw(actor=staffing_officer, request=submitted)

    assert str(exc.value) == "只有申请人可以撤回此申请"
    assert snapshot(submitted) == before


# ---------------------------------------------------------------- finished requests


@pytest.fixture
def rejected(submitted, staffing_officer):
    return request_reject(
        actor=staffing_officer,
        request=submitted,
        stage_id=stage(submitted, 1).pk,
        reason="依据不足",
    )


@pytest.fixture
def withdrawn(submitted, tianchi_operator):
    return request_withdraw(actor=tianchi_operator, request=submitted)


@pytest.mark.parametrize(
    ("finished", "label"),
    [("approved", "已通过"), ("rejected", "未通过"), ("withdrawn", "已撤回")],
)
def test_no_decision_on_a_finished_request(
    request, finished, label, staffing_officer, second_officer, leader, tianchi_operator
):
    # given a request that is already finished
    obj = request.getfixturevalue(finished)
    first = stage(obj, 1).pk
    before = snapshot(obj)

    # when anyone tries to decide, submit or withdraw it
    attempts = [
        (lambda: request_approve(actor=second_officer, request=obj, stage_id=first), "审批"),
        (lambda: request_approve(actor=leader, request=obj, stage_id=first), "审批"),
        (
            lambda: request_reject(actor=second_officer, request=obj, stage_id=first, reason="否"),
            "审批",
        ),
        (lambda: request_submit(actor=tianchi_operator, request=obj), "提交"),
        (lambda: request_withdraw(actor=tianchi_operator, request=obj), "撤回"),
    ]
    for attempt, action in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        # then each is refused by the transition table and nothing changed
        assert exc.value.messages == [f"该申请当前状态为“{label}”, 不能{action}"]
    assert snapshot(obj) == before


def test_a_draft_cannot_be_decided(make_request, staffing_officer):
    draft = make_request(submit=False)
    before = snapshot(draft)

    with pytest.raises(ValidationError) as exc:
        request_approve(actor=staffing_officer, request=draft, stage_id=0)

    assert exc.value.messages == ["该申请当前状态为“草稿”, 不能审批"]
    assert snapshot(draft) == before
