"""The demo's comprehensive administrative law enforcement (综合行政执法), as the report finds it.

Each town's bureau has two teams, each with two or more certified officers (one certificate
close to expiry); equipment and vehicles fall short of the standard; the funds are outside the
county budget (执法经费未纳入市级预算); and a year of cases runs under the penalty powers each
town accepted. Everything is written through the enforcement services, dated relative to the day
the demo is built, with its own random stream so the rest of the demo stays as it was.
"""

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from zhenjie.enforcement import deadlines, services
from zhenjie.enforcement.choices import DecisionKind, PartyKind, PenaltyKind, Stage
from zhenjie.enforcement.conf import limits
from zhenjie.enforcement.models import Certificate, EquipmentKind
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.personnel.models import Person, PostAssignment
from zhenjie.powers.choices import AcceptanceStatus
from zhenjie.powers.models import PowerItem

ISSUER = "阿尔山市人民政府"
PERSONS = ["王某", "李某", "张某", "刘某", "陈某", "杨某", "赵某", "黄某", "周某", "吴某"]
ORGANISATIONS = ["某某农牧业合作社", "某某建材有限公司", "某某旅游服务有限公司", "某某商店"]
# Equipment each bureau actually holds (the report: 装备、设备、车辆没有配齐).
HELD = {"body_camera": 2, "uniform": 3, "evidence_kit": 1}


def _day(today: dt.date, days_ago: int) -> dt.date:
    return today - dt.timedelta(days=days_ago)


class EnforcementDemo:
    def __init__(self, admin: Any, seed: int, today: dt.date) -> None:
        self.admin = admin
        self.rng = random.Random(seed)
        self.today = today
        self.case_seq = 0

    def build(self) -> None:
        bureaus = Unit.objects.filter(kind=UnitKind.ENFORCEMENT_BUREAU).select_related("parent")
        for order, bureau in enumerate(bureaus.order_by("path"), start=1):
            certificates = self._people(bureau, order)
            self._equipment(bureau, order)
            self._funding(bureau)
            self._cases(bureau, certificates)

    # -- officers, teams, certificates ------------------------------------------------------
    def _people(self, bureau: Unit, order: int) -> list[Certificate]:
        posts = list(
            PostAssignment.objects.active_on(self.today)
            .filter(unit=bureau)
            .select_related("person")
            .order_by("start_date", "person__name", "id")
        )
        people = [p.person for p in posts]
        starts = {p.person_id: p.start_date for p in posts}
        teams = [
            services.team_create(
                actor=self.admin,
                bureau=bureau,
                name=name,
                established_on=dt.date(2020, 3, 1),
            )
            for name in ("一中队", "二中队")
        ]
        certificates = []
        for i, person in enumerate(people):
            team = teams[i % 2]
            services.team_member_add(
                actor=self.admin,
                team=team,
                person=person,
                joined_on=max(starts[person.pk], team.established_on),
            )
            # The last officer of a bureau with five or more has not passed the exam yet.
            if len(people) >= 5 and i == len(people) - 1:
                continue
            certificates.append(self._certificate(person, starts[person.pk], order, i))
        return certificates

    def _certificate(self, person: Person, post_start: dt.date, order: int, i: int) -> Certificate:
        if i == 0:
            # One certificate per bureau runs out within the reminder window (须换发).
            issued = dt.date(self.today.year - 6, self.today.month, 1) + dt.timedelta(
                days=35 + order * 7
            )
        else:
            issued = dt.date(2021 + i % 3, 1 + self.rng.randrange(12), 1 + self.rng.randrange(28))
        issued = max(issued, post_start)
        certificate = services.certificate_issue(
            actor=self.admin,
            holder=person,
            number=f"1522020{order}{i + 1:04d}",
            issuer=ISSUER,
            issued_on=issued,
            scope="综合行政执法(自然资源、农牧、林草、水利等领域)",
        )
        # 3年一审注册: reviewed a little before each due date, up to today.
        due = certificate.first_review_due
        while True:
            early = 0 if i == 0 else self.rng.randint(10, 60)
            review = due - dt.timedelta(days=early)
            if review > self.today or review >= certificate.expires_on:
                break
            services.certificate_review_record(
                actor=self.admin, certificate=certificate, reviewed_on=review, notes="审验合格"
            )
            due = deadlines.review_due(review, limits().certificate_review_years)
        return certificate

    # -- equipment and funds ---------------------------------------------------------------------
    def _equipment(self, bureau: Unit, order: int) -> None:
        kinds = {k.code: k for k in EquipmentKind.objects.all()}
        for code, quantity in HELD.items():
            services.equipment_add(
                actor=self.admin,
                bureau=bureau,
                kind=kinds[code],
                quantity=quantity,
                acquired_on=dt.date(2021, 5, 1),
                model_name="统一采购",
            )
        # One vehicle, borrowed from the town government, without a dash camera.
        services.equipment_add(
            actor=self.admin,
            bureau=bureau,
            kind=kinds["vehicle"],
            plate_number=f"蒙F{order}{self.rng.randint(1000, 9999)}",
            has_dash_camera=False,
            acquired_on=dt.date(2020, 8, 1),
            notes="镇政府调剂使用",
        )

    def _funding(self, bureau: Unit) -> None:
        for year in range(2021, self.today.year + 1):
            requested = Decimal(self.rng.randrange(80, 160) * 1000)
            granted = (requested * Decimal(self.rng.randrange(20, 50)) / 100).quantize(Decimal("1"))
            services.funding_set(
                actor=self.admin,
                bureau=bureau,
                year=year,
                in_county_budget=False,
                requested=requested,
                granted=granted,
                spent=granted,
                notes="市级财政未纳入预算, 由镇级经费统筹",
            )

    # -- cases -----------------------------------------------------------------------------------
    def _cases(self, bureau: Unit, certificates: list[Certificate]) -> None:
        town = bureau.parent
        assert town is not None
        powers = list(
            PowerItem.objects.filter(
                category__code="penalty",
                acceptances__unit=town,
                acceptances__status=AcceptanceStatus.ACCEPTED,
                acceptances__responsible_unit=bureau,
            ).order_by("code")
        )
        if not powers or len(certificates) < 2:
            return
        count = self.rng.randint(14, 22)
        for n in range(count):
            power = self.rng.choice(powers)
            opened_ago = self.rng.randint(10, 360)
            team = self.rng.sample(certificates, 2)
            if n % 5 == 0:
                self._simple(town, power, _day(self.today, opened_ago), team)
            elif n == 1:
                # An open case past its 90-day decision deadline (逾期).
                self._ordinary(town, power, 120, team, stop=Stage.INVESTIGATION)
            elif n == 2:
                self._ordinary(town, power, 200, team, hearing=True)
            elif n == 3:
                self._ordinary(town, power, 160, team, major=True, extension=True)
            else:
                stop = (
                    Stage.CLOSED
                    if opened_ago > 60
                    else self.rng.choice([Stage.INVESTIGATION, Stage.NOTICE, Stage.DECISION])
                )
                self._ordinary(town, power, opened_ago, team, stop=stop)

    def _number(self, town: Unit, kind: str, year: int) -> str:
        self.case_seq += 1
        return f"{town.name[:2]}执法{kind}字〔{year}〕{self.case_seq}号"

    def _party(self) -> tuple[str, str]:
        if self.rng.random() < 0.7:
            return self.rng.choice(PERSONS), PartyKind.PERSON
        return self.rng.choice(ORGANISATIONS), PartyKind.ORGANISATION

    def _simple(self, town: Unit, power: PowerItem, on: dt.date, team: list[Certificate]) -> None:
        name, kind = self._party()
        limit = 200 if kind == PartyKind.PERSON else 3000
        case = services.case_decide_on_spot(
            actor=self.admin,
            town=town,
            power=power,
            number=self._number(town, "简", on.year),
            party_name=name,
            party_kind=kind,
            summary=f"现场发现{power.name.removeprefix('对').removesuffix('的行政处罚')}",
            decided_on=on,
            penalty_kind=PenaltyKind.FINE,
            fine=Decimal(self.rng.randrange(50, limit + 1, 50)),
            certificates=team,
        )
        paid = min(on + dt.timedelta(days=self.rng.randint(0, 10)), self.today)
        assert case.fine is not None
        services.case_advance(
            actor=self.admin, case=case, stage=Stage.EXECUTION, on=paid, paid_amount=case.fine
        )
        services.case_advance(actor=self.admin, case=case, stage=Stage.CLOSED, on=paid)

    def _ordinary(
        self,
        town: Unit,
        power: PowerItem,
        opened_ago: int,
        team: list[Certificate],
        *,
        stop: str = Stage.CLOSED,
        hearing: bool = False,
        major: bool = False,
        extension: bool = False,
    ) -> None:
        opened = _day(self.today, opened_ago)
        name, kind = self._party()
        case = services.case_open(
            actor=self.admin,
            town=town,
            power=power,
            number=self._number(town, "立", opened.year),
            party_name=name,
            party_kind=kind,
            summary=f"群众举报{power.name.removeprefix('对').removesuffix('的行政处罚')}, 经核查立案",
            opened_on=opened,
            is_major=major,
        )
        day = opened

        def step(stage: str, after: int, **extra: Any) -> None:
            nonlocal day
            day = min(day + dt.timedelta(days=after), self.today)
            services.case_advance(actor=self.admin, case=case, stage=stage, on=day, **extra)

        step(Stage.INVESTIGATION, 2, certificates=team, note="现场检查、询问当事人并制作笔录")
        if stop == Stage.INVESTIGATION:
            return
        if extension:
            services.case_extend(
                actor=self.admin,
                case=case,
                days=30,
                approved_on=opened + dt.timedelta(days=80),
                approved_by="局长",
                reason="需委托测绘机构测量占地面积",
            )
            day = opened + dt.timedelta(days=80)
        step(Stage.NOTICE, self.rng.randint(10, 25), note="送达行政处罚事先告知书")
        if stop == Stage.NOTICE:
            return
        fine = Decimal(self.rng.randrange(5, 60) * 100)
        if hearing or major:
            fine = Decimal(self.rng.randrange(10, 30) * 1000)
        if hearing:
            noticed = day
            host = Person.objects.filter(
                certificates__in=Certificate.objects.exclude(pk__in=[c.pk for c in team]),
                posts__unit__path__startswith=town.path,
            ).first()
            assert host is not None
            step(
                Stage.HEARING,
                14,
                hearing_requested_on=noticed + dt.timedelta(days=3),
                hearing_notified_on=noticed + dt.timedelta(days=5),
                hearing_host=host,
                note="当事人申请听证, 依法举行",
            )
        else:
            step(Stage.STATEMENT, 3, note="听取当事人陈述申辩并复核")
        if hearing or major or fine >= 10000:
            step(Stage.LEGAL_REVIEW, 3, note="法制审核通过")
        step(
            Stage.DECISION,
            3,
            certificates=team,
            decision_kind=DecisionKind.PENALTY,
            penalty_kind=PenaltyKind.FINE,
            fine=fine,
            note="负责人审批" if not major else "负责人集体讨论决定",
        )
        if stop == Stage.DECISION:
            return
        step(Stage.DELIVERY, self.rng.randint(0, 5), note="直接送达")
        # Most pay within 15 days; some pay two days late with the 3% daily surcharge.
        late = self.rng.random() < 0.15
        paid_on = min(day + dt.timedelta(days=17 if late else self.rng.randint(3, 14)), self.today)
        owed = fine + deadlines.surcharge(
            fine,
            deadlines.payment_due(day, limits().payment_days),
            paid_on,
            limits().surcharge_daily_rate,
        )
        step(Stage.EXECUTION, (paid_on - day).days, paid_amount=owed, note="当事人缴纳罚款")
        step(Stage.CLOSED, 1, note="结案归档")


def build_enforcement(admin: Any, seed: int = 2019, today: dt.date | None = None) -> None:
    """Add the enforcement part of the Arxan demo (after towns, people and powers exist)."""
    EnforcementDemo(admin, seed, today or dt.date.today()).build()
