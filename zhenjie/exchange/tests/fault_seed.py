"""A small county for the fault tests, built in the subprocess that owns their database.

Run as ``manage.py shell -c "from zhenjie.exchange.tests.fault_seed import seed; seed()"``.
"""

import datetime as dt

from zhenjie.accounts.models import User
from zhenjie.core.roles import Role
from zhenjie.organizations.choices import DivisionLevel, UnitKind, UnitRank
from zhenjie.organizations.services import division_create, unit_create
from zhenjie.staffing.choices import MovementKind
from zhenjie.staffing.models import QuotaType
from zhenjie.staffing.services import quota_movement_record

USERNAME = "fault-officer"
ESTABLISHED = dt.date(2000, 1, 1)


def seed() -> None:
    """阿尔山市 with 天池镇 (100,000 administrative places) and a staffing officer."""
    root = User.objects.create_superuser("fault-root", password="fault-root-password")
    province = division_create(code="15", name="内蒙古自治区", level=DivisionLevel.PROVINCE)
    prefecture = division_create(
        code="1522", name="兴安盟", level=DivisionLevel.PREFECTURE, parent=province
    )
    county_div = division_create(
        code="152202", name="阿尔山市", level=DivisionLevel.COUNTY, parent=prefecture
    )
    town_div = division_create(
        code="152202100", name="天池镇", level=DivisionLevel.TOWN, parent=county_div
    )

    def unit(name: str, kind: str, parent: object, **extra: object) -> object:
        return unit_create(
            actor=root, name=name, kind=kind, parent=parent, established_on=ESTABLISHED, **extra
        )

    top = unit("内蒙古自治区", UnitKind.PROVINCE, None, division=province)
    league = unit("兴安盟", UnitKind.PREFECTURE, top, division=prefecture)
    county = unit("阿尔山市", UnitKind.COUNTY, league, division=county_div)
    town = unit("天池镇", UnitKind.TOWN, county, division=town_div, rank=UnitRank.SECTION)
    officer = User.objects.create_user(
        USERNAME, password="fault-password", role=Role.STAFFING_OFFICE, unit=county
    )
    quota_movement_record(
        actor=officer,
        unit=town,
        quota_type=QuotaType.objects.get(code="administrative"),
        kind=MovementKind.APPROVE,
        amount=100_000,
        effective_on=dt.date(2024, 1, 1),
        doc_no="阿编发〔2024〕1号",
    )
