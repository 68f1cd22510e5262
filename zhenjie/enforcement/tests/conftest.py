"""Fixtures of the enforcement tests: 天池镇's bureau with four officers, 白狼镇's with one, a
penalty power 天池镇 accepted and one it declined, built through the project's services."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from zhenjie.accounts.models import User
from zhenjie.conftest import ENROL_DAY, ESTABLISHED
from zhenjie.enforcement import services
from zhenjie.enforcement.choices import PartyKind, PenaltyKind, Stage
from zhenjie.enforcement.models import (
    Case,
    CaseExtension,
    CaseStep,
    Certificate,
    CertificateReview,
    EnforcementTeam,
    Equipment,
    EquipmentStandard,
    Funding,
    TeamMember,
)
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.services import unit_create
from zhenjie.personnel.choices import PostKind
from zhenjie.personnel.models import Person
from zhenjie.personnel.services import post_assign
from zhenjie.powers.choices import AcceptanceStatus, DelegationMode, Grantee
from zhenjie.powers.models import PowerCategory, PowerItem, PowerUsage
from zhenjie.powers.services import acceptance_record, batch_create, power_item_create

ISSUED = dt.date(2022, 3, 1)
OPENED = dt.date(2025, 3, 3)


@pytest.fixture
def bureaus(root: User, org: SimpleNamespace) -> SimpleNamespace:
    def make(town: Any) -> Any:
        return unit_create(
            actor=root,
            name="综合行政执法局",
            kind=UnitKind.ENFORCEMENT_BUREAU,
            parent=town,
            established_on=ESTABLISHED,
        )

    return SimpleNamespace(tianchi=make(org.tianchi), bailang=make(org.bailang))


@pytest.fixture
def officers(
    bureaus: SimpleNamespace,
    qt: SimpleNamespace,
    grant_quota: Callable[..., Any],
    register_person: Callable[..., Person],
    enrol: Callable[..., Any],
    staffing_officer: User,
) -> SimpleNamespace:
    """Four officers of 天池镇's bureau and one of 白狼镇's, each in an enforcement post."""
    grant_quota(bureaus.tianchi, qt.institution, 5)
    grant_quota(bureaus.bailang, qt.institution, 2)

    def officer(name: str, bureau: Any) -> Person:
        person = register_person(name)
        enrol(person, bureau, qt.institution)
        post_assign(
            actor=staffing_officer,
            person=person,
            unit=bureau,
            title="执法队员",
            kind=PostKind.MAIN,
            start_date=ENROL_DAY,
        )
        return person

    return SimpleNamespace(
        zhang=officer("张伟", bureaus.tianchi),
        wang=officer("王芳", bureaus.tianchi),
        li=officer("李强", bureaus.tianchi),
        zhao=officer("赵敏", bureaus.tianchi),
        bai=officer("白云", bureaus.bailang),
    )


@pytest.fixture
def issue(staffing_officer: User) -> Callable[..., Certificate]:
    counter = iter(range(1, 1000))

    def do(person: Person, *, on: dt.date = ENROL_DAY, **extra: Any) -> Certificate:
        return services.certificate_issue(
            actor=staffing_officer,
            holder=person,
            number=f"15220200{next(counter):04d}",
            issuer="阿尔山市人民政府",
            issued_on=on,
            **extra,
        )

    return do


@pytest.fixture
def certs(officers: SimpleNamespace, issue: Callable[..., Certificate]) -> SimpleNamespace:
    return SimpleNamespace(
        zhang=issue(officers.zhang),
        wang=issue(officers.wang),
        li=issue(officers.li),
        bai=issue(officers.bai),
    )


@pytest.fixture
def powers(
    staffing_officer: User, org: SimpleNamespace, bureaus: SimpleNamespace
) -> SimpleNamespace:
    """Two penalty powers and a licence; 天池镇 accepts the first penalty only."""
    batch = batch_create(
        actor=staffing_officer,
        name="自治区赋予苏木乡镇(街道)行政权力事项目录",
        issuer="内蒙古自治区人民政府",
        doc_no="内政字〔2020〕99号",
        issued_on=dt.date(2020, 9, 1),
    )
    penalty = PowerCategory.objects.get(code="penalty")
    licensing = PowerCategory.objects.get(code="licensing")

    def item(code: str, name: str, category: Any) -> PowerItem:
        return power_item_create(
            actor=staffing_officer,
            batch=batch,
            code=code,
            name=name,
            category=category,
            legal_basis="《中华人民共和国土地管理法》第七十八条",
            department=org.department,
            mode=DelegationMode.DEVOLVE,
            grantee=Grantee.TOWN,
        )

    accepted = item("NMG-001", "对农村村民未经批准非法占用土地建住宅的行政处罚", penalty)
    declined = item("NMG-002", "对占用耕地建窑、建坟的行政处罚", penalty)
    licence = item("NMG-003", "乡村建设规划许可", licensing)
    acceptance_record(
        actor=staffing_officer,
        unit=org.tianchi,
        item=accepted,
        status=AcceptanceStatus.ACCEPTED,
        responsible_unit=bureaus.tianchi,
        effective_on=dt.date(2021, 1, 1),
    )
    acceptance_record(
        actor=staffing_officer,
        unit=org.tianchi,
        item=declined,
        status=AcceptanceStatus.DECLINED,
        reason="本镇无此类管理对象",
        effective_on=dt.date(2021, 1, 1),
    )
    acceptance_record(
        actor=staffing_officer,
        unit=org.tianchi,
        item=licence,
        status=AcceptanceStatus.ACCEPTED,
        responsible_unit=org.tianchi_center,
        effective_on=dt.date(2021, 1, 1),
    )
    return SimpleNamespace(accepted=accepted, declined=declined, licence=licence)


@pytest.fixture
def open_case(
    tianchi_operator: User, org: SimpleNamespace, powers: SimpleNamespace
) -> Callable[..., Case]:
    counter = iter(range(1, 1000))

    def do(*, on: dt.date = OPENED, **extra: Any) -> Case:
        return services.case_open(
            actor=tianchi_operator,
            town=org.tianchi,
            power=powers.accepted,
            number=f"天池执法立字〔2025〕{next(counter)}号",
            party_name="王某",
            party_kind=extra.pop("party_kind", PartyKind.PERSON),
            summary="未经批准占用耕地建住宅",
            opened_on=on,
            **extra,
        )

    return do


@pytest.fixture
def advance(tianchi_operator: User) -> Callable[..., Case]:
    def do(case: Case, stage: str, on: dt.date, **extra: Any) -> Case:
        return services.case_advance(actor=tianchi_operator, case=case, stage=stage, on=on, **extra)

    return do


@pytest.fixture
def decided_case(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
) -> Case:
    """A case fined 2,000 yuan on 2025-04-10, ready for delivery."""
    two = [certs.zhang, certs.wang]
    case = open_case()
    advance(case, Stage.INVESTIGATION, OPENED + dt.timedelta(days=2), certificates=two)
    advance(case, Stage.NOTICE, OPENED + dt.timedelta(days=20))
    return advance(
        case,
        Stage.DECISION,
        OPENED + dt.timedelta(days=38),
        certificates=two,
        decision_kind="penalty",
        penalty_kind=PenaltyKind.FINE,
        fine=Decimal("2000"),
    )


@pytest.fixture
def enforcement_counts(
    row_counts: Callable[[], dict[str, int]],
) -> Callable[[], dict[str, int]]:
    """Row counts of every domain table including the enforcement ones and power usage."""
    models = [
        EnforcementTeam,
        TeamMember,
        Certificate,
        Certificate.history.model,
        CertificateReview,
        EquipmentStandard,
        Equipment,
        Funding,
        Case,
        Case.history.model,
        CaseStep,
        CaseExtension,
        PowerUsage,
    ]

    def counts() -> dict[str, int]:
        return {**row_counts(), **{m._meta.label: m.objects.count() for m in models}}

    return counts
