"""Writes for the three lists and their consultation rounds."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from zhenjie.core.audit import attribute
from zhenjie.organizations.choices import UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import ensure_unit_access

from .choices import EDITION_TRANSITIONS, EditionStatus, MeetingKind
from .models import ConsultationRound, DutyItem, DutyList, Edition, Reply, ReviewMeeting

ITEM_FIELDS = {
    "code",
    "name",
    "area",
    "duty_class",
    "basis",
    "responsible",
    "lead_department",
    "county_duties",
    "town_duties",
    "cooperating",
    "workflow",
}


def _require_editor(actor: Any, county: Unit) -> None:
    # The lists are compiled by the staffing office (编办牵头).
    ensure_unit_access(user=actor, unit=county, allowed=actor.may_edit_structure, action="维护清单")


@transaction.atomic
def duty_list_create(*, actor: Any, county: Unit, kind: str, name: str) -> DutyList:
    """Open a list (职责事项清单, 共同承担事项责任清单) or a rules document for a county."""
    _require_editor(actor, county)
    if county.kind != UnitKind.COUNTY:
        raise ValidationError({"county": "清单按旗县(市、区)编制"})
    duty_list = DutyList(county=county, kind=kind, name=name.strip())
    duty_list.full_clean()
    duty_list.save()
    return duty_list


@transaction.atomic
def edition_create(
    *, actor: Any, duty_list: DutyList, label: str, based_on: Edition | None = None, text: str = ""
) -> Edition:
    """A new draft edition; based on a published one it starts as its copy (动态调整)."""
    _require_editor(actor, duty_list.county)
    if based_on is not None and based_on.duty_list_id != duty_list.pk:
        raise ValidationError({"based_on": "只能基于同一清单的版本调整"})
    if based_on is not None and based_on.status != EditionStatus.PUBLISHED:
        raise ValidationError({"based_on": "动态调整须基于现行公布版本"})
    edition = Edition(
        duty_list=duty_list,
        label=label.strip(),
        based_on=based_on,
        text=text or (based_on.text if based_on else ""),
    )
    edition.full_clean()
    attribute(edition, actor, "新建版本")
    edition.save()
    if based_on is not None:
        items_copy(source=based_on, target=edition)
    return edition


def items_copy(*, source: Edition, target: Edition) -> None:
    """Copy every item of ``source`` into ``target`` (a new edition starts as its base)."""
    DutyItem.objects.bulk_create(
        [
            DutyItem(**{f: getattr(item, f) for f in ITEM_FIELDS}, edition=target)
            for item in source.items.all()
        ]
    )


def _require_draft(edition: Edition) -> None:
    if edition.status != EditionStatus.DRAFT:
        raise ValidationError(
            f"{edition}当前为{edition.get_status_display()}, 不能修改; 请新建版本进行调整"
        )


@transaction.atomic
def duty_item_save(
    *, actor: Any, edition: Edition, code: str, item: DutyItem | None = None, **fields: Any
) -> DutyItem:
    """Add or change an item of a draft edition."""
    _require_editor(actor, edition.duty_list.county)
    _require_draft(edition)
    if item is not None and item.edition_id != edition.pk:
        raise ValidationError({"code": "该事项不属于此版本"})
    lead = fields.get("lead_department")
    if lead is not None and not lead.path.startswith(edition.duty_list.county.path):
        raise ValidationError(
            {"lead_department": f"{lead.name}不属于{edition.duty_list.county.name}"}
        )
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise ValidationError(f"未知字段: {'、'.join(sorted(unknown))}")
    code = code.strip()
    clash = DutyItem.objects.filter(edition=edition, code=code)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError({"code": f"编号{code}在该版本中已存在"})
    target = item or DutyItem(edition=edition)
    target.code = code
    for name, value in fields.items():
        setattr(target, name, value)
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def edition_transition(
    *, actor: Any, edition: Edition, to: str, doc_no: str = "", published_on: dt.date | None = None
) -> Edition:
    """Move an edition along 征求意见稿 -> 审定 -> 公布; publishing replaces the current one."""
    _require_editor(actor, edition.duty_list.county)
    if to not in EditionStatus.values:
        raise ValidationError({"to": "状态无效"})
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if to == EditionStatus.PUBLISHED and edition.status == EditionStatus.PUBLISHED:
        raise ValidationError(f"{edition}已公布, 不能重复公布")
    if to not in EDITION_TRANSITIONS[edition.status]:
        raise ValidationError(
            f"{edition}当前为{edition.get_status_display()}, 不能改为{EditionStatus(to).label}"
        )
    fields = ["status", "updated_at"]
    if to == EditionStatus.PUBLISHED:
        if not doc_no.strip() or published_on is None:
            raise ValidationError({"doc_no": "公布须填写文号和公布日期"})
        if not edition.items.exists() and not edition.text:
            raise ValidationError("空的版本不能公布")
        current = (
            Edition.objects.select_for_update()
            .filter(duty_list=edition.duty_list_id, status=EditionStatus.PUBLISHED)
            .first()
        )
        if current is not None:
            current.status = EditionStatus.SUPERSEDED
            attribute(current, actor, "被新版本替代")
            current.save(update_fields=["status", "updated_at"])
        edition.doc_no, edition.published_on = doc_no.strip(), published_on
        fields += ["doc_no", "published_on"]
    edition.status = to
    attribute(edition, actor, f"改为{EditionStatus(to).label}")
    edition.save(update_fields=fields)
    return edition


@dataclass
class EditionDiff:
    """Item-by-item comparison of two editions, keyed by item code."""

    text_changed: bool = False
    added: list[DutyItem] = field(default_factory=list)
    removed: list[DutyItem] = field(default_factory=list)
    changed: list[tuple[DutyItem, DutyItem, list[str]]] = field(default_factory=list)


def edition_compare(*, old: Edition, new: Edition) -> EditionDiff:
    """What was added, removed and changed from ``old`` to ``new`` (two queries)."""
    before = {i.code: i for i in old.items.all()}
    after = {i.code: i for i in new.items.all()}
    diff = EditionDiff(text_changed=old.text != new.text)
    for code in sorted(after.keys() - before.keys()):
        diff.added.append(after[code])
    for code in sorted(before.keys() - after.keys()):
        diff.removed.append(before[code])
    for code in sorted(before.keys() & after.keys()):
        a, b = before[code], after[code]
        fields = [_label(f) for f in DutyItem.COMPARED if getattr(a, f) != getattr(b, f)]
        if fields:
            diff.changed.append((a, b, fields))
    return diff


def _label(name: str) -> str:
    field = DutyItem._meta.get_field(name.removesuffix("_id"))
    return str(getattr(field, "verbose_name", name))


@transaction.atomic
def round_start(
    *,
    actor: Any,
    edition: Edition,
    title: str,
    sent_on: dt.date,
    due_on: dt.date,
    parties: list[Unit],
) -> ConsultationRound:
    """Send a draft to departments, towns and streets for their opinions (征求意见)."""
    _require_editor(actor, edition.duty_list.county)
    if edition.status != EditionStatus.DRAFT:
        raise ValidationError({"edition": "只能就征求意见稿征求意见"})
    if not parties:
        raise ValidationError({"parties": "请选择征求意见的部门和镇(街道)"})
    county_path = edition.duty_list.county.path
    outside = [p.name for p in parties if not p.path.startswith(county_path)]
    if outside:
        raise ValidationError({"parties": f"不属于本旗县: {'、'.join(outside)}"})
    consultation = ConsultationRound(
        edition=edition, title=title.strip(), sent_on=sent_on, due_on=due_on, created_by=actor
    )
    consultation.full_clean()
    consultation.save()
    consultation.parties.set(parties)
    return consultation


@transaction.atomic
def reply_record(
    *,
    actor: Any,
    consultation: ConsultationRound,
    party: Unit,
    replied_on: dt.date,
    no_changes: bool = False,
    opinion: str = "",
    item: DutyItem | None = None,
) -> Reply:
    """Record a party's reply: "无修改意见", or an opinion on the whole draft or one item."""
    ensure_unit_access(user=actor, unit=party, allowed=actor.may_edit_people, action="反馈意见")
    if not consultation.parties.filter(pk=party.pk).exists():
        raise ValidationError({"party": f"未向{party.name}征求意见"})
    if consultation.edition.status != EditionStatus.DRAFT:
        raise ValidationError({"party": "征求意见稿已审定或公布, 不再接收反馈"})
    if replied_on < consultation.sent_on:
        raise ValidationError({"replied_on": "反馈日期不能早于发出日期"})
    if item is not None and item.edition_id != consultation.edition_id:
        raise ValidationError({"item": "该事项不属于征求意见稿"})
    opinion = opinion.strip()
    if no_changes and (opinion or item is not None):
        raise ValidationError({"opinion": "选择“无修改意见”时不填写具体意见"})
    if not no_changes and not opinion:
        raise ValidationError({"opinion": "请填写意见, 或选择“无修改意见”"})
    if Reply.objects.filter(round=consultation, party=party, no_changes=True).exists():
        raise ValidationError({"party": f"{party.name}已反馈无修改意见"})
    if no_changes and Reply.objects.filter(round=consultation, party=party).exists():
        raise ValidationError({"party": f"{party.name}已提出具体意见, 不能再反馈无修改意见"})
    reply = Reply(
        round=consultation,
        party=party,
        item=item,
        no_changes=no_changes,
        opinion=opinion,
        replied_on=replied_on,
    )
    reply.full_clean()
    reply.save()
    return reply


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    consultation: ConsultationRound,
    party: Unit,
    kind: str,
    held_on: dt.date,
    conclusion: str,
) -> ReviewMeeting:
    """Record the meeting that studied the draft (领导班子会议 / 编办主任办公会)."""
    allowed = actor.may_edit_structure if kind == MeetingKind.DIRECTORS else actor.may_edit_people
    ensure_unit_access(user=actor, unit=party, allowed=allowed, action="登记研究会议")
    if kind == MeetingKind.LEADERSHIP and not consultation.parties.filter(pk=party.pk).exists():
        raise ValidationError({"party": f"未向{party.name}征求意见"})
    if not conclusion.strip():
        raise ValidationError({"conclusion": "请填写会议结论"})
    if held_on < consultation.sent_on:
        raise ValidationError({"held_on": "会议日期不能早于征求意见发出日期"})
    meeting = ReviewMeeting(
        round=consultation, party=party, kind=kind, held_on=held_on, conclusion=conclusion.strip()
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def round_status(*, consultation: ConsultationRound) -> dict[str, Any]:
    """Who replied, who did not, and what was asked (three queries)."""
    parties = list(consultation.parties.order_by("path"))
    replies = list(
        consultation.replies.select_related("party", "item").order_by("replied_on", "id")
    )
    replied = {r.party_id for r in replies}
    return {
        "parties": parties,
        "replies": replies,
        "replied": [p for p in parties if p.pk in replied],
        "pending": [p for p in parties if p.pk not in replied],
        "opinions": [r for r in replies if not r.no_changes],
        "meetings": list(consultation.meetings.select_related("party")),
    }
