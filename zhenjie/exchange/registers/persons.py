"""The real-name register (实名制人员): people with their current enrolment and main post.

Imports are set-based: the per-row services are far too slow for a county's whole register, so
the rules of ``person_register``, ``person_update``, ``person_enrol`` and ``post_assign`` are
applied here to all rows at once, with the services' own messages (the tests hold the two
together):

1. every row is parsed and checked on its own (GB 11643 ID number, phone, required groups);
2. the database state of the people, units and quotas concerned is read in bulk (under row
   locks when committing) and each row is planned: register, update, enrol, assign a post, or
   nothing when the row says what the database already says;
3. quota room is checked per (unit, quota type) in aggregate, in file order when it is short;
4. a commit writes people, enrolments and posts with their history records in chunks as plain
   rows (``zhenjie.core.bulk``: COPY on PostgreSQL), all in one transaction.
"""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from zhenjie.core.bulk import insert_with_history
from zhenjie.core.validators import mask_id_number, parse_resident_id, phone_problem
from zhenjie.organizations.models import Unit
from zhenjie.personnel.choices import Education, EntryChannel, PoliticalStatus, PostKind
from zhenjie.personnel.filtersets import PersonFilterSet
from zhenjie.personnel.models import Enrolment, Person, PostAssignment
from zhenjie.personnel.selectors import person_list_current
from zhenjie.staffing.models import QuotaMovement, QuotaType
from zhenjie.staffing.services import quota_type_check_unit

from ..references import QuotaTypeReference, UnitReference
from ..tabular import Column, ColumnKind, Layout, Problem, Reference, Table
from .base import PROGRESS_EVERY, ImportOutcome, ProgressFn, Register, collector_paused

# Rows written per bulk insert; one transaction holds them all.
WRITE_CHUNK = 5000
# Ids per IN (...) query (SQLite's limit on query parameters).
QUERY_CHUNK = 500

NOT_EDITABLE = "无权修改此人员: 其编制和工作岗位不在您的管理范围内"
QUOTA_LAW = "(国务院令第486号第6条: 实有人员不得突破规定的编制)"


def _choices(choices: Iterable[tuple[str, Any]]) -> tuple[tuple[str, str], ...]:
    return tuple((value, str(label)) for value, label in choices)


LAYOUT = Layout(
    title="实名制人员",
    key=("id_number",),
    columns=(
        Column(
            "name",
            "姓名",
            required=True,
            synonyms=("人员姓名",),
            max_length=50,
            is_name=True,
            width=10,
        ),
        Column(
            "id_number",
            "身份证号码",
            required=True,
            synonyms=("身份证号", "公民身份号码", "身份证", "证件号码"),
            help="18位居民身份证号码; 性别和出生日期由号码推算",
            is_code=True,
            width=22,
        ),
        Column("ethnicity", "民族", max_length=20, width=8),
        Column(
            "education",
            "学历",
            ColumnKind.CHOICE,
            synonyms=("文化程度", "最高学历"),
            choices=_choices(Education.choices),
            aliases={
                "博士": Education.DOCTORATE,
                "硕士": Education.MASTER,
                "研究生": Education.MASTER,
                "本科": Education.BACHELOR,
                "大学": Education.BACHELOR,
                "大专": Education.COLLEGE,
                "专科": Education.COLLEGE,
                "中专": Education.SECONDARY,
                "高中": Education.SECONDARY,
                "初中": Education.SECONDARY,
            },
        ),
        Column("major", "所学专业", synonyms=("专业",), max_length=100),
        Column(
            "political_status",
            "政治面貌",
            ColumnKind.CHOICE,
            choices=_choices(PoliticalStatus.choices),
            aliases={
                "党员": PoliticalStatus.CPC,
                "共产党员": PoliticalStatus.CPC,
                "预备党员": PoliticalStatus.PROBATIONARY,
                "团员": PoliticalStatus.LEAGUE,
            },
        ),
        Column(
            "phone",
            "联系电话",
            synonyms=("电话", "手机", "手机号码", "联系方式"),
            max_length=20,
            is_code=True,
            width=14,
        ),
        Column(
            "unit",
            "编制所在机构",
            ColumnKind.REF,
            ref="unit",
            synonyms=("编制所在单位", "编制单位", "所在单位", "单位名称", "单位"),
            help="入编的机构; 重名时写“上级机构/机构名称”或统一社会信用代码。"
            "填写了编制信息时, 编制所在机构、编制类型、进入形式、入编日期均须填写",
            width=26,
        ),
        Column("quota_type", "编制类型", ColumnKind.REF, ref="quota_type", synonyms=("编制性质",)),
        Column(
            "channel",
            "进入形式",
            ColumnKind.CHOICE,
            synonyms=("进编方式", "入编方式", "进入方式"),
            choices=_choices(EntryChannel.choices),
            aliases={
                "考录": EntryChannel.CIVIL_SERVICE_EXAM,
                "考试录用": EntryChannel.CIVIL_SERVICE_EXAM,
                "选调": EntryChannel.SELECTED_GRADUATE,
                "公开招聘": EntryChannel.PUBLIC_INSTITUTION_HIRING,
                "事业单位招聘": EntryChannel.PUBLIC_INSTITUTION_HIRING,
                "三支一扶": EntryChannel.THREE_SUPPORTS,
                "军转": EntryChannel.MILITARY_TRANSFER,
                "军队转业": EntryChannel.MILITARY_TRANSFER,
                "调任": EntryChannel.TRANSFER_IN,
                "调入": EntryChannel.TRANSFER_IN,
                "划转": EntryChannel.QUOTA_TRANSFER,
            },
            width=16,
        ),
        Column(
            "start_date",
            "入编日期",
            ColumnKind.DATE,
            synonyms=("入编时间", "进编时间", "进编日期"),
        ),
        Column("doc_no", "入编文号", max_length=100, width=20),
        Column(
            "post_unit",
            "实际工作机构",
            ColumnKind.REF,
            ref="unit",
            synonyms=("工作机构", "实际工作单位", "工作单位", "实际工作岗位所在机构"),
            help="不填则为编制所在机构; 在“办”工作的请填写具体的办",
            width=26,
        ),
        Column(
            "post_title",
            "岗位/职务",
            synonyms=("岗位", "职务", "现任职务", "岗位职务", "实际工作岗位"),
            max_length=100,
        ),
        Column(
            "post_start",
            "任职日期",
            ColumnKind.DATE,
            synonyms=("任职时间",),
            help="不填则为入编日期",
        ),
        Column("notes", "备注", width=20),
    ),
)

HEADERS = {c.name: c.header for c in LAYOUT.columns}
CHANNELS = dict(LAYOUT.by_name["channel"].choices)
DETAILS = ("name", "ethnicity", "education", "major", "political_status", "phone", "notes")
ENROLMENT_GROUP = ("unit", "quota_type", "channel", "start_date")


@dataclass(slots=True)
class _Row:
    """One checked row and, after planning, what it will write."""

    row: int
    name: str
    id_number: str
    gender: str
    birth_date: dt.date
    ethnicity: str
    education: str
    major: str
    political_status: str
    phone: str
    notes: str
    unit: Unit | None
    quota_type: QuotaType | None
    channel: str
    start_date: dt.date | None
    doc_no: str
    post_unit: Unit | None
    post_title: str
    post_start: dt.date | None
    # The plan.
    person_id: int | None = None
    person_changes: tuple[str, ...] = ()
    new_enrolment: bool = False
    new_post_unit: Unit | None = None
    new_post_start: dt.date | None = None
    close_post_id: int | None = None


@dataclass(slots=True)
class _KnownEnrolment:
    unit_id: int
    unit_name: str
    quota_type_id: int
    channel: str
    start_date: dt.date
    end_date: dt.date | None
    doc_no: str

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


@dataclass(slots=True)
class _KnownPost:
    pk: int
    kind: str
    unit_id: int
    title: str
    start_date: dt.date
    end_date: dt.date | None


@dataclass(slots=True)
class _Known:
    """What the database holds about a person named in the file (compact: a county's whole
    register may be re-imported)."""

    pk: int
    name: str
    created_by_id: int | None
    details: dict[str, str]
    enrolments: list[_KnownEnrolment] = field(default_factory=list)
    posts: list[_KnownPost] = field(default_factory=list)
    visible: bool = False
    editable: bool = False

    def open_enrolment(self) -> _KnownEnrolment | None:
        return next((e for e in self.enrolments if e.end_date is None), None)

    def open_main_post(self) -> _KnownPost | None:
        return next((p for p in self.posts if p.kind == PostKind.MAIN and p.end_date is None), None)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _denied(action: str, unit: Unit) -> str:
    """The message of organizations.selectors.ensure_unit_access."""
    return f"无权{action}: {unit.name}不在您的管理范围内或您的角色不允许此操作"


def _show(value: Any) -> str:
    if value is None or value == "":
        return "空"
    return str(value)


class _SlackTree:
    """Free places per day of one (unit, quota type), in a segment tree with lazy additions:
    “one more person from day i on” and “first day from i without a free place” in O(log n)."""

    def __init__(self, values: list[int]) -> None:
        size = 1
        while size < len(values):
            size *= 2
        self.size = size
        far = 1 << 60
        self.low = [far] * (2 * size)
        self.pending = [0] * (2 * size)
        self.low[size : size + len(values)] = values
        for k in range(size - 1, 0, -1):
            self.low[k] = min(self.low[2 * k], self.low[2 * k + 1])

    def _push(self, k: int) -> None:
        amount = self.pending[k]
        if amount:
            for child in (2 * k, 2 * k + 1):
                self.low[child] += amount
                self.pending[child] += amount
            self.pending[k] = 0

    def add_from(self, start: int, amount: int, k: int = 1, lo: int = 0, hi: int = -1) -> None:
        hi = self.size if hi < 0 else hi
        if hi <= start:
            return
        if start <= lo:
            self.low[k] += amount
            self.pending[k] += amount
            return
        self._push(k)
        mid = (lo + hi) // 2
        self.add_from(start, amount, 2 * k, lo, mid)
        self.add_from(start, amount, 2 * k + 1, mid, hi)
        self.low[k] = min(self.low[2 * k], self.low[2 * k + 1])

    def first_full(self, start: int, k: int = 1, lo: int = 0, hi: int = -1) -> int | None:
        hi = self.size if hi < 0 else hi
        if hi <= start or self.low[k] > 0:
            return None
        if hi - lo == 1:
            return lo
        self._push(k)
        mid = (lo + hi) // 2
        found = self.first_full(start, 2 * k, lo, mid)
        return found if found is not None else self.first_full(start, 2 * k + 1, mid, hi)

    def value(self, index: int) -> int:
        k, lo, hi = 1, 0, self.size
        while hi - lo > 1:
            self._push(k)
            mid = (lo + hi) // 2
            if index < mid:
                k, hi = 2 * k, mid
            else:
                k, lo = 2 * k + 1, mid
        return self.low[k]


def _running(days: list[dt.date], events: list[tuple[dt.date, int]]) -> list[int]:
    """For each day, the sum of the events dated on or before it."""
    events.sort(key=lambda e: e[0])
    out, total, i = [], 0, 0
    for day in days:
        while i < len(events) and events[i][0] <= day:
            total += events[i][1]
            i += 1
        out.append(total)
    return out


class PersonRegister(Register):
    name = "persons"
    label = "实名制人员"
    description = (
        "人员信息、当前编制(机构、编制类型、进入形式、入编日期)和实际工作岗位; 以身份证号码识别"
    )
    layout = LAYOUT
    list_url_name = "personnel:person_list"
    filterset_class = PersonFilterSet
    import_refusal = "您的角色不能登记人员"
    has_as_of = True

    def may_import(self, user: Any) -> bool:
        return bool(user.may_edit_people)

    def references(self, user: Any) -> dict[str, Reference]:
        return {"unit": UnitReference(user=user), "quota_type": QuotaTypeReference()}

    # -- export --------------------------------------------------------------------------------
    def base_queryset(self, user: Any, on: dt.date) -> QuerySet[Any]:
        return person_list_current(user=user, on=on).order_by("name", "id")

    def export_values(self, obj: Any, refs: Mapping[str, Reference], on: dt.date) -> list[Any]:
        units = refs["unit"]
        enrolment = obj.current_enrolments[0] if obj.current_enrolments else None
        mains = [p for p in obj.current_posts if p.kind == PostKind.MAIN]
        post = mains[0] if mains else None
        return [
            obj.name,
            obj.id_number,
            obj.ethnicity,
            obj.education,
            obj.major,
            obj.political_status,
            obj.phone,
            units.label(enrolment.unit) if enrolment else "",
            enrolment.quota_type.name if enrolment else "",
            enrolment.channel if enrolment else "",
            enrolment.start_date if enrolment else None,
            enrolment.doc_no if enrolment else "",
            units.label(post.unit) if post else "",
            post.title if post else "",
            post.start_date if post else None,
            obj.notes,
        ]

    # -- import --------------------------------------------------------------------------------
    def run_import(
        self, *, actor: Any, table: Table, commit: bool, progress: ProgressFn
    ) -> ImportOutcome:
        with collector_paused():
            return self._run(actor, table, commit, progress)

    def _run(self, actor: Any, table: Table, commit: bool, progress: ProgressFn) -> ImportOutcome:
        today = dt.date.today()
        refs = self.references(actor)
        units: UnitReference = refs["unit"]  # type: ignore[assignment]
        outcome = ImportOutcome()
        rows = self._check_rows(table, refs, today, outcome, progress)
        progress(outcome.rows, outcome.rows, "写入" if commit else "检查")
        if not commit:
            self._plan(actor, rows, units, today, outcome, lock=False)
            return outcome
        with transaction.atomic():
            self._plan(actor, rows, units, today, outcome, lock=True)
            if outcome.problem_count == 0:
                self._write(actor, rows)
        return outcome

    def _check_rows(
        self,
        table: Table,
        refs: Mapping[str, Reference],
        today: dt.date,
        outcome: ImportOutcome,
        progress: ProgressFn,
    ) -> list[_Row]:
        """Pass 1: every row on its own, streaming; only rows without problems are kept."""
        progress(0, None, "校验")
        rows: list[_Row] = []
        seen: dict[str, int] = {}
        for record in table.records():
            outcome.rows += 1
            if outcome.rows % PROGRESS_EVERY == 0:
                progress(outcome.rows)
            values, problems = LAYOUT.parse(record, refs)
            row = record.row
            facts = None
            raw_id = record.cells.get("id_number")
            if isinstance(raw_id, float) and raw_id >= 1e15:
                problems.append(
                    Problem(
                        row,
                        HEADERS["id_number"],
                        "身份证号码被 Excel 存成了数字, 末几位已丢失; 请把该列设为文本格式后重新填写",
                    )
                )
            elif values["id_number"]:
                try:
                    facts = parse_resident_id(values["id_number"], today=today)
                except ValidationError as exc:
                    problems.extend(Problem(row, HEADERS["id_number"], m) for m in exc.messages)
            if facts is not None:
                first = seen.setdefault(facts.number, row)
                if first != row:
                    problems.append(
                        Problem(
                            row,
                            HEADERS["id_number"],
                            f"身份证号码{mask_id_number(facts.number)}与第{first}行重复",
                        )
                    )
            bad_phone = phone_problem(values["phone"] or "")
            if bad_phone:
                problems.append(Problem(row, HEADERS["phone"], bad_phone))
            given = [name for name in ENROLMENT_GROUP if values[name] not in (None, "")]
            if given and len(given) < len(ENROLMENT_GROUP):
                problems.extend(
                    Problem(row, HEADERS[name], f"请填写{HEADERS[name]}")
                    for name in ENROLMENT_GROUP
                    if name not in given and not any(p.column == HEADERS[name] for p in problems)
                )
            if values["post_unit"] is not None and not values["post_title"]:
                problems.append(Problem(row, HEADERS["post_title"], "请填写岗位或职务名称"))
            if problems or facts is None:
                outcome.extend(problems)
                continue
            rows.append(
                _Row(
                    row=row,
                    name=values["name"],
                    id_number=facts.number,
                    gender=facts.gender,
                    birth_date=facts.birth_date,
                    ethnicity=values["ethnicity"],
                    education=values["education"],
                    major=values["major"],
                    political_status=values["political_status"],
                    phone=values["phone"],
                    notes=values["notes"],
                    unit=values["unit"],
                    quota_type=values["quota_type"],
                    channel=values["channel"],
                    start_date=values["start_date"],
                    doc_no=values["doc_no"],
                    post_unit=values["post_unit"],
                    post_title=values["post_title"],
                    post_start=values["post_start"],
                )
            )
        return rows

    def _load(
        self, actor: Any, rows: list[_Row], visible: set[int], today: dt.date, lock: bool
    ) -> dict[str, _Known]:
        """The people of the file already registered, with their enrolments and current posts."""
        numbers = [r.id_number for r in rows]
        known: dict[str, _Known] = {}
        columns = ("pk", "id_number", "created_by_id", *DETAILS)
        for chunk in _chunks(numbers, QUERY_CHUNK):
            people = Person.objects.filter(id_number__in=chunk)
            if lock:
                people = people.select_for_update()
            for values in people.values_list(*columns):
                pk, number, created_by, *details = values
                known[number] = _Known(
                    pk, details[0], created_by, dict(zip(DETAILS, details, strict=True))
                )
        by_pk = {k.pk: k for k in known.values()}
        for chunk in _chunks(list(by_pk), QUERY_CHUNK):
            for person_id, *enrolment in Enrolment.objects.filter(person_id__in=chunk).values_list(
                "person_id",
                "unit_id",
                "unit__name",
                "quota_type_id",
                "channel",
                "start_date",
                "end_date",
                "doc_no",
            ):
                by_pk[person_id].enrolments.append(_KnownEnrolment(*enrolment))  # type: ignore[arg-type]
            for person_id, *post in PostAssignment.objects.filter(person_id__in=chunk).values_list(
                "person_id", "pk", "kind", "unit_id", "title", "start_date", "end_date"
            ):
                by_pk[person_id].posts.append(_KnownPost(*post))  # type: ignore[arg-type]
        for item in known.values():
            if actor.is_superuser:
                item.visible = item.editable = True
                continue
            # personnel.selectors.person_list: any enrolment or post in scope, or registered by
            # the user (scope_q on the unit is what unit_list, hence ``visible``, applies).
            item.visible = (
                any(e.unit_id in visible for e in item.enrolments)
                or any(p.unit_id in visible for p in item.posts)
                or item.created_by_id == actor.pk
            )
            # personnel.selectors.person_is_editable.
            item.editable = (
                any(e.unit_id in visible and e.is_active_on(today) for e in item.enrolments)
                or any(
                    p.unit_id in visible
                    and p.start_date <= today
                    and (p.end_date is None or p.end_date > today)
                    for p in item.posts
                )
                or (item.created_by_id == actor.pk and not item.enrolments)
            )
        return known

    def _plan(
        self,
        actor: Any,
        rows: list[_Row],
        units: UnitReference,
        today: dt.date,
        outcome: ImportOutcome,
        *,
        lock: bool,
    ) -> None:
        """Pass 2: decide what each row writes, with the services' rules and messages."""
        if lock:
            # person_enrol locks the unit whose balance it reads; so does the import.
            unit_ids = sorted({r.unit.pk for r in rows if r.unit is not None})
            for chunk in _chunks(unit_ids, QUERY_CHUNK):
                list(Unit.objects.select_for_update().filter(pk__in=chunk).values_list("pk"))
        visible = units.visible_ids()
        known = self._load(actor, rows, visible, today, lock)
        may_edit = bool(actor.may_edit_people)
        groups: dict[tuple[int, int], list[_Row]] = defaultdict(list)
        counts = {"enrolments": 0, "posts": 0}
        for r in rows:
            problems: list[Problem] = []
            item = known.get(r.id_number)
            changed = False
            if item is not None and not item.visible:
                # Someone the user cannot see: on the pages this row would be a registration,
                # refused without naming the holder (person_register).
                outcome.add(
                    Problem(
                        r.row,
                        HEADERS["id_number"],
                        f"身份证号码{mask_id_number(r.id_number)}已登记(不在您的管理范围内), "
                        "不能重复登记",
                    )
                )
                continue
            if item is not None:
                r.person_id = item.pk
                changes = tuple(
                    name
                    for name in DETAILS
                    if getattr(r, name) and getattr(r, name) != item.details[name]
                )
                if changes and not item.editable:
                    problems.append(Problem(r.row, HEADERS["id_number"], NOT_EDITABLE))
                r.person_changes = changes
                changed = bool(changes)
            enrolment_ok = True
            if r.unit is not None:
                enrolment_ok = self._plan_enrolment(r, item, visible, may_edit, today, problems)
            if (r.post_title or r.post_unit is not None) and enrolment_ok:
                self._plan_post(r, item, units, may_edit, today, problems)
            if problems:
                outcome.extend(problems)
                continue
            if r.new_enrolment:
                # Only rows without other problems take places in the quota check.
                groups[(r.unit.pk, r.quota_type.pk)].append(r)  # type: ignore[union-attr]
            counts["enrolments"] += r.new_enrolment
            counts["posts"] += r.new_post_unit is not None
            if item is None:
                outcome.created += 1
            elif changed or r.new_enrolment or r.new_post_unit is not None:
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        self._check_quota(groups, outcome, counts)
        outcome.details = counts

    def _plan_enrolment(
        self,
        r: _Row,
        item: _Known | None,
        visible: set[int],
        may_edit: bool,
        today: dt.date,
        problems: list[Problem],
    ) -> bool:
        """Is the row's enrolment already recorded? If not, may it be made (person_enrol)?"""
        unit, quota_type, start = r.unit, r.quota_type, r.start_date
        assert unit is not None and quota_type is not None and start is not None
        if item is not None:
            for e in item.enrolments:
                if (
                    (e.end_date is None or e.is_active_on(today))
                    and e.unit_id == unit.pk
                    and e.quota_type_id == quota_type.pk
                    and e.channel == r.channel
                    and e.start_date == start
                    and (not r.doc_no or e.doc_no == r.doc_no)
                ):
                    return True
            current = item.open_enrolment()
            if current is not None:
                if current.unit_id == unit.pk and current.quota_type_id == quota_type.pk:
                    for name, db, new in (
                        ("channel", CHANNELS.get(current.channel), CHANNELS.get(r.channel)),
                        ("start_date", current.start_date, start),
                        ("doc_no", current.doc_no, r.doc_no),
                    ):
                        if _show(db) != _show(new):
                            problems.append(
                                Problem(
                                    r.row,
                                    HEADERS[name],
                                    f"导入不修改已有的入编记录: 系统中{HEADERS[name]}为"
                                    f"“{_show(db)}”, 表中为“{_show(new)}”",
                                )
                            )
                            break
                else:
                    problems.append(
                        Problem(
                            r.row,
                            HEADERS["unit"],
                            f"{item.name}已在{current.unit_name}在编, 须先办理出编",
                        )
                    )
                return False
        before = len(problems)
        if not may_edit or unit.pk not in visible:
            problems.append(Problem(r.row, HEADERS["unit"], _denied("办理入编", unit)))
        try:
            quota_type_check_unit(quota_type=quota_type, unit=unit)
        except ValidationError as exc:
            problems.extend(Problem(r.row, HEADERS["unit"], m) for m in exc.messages)
        if not unit.is_active_on(start):
            problems.append(Problem(r.row, HEADERS["unit"], f"{unit.name}在{start}不存在或已撤销"))
        if r.birth_date > start:
            problems.append(Problem(r.row, HEADERS["start_date"], "入编日期不能早于出生日期"))
        if item is not None:
            ends = [e.end_date for e in item.enrolments if e.end_date is not None]
            if ends and start < max(ends):
                problems.append(
                    Problem(
                        r.row, HEADERS["start_date"], f"入编日期不能早于上次出编日期{max(ends)}"
                    )
                )
        if len(problems) > before:
            return False
        r.new_enrolment = True
        return True

    def _plan_post(
        self,
        r: _Row,
        item: _Known | None,
        units: UnitReference,
        may_edit: bool,
        today: dt.date,
        problems: list[Problem],
    ) -> None:
        """Is the row's main post already recorded? If not, may it be assigned (post_assign)?"""
        visible = units.units
        current_enrolment = item.open_enrolment() if item is not None else None
        unit = r.post_unit or r.unit
        if unit is None and current_enrolment is not None:
            unit = units.get(current_enrolment.unit_id)
        if unit is None:
            problems.append(Problem(r.row, HEADERS["post_unit"], "请填写实际工作机构"))
            return
        if not r.post_title:
            problems.append(Problem(r.row, HEADERS["post_title"], "请填写岗位或职务名称"))
            return
        current = None
        if item is not None:
            mains = [
                p
                for p in item.posts
                if p.kind == PostKind.MAIN
                and p.start_date <= today
                and (p.end_date is None or p.end_date > today)
            ]
            current = item.open_main_post() or (mains[0] if mains else None)
        if (
            current is not None
            and current.unit_id == unit.pk
            and current.title == r.post_title
            and (r.post_start is None or r.post_start == current.start_date)
        ):
            return
        start = r.post_start or r.start_date
        if start is None:
            problems.append(Problem(r.row, HEADERS["post_start"], "请填写任职日期"))
            return
        before = len(problems)
        if not may_edit or unit.pk not in visible:
            problems.append(Problem(r.row, HEADERS["post_unit"], _denied("安排岗位", unit)))
        if not unit.is_active_on(start):
            problems.append(
                Problem(r.row, HEADERS["post_unit"], f"{unit.name}在{start}不存在或已撤销")
            )
        enrolled = (r.new_enrolment and r.start_date is not None and r.start_date <= start) or (
            item is not None and any(e.is_active_on(start) for e in item.enrolments)
        )
        if not enrolled:
            problems.append(
                Problem(r.row, HEADERS["post_start"], f"{r.name}在{start}不在编, 不能安排岗位")
            )
        open_main = item.open_main_post() if item is not None else None
        if open_main is not None and start <= open_main.start_date:
            problems.append(
                Problem(
                    r.row,
                    HEADERS["post_start"],
                    f"调整日期须晚于现岗位任职日期{open_main.start_date}",
                )
            )
        if len(problems) > before:
            return
        r.new_post_unit, r.new_post_start = unit, start
        r.close_post_id = open_main.pk if open_main is not None else None

    def _check_quota(
        self,
        groups: dict[tuple[int, int], list[_Row]],
        outcome: ImportOutcome,
        counts: dict[str, int],
    ) -> None:
        """person_enrol's quota rule for all new enrolments at once.

        A unit and quota type must have a free place on every day from an enrolment's start on
        (open-ended enrolments hold their place on every later day). When the group as a whole
        fits the lowest free count, every row fits; otherwise the rows are taken in file order,
        exactly as one person_enrol call after another would, and the refused ones are named.
        """
        if not groups:
            return
        hard = str(settings.ZHENJIE.get("QUOTA_ENFORCEMENT", "hard")) == "hard"
        unit_ids = sorted({u for u, _q in groups})
        type_ids = sorted({q for _u, q in groups})
        earliest = min(r.start_date for rs in groups.values() for r in rs if r.start_date)
        movements: dict[tuple[int, int], list[tuple[dt.date, int]]] = defaultdict(list)
        people: dict[tuple[int, int], list[tuple[dt.date, int]]] = defaultdict(list)
        for chunk in _chunks(unit_ids, QUERY_CHUNK):
            for m in (
                QuotaMovement.objects.filter(unit_id__in=chunk, quota_type_id__in=type_ids)
                .values("unit_id", "quota_type_id", "effective_on")
                .annotate(total=Sum("delta"))
            ):
                movements[(m["unit_id"], m["quota_type_id"])].append(
                    (m["effective_on"], int(m["total"]))
                )
            for e in (
                Enrolment.objects.filter(unit_id__in=chunk, quota_type_id__in=type_ids)
                .filter(Q(end_date__isnull=True) | Q(end_date__gt=earliest))
                .values("unit_id", "quota_type_id", "start_date", "end_date")
                .annotate(n=Count("id"))
            ):
                key = (e["unit_id"], e["quota_type_id"])
                people[key].append((e["start_date"], e["n"]))
                if e["end_date"] is not None:
                    people[key].append((e["end_date"], -e["n"]))
        for key, rows in groups.items():
            starts = [r.start_date for r in rows if r.start_date is not None]
            first = min(starts)
            days = sorted(
                {*starts}
                | {d for d, _ in movements[key] if d > first}
                | {d for d, _ in people[key] if d > first}
            )
            approved = _running(days, list(movements[key]))
            enrolled = _running(days, list(people[key]))
            slack = [a - e for a, e in zip(approved, enrolled, strict=True)]
            if min(slack) >= len(rows):
                continue
            tree = _SlackTree(slack)
            for r in rows:
                assert r.start_date is not None and r.unit is not None
                assert r.quota_type is not None
                index = bisect.bisect_left(days, r.start_date)
                full = tree.first_full(index)
                if full is not None:
                    day = days[full]
                    when = "" if day == r.start_date else f"{day}"
                    message = (
                        f"{r.unit.name}的{r.quota_type.name}{when}核定{approved[full]}名, "
                        f"已有{approved[full] - tree.value(full)}人在编, 无空编可用{QUOTA_LAW}"
                    )
                    if hard:
                        outcome.add(Problem(r.row, HEADERS["quota_type"], message))
                        r.new_enrolment = False
                        counts["enrolments"] -= 1
                        continue
                    outcome.warnings.append(f"第{r.row}行: {message}")
                tree.add_from(index, -1)

    def _write(self, actor: Any, rows: list[_Row]) -> None:
        """Pass 3 (commit): plain-row inserts with their history records
        (``zhenjie.core.bulk``), chunk by chunk, in the caller's transaction."""
        now = timezone.now()
        for chunk in _chunks(rows, WRITE_CHUNK):
            new_people = [r for r in chunk if r.person_id is None]
            keys = insert_with_history(
                Person,
                [
                    {
                        "name": r.name,
                        "id_number": r.id_number,
                        "gender": r.gender,
                        "birth_date": r.birth_date,
                        "ethnicity": r.ethnicity,
                        "education": r.education,
                        "major": r.major,
                        "political_status": r.political_status,
                        "phone": r.phone,
                        "notes": r.notes,
                        "created_by_id": actor.pk,
                    }
                    for r in new_people
                ],
                actor=actor,
                reason="批量导入: 实名登记",
                now=now,
            )
            for r, key in zip(new_people, keys, strict=True):
                r.person_id = key
            self._update_people(actor, [r for r in chunk if r.person_changes], now)
            self._close_posts(actor, [r for r in chunk if r.close_post_id is not None], now)
            insert_with_history(
                Enrolment,
                [
                    {
                        "person_id": r.person_id,
                        "unit_id": r.unit.pk,
                        "quota_type_id": r.quota_type.pk,
                        "channel": r.channel,
                        "doc_no": r.doc_no,
                        "start_date": r.start_date,
                    }
                    for r in chunk
                    if r.new_enrolment
                ],
                actor=actor,
                reason="批量导入: 入编",
                now=now,
            )
            insert_with_history(
                PostAssignment,
                [
                    {
                        "person_id": r.person_id,
                        "unit_id": r.new_post_unit.pk,
                        "title": r.post_title,
                        "kind": PostKind.MAIN,
                        "start_date": r.new_post_start,
                    }
                    for r in chunk
                    if r.new_post_unit is not None
                ],
                actor=actor,
                reason="批量导入: 安排岗位",
                now=now,
            )

    def _update_people(self, actor: Any, rows: list[_Row], now: dt.datetime) -> None:
        """person_update for the rows whose details differ (history records “~”)."""
        if not rows:
            return
        people = Person.objects.in_bulk([r.person_id for r in rows])
        for r in rows:
            person = people[r.person_id]
            for name in r.person_changes:
                setattr(person, name, getattr(r, name))
            person.updated_at = now
        fields = sorted({f for r in rows for f in r.person_changes})
        bulk_update_with_history(
            list(people.values()),
            Person,
            [*fields, "updated_at"],
            default_user=actor,
            default_change_reason="批量导入: 修改人员信息",
            default_date=now,
        )

    def _close_posts(self, actor: Any, rows: list[_Row], now: dt.datetime) -> None:
        """A new main post ends the current one the day it starts (post_assign)."""
        if not rows:
            return
        posts = PostAssignment.objects.in_bulk([r.close_post_id for r in rows])
        for r in rows:
            post = posts[r.close_post_id]
            post.end_date = r.new_post_start
            post.updated_at = now
        bulk_update_with_history(
            list(posts.values()),
            PostAssignment,
            ["end_date", "updated_at"],
            default_user=actor,
            default_change_reason="批量导入: 岗位调整",
            default_date=now,
        )
