"""Fixtures of the API tests: token clients, and every register holding records of two towns.

Everything is built through the services (as zhenjie/conftest.py does), never by saving models.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.test import APIClient

from zhenjie.accounts.models import User
from zhenjie.conftest import ENROL_DAY, ESTABLISHED, QUOTA_DAY
from zhenjie.jobs import registry
from zhenjie.jobs.services import job_submit
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.services import docking_link_add, unit_create
from zhenjie.personnel.choices import Education, PoliticalStatus, PostKind
from zhenjie.personnel.services import post_assign, quota_transfer
from zhenjie.staffing.choices import LeadershipLevel
from zhenjie.staffing.services import leadership_quota_set, quota_redistribute

from .helpers import token_client

TRANSFER_DAY = dt.date(2024, 6, 1)
REDISTRIBUTION_DAY = dt.date(2024, 9, 1)


@registry.register("api_test_noop", "接口测试任务")
def _noop(job: Any, progress: Any) -> dict[str, Any]:
    return {"summary": "完成"}


@pytest.fixture
def api() -> Callable[[User], APIClient]:
    """``api(user)``: a client holding ``user``'s token."""
    return token_client


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
