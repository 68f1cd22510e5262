"""Shared fixtures: the 阿尔山市 county of 兴安盟, its towns, users of every role and quota types.

Everything is built through the project's own services (division_create, unit_create,
quota_movement_record, person_register, person_enrol) so fixtures obey the same rules as users.
"""

import datetime as dt
import itertools
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from zhenjie.accounts.models import User
from zhenjie.core.roles import Role
from zhenjie.organizations.choices import DivisionLevel, UnitKind, UnitRank
from zhenjie.organizations.models import Division, DockingLink, Unit
from zhenjie.organizations.services import division_create, unit_create
from zhenjie.personnel.choices import EntryChannel
from zhenjie.personnel.models import Enrolment, Person, PostAssignment
from zhenjie.personnel.services import person_enrol, person_register
from zhenjie.staffing.choices import MovementKind
from zhenjie.staffing.models import (
    LeadershipQuota,
    QuotaMovement,
    QuotaTransfer,
    QuotaType,
    Redistribution,
)
from zhenjie.staffing.services import quota_movement_record

# Units exist from this day; quotas are approved on QUOTA_DAY and people enrolled on ENROL_DAY.
ESTABLISHED = dt.date(2000, 1, 1)
QUOTA_DAY = dt.date(2024, 1, 1)
ENROL_DAY = dt.date(2024, 3, 1)

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK_CHARS = "10X98765432"


def resident_id(
    birth: dt.date | str, seq: int = 1, *, female: bool = False, region: str = "152202"
) -> str:
    """A resident ID number with a correct GB 11643 check character.

    ``birth`` may be a date or a raw ``YYYYMMDD`` string (to build impossible dates);
    ``seq`` (0-99) keeps numbers of people born on the same day apart.
    """
    born = birth if isinstance(birth, str) else birth.strftime("%Y%m%d")
    order = f"{seq:02d}{2 if female else 1}"
    body = f"{region}{born}{order}"
    total = sum(int(digit) * weight for digit, weight in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK_CHARS[total % 11]


@pytest.fixture
def make_id_number() -> Callable[..., str]:
    """A new valid 152202 resident ID number at each call."""
    counter = itertools.count(1)

    def make(birth: dt.date = dt.date(1998, 5, 20), *, female: bool = False) -> str:
        return resident_id(birth, next(counter), female=female)

    return make


@pytest.fixture
def row_counts(db: Any) -> Callable[[], dict[str, int]]:
    """Rows in every domain table and its history table, to prove a refused write left no trace."""
    models = [
        Division,
        Unit,
        Unit.history.model,
        DockingLink,
        DockingLink.history.model,
        QuotaType,
        QuotaMovement,
        QuotaTransfer,
        Redistribution,
        LeadershipQuota,
        Person,
        Person.history.model,
        Enrolment,
        Enrolment.history.model,
        PostAssignment,
        PostAssignment.history.model,
    ]

    def counts() -> dict[str, int]:
        return {model._meta.label: model.objects.count() for model in models}

    return counts


@pytest.fixture
def root(db: Any) -> User:
    """A superuser, used only to build the top of the unit tree."""
    return User.objects.create_superuser("root", password="root-password")


@pytest.fixture
def div(db: Any) -> SimpleNamespace:
    """内蒙古自治区 → 兴安盟 → 阿尔山市 → 天池镇, 白狼镇, 林海街道."""
    province = division_create(code="15", name="内蒙古自治区", level=DivisionLevel.PROVINCE)
    prefecture = division_create(
        code="1522", name="兴安盟", level=DivisionLevel.PREFECTURE, parent=province
    )
    county = division_create(
        code="152202", name="阿尔山市", level=DivisionLevel.COUNTY, parent=prefecture
    )
    return SimpleNamespace(
        province=province,
        prefecture=prefecture,
        county=county,
        tianchi=division_create(
            code="152202100", name="天池镇", level=DivisionLevel.TOWN, parent=county
        ),
        bailang=division_create(
            code="152202101", name="白狼镇", level=DivisionLevel.TOWN, parent=county
        ),
        linhai=division_create(
            code="152202001", name="林海街道", level=DivisionLevel.STREET, parent=county
        ),
    )


@pytest.fixture
def org(root: User, div: SimpleNamespace) -> SimpleNamespace:
    """The units of 阿尔山市: the county, a department, two towns with offices and centers, a street."""

    def make(name: str, kind: str, parent: Unit | None, **extra: Any) -> Unit:
        return unit_create(
            actor=root,
            name=name,
            kind=kind,
            parent=parent,
            established_on=ESTABLISHED,
            established_doc="兴党办发〔2000〕1号",
            **extra,
        )

    province = make("内蒙古自治区", UnitKind.PROVINCE, None, division=div.province)
    prefecture = make("兴安盟", UnitKind.PREFECTURE, province, division=div.prefecture)
    county = make("阿尔山市", UnitKind.COUNTY, prefecture, division=div.county)
    department = make("阿尔山市农牧和科技局", UnitKind.DEPARTMENT, county)
    tianchi = make("天池镇", UnitKind.TOWN, county, division=div.tianchi, rank=UnitRank.SECTION)
    bailang = make("白狼镇", UnitKind.TOWN, county, division=div.bailang, rank=UnitRank.SECTION)
    linhai = make("林海街道", UnitKind.STREET, county, division=div.linhai)
    return SimpleNamespace(
        province=province,
        prefecture=prefecture,
        county=county,
        department=department,
        tianchi=tianchi,
        tianchi_office=make("天池镇党政综合办公室", UnitKind.OFFICE, tianchi),
        tianchi_center=make("天池镇综合保障和技术推广中心", UnitKind.CENTER, tianchi),
        bailang=bailang,
        bailang_center=make("白狼镇综合保障和技术推广中心", UnitKind.CENTER, bailang),
        linhai=linhai,
    )


@pytest.fixture
def other_county(root: User, div: SimpleNamespace, org: SimpleNamespace) -> SimpleNamespace:
    """乌兰浩特市, a second county of 兴安盟 with a department and a town."""
    county_div = division_create(
        code="152201", name="乌兰浩特市", level=DivisionLevel.COUNTY, parent=div.prefecture
    )
    town_div = division_create(
        code="152201100", name="义勒力特镇", level=DivisionLevel.TOWN, parent=county_div
    )
    county = unit_create(
        actor=root,
        name="乌兰浩特市",
        kind=UnitKind.COUNTY,
        parent=org.prefecture,
        division=county_div,
        established_on=ESTABLISHED,
    )
    return SimpleNamespace(
        county=county,
        department=unit_create(
            actor=root,
            name="乌兰浩特市农牧局",
            kind=UnitKind.DEPARTMENT,
            parent=county,
            established_on=ESTABLISHED,
        ),
        town=unit_create(
            actor=root,
            name="义勒力特镇",
            kind=UnitKind.TOWN,
            parent=county,
            division=town_div,
            established_on=ESTABLISHED,
        ),
    )


def _user(username: str, role: str, unit: Unit) -> User:
    return User.objects.create_user(username, password=f"{username}-password", role=role, unit=unit)


@pytest.fixture
def staffing_officer(org: SimpleNamespace) -> User:
    """编办 of 阿尔山市: the only role that changes structure and quotas."""
    return _user("bianban", Role.STAFFING_OFFICE, org.county)


@pytest.fixture
def tianchi_operator(org: SimpleNamespace) -> User:
    return _user("tianchi", Role.UNIT_OPERATOR, org.tianchi)


@pytest.fixture
def bailang_operator(org: SimpleNamespace) -> User:
    return _user("bailang", Role.UNIT_OPERATOR, org.bailang)


@pytest.fixture
def leader(org: SimpleNamespace) -> User:
    """A county leader: sees everything in the county, changes nothing."""
    return _user("lingdao", Role.LEADER, org.county)


@pytest.fixture
def department_operator(org: SimpleNamespace) -> User:
    return _user("nongmu", Role.DEPARTMENT_OPERATOR, org.department)


@pytest.fixture
def qt(db: Any) -> SimpleNamespace:
    """The seeded quota types, by code."""
    types = {t.code: t for t in QuotaType.objects.all()}
    return SimpleNamespace(
        administrative=types["administrative"],
        political_legal=types["political_legal"],
        organ_worker=types["organ_worker"],
        institution=types["institution"],
    )


@pytest.fixture
def grant_quota(staffing_officer: User) -> Callable[..., QuotaMovement]:
    """Record a quota movement as the 编办 (核定 by default)."""

    def grant(
        unit: Unit,
        quota_type: QuotaType,
        amount: int,
        *,
        on: dt.date = QUOTA_DAY,
        kind: str = MovementKind.APPROVE,
        doc_no: str = "阿机编发〔2024〕1号",
    ) -> QuotaMovement:
        return quota_movement_record(
            actor=staffing_officer,
            unit=unit,
            quota_type=quota_type,
            kind=kind,
            amount=amount,
            doc_no=doc_no,
            effective_on=on,
        )

    return grant


@pytest.fixture
def register_person(
    staffing_officer: User, make_id_number: Callable[..., str]
) -> Callable[..., Person]:
    """Register a person as the 编办 with a fresh valid ID number."""

    def register(
        name: str, *, birth: dt.date = dt.date(1998, 5, 20), female: bool = False, **details: Any
    ) -> Person:
        return person_register(
            actor=staffing_officer,
            name=name,
            id_number=make_id_number(birth, female=female),
            **details,
        )

    return register


@pytest.fixture
def enrol(staffing_officer: User) -> Callable[..., Enrolment]:
    """Enrol a person as the 编办 (within quota, so no warning)."""

    def do_enrol(
        person: Person,
        unit: Unit,
        quota_type: QuotaType,
        *,
        on: dt.date = ENROL_DAY,
        channel: str = EntryChannel.CIVIL_SERVICE_EXAM,
    ) -> Enrolment:
        outcome = person_enrol(
            actor=staffing_officer,
            person=person,
            unit=unit,
            quota_type=quota_type,
            channel=channel,
            start_date=on,
            doc_no="阿人社发〔2024〕3号",
        )
        assert outcome.warnings == []
        return outcome.obj

    return do_enrol
