"""Duty admission (职责准入): the checks, the towns' opinions, the three stages, and assignment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zhenjie.accounts.models import User
from zhenjie.core.roles import Role
from zhenjie.duties.admission import admission_create, admission_submit, opinion_record, task_assign
from zhenjie.duties.choices import AdmissionStatus, MatterType
from zhenjie.duties.models import DutyAdmission, DutyItem, TaskAssignment
from zhenjie.workflows.choices import RequestStatus
from zhenjie.workflows.services import request_approve, request_reject

DAY = dt.date(2025, 3, 1)


@pytest.fixture
def users(org):
    """Approvers: the staffing office and a leader of the county, a leader of the league."""

    def make(username, role, unit):
        return User.objects.create_user(username, password="x", role=role, unit=unit)

    return {
        "department": make("dept_op", Role.DEPARTMENT_OPERATOR, org.department),
        "tianchi": make("tc_op", Role.UNIT_OPERATOR, org.tianchi),
        "bailang": make("bl_op", Role.UNIT_OPERATOR, org.bailang),
        "bianban": make("bb", Role.STAFFING_OFFICE, org.county),
        "county_leader": make("county_leader", Role.LEADER, org.county),
        "league_leader": make("league_leader", Role.LEADER, org.prefecture),
    }


def draft(users, org, **overrides):
    data = {
        "department": org.department,
        "title": "农村牧区人居环境整治日常巡查",
        "content": "组织开展村庄清洁行动日常巡查并报送情况",
        "matter_type": MatterType.ADMINISTRATIVE_AFFAIR,
        "legal_basis": "《农村人居环境整治提升五年行动方案》",
        "towns": [org.tianchi, org.bailang],
        "people_stated": 0,
        "funds_stated": Decimal("50000.00"),
    }
    data.update(overrides)
    return admission_create(actor=users["department"], **data)


def hear_all(users, org, admission):
    for key, unit in (("tianchi", org.tianchi), ("bailang", org.bailang)):
        opinion_record(
            actor=users[key],
            admission=admission,
            unit=unit,
            agrees=True,
            opinion="同意承担",
            recorded_on=DAY,
        )


def decide(request, *approvers):
    for approver in approvers:
        request.refresh_from_db()
        request = request_approve(
            actor=approver, request=request, stage_id=request.current_stage_id
        )
    return request


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"matter_type": MatterType.PENALTY},
            "matter_type",
            "行政处罚、行政许可、行政强制等行政权力事项应通过赋权程序下放, 不适用职责准入",
        ),
        (
            {"matter_type": MatterType.LICENSING},
            "matter_type",
            "行政处罚、行政许可、行政强制等行政权力事项应通过赋权程序下放, 不适用职责准入",
        ),
        ({"legal_basis": " "}, "legal_basis", "职责准入须写明法律法规或“三定”规定依据"),
        (
            {"funds_stated": Decimal("0"), "people_stated": 0},
            "funds_stated",
            "须明确随事项下沉的人员或经费(费随事转)",
        ),
        ({"towns": []}, "towns", "请选择承担事项的镇(街道)"),
    ],
    ids=["penalty", "licensing", "no-basis", "no-resources", "no-towns"],
)
def test_an_application_breaking_a_rule_is_refused(users, org, overrides, field, message):
    # when a department drafts an application that breaks a rule
    with pytest.raises(ValidationError) as exc:
        draft(users, org, **overrides)

    # then the rule is named and nothing is saved
    assert exc.value.message_dict == {field: [message]}
    assert DutyAdmission.objects.count() == 0


def test_a_leader_cannot_apply(users, org):
    with pytest.raises(PermissionDenied):
        admission_create(
            actor=users["county_leader"],
            department=org.department,
            title="x",
            content="x",
            matter_type=MatterType.PUBLIC_SERVICE,
            legal_basis="y",
            towns=[org.tianchi],
            people_stated=1,
        )
    assert DutyAdmission.objects.count() == 0


def test_submission_waits_until_every_town_is_heard(users, org):
    # given an application heard by 天池镇 only
    admission = draft(users, org)
    opinion_record(
        actor=users["tianchi"],
        admission=admission,
        unit=org.tianchi,
        agrees=True,
        opinion="同意",
        recorded_on=DAY,
    )

    # when it is submitted
    with pytest.raises(ValidationError) as exc:
        admission_submit(actor=users["department"], admission=admission)

    # then 白狼镇 is named and nothing went for approval
    assert exc.value.message_dict == {"admission": ["尚未听取以下镇(街道)的意见: 白狼镇"]}
    admission.refresh_from_db()
    assert admission.request_id is None
    assert admission.status == AdmissionStatus.DRAFT


def test_a_town_gives_its_opinion_only_for_itself(users, org):
    admission = draft(users, org)
    with pytest.raises(PermissionDenied):
        opinion_record(
            actor=users["bailang"],
            admission=admission,
            unit=org.tianchi,
            agrees=False,
            opinion="x",
            recorded_on=DAY,
        )
    assert admission.opinions.count() == 0


def test_admitted_duty_passes_three_stages_and_enters_the_duty_list(users, org):
    # given an application every town was heard on, submitted
    admission = draft(users, org)
    hear_all(users, org, admission)
    request = admission_submit(actor=users["department"], admission=admission)

    # when the joint review, the county government and the league approve
    request = decide(request, users["bianban"], users["county_leader"])
    assert request.status == RequestStatus.SUBMITTED
    request = decide(request, users["league_leader"])

    # then it is admitted and sits in a draft of the county's duty list
    admission.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert admission.status == AdmissionStatus.APPROVED
    item = DutyItem.objects.get(pk=admission.duty_item_id)
    assert (item.name, item.edition.status, item.edition.duty_list.county) == (
        "农村牧区人居环境整治日常巡查",
        "draft",
        org.county,
    )


def test_a_county_leader_cannot_take_the_leagues_stage(users, org):
    admission = draft(users, org)
    hear_all(users, org, admission)
    request = decide(
        admission_submit(actor=users["department"], admission=admission),
        users["bianban"],
        users["county_leader"],
    )
    other = User.objects.create_user(
        "other_leader", password="x", role=Role.LEADER, unit=org.county
    )

    with pytest.raises(PermissionDenied):
        request_approve(actor=other, request=request, stage_id=request.current_stage_id)
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_a_temporary_task_is_approved_by_the_county(users, org):
    # given a temporary task
    admission = draft(users, org, is_temporary=True)
    hear_all(users, org, admission)

    # when the joint review and the county party committee and government approve
    request = decide(
        admission_submit(actor=users["department"], admission=admission),
        users["bianban"],
        users["county_leader"],
    )

    # then it is admitted without going to the league
    assert request.status == RequestStatus.APPROVED
    assert [s.name for s in request.definition.stages.order_by("order")] == [
        "联席会议审核(编办牵头)",
        "旗县党委和政府批准",
    ]


def test_only_an_admitted_task_can_be_assigned_to_a_town(users, org):
    # given an application not yet admitted
    admission = draft(users, org)

    # when the department hands it to a town
    with pytest.raises(ValidationError) as exc:
        task_assign(
            actor=users["department"], admission=admission, unit=org.tianchi, assigned_on=DAY
        )

    # then it is refused and nothing is assigned
    assert exc.value.message_dict == {"admission": ["该事项未经职责准入审批, 不能交由镇(街道)承担"]}
    assert TaskAssignment.objects.count() == 0


def test_a_rejected_task_cannot_be_assigned_but_an_admitted_one_can(users, org):
    rejected = draft(users, org)
    hear_all(users, org, rejected)
    request = admission_submit(actor=users["department"], admission=rejected)
    request_reject(
        actor=users["bianban"],
        request=request,
        stage_id=request.current_stage_id or 0,
        reason="无法律依据",
    )
    with pytest.raises(ValidationError):
        task_assign(
            actor=users["department"], admission=rejected, unit=org.tianchi, assigned_on=DAY
        )

    admitted = draft(users, org, title="村级组织运转经费使用情况报送")
    hear_all(users, org, admitted)
    decide(
        admission_submit(actor=users["department"], admission=admitted),
        users["bianban"],
        users["county_leader"],
        users["league_leader"],
    )
    assignment = task_assign(
        actor=users["department"], admission=admitted, unit=org.tianchi, assigned_on=DAY
    )
    assert (assignment.unit, TaskAssignment.objects.count()) == (org.tianchi, 1)


def admitted(users, org):
    """The patrol task, heard by both towns and approved by the county and the league."""
    admission = draft(users, org)
    hear_all(users, org, admission)
    decide(
        admission_submit(actor=users["department"], admission=admission),
        users["bianban"],
        users["county_leader"],
        users["league_leader"],
    )
    return admission


ASSIGNED_TWICE = "“农村牧区人居环境整治日常巡查”已交由天池镇承担, 不能重复交办"


def assignments():
    return list(TaskAssignment.objects.values_list("unit__name", "assigned_on", "note"))


def test_an_admitted_task_is_assigned_to_each_town_once(users, org):
    # given the admitted task handed to 天池镇
    admission = admitted(users, org)
    task_assign(
        actor=users["department"],
        admission=admission,
        unit=org.tianchi,
        assigned_on=DAY,
        note="首次",
    )

    # when it is handed to 天池镇 again
    with pytest.raises(ValidationError) as exc:
        task_assign(
            actor=users["department"],
            admission=admission,
            unit=org.tianchi,
            assigned_on=DAY + dt.timedelta(days=30),
            note="再次",
        )

    # then it is refused on the town and the first assignment stands alone
    assert exc.value.message_dict == {"unit": [ASSIGNED_TWICE]}
    assert assignments() == [("天池镇", DAY, "首次")]


def test_an_admitted_task_assigned_to_one_town_can_still_go_to_another(users, org):
    # given the admitted task handed to 天池镇
    admission = admitted(users, org)
    task_assign(actor=users["department"], admission=admission, unit=org.tianchi, assigned_on=DAY)

    # when it is handed to 白狼镇
    task_assign(actor=users["department"], admission=admission, unit=org.bailang, assigned_on=DAY)

    # then each town holds one assignment
    assert sorted(name for name, _, _ in assignments()) == ["天池镇", "白狼镇"]


def test_the_database_holds_one_assignment_per_task_and_town(users, org):
    # given the admitted task handed to 天池镇
    admission = admitted(users, org)
    task_assign(actor=users["department"], admission=admission, unit=org.tianchi, assigned_on=DAY)

    # when a second row is written around the service
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskAssignment.objects.create(admission=admission, unit=org.tianchi, assigned_on=DAY)

    # then only the first is kept
    assert assignments() == [("天池镇", DAY, "")]


def test_admission_page_refuses_a_second_assignment_beside_the_town(client, users, org):
    # given the admitted task handed to 天池镇 and its department's operator logged in
    admission = admitted(users, org)
    task_assign(actor=users["department"], admission=admission, unit=org.tianchi, assigned_on=DAY)
    client.force_login(users["department"])

    # when the page hands it to 天池镇 again
    response = client.post(
        f"/duties/admissions/{admission.pk}/",
        {"action": "assign", "unit": org.tianchi.pk, "assigned_on": "2025-04-01", "note": ""},
    )

    # then the form comes back with the reason and nothing is added
    assert response.status_code == 400
    assert ASSIGNED_TWICE in response.content.decode()
    assert assignments() == [("天池镇", DAY, "")]


def test_admission_pages_render(client, users, org):
    admission = draft(users, org)
    client.force_login(users["tianchi"])
    assert client.get("/duties/admissions/").status_code == 200
    html = client.get(f"/duties/admissions/{admission.pk}/").content.decode()
    assert "征求镇街意见" in html
    # a town operator records its opinion through the page
    response = client.post(
        f"/duties/admissions/{admission.pk}/",
        {
            "action": "opinion",
            "unit": org.tianchi.pk,
            "agrees": "1",
            "opinion": "同意承担",
            "recorded_on": "2025-03-01",
        },
    )
    assert response.status_code == 302
    assert admission.opinions.get().unit == org.tianchi
