"""Writes to the real-name register: register, enrol, exit, posts, and quota transfers."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zhenjie.core.audit import attribute
from zhenjie.core.validators import mask_id_number, parse_resident_id, phone_problem
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import ensure_unit_access
from zhenjie.staffing.choices import MovementKind
from zhenjie.staffing.models import QuotaMovement, QuotaTransfer, QuotaType
from zhenjie.staffing.selectors import quota_balance, quota_min_balance_from
from zhenjie.staffing.services import quota_type_check_unit

from .choices import EntryChannel, ExitReason, PostKind
from .models import Enrolment, Person, PostAssignment
from .selectors import person_is_editable, person_list

PERSON_FIELDS = {"name", "ethnicity", "education", "major", "political_status", "phone", "notes"}


@dataclass
class Outcome:
    """What a service did, and any warning the user should see."""

    obj: Any
    warnings: list[str] = field(default_factory=list)


def _ensure_person_editable(actor: Any, person: Person, on: dt.date) -> None:
    if not person_is_editable(user=actor, person=person, on=on):
        raise PermissionDenied("无权修改此人员: 其编制和工作岗位不在您的管理范围内")


def _check_phone(phone: str) -> str:
    phone = phone.strip()
    problem = phone_problem(phone)
    if problem:
        raise ValidationError({"phone": problem})
    return phone


@transaction.atomic
def person_register(
    *, actor: Any, name: str, id_number: str, today: dt.date | None = None, **details: Any
) -> Person:
    """Register a person (实名登记); gender and birth date come from the ID number."""
    if not actor.may_edit_people:
        raise PermissionDenied("您的角色不能登记人员")
    unknown = set(details) - PERSON_FIELDS
    if unknown:
        raise ValidationError(f"未知字段: {'、'.join(sorted(unknown))}")
    if not name.strip():
        raise ValidationError({"name": "请填写姓名"})
    try:
        facts = parse_resident_id(id_number, today=today)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    existing = Person.objects.filter(id_number=facts.number).first()
    if existing is not None:
        # Name the holder only to a user who may see them (no disclosure across towns).
        visible = person_list(user=actor).filter(pk=existing.pk).exists()
        holder = existing.name if visible else "不在您的管理范围内"
        raise ValidationError(
            {"id_number": f"身份证号码{mask_id_number(facts.number)}已登记({holder}), 不能重复登记"}
        )
    details["phone"] = _check_phone(details.get("phone", ""))
    person = Person(
        name=name.strip(),
        id_number=facts.number,
        gender=facts.gender,
        birth_date=facts.birth_date,
        created_by=actor,
        **details,
    )
    person.full_clean()
    attribute(person, actor, "实名登记")
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # A concurrent registration of the same ID number won the race.
        raise ValidationError({"id_number": "该身份证号码已登记, 不能重复登记"}) from None
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, today: dt.date | None = None, **changes: Any
) -> Person:
    """Correct a person's details; an ID-number change re-derives gender and birth date."""
    today = today or dt.date.today()
    _ensure_person_editable(actor, person, today)
    unknown = set(changes) - PERSON_FIELDS - {"id_number"}
    if unknown:
        raise ValidationError(f"未知字段: {'、'.join(sorted(unknown))}")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if "phone" in changes:
        changes["phone"] = _check_phone(changes["phone"])
    if "id_number" in changes:
        try:
            facts = parse_resident_id(changes["id_number"], today=today)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from None
        if Person.objects.filter(id_number=facts.number).exclude(pk=person.pk).exists():
            raise ValidationError({"id_number": "该身份证号码已登记给其他人员"})
        changes["id_number"] = facts.number
        changes["gender"] = facts.gender
        changes["birth_date"] = facts.birth_date
    changed = [f for f, v in changes.items() if getattr(person, f) != v]
    if not changed:
        return person
    for f in changed:
        setattr(person, f, changes[f])
    person.full_clean()
    attribute(person, actor, "修改人员信息")
    person.save(update_fields=[*changed, "updated_at"])
    return person


def _quota_room(unit: Unit, quota_type: QuotaType, on: dt.date) -> tuple[int, int]:
    """(approved places, people enrolled) of a unit and type on ``on``."""
    approved = quota_balance(unit=unit, quota_type=quota_type, on=on)
    enrolled = Enrolment.objects.active_on(on).filter(unit=unit, quota_type=quota_type).count()
    return approved, enrolled


def _quota_shortfall(
    unit: Unit, quota_type: QuotaType, start: dt.date
) -> tuple[dt.date, int, int] | None:
    """The first day from ``start`` on with no free place, as (day, approved, enrolled).

    An open-ended enrolment occupies a place on every later day, so a back-dated one must fit on
    each day the balance or the head count changes, not just on its start date.
    """
    days = {start}
    days.update(
        QuotaMovement.objects.filter(
            unit=unit, quota_type=quota_type, effective_on__gt=start
        ).values_list("effective_on", flat=True)
    )
    days.update(
        Enrolment.objects.filter(
            unit=unit, quota_type=quota_type, start_date__gt=start
        ).values_list("start_date", flat=True)
    )
    for day in sorted(days):
        approved, enrolled = _quota_room(unit, quota_type, day)
        if enrolled >= approved:
            return day, approved, enrolled
    return None


def _quota_enforcement() -> str:
    return str(settings.ZHENJIE.get("QUOTA_ENFORCEMENT", "hard"))


@transaction.atomic
def person_enrol(
    *,
    actor: Any,
    person: Person,
    unit: Unit,
    quota_type: QuotaType,
    channel: str,
    start_date: dt.date,
    doc_no: str = "",
    transfer: QuotaTransfer | None = None,
) -> Outcome:
    """入编: place a person on a unit's quota; beyond the balance is refused (or warned)."""
    ensure_unit_access(user=actor, unit=unit, allowed=actor.may_edit_people, action="办理入编")
    if channel not in EntryChannel.values:
        raise ValidationError({"channel": "进入形式无效"})
    quota_type_check_unit(quota_type=quota_type, unit=unit)
    if not unit.is_active_on(start_date):
        raise ValidationError({"unit": f"{unit.name}在{start_date}不存在或已撤销"})
    if person.birth_date > start_date:
        raise ValidationError({"start_date": "入编日期不能早于出生日期"})
    list(Unit.objects.select_for_update().filter(pk=unit.pk))
    open_enrolment = Enrolment.objects.filter(person=person, end_date__isnull=True).first()
    if open_enrolment is not None:
        raise ValidationError(
            {"unit": f"{person.name}已在{open_enrolment.unit.name}在编, 须先办理出编"}
        )
    last_end = (
        Enrolment.objects.filter(person=person)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    if last_end is not None and start_date < last_end:
        raise ValidationError({"start_date": f"入编日期不能早于上次出编日期{last_end}"})
    shortfall = _quota_shortfall(unit, quota_type, start_date)
    warnings = []
    if shortfall is not None:
        day, approved, enrolled = shortfall
        when = "" if day == start_date else f"{day}"
        message = (
            f"{unit.name}的{quota_type.name}{when}核定{approved}名, 已有{enrolled}人在编, 无空编可用"
            "(国务院令第486号第6条: 实有人员不得突破规定的编制)"
        )
        if _quota_enforcement() == "hard":
            raise ValidationError({"quota_type": message})
        warnings.append(message)
    enrolment = Enrolment(
        person=person,
        unit=unit,
        quota_type=quota_type,
        channel=channel,
        doc_no=doc_no.strip(),
        start_date=start_date,
        transfer=transfer,
    )
    enrolment.full_clean()
    attribute(enrolment, actor, "入编")
    enrolment.save()
    return Outcome(enrolment, warnings)


@transaction.atomic
def person_exit(
    *,
    actor: Any,
    enrolment: Enrolment,
    end_date: dt.date,
    reason: str,
    doc_no: str = "",
    end_posts: bool = True,
) -> Enrolment:
    """出编: end an enrolment (退休、调出、辞职、辞退…); current posts end the same day."""
    ensure_unit_access(
        user=actor, unit=enrolment.unit, allowed=actor.may_edit_people, action="办理出编"
    )
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.end_date is not None:
        raise ValidationError({"end_date": f"该入编记录已于{enrolment.end_date}出编"})
    if reason not in ExitReason.values:
        raise ValidationError({"reason": "请选择出编原因"})
    if end_date < enrolment.start_date:
        raise ValidationError({"end_date": f"出编日期不能早于入编日期{enrolment.start_date}"})
    enrolment.end_date = end_date
    enrolment.exit_reason = reason
    enrolment.exit_doc_no = doc_no.strip()
    enrolment.full_clean()
    attribute(enrolment, actor, f"出编: {ExitReason(reason).label}")
    enrolment.save(update_fields=["end_date", "exit_reason", "exit_doc_no", "updated_at"])
    if end_posts:
        for post in PostAssignment.objects.filter(
            person=enrolment.person_id, end_date__isnull=True
        ):
            _post_close(actor, post, max(end_date, post.start_date), "随出编离任")
    return enrolment


def _post_close(actor: Any, post: PostAssignment, end_date: dt.date, reason: str) -> None:
    post.end_date = end_date
    attribute(post, actor, reason)
    post.save(update_fields=["end_date", "updated_at"])


@transaction.atomic
def post_assign(
    *,
    actor: Any,
    person: Person,
    unit: Unit,
    title: str,
    kind: str,
    start_date: dt.date,
    is_leadership: bool = False,
    leadership_level: str = "",
    doc_no: str = "",
) -> PostAssignment:
    """Assign a post: a main post (实际工作岗位) replaces the current one; 兼任 adds one."""
    ensure_unit_access(user=actor, unit=unit, allowed=actor.may_edit_people, action="安排岗位")
    if kind not in PostKind.values:
        raise ValidationError({"kind": "岗位类型无效"})
    if not title.strip():
        raise ValidationError({"title": "请填写岗位或职务名称"})
    if not unit.is_active_on(start_date):
        raise ValidationError({"unit": f"{unit.name}在{start_date}不存在或已撤销"})
    if is_leadership and not leadership_level:
        raise ValidationError({"leadership_level": "班子成员须选择领导职级"})
    if not is_leadership:
        leadership_level = ""
    if not Enrolment.objects.filter(person=person).active_on(start_date).exists():
        raise ValidationError({"start_date": f"{person.name}在{start_date}不在编, 不能安排岗位"})
    if kind == PostKind.MAIN:
        current = (
            PostAssignment.objects.select_for_update()
            .filter(person=person, kind=PostKind.MAIN, end_date__isnull=True)
            .first()
        )
        if current is not None:
            if start_date <= current.start_date:
                raise ValidationError(
                    {"start_date": f"调整日期须晚于现岗位任职日期{current.start_date}"}
                )
            _post_close(actor, current, start_date, "岗位调整")
    post = PostAssignment(
        person=person,
        unit=unit,
        title=title.strip(),
        kind=kind,
        is_leadership=is_leadership,
        leadership_level=leadership_level,
        start_date=start_date,
        doc_no=doc_no.strip(),
    )
    post.full_clean()
    attribute(post, actor, "安排岗位" if kind == PostKind.MAIN else "兼任")
    post.save()
    return post


@transaction.atomic
def post_end(*, actor: Any, post: PostAssignment, end_date: dt.date) -> PostAssignment:
    """End a post (离任), e.g. a concurrent post."""
    ensure_unit_access(user=actor, unit=post.unit, allowed=actor.may_edit_people, action="结束岗位")
    post = PostAssignment.objects.select_for_update().get(pk=post.pk)
    if post.end_date is not None:
        raise ValidationError({"end_date": f"该岗位已于{post.end_date}结束"})
    if end_date < post.start_date:
        raise ValidationError({"end_date": f"离任日期不能早于任职日期{post.start_date}"})
    _post_close(actor, post, end_date, "离任")
    return post


@transaction.atomic
def quota_transfer(
    *,
    actor: Any,
    from_unit: Unit,
    to_unit: Unit,
    quota_type: QuotaType,
    amount: int,
    doc_no: str,
    effective_on: dt.date,
    persons: list[Person] | None = None,
    post_title: str = "",
    summary: str = "",
) -> QuotaTransfer:
    """划转: move ``amount`` places and the people on them in one step (编随事走、人随编走)."""
    for unit, action in ((from_unit, "划出编制"), (to_unit, "划入编制")):
        ensure_unit_access(user=actor, unit=unit, allowed=actor.may_edit_quotas, action=action)
    persons = persons or []
    if amount <= 0:
        raise ValidationError({"amount": "划转编制数必须是正整数"})
    if from_unit.pk == to_unit.pk:
        raise ValidationError({"to_unit": "划出机构与划入机构不能相同"})
    doc_no = doc_no.strip()
    if not doc_no:
        raise ValidationError({"doc_no": "划转须填写批准文号"})
    quota_type_check_unit(quota_type=quota_type, unit=from_unit, field="from_unit")
    quota_type_check_unit(quota_type=quota_type, unit=to_unit, field="to_unit")
    if not from_unit.is_active_on(effective_on):
        raise ValidationError({"from_unit": f"{from_unit.name}在{effective_on}不存在或已撤销"})
    if not to_unit.is_active_on(effective_on):
        raise ValidationError({"to_unit": f"{to_unit.name}在{effective_on}不存在或已撤销"})
    if len({p.pk for p in persons}) != len(persons):
        raise ValidationError({"persons": "随编划转人员有重复"})
    if len(persons) > amount:
        raise ValidationError({"persons": f"随编划转{len(persons)}人, 超过划转编制数{amount}名"})
    list(Unit.objects.select_for_update().filter(pk__in=sorted([from_unit.pk, to_unit.pk])))
    lowest = quota_min_balance_from(unit=from_unit, quota_type=quota_type, on=effective_on)
    if lowest < amount:
        raise ValidationError(
            {"amount": f"{from_unit.name}的{quota_type.name}只有{lowest}名, 不能划出{amount}名"}
        )
    enrolments = []
    for person in persons:
        enrolment = (
            Enrolment.objects.active_on(effective_on)
            .filter(person=person, unit=from_unit, quota_type=quota_type, end_date__isnull=True)
            .first()
        )
        if enrolment is None:
            raise ValidationError(
                {"persons": f"{person.name}不在{from_unit.name}的{quota_type.name}上, 不能随编划转"}
            )
        enrolments.append(enrolment)
    transfer = QuotaTransfer.objects.create(
        from_unit=from_unit,
        to_unit=to_unit,
        quota_type=quota_type,
        amount=amount,
        doc_no=doc_no,
        effective_on=effective_on,
        summary=summary.strip(),
        created_by=actor,
    )
    text = summary.strip() or f"{from_unit.name}划转至{to_unit.name}"
    QuotaMovement.objects.bulk_create(
        [
            QuotaMovement(
                unit=from_unit,
                quota_type=quota_type,
                kind=MovementKind.TRANSFER_OUT,
                delta=-amount,
                doc_no=doc_no,
                effective_on=effective_on,
                summary=text,
                transfer=transfer,
                created_by=actor,
            ),
            QuotaMovement(
                unit=to_unit,
                quota_type=quota_type,
                kind=MovementKind.TRANSFER_IN,
                delta=amount,
                doc_no=doc_no,
                effective_on=effective_on,
                summary=text,
                transfer=transfer,
                created_by=actor,
            ),
        ]
    )
    for enrolment in enrolments:
        person = enrolment.person
        old_post = PostAssignment.objects.filter(
            person=person, kind=PostKind.MAIN, end_date__isnull=True
        ).first()
        person_exit(
            actor=actor,
            enrolment=enrolment,
            end_date=effective_on,
            reason=ExitReason.QUOTA_TRANSFER,
            doc_no=doc_no,
        )
        person_enrol(
            actor=actor,
            person=person,
            unit=to_unit,
            quota_type=quota_type,
            channel=EntryChannel.QUOTA_TRANSFER,
            start_date=effective_on,
            doc_no=doc_no,
            transfer=transfer,
        )
        post_assign(
            actor=actor,
            person=person,
            unit=to_unit,
            title=post_title or (old_post.title if old_post else "工作人员"),
            kind=PostKind.MAIN,
            start_date=effective_on,
            doc_no=doc_no,
        )
    return transfer
