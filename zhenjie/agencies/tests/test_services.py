"""Dual management of dispatched agencies: assessments, personnel moves, unified command."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from zhenjie.agencies.choices import AssessmentParty, MoveDecision, MoveKind, MoveStatus
from zhenjie.agencies.models import Agency
from zhenjie.agencies.selectors import annual_results
from zhenjie.agencies.services import (
    agency_register,
    assessment_record,
    combined_score,
    move_decide,
    move_opinion_record,
    move_propose,
    move_withdraw,
    task_assign,
    task_close,
)

YEAR = 2024
SCORED = dt.date(2025, 1, 15)
PROPOSED = dt.date(2025, 2, 1)
HEARD = dt.date(2025, 2, 10)
DECIDED = dt.date(2025, 2, 20)


def score(actor, agency, party, value, **extra):
    data = {"year": YEAR, "party": party, "score": Decimal(value), "scored_on": SCORED, **extra}
    return assessment_record(actor=actor, agency=agency, **data)


# ------------------------------------------------------------------ combined score


@pytest.mark.parametrize(
    ("town", "department", "weight", "expected"),
    [
        ("90", "80", "0.4", "84.0"),
        ("90", "80", "0.5", "85.0"),
        ("90", "80", "0", "80.0"),
        ("90", "80", "1", "90.0"),
        ("87.5", "92.5", "0.3", "91.0"),
        ("85.3", "90.1", "0.4", "88.2"),
    ],
)
def test_combined_score_weights_the_town_and_the_department(town, department, weight, expected):
    assert combined_score(
        town=Decimal(town), department=Decimal(department), weight=Decimal(weight)
    ) == Decimal(expected)


def test_annual_result_combines_both_scores_with_the_configured_weight(
    agencies, tianchi_operator, department_operator
):
    # given both sides have scored 天池镇市场监督管理所
    score(tianchi_operator, agencies.tianchi, AssessmentParty.TOWN, "90")
    score(department_operator, agencies.tianchi, AssessmentParty.DEPARTMENT, "80")

    # then the default weight (0.4 town) gives 84, and a changed setting changes the result
    [result] = annual_results(user=tianchi_operator, year=YEAR)
    assert (result.town.score, result.department.score, result.combined) == (
        Decimal("90.0"),
        Decimal("80.0"),
        Decimal("84.0"),
    )
    with override_settings(ZHENJIE={"AGENCY_TOWN_WEIGHT": "0.6"}):
        [result] = annual_results(user=tianchi_operator, year=YEAR)
    assert result.combined == Decimal("86.0")


def test_annual_result_has_no_combined_score_until_both_sides_scored(agencies, tianchi_operator):
    # given only the town has scored
    score(tianchi_operator, agencies.tianchi, AssessmentParty.TOWN, "90")

    # then there is no combined score and the department is named as missing
    [result] = annual_results(user=tianchi_operator, year=YEAR)
    assert (result.combined, result.missing) == (None, ["主管部门"])


# ------------------------------------------------------------------ who scores


def test_a_town_operator_scores_an_agency_in_their_town(agencies, tianchi_operator):
    assessment = score(tianchi_operator, agencies.tianchi, AssessmentParty.TOWN, "88.5")
    assert (assessment.party, assessment.score, assessment.scored_by) == (
        "town",
        Decimal("88.5"),
        tianchi_operator,
    )
    assert assessment.history.first().history_user == tianchi_operator


def test_a_town_operator_cannot_score_another_towns_agency(
    agencies, bailang_operator, agency_counts
):
    # given 白狼镇's operator and 天池镇's agency
    before = agency_counts()

    # when they score it as the town, then it is refused and nothing changed
    with pytest.raises(PermissionDenied, match="天池镇"):
        score(bailang_operator, agencies.tianchi, AssessmentParty.TOWN, "60")
    assert agency_counts() == before


def test_a_town_operator_cannot_score_as_the_department(agencies, tianchi_operator, agency_counts):
    before = agency_counts()
    with pytest.raises(PermissionDenied, match="阿尔山市农牧和科技局"):
        score(tianchi_operator, agencies.tianchi, AssessmentParty.DEPARTMENT, "95")
    assert agency_counts() == before


def test_a_department_operator_scores_only_as_the_department(
    agencies, department_operator, agency_counts
):
    # the department scores its own agency
    assessment = score(department_operator, agencies.tianchi, AssessmentParty.DEPARTMENT, "80")
    assert assessment.party == "department"
    # but cannot score as the town
    before = agency_counts()
    with pytest.raises(PermissionDenied, match="天池镇"):
        score(department_operator, agencies.tianchi, AssessmentParty.TOWN, "99")
    assert agency_counts() == before


def test_a_department_operator_cannot_score_another_departments_agency(
    agencies, root, org, other_county, agency_counts
):
    # given an operator of 乌兰浩特市农牧局
    from zhenjie.accounts.models import User
    from zhenjie.core.roles import Role

    other = User.objects.create_user(
        "wlht", password="x", role=Role.DEPARTMENT_OPERATOR, unit=other_county.department
    )
    before = agency_counts()
    with pytest.raises(PermissionDenied):
        score(other, agencies.tianchi, AssessmentParty.DEPARTMENT, "70")
    assert agency_counts() == before


def test_a_leader_cannot_score(agencies, leader, agency_counts):
    before = agency_counts()
    with pytest.raises(PermissionDenied):
        score(leader, agencies.tianchi, AssessmentParty.TOWN, "70")
    assert agency_counts() == before


def test_a_party_scores_once_a_year(agencies, tianchi_operator, agency_counts):
    # given the town has scored 2024
    score(tianchi_operator, agencies.tianchi, AssessmentParty.TOWN, "90")
    before = agency_counts()

    # when it scores 2024 again, then a clear error and nothing changed
    with pytest.raises(ValidationError) as exc:
        score(tianchi_operator, agencies.tianchi, AssessmentParty.TOWN, "95")
    assert exc.value.message_dict == {
        "party": ["天池镇市场监督管理所2024年度已有镇(街道)评分, 每方每年只评一次"]
    }
    assert agency_counts() == before

    # but the next year is a new assessment
    score(tianchi_operator, agencies.tianchi, AssessmentParty.TOWN, "91", year=2025)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"score": Decimal("100.5")}, "score", "评分须在0至100分之间"),
        ({"score": Decimal("-1")}, "score", "评分须在0至100分之间"),
        ({"year": 2018}, "year", "天池镇市场监督管理所自2019年起实行双重管理"),
        ({"scored_on": dt.date(2023, 12, 31)}, "scored_on", "2024年度的考核不能在该年度开始前评分"),
        ({"party": "county"}, "party", "评分方无效"),
    ],
)
def test_bad_scores_are_refused_and_change_nothing(
    agencies, staffing_officer, agency_counts, changes, field, message
):
    before = agency_counts()
    with pytest.raises(ValidationError) as exc:
        changes = dict(changes)
        score(staffing_officer, agencies.tianchi, changes.pop("party", "town"), "80", **changes)
    assert exc.value.message_dict == {field: [message]}
    assert agency_counts() == before


# ------------------------------------------------------------------ personnel moves


def propose(actor, agencies, **overrides):
    data = {
        "agency": agencies.tianchi,
        "kind": MoveKind.TRANSFER_OUT,
        "person": agencies.clerk,
        "description": "因工作需要调回局机关",
        "proposed_on": PROPOSED,
    }
    data.update(overrides)
    return move_propose(actor=actor, **data)


def test_a_move_cannot_be_decided_before_the_towns_opinion(
    agencies, department_operator, agency_counts
):
    # given a move the department proposed
    move = propose(department_operator, agencies)
    assert move.status == MoveStatus.PENDING_OPINION
    before = agency_counts()

    # when it decides at once, then it is refused and nothing changed
    with pytest.raises(ValidationError) as exc:
        move_decide(
            actor=department_operator,
            move=move,
            decision=MoveDecision.ADOPTED,
            decided_on=DECIDED,
        )
    assert exc.value.messages == ["尚未收到镇(街道)党(工)委意见, 不能作出决定"]
    assert agency_counts() == before
    move.refresh_from_db()
    assert (move.status, move.decision, move.followed_opinion) == ("pending_opinion", "", None)


def test_the_database_refuses_a_decision_without_the_towns_opinion(agencies, department_operator):
    from django.db import IntegrityError, transaction

    move = propose(department_operator, agencies)
    move.status = MoveStatus.DECIDED
    move.decision = MoveDecision.ADOPTED
    move.decided_on = DECIDED
    move.followed_opinion = True
    with pytest.raises(IntegrityError), transaction.atomic():
        move.save()


def test_disagreement_without_reason_is_refused(
    agencies, department_operator, tianchi_operator, agency_counts
):
    move = propose(department_operator, agencies)
    before = agency_counts()
    with pytest.raises(ValidationError) as exc:
        move_opinion_record(
            actor=tianchi_operator, move=move, agrees=False, reason="  ", opinion_on=HEARD
        )
    assert exc.value.message_dict == {"reason": ["不同意的, 须写明理由"]}
    assert agency_counts() == before


def test_only_the_host_town_gives_the_opinion(
    agencies, department_operator, bailang_operator, agency_counts
):
    move = propose(department_operator, agencies)
    before = agency_counts()
    for actor in (bailang_operator, department_operator):
        with pytest.raises(PermissionDenied):
            move_opinion_record(actor=actor, move=move, agrees=True, reason="", opinion_on=HEARD)
    assert agency_counts() == before


def test_only_the_department_proposes_and_decides(agencies, tianchi_operator, agency_counts):
    before = agency_counts()
    with pytest.raises(PermissionDenied, match="阿尔山市农牧和科技局"):
        propose(tianchi_operator, agencies)
    assert agency_counts() == before


@pytest.mark.parametrize(
    ("agrees", "decision", "followed"),
    [
        (True, MoveDecision.ADOPTED, True),
        (False, MoveDecision.DROPPED, True),
        (True, MoveDecision.DROPPED, False),
        (False, MoveDecision.ADOPTED, False),
    ],
)
def test_the_record_shows_whether_the_decision_followed_the_opinion(
    agencies, department_operator, tianchi_operator, agrees, decision, followed
):
    # given the town's opinion
    move = propose(department_operator, agencies)
    move_opinion_record(
        actor=tianchi_operator,
        move=move,
        agrees=agrees,
        reason="" if agrees else "该同志熟悉辖区情况, 建议暂缓调整",
        opinion_on=HEARD,
    )

    # when the department decides (a decision against the opinion says why)
    move = move_decide(
        actor=department_operator,
        move=move,
        decision=decision,
        decided_on=DECIDED,
        reason="" if followed else "全局统筹安排",
    )

    # then the record says whether it followed the opinion
    move.refresh_from_db()
    assert (move.status, move.decision, move.followed_opinion) == ("decided", decision, followed)
    assert [h.history_change_reason for h in move.history.order_by("history_id")] == [
        "提出人员调整",
        "镇(街道)党(工)委意见",
        "主管部门决定",
    ]


def test_a_decision_against_the_opinion_without_reason_is_refused(
    agencies, department_operator, tianchi_operator, agency_counts
):
    move = propose(department_operator, agencies)
    move_opinion_record(
        actor=tianchi_operator, move=move, agrees=False, reason="辖区监管力量不足", opinion_on=HEARD
    )
    before = agency_counts()
    with pytest.raises(ValidationError) as exc:
        move_decide(
            actor=department_operator,
            move=move,
            decision=MoveDecision.ADOPTED,
            decided_on=DECIDED,
        )
    assert exc.value.message_dict == {"reason": ["决定与镇(街道)党(工)委意见不一致的, 须说明理由"]}
    assert agency_counts() == before


def test_an_adopted_head_appointment_changes_the_head(
    agencies, department_operator, tianchi_operator
):
    # given the department proposes 李科员 as head, and the town agrees
    move = propose(
        department_operator, agencies, kind=MoveKind.APPOINT_HEAD, description="拟任所长"
    )
    move_opinion_record(actor=tianchi_operator, move=move, agrees=True, reason="", opinion_on=HEARD)
    assert Agency.objects.get(pk=agencies.tianchi.pk).head == agencies.head

    # when it is adopted, then 李科员 heads the agency
    move_decide(
        actor=department_operator, move=move, decision=MoveDecision.ADOPTED, decided_on=DECIDED
    )
    agency = Agency.objects.get(pk=agencies.tianchi.pk)
    assert agency.head == agencies.clerk
    assert agency.history.first().history_change_reason == "任命负责人"


def test_removing_someone_who_is_not_the_head_is_refused(agencies, department_operator):
    with pytest.raises(ValidationError) as exc:
        propose(department_operator, agencies, kind=MoveKind.REMOVE_HEAD)
    assert exc.value.message_dict == {"person": ["李科员不是天池镇市场监督管理所现任负责人"]}


def test_a_decided_move_cannot_be_decided_again_or_withdrawn(
    agencies, department_operator, tianchi_operator
):
    move = propose(department_operator, agencies)
    move_opinion_record(actor=tianchi_operator, move=move, agrees=True, reason="", opinion_on=HEARD)
    move_decide(
        actor=department_operator, move=move, decision=MoveDecision.ADOPTED, decided_on=DECIDED
    )
    with pytest.raises(ValidationError, match="已决定"):
        move_withdraw(actor=department_operator, move=move)
    with pytest.raises(ValidationError, match="已决定"):
        move_decide(
            actor=department_operator, move=move, decision=MoveDecision.DROPPED, decided_on=DECIDED
        )


def test_a_second_open_move_for_the_same_person_is_refused(agencies, department_operator):
    propose(department_operator, agencies)
    with pytest.raises(ValidationError) as exc:
        propose(department_operator, agencies, kind=MoveKind.OTHER)
    assert exc.value.message_dict == {"person": ["李科员已有一项未办结的调整"]}


# ------------------------------------------------------------------ unified command


def assign(actor, agency, title, assigned_on, due_on):
    return task_assign(
        actor=actor, agency=agency, title=title, assigned_on=assigned_on, due_on=due_on
    )


def test_task_outcomes_count_in_the_annual_result(agencies, tianchi_operator):
    # given four tasks the town assigned in 2024: on time, late, not done, still open
    on_time = assign(
        tianchi_operator,
        agencies.tianchi,
        "节前食品安全检查",
        dt.date(2024, 1, 5),
        dt.date(2024, 1, 31),
    )
    late = assign(
        tianchi_operator,
        agencies.tianchi,
        "农贸市场整治",
        dt.date(2024, 5, 1),
        dt.date(2024, 5, 31),
    )
    failed = assign(
        tianchi_operator,
        agencies.tianchi,
        "矛盾纠纷排查",
        dt.date(2024, 9, 1),
        dt.date(2024, 9, 30),
    )
    assign(
        tianchi_operator,
        agencies.tianchi,
        "冬季安全巡查",
        dt.date(2024, 12, 1),
        dt.date(2025, 1, 31),
    )
    # and one assigned in 2023, which does not count for 2024
    assign(tianchi_operator, agencies.tianchi, "旧任务", dt.date(2023, 6, 1), dt.date(2023, 6, 30))

    # when the town records the outcomes
    assert (
        task_close(
            actor=tianchi_operator, task=on_time, completed=True, completed_on=dt.date(2024, 1, 30)
        ).outcome
        == "on_time"
    )
    assert (
        task_close(
            actor=tianchi_operator, task=late, completed=True, completed_on=dt.date(2024, 6, 10)
        ).outcome
        == "late"
    )
    assert (
        task_close(
            actor=tianchi_operator, task=failed, completed=False, note="人员不足未开展"
        ).outcome
        == "not_done"
    )

    # then the 2024 result counts them: 2 of 4 completed (50%), 1 on time (25%)
    [result] = annual_results(user=tianchi_operator, year=YEAR)
    tally = result.tasks
    assert (tally.total, tally.on_time, tally.late, tally.not_done, tally.open) == (4, 1, 1, 1, 1)
    assert (tally.completion_rate, tally.on_time_rate) == (Decimal("50.0"), Decimal("25.0"))


def test_an_agency_without_tasks_has_no_completion_rate(agencies, tianchi_operator):
    [result] = annual_results(user=tianchi_operator, year=YEAR)
    assert (result.tasks.total, result.tasks.completion_rate) == (0, None)


def test_only_the_host_town_assigns_tasks(
    agencies, bailang_operator, department_operator, agency_counts
):
    before = agency_counts()
    for actor in (bailang_operator, department_operator):
        with pytest.raises(PermissionDenied):
            assign(actor, agencies.tianchi, "检查", dt.date(2024, 1, 5), dt.date(2024, 1, 31))
    assert agency_counts() == before


def test_a_task_due_before_it_is_assigned_is_refused(agencies, tianchi_operator, agency_counts):
    before = agency_counts()
    with pytest.raises(ValidationError) as exc:
        assign(
            tianchi_operator, agencies.tianchi, "检查", dt.date(2024, 2, 5), dt.date(2024, 1, 31)
        )
    assert exc.value.message_dict == {"due_on": ["完成时限不能早于交办日期"]}
    assert agency_counts() == before


def test_a_task_is_closed_once(agencies, tianchi_operator):
    task = assign(
        tianchi_operator, agencies.tianchi, "检查", dt.date(2024, 1, 5), dt.date(2024, 1, 31)
    )
    task_close(actor=tianchi_operator, task=task, completed=True, completed_on=dt.date(2024, 1, 20))
    with pytest.raises(ValidationError, match="已登记办理结果"):
        task_close(actor=tianchi_operator, task=task, completed=False, note="x")


def test_a_task_not_done_needs_an_explanation(agencies, tianchi_operator, agency_counts):
    task = assign(
        tianchi_operator, agencies.tianchi, "检查", dt.date(2024, 1, 5), dt.date(2024, 1, 31)
    )
    before = agency_counts()
    with pytest.raises(ValidationError) as exc:
        task_close(actor=tianchi_operator, task=task, completed=False)
    assert exc.value.message_dict == {"note": ["未完成的任务须说明情况"]}
    assert agency_counts() == before


# ------------------------------------------------------------------ registration


def test_only_the_staffing_office_registers_dual_management(
    org, root, department_operator, agency_counts
):
    from zhenjie.organizations.choices import UnitKind
    from zhenjie.organizations.services import unit_create

    unit = unit_create(
        actor=root,
        name="天池镇司法所",
        kind=UnitKind.DISPATCHED_AGENCY,
        parent=org.tianchi,
        department=org.department,
        established_on=dt.date(2010, 1, 1),
    )
    before = agency_counts()
    with pytest.raises(PermissionDenied):
        agency_register(actor=department_operator, unit=unit, since=dt.date(2019, 3, 1))
    assert agency_counts() == before


def test_a_unit_that_is_not_an_agency_cannot_be_registered(org, staffing_officer, agency_counts):
    before = agency_counts()
    with pytest.raises(ValidationError) as exc:
        agency_register(actor=staffing_officer, unit=org.tianchi_office, since=dt.date(2019, 3, 1))
    assert exc.value.message_dict == {"unit": ["天池镇党政综合办公室不是派出机构"]}
    assert agency_counts() == before


def test_an_agency_is_registered_once(agencies, staffing_officer):
    with pytest.raises(ValidationError) as exc:
        agency_register(
            actor=staffing_officer, unit=agencies.bailang.unit, since=dt.date(2019, 3, 1)
        )
    assert exc.value.message_dict == {"unit": ["白狼镇市场监督管理所已登记双重管理"]}
