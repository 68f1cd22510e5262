"""The Arxan demo reproduces the facts of the research report on 阿尔山市's towns and streets."""

import csv
import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.db import transaction

from zhenjie.core.validators import parse_resident_id
from zhenjie.demo.arxan import DATA, build_demo
from zhenjie.organizations.choices import UNIT_NATURE, UnitKind
from zhenjie.organizations.models import DockingLink, Unit
from zhenjie.organizations.selectors import docking_summary
from zhenjie.personnel.choices import EntryChannel, ExitReason, PostKind
from zhenjie.personnel.models import Enrolment, Person, PostAssignment
from zhenjie.staffing.models import QuotaMovement, QuotaTransfer, QuotaType
from zhenjie.staffing.selectors import quota_balance

SEED = 2019
TODAY = dt.date.today()
STATION_NAMES = ["林业工作站", "畜牧兽医站", "城管中队"]
# Where each former station's quota and people went (编随事走、人随编走).
STATION_TARGETS = {
    "林业工作站": "综合保障和技术推广中心",
    "畜牧兽医站": "综合保障和技术推广中心",
    "城管中队": "综合行政执法局",
}


def split_station(name: str) -> tuple[str, str]:
    """天池镇林业工作站 -> (天池镇, 林业工作站)."""
    station = next(k for k in STATION_NAMES if name.endswith(k))
    return name.removesuffix(station), station


def first_people() -> list[tuple[str, str]]:
    return list(Person.objects.order_by("id").values_list("name", "id_number")[:10])


@pytest.fixture(scope="module")
def earlier_build_people(django_db_setup: Any, django_db_blocker: Any) -> list[tuple[str, str]]:
    """The first ten people of a build with the same seed, made and rolled back before the demo."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(SEED)
        people = first_people()
        transaction.set_rollback(True)
    return people


@pytest.fixture(scope="module")
def demo(earlier_build_people: Any, django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_demo(SEED)
        yield built
        transaction.set_rollback(True)


def divisions_of(kind: str) -> set[tuple[str, str]]:
    with open(DATA / "divisions.csv", encoding="utf-8") as fh:
        return {(row["code"], row["name"]) for row in csv.DictReader(fh) if row["type"] == kind}


def base_units(kind: str) -> list[Unit]:
    return list(Unit.objects.filter(kind=kind).select_related("division").order_by("path"))


def live_children(unit: Unit) -> list[Unit]:
    return list(unit.children.filter(abolished_on__isnull=True).order_by("sort_order", "name"))


@pytest.mark.parametrize("kind", [UnitKind.TOWN, UnitKind.STREET])
def test_demo_has_four_towns_and_four_streets_with_the_official_division_codes(demo, db, kind):
    # given the demo county and the division list it was built from
    expected = divisions_of(kind)

    # when the base-level units of the kind are read
    units = base_units(kind)

    # then there are exactly four, each named and coded as in divisions.csv, all under the county
    assert len(expected) == 4
    assert {(u.division.code, u.name) for u in units} == expected
    assert {u.parent_id for u in units} == {demo.county.pk}


def test_each_town_has_six_offices_one_center_and_one_enforcement_bureau(demo, db):
    # given the four towns
    towns = base_units(UnitKind.TOWN)

    # when their live internal units are counted by kind
    shapes = {
        town.name: Counter(c.kind for c in live_children(town) if c.kind != "dispatched_agency")
        for town in towns
    }
    centers = {
        town.name: [c.name for c in live_children(town) if c.kind == UnitKind.CENTER]
        for town in towns
    }
    bureaus = {
        town.name: [c.name for c in live_children(town) if c.kind == UnitKind.ENFORCEMENT_BUREAU]
        for town in towns
    }

    # then every town has the reformed structure: 6 办, 1 中心, 1 综合行政执法局
    assert shapes == {
        town.name: Counter({UnitKind.OFFICE: 6, UnitKind.CENTER: 1, UnitKind.ENFORCEMENT_BUREAU: 1})
        for town in towns
    }
    assert centers == {town.name: ["综合保障和技术推广中心"] for town in towns}
    assert bureaus == {town.name: ["综合行政执法局"] for town in towns}


def test_each_street_has_five_offices_and_one_center(demo, db):
    # given the four streets
    streets = base_units(UnitKind.STREET)

    # when their live internal units are counted by kind
    shapes = {
        street.name: Counter(c.kind for c in live_children(street) if c.kind != "dispatched_agency")
        for street in streets
    }

    # then every street has 5 办 and 1 中心 and no enforcement bureau
    assert shapes == {
        street.name: Counter({UnitKind.OFFICE: 5, UnitKind.CENTER: 1}) for street in streets
    }


def test_the_county_has_more_than_thirty_departments(demo, db):
    # given the demo county
    # when its departments are counted
    departments = Unit.objects.filter(parent=demo.county, kind=UnitKind.DEPARTMENT)

    # then there are more than thirty, all live
    assert departments.count() > 30
    assert departments.filter(abolished_on__isnull=False).count() == 0


def test_offices_dock_with_about_six_departments_on_average(demo, db):
    # given the county staffing office
    bianban = demo.users["bianban"]

    # when the docking summary of the whole county is taken
    summary = docking_summary(user=bianban, root=demo.county, on=TODAY)

    # then 4 towns x 6 + 4 streets x 5 = 44 offices dock with about six departments each
    assert summary["office_count"] == 44
    assert 5.5 <= summary["average"] <= 7
    assert summary["link_count"] == sum(o.department_count for o in summary["offices"])


def test_each_towns_offices_together_dock_with_at_least_thirty_departments(demo, db):
    # given the four towns
    towns = base_units(UnitKind.TOWN)

    # when the distinct county departments their offices dock with are counted
    distinct = {
        town.name: DockingLink.objects.filter(office__parent=town)
        .values("department")
        .distinct()
        .count()
        for town in towns
    }

    # then each town's offices face thirty or more departments (上面千条线, 下面一根针)
    assert {name: n >= 30 for name, n in distinct.items()} == {town.name: True for town in towns}


def test_only_departments_are_docked_and_only_offices_dock(demo, db):
    # given every docking link of the demo
    links = DockingLink.objects.select_related("office", "department")

    # when the kinds on each side are collected
    sides = {(link.office.kind, link.department.kind) for link in links}

    # then offices dock with county departments only
    assert sides == {(UnitKind.OFFICE, UnitKind.DEPARTMENT)}


def test_stations_are_abolished_at_the_end_of_2019(demo, db):
    # given the four towns
    towns = [t.name for t in base_units(UnitKind.TOWN)]

    # when the stations are read
    stations = {
        u.name: (u.parent.kind, u.abolished_on)
        for u in Unit.objects.filter(kind=UnitKind.STATION).select_related("parent")
    }

    # then each town's three former stations sit under departments and are abolished in 2019
    assert stations == {
        f"{town}{station}": (UnitKind.DEPARTMENT, dt.date(2019, 12, 31))
        for town in towns
        for station in STATION_NAMES
    }


def test_each_station_quota_was_transferred_to_its_town_in_2019(demo, db):
    # given the abolished stations
    stations = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("name"))

    # when the transfers out of each station are read
    transfers = {
        t.from_unit.name: (t.to_unit.parent.name, t.to_unit.name, t.effective_on.year)
        for t in QuotaTransfer.objects.filter(from_unit__kind=UnitKind.STATION).select_related(
            "from_unit", "to_unit__parent"
        )
    }

    # then each station moved to the matching unit of its own town in 2019, once
    assert (
        QuotaTransfer.objects.filter(from_unit__kind=UnitKind.STATION).count()
        == len(stations)
        == 12
    )
    assert transfers == {
        s.name: (town, STATION_TARGETS[station], 2019)
        for s in stations
        for town, station in [split_station(s.name)]
    }


def test_stations_are_left_without_quota_or_people(demo, db):
    # given the abolished stations
    stations = list(Unit.objects.filter(kind=UnitKind.STATION))
    institution = QuotaType.objects.get(code="institution")

    # when their balances and current staff are read today
    left = {
        s.name: (
            quota_balance(unit=s, quota_type=institution, on=TODAY),
            Enrolment.objects.active_on(TODAY).filter(unit=s).count(),
        )
        for s in stations
    }

    # then all quota and all people have gone with the transfer
    assert left == {s.name: (0, 0) for s in stations}


def test_station_people_followed_their_quota_into_the_towns(demo, db):
    # given each 2019 transfer
    transfers = list(
        QuotaTransfer.objects.filter(effective_on__year=2019).select_related("from_unit", "to_unit")
    )

    # when the people who left the station and those who arrived with the transfer are compared
    moved = {
        t.pk: (
            set(
                Enrolment.objects.filter(
                    unit=t.from_unit,
                    end_date=t.effective_on,
                    exit_reason=ExitReason.QUOTA_TRANSFER,
                ).values_list("person_id", flat=True)
            ),
            set(
                Enrolment.objects.filter(
                    transfer=t,
                    unit=t.to_unit,
                    start_date=t.effective_on,
                    channel=EntryChannel.QUOTA_TRANSFER,
                ).values_list("person_id", flat=True)
            ),
        )
        for t in transfers
    }

    # then every transfer carried its station's people (two each), no one left behind
    assert {pk: (len(out), out == into) for pk, (out, into) in moved.items()} == {
        t.pk: (2, True) for t in transfers
    }
    assert (
        Enrolment.objects.filter(
            channel=EntryChannel.QUOTA_TRANSFER, transfer__from_unit__kind=UnitKind.STATION
        ).count()
        == 24
    )


def test_every_town_and_street_hosts_a_market_and_a_judicial_office(demo, db):
    # given the towns and streets and the two departments that dispatch into them
    bases = base_units(UnitKind.TOWN) + base_units(UnitKind.STREET)
    market = Unit.objects.get(kind=UnitKind.DEPARTMENT, name__endswith="市场监督管理局")
    justice = Unit.objects.get(kind=UnitKind.DEPARTMENT, name__endswith="司法局")

    # when the dispatched agencies under each are read
    agencies = {
        base.name: sorted(
            (a.name, a.department_id)
            for a in base.children.filter(kind=UnitKind.DISPATCHED_AGENCY, abolished_on=None)
        )
        for base in bases
    }

    # then each has exactly one 市场监督管理所 and one 司法所, with the department set
    assert agencies == {
        base.name: sorted(
            [(f"{base.name}市场监督管理所", market.pk), (f"{base.name}司法所", justice.pk)]
        )
        for base in bases
    }


def test_about_three_hundred_people_all_with_valid_id_numbers(demo, db):
    # given the demo register
    people = list(Person.objects.all())

    # when each ID number is parsed as GB 11643
    facts = [(parse_resident_id(p.id_number), p) for p in people]

    # then there are about 300 people and each number agrees with the stored birth date and gender
    assert 250 <= len(people) <= 350
    assert [
        p.name
        for f, p in facts
        if (f.number, f.birth_date, f.gender) != (p.id_number, p.birth_date, p.gender)
    ] == []
    assert len({p.id_number for p in people}) == len(people)


def test_street_administrative_quota_equals_the_number_of_leaders(demo, db):
    # given the four streets and the administrative quota type
    streets = base_units(UnitKind.STREET)
    administrative = QuotaType.objects.get(code="administrative")

    # when each street's administrative balance, leaders and enrolled staff are counted today
    figures = {
        s.name: (
            quota_balance(unit=s, quota_type=administrative, on=TODAY),
            PostAssignment.objects.active_on(TODAY)
            .filter(unit=s, is_leadership=True)
            .values("person")
            .distinct()
            .count(),
            Enrolment.objects.active_on(TODAY).filter(unit=s, quota_type=administrative).count(),
        )
        for s in streets
    }

    # then the leaders take every administrative place: none is left for the offices
    assert {
        name: (quota == leaders == enrolled) for name, (quota, leaders, enrolled) in figures.items()
    } == {s.name: True for s in streets}
    assert {name: quota for name, (quota, _, _) in figures.items()} == {s.name: 7 for s in streets}


def test_street_center_institution_staff_work_in_offices(demo, db):
    # given the street centers' 事业编制 staff enrolled today
    enrolments = Enrolment.objects.active_on(TODAY).filter(
        unit__kind=UnitKind.CENTER,
        unit__parent__kind=UnitKind.STREET,
        quota_type__code="institution",
    )

    # when those whose actual post (实际工作岗位) is in an office are found
    mixed = list(
        PostAssignment.objects.active_on(TODAY)
        .filter(
            kind=PostKind.MAIN,
            unit__kind=UnitKind.OFFICE,
            person__in=enrolments.values("person"),
        )
        .select_related("unit", "person")
    )
    same_street = {
        post.unit.parent_id
        == Enrolment.objects.active_on(TODAY).get(person=post.person).unit.parent_id
        for post in mixed
    }

    # then some 事业编制 staff work in an office of their own street (混岗)
    assert len(mixed) > 0
    assert same_street == {True}


def test_no_unit_holds_a_quota_type_of_the_wrong_nature(demo, db):
    # given every ledger entry and every enrolment of the demo
    movements = QuotaMovement.objects.select_related("unit", "quota_type")
    enrolments = Enrolment.objects.select_related("unit", "quota_type")

    # when the nature of each unit is compared with its quota type's nature
    mixed_movements = [
        (m.unit.name, m.quota_type.name)
        for m in movements
        if UNIT_NATURE[m.unit.kind] != m.quota_type.nature
    ]
    mixed_enrolments = [
        (e.unit.name, e.quota_type.name)
        for e in enrolments
        if UNIT_NATURE[e.unit.kind] != e.quota_type.nature
    ]

    # then there is no 混编 anywhere, and no office holds quota of its own
    assert mixed_movements == []
    assert mixed_enrolments == []
    assert QuotaMovement.objects.filter(unit__kind=UnitKind.OFFICE).count() == 0


def test_the_same_seed_builds_the_same_people(demo, db, earlier_build_people):
    # given a build with the same seed made and rolled back before this one
    # when the first ten people of this build are read
    people = first_people()

    # then they are the same names with the same ID numbers
    assert len(people) == 10
    assert people == earlier_build_people


def test_every_dispatched_agency_is_under_dual_management_with_scores_and_tasks(demo: Any) -> None:
    from zhenjie.agencies.models import Agency, PersonnelMove
    from zhenjie.agencies.selectors import annual_results

    # the report's 市场监督管理所 and 司法所 in 4 towns and 4 streets, each with its head
    agencies = Agency.objects.all()
    assert agencies.count() == 16
    assert agencies.filter(head__isnull=True).count() == 0
    # 2025 scored by both sides, with tasks counted beside the scores
    results = annual_results(user=demo.users["bianban"], year=2025)
    assert len(results) == 16
    assert all(r.combined is not None and r.tasks.total > 0 for r in results)
    # moves heard by the town: one followed, one decided against the opinion, one waiting
    assert sorted(PersonnelMove.objects.values_list("status", "followed_opinion")) == [
        ("decided", False),
        ("decided", True),
        ("pending_opinion", None),
    ]
