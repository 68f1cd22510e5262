"""Dispatched agencies of 天池镇 and 白狼镇 managed by the county department, with staff."""

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from zhenjie.agencies.models import Agency, Assessment, CommandTask, PersonnelMove
from zhenjie.agencies.services import agency_register
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.services import unit_create
from zhenjie.personnel.choices import PostKind
from zhenjie.personnel.services import post_assign

SINCE = dt.date(2019, 3, 1)
POST_DAY = dt.date(2024, 3, 1)


@pytest.fixture
def agency_counts(row_counts: Any) -> Any:
    """``row_counts`` plus the agencies tables and their history."""

    def counts() -> dict[str, int]:
        models = [Agency, Assessment, PersonnelMove, CommandTask]
        extra = {m._meta.label: m.objects.count() for m in models}
        extra.update({f"{m._meta.label}.history": m.history.count() for m in models})
        return {**row_counts(), **extra}

    return counts


@pytest.fixture
def agencies(
    root: Any,
    org: SimpleNamespace,
    staffing_officer: Any,
    qt: SimpleNamespace,
    grant_quota: Any,
    register_person: Any,
    enrol: Any,
) -> SimpleNamespace:
    """天池镇市场监督管理所 (head 王所长, staff 李科员) and 白狼镇市场监督管理所 (no staff)."""

    def make(town: Any) -> Any:
        return unit_create(
            actor=root,
            name=f"{town.name}市场监督管理所",
            kind=UnitKind.DISPATCHED_AGENCY,
            parent=town,
            department=org.department,
            established_on=dt.date(2000, 1, 1),
        )

    tianchi_unit = make(org.tianchi)
    bailang_unit = make(org.bailang)
    grant_quota(tianchi_unit, qt.administrative, 3)
    people = {}
    for name, title in (("王所长", "所长"), ("李科员", "科员")):
        person = register_person(name)
        enrol(person, tianchi_unit, qt.administrative)
        post_assign(
            actor=staffing_officer,
            person=person,
            unit=tianchi_unit,
            title=title,
            kind=PostKind.MAIN,
            start_date=POST_DAY,
        )
        people[name] = person
    tianchi = agency_register(
        actor=staffing_officer,
        unit=tianchi_unit,
        since=SINCE,
        basis_doc="阿机编发〔2019〕4号",
        head=people["王所长"],
    )
    bailang = agency_register(actor=staffing_officer, unit=bailang_unit, since=SINCE)
    return SimpleNamespace(
        tianchi=tianchi,
        bailang=bailang,
        head=people["王所长"],
        clerk=people["李科员"],
    )
