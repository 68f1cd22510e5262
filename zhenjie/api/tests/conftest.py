"""Fixtures of the API tests: token clients, and every register holding records of two towns.

Everything is built through the services (as zhenjie/conftest.py does), never by saving models.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.test import APIClient

from zhenjie.accounts.models import User
from zhenjie.conftest import ENROL_DAY, ESTABLISHED, QUOTA_DAY
from zhenjie.duties.admission import admission_create
from zhenjie.duties.choices import DutyClass, EditionStatus, ListKind, MatterType
from zhenjie.duties.models import (
    ConsultationRound,
    DutyAdmission,
    DutyItem,
    DutyList,
    Edition,
    Reply,
    ReviewMeeting,
    TaskAssignment,
    TownOpinion,
)
from zhenjie.duties.services import (
    duty_item_save,
    duty_list_create,
    edition_create,
    edition_transition,
    reply_record,
    round_start,
)
from zhenjie.jobs import registry
from zhenjie.jobs.services import job_submit
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.services import docking_link_add, unit_create
from zhenjie.personnel.choices import Education, PoliticalStatus, PostKind
from zhenjie.personnel.services import post_assign, quota_transfer
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
from zhenjie.staffing.choices import LeadershipLevel
from zhenjie.staffing.services import leadership_quota_set, quota_redistribute
from zhenjie.workflows.models import ApprovalRequest, ApprovalStep

from .helpers import token_client

TRANSFER_DAY = dt.date(2024, 6, 1)
REDISTRIBUTION_DAY = dt.date(2024, 9, 1)
# Delegated powers: the decision, the towns' acceptance, the year whose exercise is counted.
BATCH_DAY = dt.date(2024, 6, 1)
ACCEPTED_ON = dt.date(2024, 7, 1)
YEAR_START, YEAR_END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
# The duty list: published, then a draft adjusting it sent out for opinions.
PUBLISHED_ON = dt.date(2024, 3, 1)
SENT_ON, DUE_ON = dt.date(2025, 2, 1), dt.date(2025, 2, 28)


@registry.register("api_test_noop", "接口测试任务")
def _noop(job: Any, progress: Any) -> dict[str, Any]:
    return {"summary": "完成"}


@pytest.fixture
def api() -> Callable[[User], APIClient]:
    """``api(user)``: a client holding ``user``'s token."""
    return token_client


# The tables of delegated powers, the lists and admission (with their history and approvals).
POWER_AND_DUTY_MODELS: list[Any] = [
    DelegationBatch,
    DelegationBatch.history.model,
    PowerItem,
    PowerItem.history.model,
    Acceptance,
    Acceptance.history.model,
    ResourcePledge,
    ResourcePledge.history.model,
    Guidance,
    Guidance.units.through,
    PowerUsage,
    DutyList,
    Edition,
    Edition.history.model,
    DutyItem,
    ConsultationRound,
    ConsultationRound.parties.through,
    Reply,
    ReviewMeeting,
    DutyAdmission,
    DutyAdmission.history.model,
    DutyAdmission.towns.through,
    TownOpinion,
    TaskAssignment,
    ApprovalRequest,
    ApprovalRequest.history.model,
    ApprovalStep,
]


@pytest.fixture
def counts(row_counts: Callable[[], dict[str, int]]) -> Callable[[], dict[str, int]]:
    """``row_counts`` plus every table of powers, duties and approvals."""

    def take() -> dict[str, int]:
        return {
            **row_counts(),
            **{model._meta.label: model.objects.count() for model in POWER_AND_DUTY_MODELS},
        }

    return take


@pytest.fixture
def keep_db_connection() -> Iterator[None]:
    """Calls straight into the WSGI app must not close the test's connection (PostgreSQL).

    Django's test client does the same: at the end of a request Django closes connections that
    are not in autocommit, which inside a test's transaction is the test's own connection.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def registers(
    org: SimpleNamespace,
    qt: SimpleNamespace,
    staffing_officer: User,
    tianchi_operator: User,
    bailang_operator: User,
    grant_quota: Callable[..., Any],
    register_person: Callable[..., Any],
    enrol: Callable[..., Any],
) -> SimpleNamespace:
    """Each register holds a record of 天池镇 and one of 白狼镇 (林海街道 is the counterpart).

    - quota: 10 administrative places in each town and the street, 5 institution places in each
      center; then 1 place transferred from each town to 林海街道, and 1 place redistributed
      from 林海街道 to each town
    - a person enrolled on each town's quota, working in the town's office
    - the town's office docks with 农牧局; each town has 1 principal leadership post
    - a job of each town's operator, two of the staffing office
    """
    bailang_office = unit_create(
        actor=staffing_officer,
        name="白狼镇党政综合办公室",
        kind=UnitKind.OFFICE,
        parent=org.bailang,
        established_on=ESTABLISHED,
    )
    for unit in (org.tianchi, org.bailang, org.linhai):
        grant_quota(unit, qt.administrative, 10)
    for unit in (org.tianchi_center, org.bailang_center):
        grant_quota(unit, qt.institution, 5)

    people = {}
    for town, office, name in (
        (org.tianchi, org.tianchi_office, "其其格"),
        (org.bailang, bailang_office, "巴特尔"),
    ):
        person = register_person(
            name,
            female=name == "其其格",
            education=Education.BACHELOR,
            political_status=PoliticalStatus.CPC,
            phone="13904821234",
        )
        enrol(person, town, qt.administrative)
        post_assign(
            actor=staffing_officer,
            person=person,
            unit=office,
            title="科员",
            kind=PostKind.MAIN,
            start_date=ENROL_DAY,
        )
        people[name] = person
        leadership_quota_set(
            actor=staffing_officer,
            unit=town,
            level=LeadershipLevel.PRINCIPAL,
            count=1,
            doc_no="阿机编发〔2024〕2号",
            effective_on=QUOTA_DAY,
        )
        quota_transfer(
            actor=staffing_officer,
            from_unit=town,
            to_unit=org.linhai,
            quota_type=qt.administrative,
            amount=1,
            doc_no="阿机编发〔2024〕7号",
            effective_on=TRANSFER_DAY,
            summary="职责调整",
        )
        quota_redistribute(
            actor=staffing_officer,
            county=org.county,
            quota_type=qt.administrative,
            lines=[(org.linhai, -1), (town, 1)],
            doc_no="阿机编发〔2024〕9号",
            effective_on=REDISTRIBUTION_DAY,
            summary="镇街编制调剂",
        )

    docking_link_add(actor=staffing_officer, office=org.tianchi_office, department=org.department)
    docking_link_add(actor=staffing_officer, office=bailang_office, department=org.department)
    for operator in (tianchi_operator, bailang_operator):
        job_submit(actor=operator, kind="api_test_noop", title="导出花名册")
    for title in ("导出编制台账", "导出花名册"):
        job_submit(actor=staffing_officer, kind="api_test_noop", title=title)
    return SimpleNamespace(
        bailang_office=bailang_office,
        tianchi_person=people["其其格"],
        bailang_person=people["巴特尔"],
    )


@pytest.fixture
def powers(org: SimpleNamespace, staffing_officer: User) -> SimpleNamespace:
    """A delegation batch of two items from 农牧和科技局, answered and exercised by both towns.

    - NMG-001 (towns only), NMG-002 (towns and streets), issued 2024-06-01
    - each town accepted NMG-001 on 2024-07-01 (天池镇's office, 白狼镇's center handles it) and
      exercised it in 2025
      (天池镇 3 times, 白狼镇 5); 白狼镇 declined NMG-002
    - 农牧和科技局 pledged 2 places, 1 person and 50,000 yuan, and trained both towns
    """
    batch = batch_create(
        actor=staffing_officer,
        name="自治区赋予乡镇(街道)行政权力事项目录",
        issuer="内蒙古自治区人民政府",
        doc_no="内政字〔2024〕9号",
        issued_on=BATCH_DAY,
    )
    penalty = PowerCategory.objects.get(code="penalty")
    items = [
        power_item_create(
            actor=staffing_officer,
            batch=batch,
            code=code,
            name=name,
            category=penalty,
            legal_basis="《中华人民共和国动物防疫法》第九十七条",
            department=org.department,
            mode=DelegationMode.DEVOLVE,
            grantee=grantee,
        )
        for code, name, grantee in (
            ("NMG-001", "对违反动物防疫规定的行政处罚", Grantee.TOWN),
            ("NMG-002", "对占道经营的行政处罚", Grantee.BOTH),
        )
    ]
    for town, office, times in (
        (org.tianchi, org.tianchi_office, 3),
        (org.bailang, org.bailang_center, 5),
    ):
        acceptance_record(
            actor=staffing_officer,
            unit=town,
            item=items[0],
            status=AcceptanceStatus.ACCEPTED,
            responsible_unit=office,
            effective_on=ACCEPTED_ON,
        )
        usage_record(
            actor=staffing_officer,
            unit=town,
            item=items[0],
            period_start=YEAR_START,
            period_end=YEAR_END,
            count=times,
        )
    acceptance_record(
        actor=staffing_officer,
        unit=org.bailang,
        item=items[1],
        status=AcceptanceStatus.DECLINED,
        reason="无执法人员",
        effective_on=ACCEPTED_ON,
    )
    pledge = pledge_set(
        actor=staffing_officer,
        department=org.department,
        batch=batch,
        expected_quota=2,
        expected_people=1,
        expected_funds=Decimal("50000.00"),
    )
    guidance = guidance_record(
        actor=staffing_officer,
        department=org.department,
        kind=GuidanceKind.TRAINING,
        held_on=dt.date(2024, 8, 1),
        description="动物防疫执法培训",
        units=[org.tianchi, org.bailang],
    )
    return SimpleNamespace(
        batch=batch, town_item=items[0], both_item=items[1], pledge=pledge, guidance=guidance
    )


@pytest.fixture
def duties(org: SimpleNamespace, staffing_officer: User) -> SimpleNamespace:
    """阿尔山市's duty list, published and being adjusted, and an admission application.

    - 2024年版 published with items 001 and 002; 2025年调整稿 based on it (a draft) changes
      002's town duties and adds 003
    - the draft is out for opinions with both towns and 农牧和科技局; 天池镇 replied
    - 农牧和科技局 applies for both towns to take on a patrol task (no opinion yet)
    """
    duty_list = duty_list_create(
        actor=staffing_officer, county=org.county, kind=ListKind.DUTY, name="阿尔山市职责事项清单"
    )
    published = edition_create(actor=staffing_officer, duty_list=duty_list, label="2024年版")
    for code, name in (("001", "基层党组织建设"), ("002", "农村牧区人居环境整治")):
        duty_item_save(
            actor=staffing_officer,
            edition=published,
            code=code,
            name=name,
            duty_class=DutyClass.BASIC,
            town_duties="组织实施",
        )
    for to in (EditionStatus.APPROVED, EditionStatus.PUBLISHED):
        published = edition_transition(
            actor=staffing_officer,
            edition=published,
            to=to,
            doc_no="阿党办发〔2024〕5号",
            published_on=PUBLISHED_ON,
        )
    draft = edition_create(
        actor=staffing_officer, duty_list=duty_list, label="2025年调整稿", based_on=published
    )
    changed = draft.items.get(code="002")
    duty_item_save(
        actor=staffing_officer,
        edition=draft,
        item=changed,
        code="002",
        town_duties="配合开展巡查",
    )
    duty_item_save(
        actor=staffing_officer,
        edition=draft,
        code="003",
        name="森林草原防灭火",
        duty_class=DutyClass.COOPERATING,
        lead_department=org.department,
    )
    consultation = round_start(
        actor=staffing_officer,
        edition=draft,
        title="2025年职责事项清单调整征求意见",
        sent_on=SENT_ON,
        due_on=DUE_ON,
        parties=[org.tianchi, org.bailang, org.department],
    )
    reply = reply_record(
        actor=staffing_officer,
        consultation=consultation,
        party=org.tianchi,
        replied_on=dt.date(2025, 2, 10),
        opinion="建议明确巡查频次",
        item=changed,
    )
    admission = admission_create(
        actor=staffing_officer,
        department=org.department,
        title="农村牧区人居环境整治日常巡查",
        content="组织开展村庄清洁行动日常巡查并报送情况",
        matter_type=MatterType.ADMINISTRATIVE_AFFAIR,
        legal_basis="《农村人居环境整治提升五年行动方案》",
        towns=[org.tianchi, org.bailang],
        funds_stated=Decimal("50000.00"),
    )
    return SimpleNamespace(
        duty_list=duty_list,
        published=published,
        draft=draft,
        consultation=consultation,
        reply=reply,
        admission=admission,
    )


@pytest.fixture
def agency_records(org: SimpleNamespace, root: User, staffing_officer: User) -> SimpleNamespace:
    """Market-supervision offices of 天池镇 and 白狼镇 under dual management, with a score, a
    move waiting for the town's opinion and an open task at 天池镇."""
    from zhenjie.agencies.choices import AssessmentParty, MoveKind
    from zhenjie.agencies.services import (
        agency_register,
        assessment_record,
        move_propose,
        task_assign,
    )
    from zhenjie.conftest import resident_id
    from zhenjie.organizations.choices import UnitKind
    from zhenjie.organizations.services import unit_create
    from zhenjie.personnel.services import person_register

    agencies = []
    for town in (org.tianchi, org.bailang):
        unit = unit_create(
            actor=root,
            name=f"{town.name}市场监督管理所",
            kind=UnitKind.DISPATCHED_AGENCY,
            parent=town,
            department=org.department,
            established_on=ESTABLISHED,
        )
        agencies.append(
            agency_register(actor=staffing_officer, unit=unit, since=dt.date(2019, 3, 1))
        )
    tianchi = agencies[0]
    assessment = assessment_record(
        actor=staffing_officer,
        agency=tianchi,
        year=2024,
        party=AssessmentParty.TOWN,
        score=Decimal("90.5"),
        scored_on=dt.date(2025, 1, 15),
    )
    person = person_register(
        actor=staffing_officer, name="赵所员", id_number=resident_id(dt.date(1998, 5, 20), 77)
    )
    move = move_propose(
        actor=staffing_officer,
        agency=tianchi,
        kind=MoveKind.TRANSFER_IN,
        person=person,
        description="拟调入",
        proposed_on=dt.date(2025, 2, 1),
    )
    task = task_assign(
        actor=staffing_officer,
        agency=tianchi,
        title="节前食品安全检查",
        assigned_on=dt.date(2025, 1, 5),
        due_on=dt.date(2025, 1, 31),
    )
    return SimpleNamespace(agencies=agencies, assessment=assessment, move=move, task=task)
