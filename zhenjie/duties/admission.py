"""Duty admission (职责准入): a department asks for towns to take on a task; the towns are heard,
the people and funds are stated, and the approval engine carries it through the joint review, the
county government and the league (temporary tasks: the county party committee and government)."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhenjie.core.audit import attribute
from zhenjie.organizations.choices import BASE_LEVEL_KINDS, UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import county_of, ensure_unit_access
from zhenjie.workflows import registry
from zhenjie.workflows.choices import RequestStatus
from zhenjie.workflows.models import ApprovalRequest
from zhenjie.workflows.services import request_create

from .choices import POWER_MATTERS, DutyClass, EditionStatus, ListKind, MatterType
from .models import DutyAdmission, DutyItem, DutyList, Edition, TaskAssignment, TownOpinion
from .services import items_copy

KIND = "duty_admission"
KIND_TEMPORARY = "duty_admission_temporary"


def _check_content(*, matter_type: str, legal_basis: str, people: int, funds: Decimal) -> None:
    if matter_type in POWER_MATTERS:
        raise ValidationError(
            {
                "matter_type": "行政处罚、行政许可、行政强制等行政权力事项应通过赋权程序下放, 不适用职责准入"
            }
        )
    if matter_type not in MatterType.values:
        raise ValidationError({"matter_type": "事项性质无效"})
    if not legal_basis.strip():
        raise ValidationError({"legal_basis": "职责准入须写明法律法规或“三定”规定依据"})
    # 费随事转: what goes with the task must be stated.
    if people <= 0 and funds <= 0:
        raise ValidationError({"funds_stated": "须明确随事项下沉的人员或经费(费随事转)"})


@transaction.atomic
def admission_create(
    *,
    actor: Any,
    department: Unit,
    title: str,
    content: str,
    matter_type: str,
    legal_basis: str,
    towns: list[Unit],
    people_stated: int = 0,
    funds_stated: Decimal = Decimal("0"),
    resources_note: str = "",
    necessity: str = "",
    is_temporary: bool = False,
    duty_class: str = DutyClass.COOPERATING,
) -> DutyAdmission:
    """Draft an application; the towns it names are then asked for their opinions."""
    ensure_unit_access(
        user=actor, unit=department, allowed=actor.may_edit_people, action="提出职责准入申请"
    )
    if department.kind != UnitKind.DEPARTMENT:
        raise ValidationError({"department": "职责准入由旗县职能部门提出"})
    _check_content(
        matter_type=matter_type, legal_basis=legal_basis, people=people_stated, funds=funds_stated
    )
    if not towns:
        raise ValidationError({"towns": "请选择承担事项的镇(街道)"})
    county = county_of(department)
    for town in towns:
        if town.kind not in BASE_LEVEL_KINDS or county_of(town) != county:
            raise ValidationError({"towns": f"{town.name}不是本旗县的镇(街道)"})
    admission = DutyAdmission(
        department=department,
        title=title.strip(),
        content=content.strip(),
        matter_type=matter_type,
        legal_basis=legal_basis.strip(),
        necessity=necessity.strip(),
        is_temporary=is_temporary,
        duty_class=duty_class,
        people_stated=people_stated,
        funds_stated=funds_stated,
        resources_note=resources_note.strip(),
        created_by=actor,
    )
    admission.full_clean()
    attribute(admission, actor, "提出职责准入申请")
    admission.save()
    admission.towns.set(towns)
    return admission


@transaction.atomic
def opinion_record(
    *,
    actor: Any,
    admission: DutyAdmission,
    unit: Unit,
    agrees: bool,
    opinion: str,
    recorded_on: dt.date,
) -> TownOpinion:
    """A town's or street's opinion, recorded before the application goes for review."""
    ensure_unit_access(user=actor, unit=unit, allowed=actor.may_edit_people, action="提出意见")
    if not admission.towns.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": f"该申请未涉及{unit.name}"})
    if admission.request_id is not None:
        raise ValidationError("申请已提交审批, 不能再补充意见")
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写意见"})
    if TownOpinion.objects.filter(admission=admission, unit=unit).exists():
        raise ValidationError({"unit": f"{unit.name}已提出意见"})
    return TownOpinion.objects.create(
        admission=admission,
        unit=unit,
        agrees=agrees,
        opinion=opinion.strip(),
        recorded_on=recorded_on,
    )


@transaction.atomic
def admission_submit(*, actor: Any, admission: DutyAdmission) -> ApprovalRequest:
    """Send the application to the approval engine once every named town has been heard."""
    ensure_unit_access(
        user=actor,
        unit=admission.department,
        allowed=actor.may_edit_people,
        action="提交职责准入申请",
    )
    admission = DutyAdmission.objects.select_for_update().get(pk=admission.pk)
    if admission.request_id is not None:
        raise ValidationError("该申请已提交审批")
    kind = KIND_TEMPORARY if admission.is_temporary else KIND
    request = request_create(
        actor=actor, kind=kind, payload={"admission": admission.pk}, submit=True
    )
    admission.request = request
    attribute(admission, actor, "提交审批")
    admission.save(update_fields=["request", "updated_at"])
    return request


def _duty_list_draft(county: Unit, actor: Any) -> Edition:
    """The edition an admitted duty goes into: the draft in progress, or a new one based on the
    published edition (动态调整), or a first draft."""
    duty_list = DutyList.objects.filter(county=county, kind=ListKind.DUTY).order_by("pk").first()
    if duty_list is None:
        name = "职责事项清单"
        if DutyList.objects.filter(county=county, name=name).exists():
            name = f"{county.name}职责事项清单"
        duty_list = DutyList.objects.create(county=county, kind=ListKind.DUTY, name=name)
    draft = duty_list.editions.filter(status=EditionStatus.DRAFT).order_by("-created_at").first()
    if draft is not None:
        return draft
    published = duty_list.editions.filter(status=EditionStatus.PUBLISHED).first()
    label = f"动态调整稿({dt.date.today():%Y-%m-%d})"
    edition = Edition(
        duty_list=duty_list,
        label=label,
        based_on=published,
        text=published.text if published else "",
    )
    attribute(edition, actor, "职责准入后动态调整")
    edition.save()
    if published is not None:
        items_copy(source=published, target=edition)
    return edition


def _free_code(edition: Edition, code: str) -> str:
    """``code``, or ``code-2``, ``code-3``… if the draft already holds it."""
    taken = set(edition.items.filter(code__startswith=code).values_list("code", flat=True))
    candidate, n = code, 1
    while candidate in taken:
        n += 1
        candidate = f"{code}-{n}"
    return candidate


class AdmissionKind(registry.RequestKind):
    """The approval request behind an admission application."""

    kind = KIND
    label = "职责准入"

    def _admission(self, data: Mapping[str, Any]) -> DutyAdmission:
        try:
            return DutyAdmission.objects.select_related("department").get(pk=int(data["admission"]))
        except (KeyError, TypeError, ValueError, DutyAdmission.DoesNotExist):
            raise ValidationError({"admission": "职责准入申请不存在"}) from None

    def clean(self, *, actor: Any, data: Mapping[str, Any]) -> registry.CleanedRequest:
        admission = self._admission(data)
        if admission.created_by_id != actor.pk and not actor.may_edit_structure:
            raise PermissionDenied("只能提交本人起草的职责准入申请")
        if (self.kind == KIND_TEMPORARY) != admission.is_temporary:
            raise ValidationError({"admission": "阶段性、临时性任务与常规事项的审批程序不同"})
        _check_content(
            matter_type=admission.matter_type,
            legal_basis=admission.legal_basis,
            people=admission.people_stated,
            funds=admission.funds_stated,
        )
        heard = set(admission.opinions.values_list("unit_id", flat=True))
        missing = [t.name for t in admission.towns.order_by("path") if t.pk not in heard]
        if missing:
            # 须充分听取基层意见.
            raise ValidationError(
                {"admission": f"尚未听取以下镇(街道)的意见: {'、'.join(missing)}"}
            )
        return registry.CleanedRequest(
            unit=admission.department,
            title=f"职责准入: {admission.title}",
            payload={"admission": admission.pk},
        )

    def describe(self, payload: Mapping[str, Any]) -> list[tuple[str, str]]:
        admission = self._admission(payload)
        opinions = "; ".join(
            f"{o.unit.name}{'同意' if o.agrees else '不同意'}({o.opinion})"
            for o in admission.opinions.select_related("unit")
        )
        return [
            ("申请部门", admission.department.name),
            ("事项", admission.title),
            ("事项性质", admission.get_matter_type_display()),
            ("依据", admission.legal_basis),
            ("承担的镇(街道)", "、".join(t.name for t in admission.towns.order_by("path"))),
            (
                "随事项下沉人员和经费",
                f"{admission.people_stated}人, {admission.funds_stated}元 {admission.resources_note}",
            ),
            ("镇街意见", opinions),
        ]

    def apply(self, *, actor: Any, request: ApprovalRequest) -> dict[str, Any]:
        """An admitted duty enters the county's duty list (a draft for the next edition)."""
        admission = self._admission(request.payload)
        county = county_of(admission.department)
        assert county is not None
        edition = _duty_list_draft(county, actor)
        item = DutyItem.objects.create(
            edition=edition,
            code=_free_code(edition, f"ZR-{admission.pk:04d}"),
            name=admission.title,
            area="职责准入",
            duty_class=admission.duty_class,
            basis=admission.legal_basis,
            responsible=admission.department.name,
        )
        admission.duty_item = item
        admission.save(update_fields=["duty_item", "updated_at"])
        return {"duty_item": item.pk, "edition": edition.pk}


class TemporaryAdmissionKind(AdmissionKind):
    kind = KIND_TEMPORARY
    label = "职责准入(阶段性、临时性任务)"


def register_admission_kinds() -> None:
    registry.register(AdmissionKind())
    registry.register(TemporaryAdmissionKind())


@transaction.atomic
def task_assign(
    *, actor: Any, admission: DutyAdmission, unit: Unit, assigned_on: dt.date, note: str = ""
) -> TaskAssignment:
    """Hand an admitted task to a town, once; a task that was not admitted cannot be assigned."""
    ensure_unit_access(
        user=actor, unit=admission.department, allowed=actor.may_edit_people, action="交办任务"
    )
    # Locked so two concurrent assignments of the task to one town cannot both pass the check.
    admission = (
        DutyAdmission.objects.select_for_update(of=("self",))
        .select_related("request")
        .get(pk=admission.pk)
    )
    request = admission.request
    if request is None or request.status != RequestStatus.APPROVED:
        raise ValidationError({"admission": "该事项未经职责准入审批, 不能交由镇(街道)承担"})
    if not admission.towns.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": f"准入范围不含{unit.name}"})
    # A task is handed to each town once.
    if TaskAssignment.objects.filter(admission=admission, unit=unit).exists():
        raise ValidationError({"unit": f"“{admission.title}”已交由{unit.name}承担, 不能重复交办"})
    return TaskAssignment.objects.create(
        admission=admission, unit=unit, assigned_on=assigned_on, note=note.strip()
    )
