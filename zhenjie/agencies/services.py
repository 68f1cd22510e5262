"""Writes for dispatched agencies (派出机构): dual management, assessments, personnel moves heard
by the host town, and tasks under unified command.

Who may do what (report 一.2: 双重管理, 以部门管理为主; 镇街有工作考核权和任免建议权):
the staffing office registers dual management; the managing department proposes and decides
personnel moves and scores as the department; the host town or street gives its party
committee's opinion, scores as the town and assigns tasks. Each side is checked against the
unit it acts for (``ensure_unit_access``), so a town operator cannot act for another town and a
department operator cannot act for the town.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction

from zhenjie.core.audit import attribute
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import ensure_unit_access
from zhenjie.personnel.models import Person, PostAssignment

from .choices import (
    MOVE_TRANSITIONS,
    AssessmentParty,
    MoveDecision,
    MoveKind,
    MoveStatus,
    TaskOutcome,
)
from .models import Agency, Assessment, CommandTask, PersonnelMove

ONE_DECIMAL = Decimal("0.1")


# ------------------------------------------------------------------ weight


def town_weight() -> Decimal:
    """The host town's share of the combined assessment (``ZHENJIE["AGENCY_TOWN_WEIGHT"]``)."""
    raw = settings.ZHENJIE.get("AGENCY_TOWN_WEIGHT", "0.4")
    try:
        weight = Decimal(str(raw))
    except InvalidOperation:
        raise ImproperlyConfigured(f"AGENCY_TOWN_WEIGHT 不是数字: {raw!r}") from None
    if not Decimal(0) <= weight <= Decimal(1):
        raise ImproperlyConfigured(f"AGENCY_TOWN_WEIGHT 须在0到1之间: {raw!r}")
    return weight


def combined_score(*, town: Decimal, department: Decimal, weight: Decimal) -> Decimal:
    """Combined annual score: town × weight + department × (1 − weight), to one decimal."""
    total = town * weight + department * (Decimal(1) - weight)
    return total.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------ access


def _act_for_town(actor: Any, agency: Agency, action: str) -> None:
    ensure_unit_access(user=actor, unit=agency.host, allowed=actor.may_edit_people, action=action)


def _act_for_department(actor: Any, agency: Agency, action: str) -> None:
    ensure_unit_access(
        user=actor, unit=agency.department, allowed=actor.may_edit_people, action=action
    )


# ------------------------------------------------------------------ dual management


@transaction.atomic
def agency_register(
    *,
    actor: Any,
    unit: Unit,
    since: dt.date,
    basis_doc: str = "",
    head: Person | None = None,
    notes: str = "",
) -> Agency:
    """Register the dual management (双重管理) of a dispatched agency unit.

    ``head`` records the head in office when the register starts; later changes go through a
    personnel move heard by the town (``move_propose`` … ``move_decide``).
    """
    ensure_unit_access(
        user=actor, unit=unit, allowed=actor.may_edit_structure, action="登记双重管理"
    )
    if unit.kind != UnitKind.DISPATCHED_AGENCY:
        raise ValidationError({"unit": f"{unit.name}不是派出机构"})
    if unit.department is None or unit.parent is None:
        raise ValidationError({"unit": f"{unit.name}须有主管部门和所在镇(街道)"})
    if unit.abolished_on is not None:
        raise ValidationError({"unit": f"{unit.name}已撤销"})
    if Agency.objects.filter(unit=unit).exists():
        raise ValidationError({"unit": f"{unit.name}已登记双重管理"})
    if since < unit.established_on:
        raise ValidationError({"since": f"不能早于机构设立日期{unit.established_on}"})
    if head is not None:
        _ensure_on_staff(head, unit, dt.date.today(), field="head")
    agency = Agency(
        unit=unit, since=since, basis_doc=basis_doc.strip(), head=head, notes=notes.strip()
    )
    agency.full_clean()
    attribute(agency, actor, "登记双重管理")
    agency.save()
    return agency


def _on_staff(person: Person, unit: Unit, on: dt.date) -> bool:
    return PostAssignment.objects.filter(person=person, unit=unit).active_on(on).exists()


def _ensure_on_staff(person: Person, unit: Unit, on: dt.date, *, field: str) -> None:
    if not _on_staff(person, unit, on):
        raise ValidationError({field: f"{person.name}在{on}不在{unit.name}工作"})


# ------------------------------------------------------------------ assessment


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    party: str,
    score: Decimal,
    scored_on: dt.date,
    comment: str = "",
) -> Assessment:
    """One party's annual score (工作考核权): the host town, or the managing department."""
    if party == AssessmentParty.TOWN:
        _act_for_town(actor, agency, "以镇(街道)名义考核")
    elif party == AssessmentParty.DEPARTMENT:
        _act_for_department(actor, agency, "以主管部门名义考核")
    else:
        raise ValidationError({"party": "评分方无效"})
    # Locked so that two concurrent scores by one party cannot both pass the check below.
    agency = Agency.objects.select_for_update().select_related("unit").get(pk=agency.pk)
    if not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"score": "评分须在0至100分之间"})
    if year < agency.since.year:
        raise ValidationError({"year": f"{agency}自{agency.since.year}年起实行双重管理"})
    if scored_on.year < year:
        raise ValidationError({"scored_on": f"{year}年度的考核不能在该年度开始前评分"})
    if scored_on > dt.date.today():
        raise ValidationError({"scored_on": "评分日期不能晚于今天"})
    # One score per party per year.
    if Assessment.objects.filter(agency=agency, year=year, party=party).exists():
        label = AssessmentParty(party).label
        raise ValidationError({"party": f"{agency}{year}年度已有{label}评分, 每方每年只评一次"})
    assessment = Assessment(
        agency=agency,
        year=year,
        party=party,
        score=score,
        comment=comment.strip(),
        scored_on=scored_on,
        scored_by=actor,
    )
    assessment.full_clean()
    attribute(assessment, actor, "年度考核评分")
    assessment.save()
    return assessment


# ------------------------------------------------------------------ personnel moves


def _transition(move: PersonnelMove, to: str) -> None:
    if to not in MOVE_TRANSITIONS[move.status]:
        raise ValidationError(
            f"该人员调整当前为“{move.get_status_display()}”, 不能改为“{MoveStatus(to).label}”"
        )


@transaction.atomic
def move_propose(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    person: Person,
    description: str,
    proposed_on: dt.date,
) -> PersonnelMove:
    """The managing department proposes a move; it then waits for the town's opinion."""
    _act_for_department(actor, agency, "提出派出机构人员调整")
    if kind not in MoveKind.values:
        raise ValidationError({"kind": "调整类型无效"})
    if not description.strip():
        raise ValidationError({"description": "请填写调整事项说明"})
    if proposed_on > dt.date.today():
        raise ValidationError({"proposed_on": "提出日期不能晚于今天"})
    if kind == MoveKind.APPOINT_HEAD and agency.head_id == person.pk:
        raise ValidationError({"person": f"{person.name}已是{agency}负责人"})
    if kind == MoveKind.REMOVE_HEAD and agency.head_id != person.pk:
        raise ValidationError({"person": f"{person.name}不是{agency}现任负责人"})
    if kind in (MoveKind.TRANSFER_OUT, MoveKind.REMOVE_HEAD, MoveKind.OTHER):
        _ensure_on_staff(person, agency.unit, proposed_on, field="person")
    if kind == MoveKind.TRANSFER_IN and _on_staff(person, agency.unit, proposed_on):
        raise ValidationError({"person": f"{person.name}已在{agency}工作"})
    # One open move per person and agency, so the town is not asked twice about the same thing.
    if (
        PersonnelMove.objects.filter(agency=agency, person=person)
        .filter(status__in=[MoveStatus.PENDING_OPINION, MoveStatus.PENDING_DECISION])
        .exists()
    ):
        raise ValidationError({"person": f"{person.name}已有一项未办结的调整"})
    move = PersonnelMove(
        agency=agency,
        kind=kind,
        person=person,
        description=description.strip(),
        proposed_on=proposed_on,
        proposed_by=actor,
    )
    move.full_clean()
    attribute(move, actor, "提出人员调整")
    move.save()
    return move


@transaction.atomic
def move_opinion_record(
    *,
    actor: Any,
    move: PersonnelMove,
    agrees: bool,
    reason: str,
    opinion_on: dt.date,
    opinion_doc: str = "",
) -> PersonnelMove:
    """The host town's party committee opinion (同意/不同意; 不同意 needs a reason)."""
    _act_for_town(actor, move.agency, "提出镇(街道)党(工)委意见")
    move = PersonnelMove.objects.select_for_update().get(pk=move.pk)
    _transition(move, MoveStatus.PENDING_DECISION)
    reason = reason.strip()
    if not agrees and not reason:
        raise ValidationError({"reason": "不同意的, 须写明理由"})
    if opinion_on < move.proposed_on:
        raise ValidationError({"opinion_on": f"意见日期不能早于提出日期{move.proposed_on}"})
    if opinion_on > dt.date.today():
        raise ValidationError({"opinion_on": "意见日期不能晚于今天"})
    move.town_agrees = agrees
    move.town_reason = reason
    move.town_opinion_on = opinion_on
    move.town_opinion_doc = opinion_doc.strip()
    move.status = MoveStatus.PENDING_DECISION
    move.full_clean()
    attribute(move, actor, "镇(街道)党(工)委意见")
    move.save(
        update_fields=[
            "town_agrees",
            "town_reason",
            "town_opinion_on",
            "town_opinion_doc",
            "status",
            "updated_at",
        ]
    )
    return move


@transaction.atomic
def move_decide(
    *,
    actor: Any,
    move: PersonnelMove,
    decision: str,
    decided_on: dt.date,
    decision_doc: str = "",
    reason: str = "",
) -> PersonnelMove:
    """The managing department's final decision, only once the town's opinion is recorded.

    The record keeps whether the decision followed the opinion; a decision against it must say
    why. An adopted head appointment or removal changes the agency's head.
    """
    _act_for_department(actor, move.agency, "决定派出机构人员调整")
    move = PersonnelMove.objects.select_for_update().select_related("agency").get(pk=move.pk)
    if move.status == MoveStatus.PENDING_OPINION:
        # 人员调整征求镇(街道)意见; 主要负责同志任免听取镇(街道)党(工)委意见 (report 一.2).
        raise ValidationError("尚未收到镇(街道)党(工)委意见, 不能作出决定")
    _transition(move, MoveStatus.DECIDED)
    if decision not in MoveDecision.values:
        raise ValidationError({"decision": "决定结果无效"})
    assert move.town_agrees is not None and move.town_opinion_on is not None
    followed = (decision == MoveDecision.ADOPTED) == move.town_agrees
    reason = reason.strip()
    if not followed and not reason:
        raise ValidationError({"reason": "决定与镇(街道)党(工)委意见不一致的, 须说明理由"})
    if decided_on < move.town_opinion_on:
        raise ValidationError({"decided_on": f"决定日期不能早于意见日期{move.town_opinion_on}"})
    if decided_on > dt.date.today():
        raise ValidationError({"decided_on": "决定日期不能晚于今天"})
    move.status = MoveStatus.DECIDED
    move.decision = decision
    move.decided_on = decided_on
    move.decision_doc = decision_doc.strip()
    move.decision_reason = reason
    move.followed_opinion = followed
    move.full_clean()
    attribute(move, actor, "主管部门决定")
    move.save(
        update_fields=[
            "status",
            "decision",
            "decided_on",
            "decision_doc",
            "decision_reason",
            "followed_opinion",
            "updated_at",
        ]
    )
    if decision == MoveDecision.ADOPTED and move.kind in (
        MoveKind.APPOINT_HEAD,
        MoveKind.REMOVE_HEAD,
    ):
        agency = Agency.objects.select_for_update().get(pk=move.agency_id)
        agency.head = move.person if move.kind == MoveKind.APPOINT_HEAD else None
        attribute(agency, actor, move.get_kind_display())
        agency.save(update_fields=["head", "updated_at"])
    return move


@transaction.atomic
def move_withdraw(*, actor: Any, move: PersonnelMove) -> PersonnelMove:
    """The department withdraws a move that has not been decided."""
    _act_for_department(actor, move.agency, "撤回派出机构人员调整")
    move = PersonnelMove.objects.select_for_update().get(pk=move.pk)
    _transition(move, MoveStatus.WITHDRAWN)
    move.status = MoveStatus.WITHDRAWN
    attribute(move, actor, "撤回")
    move.save(update_fields=["status", "updated_at"])
    return move


# ------------------------------------------------------------------ unified command


@transaction.atomic
def task_assign(
    *,
    actor: Any,
    agency: Agency,
    title: str,
    assigned_on: dt.date,
    due_on: dt.date,
    content: str = "",
) -> CommandTask:
    """The host town assigns a task to the agency (纳入镇街统一指挥协调)."""
    _act_for_town(actor, agency, "向派出机构交办任务")
    if not title.strip():
        raise ValidationError({"title": "请填写任务名称"})
    if due_on < assigned_on:
        raise ValidationError({"due_on": "完成时限不能早于交办日期"})
    if assigned_on < agency.since:
        raise ValidationError({"assigned_on": f"{agency}自{agency.since}起实行双重管理"})
    if assigned_on > dt.date.today():
        raise ValidationError({"assigned_on": "交办日期不能晚于今天"})
    task = CommandTask(
        agency=agency,
        title=title.strip(),
        content=content.strip(),
        assigned_on=assigned_on,
        due_on=due_on,
        assigned_by=actor,
    )
    task.full_clean()
    attribute(task, actor, "交办任务")
    task.save()
    return task


@transaction.atomic
def task_close(
    *,
    actor: Any,
    task: CommandTask,
    completed: bool,
    completed_on: dt.date | None = None,
    note: str = "",
) -> CommandTask:
    """The town records a task's outcome; on time or late follows from the dates."""
    _act_for_town(actor, task.agency, "登记任务办理结果")
    task = CommandTask.objects.select_for_update().get(pk=task.pk)
    if not task.is_open:
        raise ValidationError(f"任务“{task.title}”已登记办理结果({task.get_outcome_display()})")
    if completed:
        if completed_on is None:
            raise ValidationError({"completed_on": "已完成的任务须填写完成日期"})
        if completed_on < task.assigned_on:
            raise ValidationError({"completed_on": f"完成日期不能早于交办日期{task.assigned_on}"})
        if completed_on > dt.date.today():
            raise ValidationError({"completed_on": "完成日期不能晚于今天"})
        task.outcome = TaskOutcome.ON_TIME if completed_on <= task.due_on else TaskOutcome.LATE
        task.completed_on = completed_on
    else:
        if not note.strip():
            raise ValidationError({"note": "未完成的任务须说明情况"})
        task.outcome = TaskOutcome.NOT_DONE
        task.completed_on = None
    task.outcome_note = note.strip()
    task.full_clean()
    attribute(task, actor, "登记办理结果")
    task.save(update_fields=["outcome", "completed_on", "outcome_note", "updated_at"])
    return task
