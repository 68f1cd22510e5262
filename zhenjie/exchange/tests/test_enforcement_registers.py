# ruff: noqa: F811 - the enforcement fixtures are imported by name and requested as arguments
"""Law enforcement registers: certificates and equipment, round trips and service rules."""

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from zhenjie.accounts.models import User
from zhenjie.enforcement import services
from zhenjie.enforcement.models import Certificate, Equipment, EquipmentKind
from zhenjie.enforcement.tests.conftest import (  # noqa: F401 - fixtures
    bureaus,
    certs,
    enforcement_counts,
    issue,
    officers,
)
from zhenjie.jobs.models import JobStatus

from .sheets import xlsx

pytestmark = pytest.mark.django_db

CERT_HEADER = ["证件编号", "持证人", "身份证号码", "发证机关", "发证日期", "有效期至"]
Counts = Callable[[], dict[str, int]]


def errors(job: Any) -> list[tuple[Any, ...]]:
    return [(e["row"], e["column"], e["message"]) for e in job.result["errors"]]


@pytest.fixture
def inventory(staffing_officer: User, bureaus: SimpleNamespace, certs: SimpleNamespace) -> None:
    kinds = {k.code: k for k in EquipmentKind.objects.all()}
    services.equipment_add(
        actor=staffing_officer,
        bureau=bureaus.tianchi,
        kind=kinds["body_camera"],
        quantity=2,
        model_name="DSJ-1",
        acquired_on=dt.date(2024, 5, 1),
    )
    services.equipment_add(
        actor=staffing_officer,
        bureau=bureaus.tianchi,
        kind=kinds["vehicle"],
        plate_number="蒙F12345",
        has_dash_camera=True,
        acquired_on=dt.date(2024, 5, 1),
    )
    services.certificate_revoke(
        actor=staffing_officer, certificate=certs.li, revoked_on=dt.date(2025, 1, 1), reason="调离"
    )


@pytest.mark.parametrize("register", ["enforcement_certificates", "enforcement_equipment"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_export_then_import_changes_nothing(
    register: str,
    fmt: str,
    staffing_officer: User,
    inventory: None,
    run_export: Callable[..., Any],
    run_import: Callable[..., Any],
    enforcement_counts: Counts,
) -> None:
    export = run_export(staffing_officer, register, fmt=fmt)
    assert export.status == JobStatus.SUCCEEDED, export.error
    before = enforcement_counts()
    data = bytes(export.output_data)
    checked = run_import(staffing_officer, register, data, name=f"x.{fmt}")
    committed = run_import(staffing_officer, register, data, commit=True, name=f"x.{fmt}")
    for job in (checked, committed):
        assert job.result["errors"] == []
        counts = job.result["counts"]
        assert counts["created"] == counts["updated"] == 0
        assert counts["unchanged"] == counts["rows"] > 0
    assert enforcement_counts() == before


def test_certificate_imported_through_the_service(
    tianchi_operator: User, officers: SimpleNamespace, run_import: Callable[..., Any]
) -> None:
    data = xlsx(
        [
            CERT_HEADER,
            ["152202990001", "赵敏", officers.zhao.id_number, "阿尔山市人民政府", "2024-06-01", ""],
        ]
    )
    job = run_import(tianchi_operator, "enforcement_certificates", data, commit=True)
    assert errors(job) == []
    certificate = Certificate.objects.get(number="152202990001")
    assert (certificate.holder, certificate.expires_on) == (officers.zhao, dt.date(2030, 6, 1))


def test_certificate_for_someone_outside_enforcement_refused(
    tianchi_operator: User,
    register_person: Callable[..., Any],
    officers: SimpleNamespace,
    run_import: Callable[..., Any],
    enforcement_counts: Counts,
) -> None:
    data = xlsx(
        [
            CERT_HEADER,
            ["152202990002", "赵敏", officers.zhao.id_number, "阿尔山市人民政府", "2024-06-01", ""],
            ["152202990003", "张三", officers.wang.id_number, "阿尔山市人民政府", "2024-06-01", ""],
        ]
    )
    before = enforcement_counts()
    job = run_import(tianchi_operator, "enforcement_certificates", data, commit=True)
    assert errors(job) == [(3, "身份证号码", "身份证号码对应的人员是王芳, 与持证人“张三”不符")]
    assert enforcement_counts() == before


def test_vehicle_without_plate_refused(
    tianchi_operator: User,
    bureaus: SimpleNamespace,
    run_import: Callable[..., Any],
    enforcement_counts: Counts,
) -> None:
    data = xlsx(
        [
            ["综合行政执法局", "装备类别", "数量", "车牌号", "配备日期"],
            ["天池镇/综合行政执法局", "执法车辆(配行车记录仪)", 1, "", "2024-05-01"],
        ]
    )
    before = enforcement_counts()
    job = run_import(tianchi_operator, "enforcement_equipment", data, commit=True)
    assert errors(job) == [(2, "车牌号", "执法车辆须填写车牌号")]
    assert enforcement_counts() == before
    assert Equipment.objects.count() == 0
