"""Dual management of the demo's dispatched agencies (report 一.2): every 市场监督管理所 and 司法所
is registered with its head, scored for 2025 by its town and its department, given tasks by its
town; a few personnel moves carry the town's opinion, one decided against it.

Scores, tasks and moves are invented demo values.
"""

import datetime as dt
import random
from decimal import Decimal

from zhenjie.accounts.models import User
from zhenjie.agencies.choices import AssessmentParty, MoveDecision, MoveKind
from zhenjie.agencies.models import Agency
from zhenjie.agencies.services import (
    agency_register,
    assessment_record,
    move_decide,
    move_opinion_record,
    move_propose,
    task_assign,
    task_close,
)
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.personnel.models import PostAssignment

YEAR = 2025
DUAL_SINCE = dt.date(2019, 11, 1)
DUAL_DOC = "阿机编发〔2019〕21号"
TASKS = {
    "市场监督管理局": [
        "春节前食品安全专项检查",
        "农贸市场秩序整治",
        "旅游旺季景区周边价格监督检查",
        "校园周边食品安全排查",
        "特种设备安全隐患排查",
    ],
    "司法局": [
        "矛盾纠纷集中排查化解",
        "“八五”普法进村入户宣传",
        "社区矫正对象走访",
        "村(社区)法律顾问服务台账整理",
    ],
}


def _head(unit: Unit) -> PostAssignment | None:
    return (
        PostAssignment.objects.filter(unit=unit, title="所长", end_date__isnull=True)
        .select_related("person")
        .first()
    )


def build_agencies(admin: User, seed: int = 2019) -> list[Agency]:
    """Register, score, task and move the demo's agencies; returns the agencies."""
    rng = random.Random(seed)
    agencies = []
    units = Unit.objects.filter(kind=UnitKind.DISPATCHED_AGENCY).select_related(
        "department", "parent"
    )
    for unit in units.order_by("path"):
        head = _head(unit)
        agency = agency_register(
            actor=admin,
            unit=unit,
            since=max(DUAL_SINCE, unit.established_on),
            basis_doc=DUAL_DOC,
            head=head.person if head else None,
        )
        agencies.append(agency)
        _assess(admin, agency, rng)
        _tasks(admin, agency, rng)
    _moves(admin, agencies)
    return agencies


def _assess(admin: User, agency: Agency, rng: random.Random) -> None:
    for party, low in ((AssessmentParty.TOWN, 78), (AssessmentParty.DEPARTMENT, 82)):
        assessment_record(
            actor=admin,
            agency=agency,
            year=YEAR,
            party=party,
            score=Decimal(rng.randint(low * 10, 960)) / 10,
            scored_on=dt.date(YEAR + 1, 1, rng.randint(10, 25)),
            comment="年度工作考核",
        )


def _tasks(admin: User, agency: Agency, rng: random.Random) -> None:
    titles = TASKS[agency.department.name.removeprefix("阿尔山市")]
    for i, title in enumerate(titles):
        assigned = dt.date(YEAR, 1 + i * 2, rng.randint(1, 20))
        due = assigned + dt.timedelta(days=rng.choice([15, 30, 45]))
        task = task_assign(
            actor=admin,
            agency=agency,
            title=title,
            content=f"{agency.host.name}统一部署, 由{agency}牵头落实",
            assigned_on=assigned,
            due_on=due,
        )
        roll = rng.random()
        if i == len(titles) - 1:
            continue  # the latest task is still open
        if roll < 0.7:
            done = assigned + dt.timedelta(days=rng.randint(5, (due - assigned).days))
            task_close(actor=admin, task=task, completed=True, completed_on=done, note="已完成")
        elif roll < 0.9:
            done = due + dt.timedelta(days=rng.randint(3, 20))
            task_close(
                actor=admin, task=task, completed=True, completed_on=done, note="人手紧张, 逾期完成"
            )
        else:
            task_close(
                actor=admin, task=task, completed=False, note="与上级部门专项工作冲突, 未完成"
            )


def _moves(admin: User, agencies: list[Agency]) -> None:
    """Three moves: one heard and followed, one decided against the town, one waiting."""
    markets = [a for a in agencies if a.unit.name.endswith("市场监督管理所")]
    staff = {
        a.pk: PostAssignment.objects.filter(unit=a.unit, title="科员", end_date__isnull=True)
        .select_related("person")
        .first()
        for a in markets
    }
    first, second, third = markets[0], markets[1], markets[2]
    clerk = staff[first.pk]
    assert clerk is not None
    followed = move_propose(
        actor=admin,
        agency=first,
        kind=MoveKind.TRANSFER_OUT,
        person=clerk.person,
        description="因局机关执法力量不足, 拟调回局机关稽查执法大队",
        proposed_on=dt.date(YEAR, 4, 1),
    )
    move_opinion_record(
        actor=admin,
        move=followed,
        agrees=True,
        reason="",
        opinion_on=dt.date(YEAR, 4, 8),
        opinion_doc=f"{first.host.name}党委会议纪要〔{YEAR}〕6号",
    )
    move_decide(
        actor=admin,
        move=followed,
        decision=MoveDecision.ADOPTED,
        decided_on=dt.date(YEAR, 4, 20),
        decision_doc=f"阿市监人字〔{YEAR}〕3号",
    )
    candidate = staff[second.pk]
    assert candidate is not None
    against = move_propose(
        actor=admin,
        agency=second,
        kind=MoveKind.APPOINT_HEAD,
        person=candidate.person,
        description="原所长到龄, 拟任命为所长",
        proposed_on=dt.date(YEAR, 6, 3),
    )
    move_opinion_record(
        actor=admin,
        move=against,
        agrees=False,
        reason="该同志到所工作时间较短, 对辖区情况不够熟悉, 建议从本所其他同志中选任",
        opinion_on=dt.date(YEAR, 6, 12),
        opinion_doc=f"{second.host.name}党委会议纪要〔{YEAR}〕9号",
    )
    move_decide(
        actor=admin,
        move=against,
        decision=MoveDecision.ADOPTED,
        decided_on=dt.date(YEAR, 6, 28),
        decision_doc=f"阿市监党字〔{YEAR}〕11号",
        reason="全局统筹干部配备, 该同志具备执法资格和食品安全专业背景",
    )
    waiting = staff[third.pk]
    assert waiting is not None
    move_propose(
        actor=admin,
        agency=third,
        kind=MoveKind.OTHER,
        person=waiting.person,
        description="拟交流到局食品安全协调科工作一年",
        proposed_on=dt.date(YEAR, 11, 15),
    )
