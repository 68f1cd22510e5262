"""The Arxan (阿尔山市, 152202) demo: the county as the research report describes it.

Facts from the report: 4 towns with six offices, one center and one enforcement bureau; 4 streets
with five offices and one center; stations' quotas and people transferred to the towns in 2019;
market-supervision and judicial offices dispatched into every town and street; street offices
left without administrative quota once leaders are placed; 事业编制 staff working in offices.
Office names follow DOMAIN.md 2.2. Document numbers and people are invented demo values.
"""

import csv
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from stdnum.cn import ric

from zhenjie.accounts.models import User
from zhenjie.core.roles import Role
from zhenjie.duties.choices import ListKind, MeetingKind
from zhenjie.duties.services import (
    duty_item_save,
    duty_list_create,
    edition_create,
    meeting_record,
    reply_record,
    round_start,
)
from zhenjie.organizations.choices import DivisionLevel, UnitKind, UnitRank
from zhenjie.organizations.models import Division, Unit
from zhenjie.organizations.services import division_create, docking_link_add, unit_create
from zhenjie.personnel.choices import Education, EntryChannel, PoliticalStatus, PostKind
from zhenjie.personnel.models import Person
from zhenjie.personnel.services import person_enrol, person_register, post_assign, quota_transfer
from zhenjie.powers.choices import AcceptanceStatus, DelegationMode, GuidanceKind
from zhenjie.powers.models import DelegationBatch, PowerCategory, PowerItem
from zhenjie.powers.services import (
    acceptance_record,
    batch_create,
    guidance_record,
    pledge_set,
    power_item_create,
    usage_record,
)
from zhenjie.staffing.choices import LeadershipLevel, MovementKind
from zhenjie.staffing.models import QuotaType
from zhenjie.staffing.services import (
    leadership_quota_set,
    quota_movement_record,
    quota_redistribute,
)

from .agencies_demo import build_agencies
from .enforcement_demo import build_enforcement
from .lists_catalog import (
    DUTY_ITEMS,
    DUTY_LIST_NAME,
    RULES_NAME,
    RULES_TEXT,
    SHARED_ITEMS,
    SHARED_LIST_NAME,
)
from .powers_catalog import CATALOG, FOLLOWING_DEPARTMENT, STREET_ACCEPTED

DATA = Path(__file__).parent / "data"
DEMO_PASSWORD = "zhenjie-demo-2026"
COUNTY_CODE = "152202"

BASE_QUOTA_DAY = dt.date(2005, 1, 1)
BASE_QUOTA_DOC = "阿机编发〔2005〕1号"
REFORM_DAY = dt.date(2019, 11, 1)
REFORM_DOC = "阿机编发〔2019〕21号"
TRANSFER_DAY = dt.date(2019, 12, 1)
TRANSFER_DOC = "阿机编发〔2019〕25号"
STATION_ABOLISH_DAY = dt.date(2019, 12, 31)
REDISTRIBUTION_DAY = dt.date(2020, 6, 1)
REDISTRIBUTION_DOC = "阿机编发〔2020〕8号"

TOWN_OFFICES = [
    "党政综合办公室",
    "基层党的建设办公室",
    "乡村振兴办公室",
    "社会事务办公室",
    "平安建设办公室",
    "城市管理办公室",
]
STREET_OFFICES = [
    "党政综合办公室",
    "基层党的建设办公室",
    "城市管理办公室",
    "社会事务办公室",
    "平安建设办公室",
]
TOWN_CENTER = "综合保障和技术推广中心"
TOWN_BUREAU = "综合行政执法局"
STREET_CENTER = "党群服务中心"

# County departments (市直部门); the report: the offices dock with more than thirty of them.
DEPARTMENTS = [
    "市委办公室",
    "市政府办公室",
    "市委组织部",
    "市委宣传部",
    "市委统战部",
    "市委政法委员会",
    "市委机构编制委员会办公室",
    "发展和改革委员会",
    "教育局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农牧局",
    "林业和草原局",
    "商务局",
    "文化旅游体育局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "信访局",
    "城市管理综合行政执法局",
    "乡村振兴局",
    "政务服务局",
]

# Former stations whose quota and people moved to each town in 2019: (name, department, target).
STATIONS = [
    ("林业工作站", "林业和草原局", TOWN_CENTER),
    ("畜牧兽医站", "农牧局", TOWN_CENTER),
    ("城管中队", "城市管理综合行政执法局", TOWN_BUREAU),
]

# Which departments each office mostly docks with (the rest are drawn to reach about six each).
OFFICE_DOCKING = {
    "党政综合办公室": ["市委办公室", "市政府办公室", "财政局", "审计局", "统计局", "信访局"],
    "基层党的建设办公室": [
        "市委组织部",
        "市委宣传部",
        "市委统战部",
        "市委机构编制委员会办公室",
        "人力资源和社会保障局",
    ],
    "乡村振兴办公室": [
        "农牧局",
        "林业和草原局",
        "水利局",
        "乡村振兴局",
        "自然资源局",
        "商务局",
        "发展和改革委员会",
    ],
    "社会事务办公室": [
        "民政局",
        "教育局",
        "卫生健康委员会",
        "医疗保障局",
        "退役军人事务局",
        "文化旅游体育局",
    ],
    "平安建设办公室": [
        "市委政法委员会",
        "公安局",
        "司法局",
        "应急管理局",
        "信访局",
        "市场监督管理局",
    ],
    "城市管理办公室": [
        "住房和城乡建设局",
        "城市管理综合行政执法局",
        "生态环境局",
        "交通运输局",
        "工业和信息化局",
        "政务服务局",
    ],
}

TOWN_LEADERS = [
    ("党委书记", LeadershipLevel.PRINCIPAL),
    ("镇长", LeadershipLevel.PRINCIPAL),
    ("党委副书记", LeadershipLevel.DEPUTY),
    ("人大主席", LeadershipLevel.DEPUTY),
    ("纪委书记", LeadershipLevel.DEPUTY),
    ("副镇长", LeadershipLevel.DEPUTY),
    ("副镇长", LeadershipLevel.DEPUTY),
    ("组织委员", LeadershipLevel.DEPUTY),
    ("武装部长", LeadershipLevel.DEPUTY),
]
STREET_LEADERS = [
    ("党工委书记", LeadershipLevel.PRINCIPAL),
    ("办事处主任", LeadershipLevel.PRINCIPAL),
    ("党工委副书记", LeadershipLevel.DEPUTY),
    ("纪工委书记", LeadershipLevel.DEPUTY),
    ("办事处副主任", LeadershipLevel.DEPUTY),
    ("办事处副主任", LeadershipLevel.DEPUTY),
    ("武装部长", LeadershipLevel.DEPUTY),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文包乌宝"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕鹏辉建国志刚海峰雪梅晓东文博宇航思远佳怡子涵浩然欣怡雨婷巴特尔其其格那日苏图雅额尔敦"
ETHNICITIES = ["汉族"] * 14 + ["蒙古族"] * 4 + ["满族", "回族", "朝鲜族", "达斡尔族"]
MAJORS = [
    "汉语言文学",
    "法学",
    "行政管理",
    "农学",
    "动物医学",
    "水利水电工程",
    "林学",
    "会计学",
    "计算机科学与技术",
    "草业科学",
    "土地资源管理",
    "",
]


@dataclass
class Demo:
    """Handles to what the demo built, for tests and for the set-up's printout."""

    county: Unit
    users: dict[str, User]


class DemoBuilder:
    def __init__(self, seed: int = 2019) -> None:
        self.rng = random.Random(seed)
        self.seq = 0
        self.used_ids: set[str] = set()
        self.types = {t.code: t for t in QuotaType.objects.all()}

    # -- people ---------------------------------------------------------------------------
    def _id_number(self, birth: dt.date, gender: str) -> str:
        while True:
            self.seq += 1
            order = (self.seq * 7) % 998 + 1
            if (order % 2 == 1) != (gender == "M"):
                order = order + 1 if order < 999 else order - 1
            body = f"{COUNTY_CODE}{birth:%Y%m%d}{order:03d}"
            # calc_check_digit reads the first 17 digits of a full-length number.
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def person(self, actor: User, *, born_between: tuple[int, int] = (1965, 1998)) -> Person:
        rng = self.rng
        gender = rng.choice("MMF")
        birth = dt.date(rng.randint(*born_between), rng.randint(1, 12), rng.randint(1, 28))
        given_len = rng.choice([1, 2, 2])
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(given_len))
        return person_register(
            actor=actor,
            name=name,
            id_number=self._id_number(birth, gender),
            ethnicity=rng.choice(ETHNICITIES),
            education=rng.choice(
                [Education.BACHELOR] * 5 + [Education.COLLEGE] * 3 + [Education.MASTER]
            ),
            major=rng.choice(MAJORS),
            political_status=rng.choice(
                [PoliticalStatus.CPC] * 3 + [PoliticalStatus.MASSES, PoliticalStatus.LEAGUE]
            ),
            phone=f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
        )

    def staff(
        self,
        actor: User,
        unit: Unit,
        quota: str,
        *,
        post_unit: Unit | None = None,
        title: str = "工作人员",
        start: dt.date | None = None,
        channel: str | None = None,
        leader_level: str = "",
    ) -> Person:
        """Register, enrol and post one person."""
        person = self.person(actor)
        start = start or dt.date(self.rng.randint(2008, 2018), self.rng.randint(1, 12), 1)
        start = max(start, dt.date(person.birth_date.year + 21, 9, 1), unit.established_on)
        if channel is None:
            if quota in ("administrative", "political_legal"):
                channel = self.rng.choice(
                    [EntryChannel.CIVIL_SERVICE_EXAM] * 3
                    + [EntryChannel.SELECTED_GRADUATE, EntryChannel.TRANSFER_IN]
                )
            else:
                channel = self.rng.choice(
                    [EntryChannel.PUBLIC_INSTITUTION_HIRING] * 3
                    + [EntryChannel.THREE_SUPPORTS, EntryChannel.MILITARY_TRANSFER]
                )
        person_enrol(
            actor=actor,
            person=person,
            unit=unit,
            quota_type=self.types[quota],
            channel=channel,
            start_date=start,
            doc_no=f"阿人社发〔{start.year}〕{self.rng.randint(1, 60)}号",
        )
        post_start = max(start, (post_unit or unit).established_on)
        post_assign(
            actor=actor,
            person=person,
            unit=post_unit or unit,
            title=title,
            kind=PostKind.MAIN,
            start_date=post_start,
            is_leadership=bool(leader_level),
            leadership_level=leader_level,
        )
        return person

    def credit_code(self, category: str) -> str:
        """A valid unified social credit code: 1 (机构编制) + category (1 机关, 2 事业单位) + 152202."""
        from stdnum.cn import uscc

        self.seq += 1
        body = f"{10000000 + self.seq * 37:08d}"
        weights = [3, 7, 9, 10, 5, 8, 4, 2]
        check = 11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
        org_code = body + {10: "X", 11: "0"}.get(check, str(check))
        stem = f"1{category}{COUNTY_CODE}{org_code}"
        return stem + uscc.calc_check_digit(stem)

    # -- quota ----------------------------------------------------------------------------
    def approve(
        self, actor: User, unit: Unit, quota: str, amount: int, on: dt.date, doc: str
    ) -> None:
        quota_movement_record(
            actor=actor,
            unit=unit,
            quota_type=self.types[quota],
            kind=MovementKind.APPROVE,
            amount=amount,
            doc_no=doc,
            effective_on=on,
            summary="机构改革核定编制",
        )

    # -- the county ------------------------------------------------------------------------
    @transaction.atomic
    def build(self) -> Demo:
        admin = User.objects.create_superuser("admin", "", DEMO_PASSWORD, first_name="系统管理员")
        divisions = self._divisions()
        province = unit_create(
            actor=admin,
            name="内蒙古自治区",
            kind=UnitKind.PROVINCE,
            parent=None,
            division=divisions["15"],
            established_on=dt.date(1947, 5, 1),
        )
        league = unit_create(
            actor=admin,
            name="兴安盟",
            kind=UnitKind.PREFECTURE,
            parent=province,
            division=divisions["1522"],
            established_on=dt.date(1980, 7, 26),
        )
        county = unit_create(
            actor=admin,
            name="阿尔山市",
            kind=UnitKind.COUNTY,
            parent=league,
            division=divisions[COUNTY_CODE],
            established_on=dt.date(1996, 6, 1),
            established_doc="国函〔1996〕43号",
            rank=UnitRank.BUREAU,
        )
        departments = {
            name: unit_create(
                actor=admin,
                name=f"阿尔山市{name}"
                if not name.startswith(("市委", "市政府"))
                else f"阿尔山{name}",
                kind=UnitKind.DEPARTMENT,
                parent=county,
                established_on=dt.date(1996, 6, 1),
                rank=UnitRank.SECTION,
                sort_order=i,
            )
            for i, name in enumerate(DEPARTMENTS)
        }
        for i, dept in enumerate(departments.values()):
            self.approve(
                admin,
                dept,
                "administrative",
                2 + i % 2 + (i % 3 == 0),
                dt.date(1996, 6, 1),
                "阿机编发〔1996〕1号",
            )
            for _ in range(1 + i % 2):
                self.staff(admin, dept, "administrative", title="科员")
        towns = [d for d in divisions.values() if d.level == DivisionLevel.TOWN]
        streets = [d for d in divisions.values() if d.level == DivisionLevel.STREET]
        for order, division in enumerate(towns):
            self._town(admin, county, division, departments, order)
        for order, division in enumerate(streets):
            self._street(admin, county, division, departments, order)
        self._redistribute(admin, county)
        self._powers(admin, county, departments)
        self._lists(admin, county, departments)
        build_enforcement(admin)
        build_agencies(admin, seed=2019)
        users = self._users(county, departments)
        users["admin"] = admin
        return Demo(county=county, users=users)

    def _divisions(self) -> dict[str, Division]:
        out: dict[str, Division] = {}
        with open(DATA / "divisions.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                level = {
                    "province": DivisionLevel.PROVINCE,
                    "league": DivisionLevel.PREFECTURE,
                    "county_city": DivisionLevel.COUNTY,
                    "street": DivisionLevel.STREET,
                    "town": DivisionLevel.TOWN,
                }[row["type"]]
                out[row["code"]] = division_create(
                    code=row["code"],
                    name=row["name"],
                    level=level,
                    parent=out.get(row["parent_code"]),
                    source=row["source"],
                )
        return out

    def _base_unit(
        self, admin: User, county: Unit, division: Division, kind: str, order: int
    ) -> Unit:
        return unit_create(
            actor=admin,
            name=division.name,
            kind=kind,
            parent=county,
            division=division,
            established_on=dt.date(1996, 6, 1),
            rank=UnitRank.SECTION,
            sort_order=100 + order,
            credit_code=self.credit_code("1"),
        )

    def _internal(
        self, admin: User, base: Unit, names: list[str], kind: str, rank: str = ""
    ) -> list[Unit]:
        return [
            unit_create(
                actor=admin,
                name=name,
                kind=kind,
                parent=base,
                established_on=REFORM_DAY,
                established_doc=REFORM_DOC,
                rank=rank,
                sort_order=i,
            )
            for i, name in enumerate(names)
        ]

    def _agencies(self, admin: User, base: Unit, departments: dict[str, Unit]) -> None:
        market = unit_create(
            actor=admin,
            name=f"{base.name}市场监督管理所",
            kind=UnitKind.DISPATCHED_AGENCY,
            parent=base,
            department=departments["市场监督管理局"],
            established_on=dt.date(2019, 3, 1),
            sort_order=90,
        )
        justice = unit_create(
            actor=admin,
            name=f"{base.name}司法所",
            kind=UnitKind.DISPATCHED_AGENCY,
            parent=base,
            department=departments["司法局"],
            established_on=dt.date(2010, 1, 1),
            sort_order=91,
        )
        self.approve(admin, market, "administrative", 3, dt.date(2019, 3, 1), "阿机编发〔2019〕4号")
        self.approve(
            admin, justice, "political_legal", 2, dt.date(2010, 1, 1), "阿机编发〔2010〕2号"
        )
        self.staff(admin, market, "administrative", title="所长")
        self.staff(admin, market, "administrative", title="科员")
        self.staff(admin, justice, "political_legal", title="所长")

    def _dock(self, admin: User, office: Unit, departments: dict[str, Unit]) -> None:
        wanted = list(OFFICE_DOCKING[office.name])
        others = [d for d in DEPARTMENTS if d not in wanted]
        while len(wanted) < 6:
            wanted.append(self.rng.choice([d for d in others if d not in wanted]))
        for name in wanted:
            docking_link_add(actor=admin, office=office, department=departments[name])

    def _leaders(
        self, admin: User, base: Unit, roster: Sequence[tuple[str, str]], offices: list[Unit]
    ) -> list[Person]:
        principal = sum(1 for _, lvl in roster if lvl == LeadershipLevel.PRINCIPAL)
        leadership_quota_set(
            actor=admin,
            unit=base,
            level=LeadershipLevel.PRINCIPAL,
            count=principal,
            doc_no=REFORM_DOC,
            effective_on=REFORM_DAY,
        )
        leadership_quota_set(
            actor=admin,
            unit=base,
            level=LeadershipLevel.DEPUTY,
            count=len(roster) - principal,
            doc_no=REFORM_DOC,
            effective_on=REFORM_DAY,
        )
        leaders = []
        for title, level in roster:
            person = self.staff(
                admin,
                base,
                "administrative",
                title=title,
                leader_level=level,
                start=REFORM_DAY - dt.timedelta(days=self.rng.randint(30, 900)),
            )
            leaders.append(person)
        # Each deputy leader is in charge of (分管) one or two offices, recorded as 兼任.
        for i, office in enumerate(offices):
            leader = leaders[2 + i % (len(leaders) - 2)]
            post_assign(
                actor=admin,
                person=leader,
                unit=office,
                title="分管领导",
                kind=PostKind.CONCURRENT,
                start_date=REFORM_DAY,
            )
        return leaders

    def _town(
        self,
        admin: User,
        county: Unit,
        division: Division,
        departments: dict[str, Unit],
        order: int,
    ) -> None:
        town = self._base_unit(admin, county, division, UnitKind.TOWN, order)
        offices = self._internal(admin, town, TOWN_OFFICES, UnitKind.OFFICE)
        center = unit_create(
            actor=admin,
            name=TOWN_CENTER,
            kind=UnitKind.CENTER,
            parent=town,
            established_on=REFORM_DAY,
            established_doc=REFORM_DOC,
            rank=UnitRank.EQUIV_DEPUTY_SECTION,
            sort_order=10,
            credit_code=self.credit_code("2"),
        )
        bureau = unit_create(
            actor=admin,
            name=TOWN_BUREAU,
            kind=UnitKind.ENFORCEMENT_BUREAU,
            parent=town,
            established_on=REFORM_DAY,
            established_doc=REFORM_DOC,
            rank=UnitRank.EQUIV_DEPUTY_SECTION,
            sort_order=11,
            credit_code=self.credit_code("2"),
        )
        self.approve(admin, town, "administrative", 24, BASE_QUOTA_DAY, BASE_QUOTA_DOC)
        self.approve(admin, town, "organ_worker", 2, BASE_QUOTA_DAY, BASE_QUOTA_DOC)
        self.approve(admin, center, "institution", 9, REFORM_DAY, REFORM_DOC)
        self.approve(admin, bureau, "institution", 4, REFORM_DAY, REFORM_DOC)
        self._leaders(admin, town, TOWN_LEADERS, offices)
        for office in offices:
            for _ in range(2):
                self.staff(admin, town, "administrative", post_unit=office, title="科员")
        self.staff(admin, town, "organ_worker", title="驾驶员")
        for _ in range(8):
            self.staff(admin, center, "institution", title="专业技术人员")
        for _ in range(3):
            self.staff(admin, bureau, "institution", title="执法队员")
        # 2019: the stations' quota and people follow the duties into the town (编随事走、人随编走).
        for station_name, dept_name, target_name in STATIONS:
            station = unit_create(
                actor=admin,
                name=f"{division.name}{station_name}",
                kind=UnitKind.STATION,
                parent=departments[dept_name],
                established_on=dt.date(2005, 1, 1),
                established_doc="阿机编发〔2005〕6号",
            )
            self.approve(
                admin, station, "institution", 3, dt.date(2005, 1, 1), "阿机编发〔2005〕6号"
            )
            people = [
                self.staff(
                    admin,
                    station,
                    "institution",
                    title="技术员",
                    start=dt.date(self.rng.randint(2006, 2016), 3, 1),
                )
                for _ in range(2)
            ]
            target = center if target_name == TOWN_CENTER else bureau
            quota_transfer(
                actor=admin,
                from_unit=station,
                to_unit=target,
                quota_type=self.types["institution"],
                amount=3,
                doc_no=TRANSFER_DOC,
                effective_on=TRANSFER_DAY,
                persons=people,
                summary=f"原{station.name}编制人员划转到{division.name}",
            )
            from zhenjie.organizations.services import unit_abolish

            unit_abolish(
                actor=admin,
                unit=station,
                abolished_on=STATION_ABOLISH_DAY,
                abolished_doc=TRANSFER_DOC,
            )
        for office in offices:
            self._dock(admin, office, departments)
        self._agencies(admin, town, departments)

    def _street(
        self,
        admin: User,
        county: Unit,
        division: Division,
        departments: dict[str, Unit],
        order: int,
    ) -> None:
        street = self._base_unit(admin, county, division, UnitKind.STREET, order)
        offices = self._internal(admin, street, STREET_OFFICES, UnitKind.OFFICE)
        center = unit_create(
            actor=admin,
            name=STREET_CENTER,
            kind=UnitKind.CENTER,
            parent=street,
            established_on=REFORM_DAY,
            established_doc=REFORM_DOC,
            rank=UnitRank.EQUIV_DEPUTY_SECTION,
            sort_order=10,
            credit_code=self.credit_code("2"),
        )
        # The report: street administrative quota is used up by the leaders, so no office can be
        # staffed with administrative quota (行政编制严重不足).
        self.approve(
            admin, street, "administrative", len(STREET_LEADERS), BASE_QUOTA_DAY, BASE_QUOTA_DOC
        )
        self.approve(admin, center, "institution", 11, REFORM_DAY, REFORM_DOC)
        self._leaders(admin, street, STREET_LEADERS, offices)
        # 事业编制 staff of the center work in the offices (混岗), one or two per office.
        for i in range(10):
            office = offices[i % len(offices)] if i < 6 + order % 2 else None
            self.staff(
                admin,
                center,
                "institution",
                post_unit=office,
                title="工作人员" if office else "专业技术人员",
            )
        for office in offices:
            self._dock(admin, office, departments)
        self._agencies(admin, street, departments)

    def _powers(self, admin: User, county: Unit, departments: dict[str, Unit]) -> None:
        """The region's 99 powers: each town accepts 74, each street 12; 9 of 10 departments
        send no quota or people with them (编随事走、人随编走 failed)."""
        batch = batch_create(
            actor=admin,
            name="自治区赋予苏木乡镇(街道)行政权力事项目录",
            issuer="内蒙古自治区人民政府",
            doc_no=POWERS_DOC,
            issued_on=POWERS_DAY,
            notes="演示数据: 事项依典型的自治区乡镇赋权清单编写, 文号为示意",
        )
        categories = {c.code: c for c in PowerCategory.objects.all()}
        items: list[tuple[str, int, PowerItem]] = []
        for dept_name, rows in CATALOG.items():
            dept = departments[dept_name]
            for i, (category, name, basis, grantee) in enumerate(rows):
                item = power_item_create(
                    actor=admin,
                    batch=batch,
                    code=f"NMG-XZ-{len(items) + 1:03d}",
                    name=name,
                    category=categories[category],
                    legal_basis=basis,
                    department=dept,
                    mode=DelegationMode.DEVOLVE
                    if category == "penalty"
                    else DelegationMode.ENTRUST,
                    grantee=grantee,
                    responsibility_items="受理、审查、决定、送达、事后监管等责任",
                    accountability_cases="不履行或不正确履行职责, 造成不良后果的, 依法追究责任",
                )
                items.append((dept_name, i, item))
        base_units = Unit.objects.filter(kind__in=[UnitKind.TOWN, UnitKind.STREET]).order_by("path")
        for unit in base_units:
            children = {c.name: c for c in unit.children.all()}
            for dept_name, i, item in items:
                self._accept(admin, unit, children, dept_name, i, item)
        self._follow_through(admin, batch, departments)
        self._guidance(admin, departments, base_units)

    def _accept(
        self,
        admin: User,
        unit: Unit,
        children: dict[str, Unit],
        dept_name: str,
        i: int,
        item: PowerItem,
    ) -> None:
        if unit.kind == UnitKind.STREET:
            if item.grantee != "both":
                return
            accepted = (dept_name, i) in STREET_ACCEPTED
            handler = children["城市管理办公室"]
            reason = "街道无综合行政执法队伍和相应专业人员, 暂不具备承接条件"
            status = AcceptanceStatus.ACCEPTED if accepted else AcceptanceStatus.DECLINED
        else:
            key = (dept_name, i)
            if key in TOWN_DEFERRED:
                status, reason = AcceptanceStatus.DEFERRED, "缺少专业技术人员, 待部门培训指导后承接"
            elif dept_name == "城市管理综合行政执法局" or (
                dept_name == "住房和城乡建设局" and item.grantee == "both"
            ):
                status, reason = AcceptanceStatus.DECLINED, "本镇无城区市政设施, 无此类管理对象"
            else:
                status, reason = AcceptanceStatus.ACCEPTED, ""
            category = item.category.code
            if category in ("penalty", "coercive_measure", "coercive_execution"):
                handler = children[TOWN_BUREAU]
            elif category == "inspection":
                handler = children["乡村振兴办公室"]
            else:
                handler = children[TOWN_CENTER]
        acceptance_record(
            actor=admin,
            unit=unit,
            item=item,
            status=status,
            reason=reason if status != AcceptanceStatus.ACCEPTED else "",
            responsible_unit=handler if status == AcceptanceStatus.ACCEPTED else None,
            effective_on=POWERS_EFFECTIVE,
        )
        if status == AcceptanceStatus.ACCEPTED:
            # A year of use; about one power in five was never exercised.
            count = 0 if self.rng.random() < 0.2 else self.rng.randint(1, 40)
            usage_record(
                actor=admin,
                unit=unit,
                item=item,
                period_start=dt.date(2025, 1, 1),
                period_end=dt.date(2025, 12, 31),
                count=count,
            )

    def _follow_through(
        self, admin: User, batch: DelegationBatch, departments: dict[str, Unit]
    ) -> None:
        towns = list(Unit.objects.filter(kind=UnitKind.TOWN).order_by("path"))
        for dept_name in CATALOG:
            pledge_set(
                actor=admin,
                department=departments[dept_name],
                batch=batch,
                expected_quota=len(towns),
                expected_people=len(towns),
                expected_funds=Decimal("200000.00"),
                funds_transferred=Decimal("0.00"),
                notes="按“编随事走、人随编走、费随事转”应随事项下沉的编制、人员和经费",
            )
        dept = departments[FOLLOWING_DEPARTMENT]
        self.approve(
            admin, dept, "administrative", len(towns), dt.date(2020, 6, 1), "阿机编发〔2020〕12号"
        )
        for town in towns:
            person = self.staff(
                admin, dept, "administrative", title="科员", start=dt.date(2020, 7, 1)
            )
            quota_transfer(
                actor=admin,
                from_unit=dept,
                to_unit=town,
                quota_type=self.types["administrative"],
                amount=1,
                doc_no="阿机编发〔2021〕2号",
                effective_on=POWERS_EFFECTIVE,
                persons=[person],
                summary=f"随赋权事项下沉{town.name}",
            )

    def _guidance(self, admin: User, departments: dict[str, Unit], units: Any) -> None:
        for dept_name, kind, day, text in GUIDANCE:
            guidance_record(
                actor=admin,
                department=departments[dept_name],
                kind=kind,
                held_on=day,
                description=text,
                units=list(units),
            )

    def _lists(self, admin: User, county: Unit, departments: dict[str, Unit]) -> None:
        """The three drafts, sent to departments, towns and streets; every party replied
        “无修改意见” after its leadership meeting, then the directors' meeting agreed."""
        bases = list(
            Unit.objects.filter(kind__in=[UnitKind.TOWN, UnitKind.STREET]).order_by("path")
        )
        parties = list(departments.values()) + bases
        duty = duty_list_create(actor=admin, county=county, kind=ListKind.DUTY, name=DUTY_LIST_NAME)
        shared = duty_list_create(
            actor=admin, county=county, kind=ListKind.SHARED, name=SHARED_LIST_NAME
        )
        rules = duty_list_create(actor=admin, county=county, kind=ListKind.RULES, name=RULES_NAME)
        drafts = []
        edition = edition_create(actor=admin, duty_list=duty, label="征求意见稿")
        for code, area, duty_class, name, basis, responsible in DUTY_ITEMS:
            duty_item_save(
                actor=admin,
                edition=edition,
                code=code,
                name=name,
                area=area,
                duty_class=duty_class,
                basis=basis,
                responsible=responsible,
            )
        drafts.append(edition)
        edition = edition_create(actor=admin, duty_list=shared, label="征求意见稿")
        for code, area, name, lead, county_duties, town_duties, cooperating, flow in SHARED_ITEMS:
            duty_item_save(
                actor=admin,
                edition=edition,
                code=code,
                name=name,
                area=area,
                lead_department=departments[lead],
                county_duties=county_duties,
                town_duties=town_duties,
                cooperating=cooperating,
                workflow=flow,
            )
        drafts.append(edition)
        drafts.append(
            edition_create(actor=admin, duty_list=rules, label="征求意见稿", text=RULES_TEXT)
        )
        bianban = departments["市委机构编制委员会办公室"]
        for draft in drafts:
            consultation = round_start(
                actor=admin,
                edition=draft,
                title=f"关于征求《{draft.duty_list.name}(征求意见稿)》意见的函",
                sent_on=LISTS_SENT,
                due_on=LISTS_SENT + dt.timedelta(days=14),
                parties=parties,
            )
            for i, party in enumerate(parties):
                day = LISTS_SENT + dt.timedelta(days=3 + i % 9)
                meeting_record(
                    actor=admin,
                    consultation=consultation,
                    party=party,
                    kind=MeetingKind.LEADERSHIP,
                    held_on=day,
                    conclusion="经领导班子会议研究, 无修改意见",
                )
                reply_record(
                    actor=admin,
                    consultation=consultation,
                    party=party,
                    replied_on=day,
                    no_changes=True,
                )
            meeting_record(
                actor=admin,
                consultation=consultation,
                party=bianban,
                kind=MeetingKind.DIRECTORS,
                held_on=LISTS_SENT + dt.timedelta(days=15),
                conclusion="经市委编办主任办公会研究讨论, 对征求意见稿无修改意见",
            )

    def _redistribute(self, admin: User, county: Unit) -> None:
        """2020: the county moves two 事业编制 places from town centers to enforcement bureaus."""
        centers = list(
            Unit.objects.filter(kind=UnitKind.CENTER, parent__kind=UnitKind.TOWN).order_by("path")
        )
        bureaus = list(Unit.objects.filter(kind=UnitKind.ENFORCEMENT_BUREAU).order_by("path"))
        quota_redistribute(
            actor=admin,
            county=county,
            quota_type=self.types["institution"],
            lines=[(centers[0], -1), (centers[1], -1), (bureaus[2], 1), (bureaus[3], 1)],
            doc_no=REDISTRIBUTION_DOC,
            effective_on=REDISTRIBUTION_DAY,
            summary="根据镇街工作实际对划转编制二次分配",
        )

    def _users(self, county: Unit, departments: dict[str, Unit]) -> dict[str, User]:
        def make(username: str, name: str, role: str, unit: Unit) -> User:
            user = User.objects.create_user(
                username, password=DEMO_PASSWORD, first_name=name, role=role, unit=unit
            )
            return user

        tianchi = Unit.objects.get(kind=UnitKind.TOWN, division__code="152202100")
        linhai = Unit.objects.get(kind=UnitKind.STREET, division__code="152202001")
        league = county.parent
        assert league is not None
        return {
            "bianban": make("bianban", "市委编办", Role.STAFFING_OFFICE, county),
            "tianchi": make("tianchi", "天池镇经办人", Role.UNIT_OPERATOR, tianchi),
            "linhai": make("linhai", "林海街道经办人", Role.UNIT_OPERATOR, linhai),
            "nongmu": make(
                "nongmu", "农牧局经办人", Role.DEPARTMENT_OPERATOR, departments["农牧局"]
            ),
            "lingdao": make("lingdao", "市领导", Role.LEADER, county),
            "xingan": make("xingan", "盟委编办", Role.LEADER, league),
        }


# The report's trigger: 兴机编办发〔2022〕124号; the drafts were circulated after it.
LISTS_SENT = dt.date(2022, 11, 1)
POWERS_DOC = "内政字〔2020〕99号"
POWERS_DAY = dt.date(2020, 9, 1)
POWERS_EFFECTIVE = dt.date(2021, 1, 1)
# Town items deferred for want of specialists (the report: 赋权指导不到位).
TOWN_DEFERRED = {
    ("林业和草原局", 2),
    ("水利局", 2),
    ("农牧局", 3),
    ("市场监督管理局", 9),
    ("卫生健康委员会", 8),
    ("生态环境局", 9),
    ("应急管理局", 8),
}
GUIDANCE = [
    ("自然资源局", GuidanceKind.TRAINING, dt.date(2021, 3, 16), "宅基地审批和违法用地查处业务培训"),
    (
        "市场监督管理局",
        GuidanceKind.GUIDANCE,
        dt.date(2021, 5, 20),
        "无照经营查处和食品摊贩监管业务指导",
    ),
    ("应急管理局", GuidanceKind.TRAINING, dt.date(2021, 6, 8), "安全生产监督检查执法培训"),
]

DEMO_ACCOUNTS: list[tuple[str, str]] = [
    ("bianban", "市委编办(全市)"),
    ("tianchi", "天池镇经办人"),
    ("linhai", "林海街道经办人"),
    ("nongmu", "农牧局经办人"),
    ("lingdao", "市领导(只读)"),
    ("xingan", "盟委编办(只读, 全盟)"),
    ("admin", "系统管理员"),
]


def demo_exists() -> bool:
    return Division.objects.filter(code=COUNTY_CODE).exists()


def build_demo(seed: int = 2019) -> Demo:
    return DemoBuilder(seed).build()


def describe(demo: Any) -> str:
    return f"{demo.county.name}: {Unit.objects.in_subtree(demo.county).count()} 个机构, {Person.objects.count()} 名人员"
