"""Writes of comprehensive administrative law enforcement: teams, certificates, equipment,
funding and penalty cases. Every write checks role and scope, validates, saves and attributes
its history record; refused writes change nothing."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhenjie.core.audit import attribute
from zhenjie.organizations.choices import BASE_LEVEL_KINDS, UnitKind
from zhenjie.organizations.models import Unit
from zhenjie.organizations.selectors import ensure_unit_access
from zhenjie.personnel.models import Person, PostAssignment
from zhenjie.powers.choices import AcceptanceStatus
from zhenjie.powers.models import Acceptance, PowerItem
from zhenjie.powers.services import usage_record

from . import deadlines
from .choices import (
    BEFORE_DECISION,
    TRANSITIONS,
    DecisionKind,
    PartyKind,
    PenaltyKind,
    Procedure,
    Stage,
)
from .conf import limits
from .models import (
    Case,
    CaseExtension,
    CaseStep,
    Certificate,
    CertificateReview,
    EnforcementTeam,
    Equipment,
    EquipmentKind,
    EquipmentStandard,
    Funding,
    TeamMember,
)

PENALTY_CATEGORY = "penalty"
USAGE_SOURCE = "enforcement:{pk}"


def _ensure_bureau(bureau: Unit) -> None:
    if bureau.kind != UnitKind.ENFORCEMENT_BUREAU:
        raise ValidationError({"bureau": f"{bureau_label(bureau)}不是综合行政执法局"})


def bureau_label(bureau: Unit) -> str:
    """ "天池镇综合行政执法局": a bureau's name with its town's in front."""
    parent = bureau.parent
    if parent is None or bureau.name.startswith(parent.name):
        return bureau.name
    return f"{parent.name}{bureau.name}"


def _edit(actor: Any, unit: Unit, action: str) -> None:
    ensure_unit_access(user=actor, unit=unit, allowed=actor.may_edit_people, action=action)


def enforcement_post(person: Person, day: dt.date) -> PostAssignment | None:
    """The person's post in an enforcement bureau on ``day`` (main post first)."""
    return (
        PostAssignment.objects.active_on(day)
        .filter(person=person, unit__kind=UnitKind.ENFORCEMENT_BUREAU)
        .select_related("unit")
        .order_by("kind", "-start_date")
        .first()
    )


def holder_bureau(person: Person) -> Unit | None:
    """The bureau of the person's latest enforcement post, ended or not."""
    post = (
        PostAssignment.objects.filter(person=person, unit__kind=UnitKind.ENFORCEMENT_BUREAU)
        .select_related("unit")
        .order_by("-start_date", "-id")
        .first()
    )
    return post.unit if post else None


# -- teams -----------------------------------------------------------------------------------
@transaction.atomic
def team_create(*, actor: Any, bureau: Unit, name: str, established_on: dt.date) -> EnforcementTeam:
    """Set up a team (执法中队) in a bureau."""
    _ensure_bureau(bureau)
    _edit(actor, bureau, "设立执法中队")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写中队名称"})
    if EnforcementTeam.objects.filter(bureau=bureau, name=name).exists():
        raise ValidationError({"name": f"{bureau.name}已有{name}"})
    team = EnforcementTeam(bureau=bureau, name=name, established_on=established_on)
    team.full_clean()
    attribute(team, actor, "设立执法中队")
    team.save()
    return team


@transaction.atomic
def team_member_add(
    *, actor: Any, team: EnforcementTeam, person: Person, joined_on: dt.date
) -> TeamMember:
    """Put an officer of the bureau into a team."""
    _edit(actor, team.bureau, "调整执法中队")
    post = enforcement_post(person, joined_on)
    if post is None or post.unit_id != team.bureau_id:
        raise ValidationError(
            {
                "person": f"{person.name}在{joined_on:%Y-%m-%d}不在{bureau_label(team.bureau)}工作岗位上"
            }
        )
    if TeamMember.objects.filter(team=team, person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": f"{person.name}已在{team.name}"})
    member = TeamMember(team=team, person=person, joined_on=joined_on)
    member.full_clean()
    attribute(member, actor, "加入执法中队")
    member.save()
    return member


@transaction.atomic
def team_member_remove(*, actor: Any, member: TeamMember, left_on: dt.date) -> TeamMember:
    """End an officer's membership of a team."""
    _edit(actor, member.team.bureau, "调整执法中队")
    if member.left_on is not None:
        raise ValidationError({"left_on": "该队员已离开中队"})
    if left_on < member.joined_on:
        raise ValidationError({"left_on": "离开日期不能早于加入日期"})
    member.left_on = left_on
    attribute(member, actor, "离开执法中队")
    member.save(update_fields=["left_on", "updated_at"])
    return member


# -- certificates ----------------------------------------------------------------------------
@transaction.atomic
def certificate_issue(
    *,
    actor: Any,
    holder: Person,
    number: str,
    issuer: str,
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    scope: str = "",
) -> Certificate:
    """Register a law enforcement certificate (行政执法证) of an officer.

    Validity defaults to the configured period (内蒙古: 每6年换发); the first review falls due
    after the configured review period (3年一审注册).
    """
    number = number.strip()
    post = enforcement_post(holder, issued_on)
    if post is None:
        # 申领条件: 在编在职的执法人员.
        raise ValidationError(
            {"holder": f"{holder.name}在发证日期不在综合行政执法岗位上, 不能登记执法证"}
        )
    _edit(actor, post.unit, "登记执法证")
    if not number:
        raise ValidationError({"number": "请填写证件编号"})
    if Certificate.objects.filter(number=number).exists():
        raise ValidationError({"number": f"证件编号{number}已登记"})
    if issued_on > dt.date.today():
        raise ValidationError({"issued_on": "发证日期不能晚于今天"})
    conf = limits()
    longest = deadlines.certificate_expiry(issued_on, conf.certificate_valid_years)
    expires = expires_on or longest
    if expires <= issued_on:
        raise ValidationError({"expires_on": "有效期须晚于发证日期"})
    if expires > longest:
        raise ValidationError(
            {"expires_on": f"有效期不能超过{conf.certificate_valid_years}年(至{longest:%Y-%m-%d})"}
        )
    certificate = Certificate(
        holder=holder,
        number=number,
        issuer=issuer.strip(),
        issued_on=issued_on,
        expires_on=expires,
        first_review_due=deadlines.review_due(issued_on, conf.certificate_review_years),
        scope=scope.strip(),
    )
    certificate.full_clean()
    attribute(certificate, actor, "登记执法证")
    certificate.save()
    return certificate


def _certificate_unit(certificate: Certificate) -> Unit:
    bureau = holder_bureau(certificate.holder)
    if bureau is None:
        raise PermissionDenied("持证人没有执法岗位记录")
    return bureau


@transaction.atomic
def certificate_review_record(
    *,
    actor: Any,
    certificate: Certificate,
    reviewed_on: dt.date,
    passed: bool = True,
    notes: str = "",
) -> CertificateReview:
    """Record a periodic review (审验注册); a passed review sets the next due date."""
    _edit(actor, _certificate_unit(certificate), "审验执法证")
    if reviewed_on < certificate.issued_on:
        raise ValidationError({"reviewed_on": "审验日期不能早于发证日期"})
    if reviewed_on > dt.date.today():
        raise ValidationError({"reviewed_on": "审验日期不能晚于今天"})
    if certificate.revoked_on is not None and reviewed_on >= certificate.revoked_on:
        raise ValidationError({"reviewed_on": "证件已注销, 不能审验"})
    if reviewed_on >= certificate.expires_on:
        raise ValidationError({"reviewed_on": "证件已过有效期, 应换发新证"})
    if CertificateReview.objects.filter(certificate=certificate, reviewed_on=reviewed_on).exists():
        raise ValidationError({"reviewed_on": "该证件当日已有审验记录"})
    if not passed and not notes.strip():
        raise ValidationError({"notes": "审验不通过须写明原因"})
    review = CertificateReview(
        certificate=certificate,
        reviewed_on=reviewed_on,
        passed=passed,
        next_due=deadlines.review_due(reviewed_on, limits().certificate_review_years),
        notes=notes.strip(),
    )
    review.full_clean()
    attribute(review, actor, "审验执法证")
    review.save()
    return review


@transaction.atomic
def certificate_revoke(
    *, actor: Any, certificate: Certificate, revoked_on: dt.date, reason: str
) -> Certificate:
    """Revoke a certificate (注销), e.g. when its holder leaves an enforcement post."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    _edit(actor, _certificate_unit(certificate), "注销执法证")
    if certificate.revoked_on is not None:
        raise ValidationError({"revoked_on": f"该证件已于{certificate.revoked_on}注销"})
    if revoked_on < certificate.issued_on:
        raise ValidationError({"revoked_on": "注销日期不能早于发证日期"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写注销原因"})
    certificate.revoked_on = revoked_on
    certificate.revoke_reason = reason.strip()[:200]
    attribute(certificate, actor, "注销执法证")
    certificate.save(update_fields=["revoked_on", "revoke_reason", "updated_at"])
    return certificate


@transaction.atomic
def certificates_revoke_departed(*, actor: Any, bureau: Unit, on: dt.date) -> list[Certificate]:
    """Revoke the unrevoked certificates of the bureau's former officers who hold no
    enforcement post any more (离开执法岗位的注销执法证)."""
    _ensure_bureau(bureau)
    _edit(actor, bureau, "注销执法证")
    former = PostAssignment.objects.filter(unit=bureau, end_date__isnull=False, end_date__lte=on)
    revoked = []
    candidates = (
        Certificate.objects.filter(holder__in=former.values("person"), revoked_on__isnull=True)
        .with_validity(on)
        .filter(holder_in_enforcement=False)  # type: ignore[misc]
        .select_related("holder")
    )
    for certificate in candidates:
        revoked.append(
            certificate_revoke(
                actor=actor, certificate=certificate, revoked_on=on, reason="持证人离开执法岗位"
            )
        )
    return revoked


# -- equipment and funding --------------------------------------------------------------------
@transaction.atomic
def equipment_standard_set(
    *, actor: Any, bureau: Unit, kind: EquipmentKind, quantity: int
) -> EquipmentStandard:
    """Set a bureau's standard for one kind of equipment (set by the staffing office)."""
    _ensure_bureau(bureau)
    ensure_unit_access(
        user=actor, unit=bureau, allowed=actor.may_edit_structure, action="设定装备配备标准"
    )
    if quantity < 0:
        raise ValidationError({"quantity": "应配数量不能为负数"})
    standard = EquipmentStandard.objects.filter(bureau=bureau, kind=kind).first()
    if standard is None:
        standard = EquipmentStandard(bureau=bureau, kind=kind, quantity=quantity)
        attribute(standard, actor, "设定装备配备标准")
        standard.save()
    else:
        standard.quantity = quantity
        attribute(standard, actor, "调整装备配备标准")
        standard.save(update_fields=["quantity", "updated_at"])
    return standard


@transaction.atomic
def equipment_add(
    *,
    actor: Any,
    bureau: Unit,
    kind: EquipmentKind,
    acquired_on: dt.date,
    quantity: int = 1,
    model_name: str = "",
    plate_number: str = "",
    has_dash_camera: bool = False,
    notes: str = "",
) -> Equipment:
    """Enter equipment or a vehicle in a bureau's inventory (装备台账)."""
    _ensure_bureau(bureau)
    _edit(actor, bureau, "登记执法装备")
    plate_number = plate_number.strip().upper()
    if quantity < 1:
        raise ValidationError({"quantity": "数量至少为1"})
    if kind.is_vehicle:
        # A vehicle is one row with its plate, so its dash camera can be checked.
        if quantity != 1:
            raise ValidationError({"quantity": "执法车辆逐辆登记, 数量为1"})
        if not plate_number:
            raise ValidationError({"plate_number": "执法车辆须填写车牌号"})
        if Equipment.objects.filter(plate_number=plate_number).exists():
            raise ValidationError({"plate_number": f"车牌号{plate_number}已登记"})
    elif plate_number or has_dash_camera:
        raise ValidationError({"plate_number": "只有执法车辆填写车牌号和行车记录仪"})
    equipment = Equipment(
        bureau=bureau,
        kind=kind,
        quantity=quantity,
        model_name=model_name.strip(),
        plate_number=plate_number,
        has_dash_camera=has_dash_camera,
        acquired_on=acquired_on,
        notes=notes.strip(),
    )
    equipment.full_clean()
    attribute(equipment, actor, "登记执法装备")
    equipment.save()
    return equipment


@transaction.atomic
def equipment_dispose(
    *, actor: Any, equipment: Equipment, disposed_on: dt.date, reason: str
) -> Equipment:
    """Take equipment out of service (报废/调出)."""
    _edit(actor, equipment.bureau, "报废执法装备")
    if equipment.disposed_on is not None:
        raise ValidationError({"disposed_on": "该装备已报废或调出"})
    if disposed_on < equipment.acquired_on:
        raise ValidationError({"disposed_on": "报废日期不能早于配备日期"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写报废或调出原因"})
    equipment.disposed_on = disposed_on
    equipment.notes = reason.strip()[:200]
    attribute(equipment, actor, "报废执法装备")
    equipment.save(update_fields=["disposed_on", "notes", "updated_at"])
    return equipment


@transaction.atomic
def funding_set(
    *,
    actor: Any,
    bureau: Unit,
    year: int,
    in_county_budget: bool,
    requested: Decimal,
    granted: Decimal,
    spent: Decimal,
    notes: str = "",
) -> Funding:
    """Record (or correct) a bureau's enforcement funds for one year (执法经费)."""
    _ensure_bureau(bureau)
    _edit(actor, bureau, "登记执法经费")
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度无效"})
    for field, value in (("requested", requested), ("granted", granted), ("spent", spent)):
        if value < 0:
            raise ValidationError({field: "经费金额不能为负数"})
    funding = Funding.objects.select_for_update().filter(bureau=bureau, year=year).first()
    fields: dict[str, Any] = {
        "in_county_budget": in_county_budget,
        "requested": requested,
        "granted": granted,
        "spent": spent,
        "notes": notes.strip(),
    }
    if funding is None:
        funding = Funding(bureau=bureau, year=year, **fields)
        funding.full_clean()
        attribute(funding, actor, "登记执法经费")
        funding.save()
    else:
        for name, value in fields.items():
            setattr(funding, name, value)
        funding.full_clean()
        attribute(funding, actor, "更正执法经费")
        funding.save(update_fields=[*fields, "updated_at"])
    return funding


# -- cases -------------------------------------------------------------------------------------
def certificate_problems(certificate: Any) -> list[str]:
    """Why an annotated certificate (``with_validity``) is not valid; empty if it is."""
    problems = []
    if not certificate.is_in_force:
        problems.append("不在有效期内")
    if not certificate.is_review_on_time:
        problems.append("逾期未审验")
    if not certificate.is_not_revoked:
        problems.append("已注销")
    if not certificate.holder_in_enforcement:
        problems.append("持证人已不在执法岗位")
    return problems


def _check_officers(case: Case, certificates: Sequence[Certificate], on: dt.date) -> None:
    """行政处罚法 第42条: carried out by at least two officers holding valid certificates."""
    conf = limits()
    ids = {c.pk for c in certificates}
    rows = list(Certificate.objects.filter(pk__in=ids).with_validity(on).select_related("holder"))
    errors = []
    for row in rows:
        problems = certificate_problems(row)
        if problems:
            errors.append(f"{row.holder.name}的执法证{row.number}{'、'.join(problems)}")
    town_officers = set(
        PostAssignment.objects.active_on(on)
        .filter(
            person__in=[r.holder_id for r in rows],
            unit__kind=UnitKind.ENFORCEMENT_BUREAU,
            unit__path__startswith=case.town.path,
        )
        .values_list("person_id", flat=True)
    )
    for row in rows:
        if not certificate_problems(row) and row.holder_id not in town_officers:
            errors.append(f"{row.holder.name}不是{case.town.name}的执法人员")
    if errors:
        raise ValidationError({"certificates": errors})
    holders = {row.holder_id for row in rows}
    if len(holders) < conf.min_officers:
        raise ValidationError(
            {
                "certificates": (
                    f"行政处罚法第42条: 须由{conf.min_officers}名以上具有行政执法资格的执法人员"
                    f"实施, 本次仅登记{len(holders)}人"
                )
            }
        )


def _step(
    case: Case,
    stage: str,
    on: dt.date,
    actor: Any,
    note: str = "",
    certificates: Sequence[Certificate] = (),
) -> CaseStep:
    step = CaseStep.objects.create(
        case=case, stage=stage, happened_on=on, note=note.strip()[:300], recorded_by=actor
    )
    if certificates:
        step.certificates.set(certificates)
    return step


def _accepted_penalty(town: Unit, power: PowerItem, on: dt.date) -> Acceptance:
    """A town enforces only the penalty powers it accepted (承接) before the day."""
    if power.category.code != PENALTY_CATEGORY:
        raise ValidationError({"power": f"“{power.name}”不是行政处罚事项"})
    acceptance = (
        Acceptance.objects.filter(
            unit=town, item=power, status=AcceptanceStatus.ACCEPTED, effective_on__lte=on
        )
        .select_related("responsible_unit")
        .first()
    )
    if acceptance is None:
        raise ValidationError({"power": f"{town.name}未承接“{power.name}”, 不能以此事项立案"})
    return acceptance


def _new_case(
    *,
    actor: Any,
    town: Unit,
    power: PowerItem,
    number: str,
    party_name: str,
    party_kind: str,
    summary: str,
    procedure: str,
    opened_on: dt.date,
    is_major: bool,
) -> Case:
    if town.kind not in BASE_LEVEL_KINDS:
        raise ValidationError({"town": f"{town.name}不是镇(街道)"})
    _edit(actor, town, "登记行政处罚案件")
    if opened_on > dt.date.today():
        raise ValidationError({"opened_on": "立案日期不能晚于今天"})
    acceptance = _accepted_penalty(town, power, opened_on)
    number = number.strip()
    if not number:
        raise ValidationError({"number": "请填写案号"})
    if Case.objects.filter(number=number).exists():
        raise ValidationError({"number": f"案号{number}已登记"})
    if not party_name.strip():
        raise ValidationError({"party_name": "请填写当事人"})
    if party_kind not in PartyKind.values:
        raise ValidationError({"party_kind": "当事人类型无效"})
    case = Case(
        number=number,
        town=town,
        bureau=acceptance.responsible_unit or town,
        power=power,
        party_name=party_name.strip(),
        party_kind=party_kind,
        summary=summary.strip(),
        procedure=procedure,
        is_major=is_major,
        stage=Stage.FILED,
        opened_on=opened_on,
        decision_due=deadlines.decision_due(opened_on, limits().decision_days),
        created_by=actor,
    )
    case.full_clean()
    return case


@transaction.atomic
def case_open(
    *,
    actor: Any,
    town: Unit,
    power: PowerItem,
    number: str,
    party_name: str,
    party_kind: str,
    summary: str,
    opened_on: dt.date,
    is_major: bool = False,
    note: str = "",
) -> Case:
    """Open an ordinary-procedure case (立案) under a penalty power the town accepted."""
    case = _new_case(
        actor=actor,
        town=town,
        power=power,
        number=number,
        party_name=party_name,
        party_kind=party_kind,
        summary=summary,
        procedure=Procedure.ORDINARY,
        opened_on=opened_on,
        is_major=is_major,
    )
    attribute(case, actor, "立案")
    case.save()
    _step(case, Stage.FILED, opened_on, actor, note or "立案审批")
    return case


@transaction.atomic
def case_decide_on_spot(
    *,
    actor: Any,
    town: Unit,
    power: PowerItem,
    number: str,
    party_name: str,
    party_kind: str,
    summary: str,
    decided_on: dt.date,
    penalty_kind: str,
    fine: Decimal | None,
    certificates: Sequence[Certificate],
    note: str = "",
) -> Case:
    """A simple-procedure case (简易程序): decided and handed over on the spot (第51-52条)."""
    conf = limits()
    case = _new_case(
        actor=actor,
        town=town,
        power=power,
        number=number,
        party_name=party_name,
        party_kind=party_kind,
        summary=summary,
        procedure=Procedure.SIMPLE,
        opened_on=decided_on,
        is_major=False,
    )
    if penalty_kind not in (PenaltyKind.WARNING, PenaltyKind.FINE):
        raise ValidationError({"penalty_kind": "简易程序只能当场给予警告或罚款"})
    if penalty_kind == PenaltyKind.FINE:
        if fine is None or fine <= 0:
            raise ValidationError({"fine": "请填写罚款金额"})
        # 行政处罚法 第51条: 公民二百元以下、法人或者其他组织三千元以下.
        if not deadlines.simple_procedure_allowed(
            fine, party_kind, conf.simple_limit_person, conf.simple_limit_organisation
        ):
            limit = (
                conf.simple_limit_person
                if party_kind == PartyKind.PERSON
                else conf.simple_limit_organisation
            )
            raise ValidationError(
                {
                    "fine": (
                        f"行政处罚法第51条: 简易程序对{PartyKind(party_kind).label}罚款"
                        f"不得超过{limit:.0f}元, 应适用普通程序"
                    )
                }
            )
    elif fine:
        raise ValidationError({"fine": "警告不填罚款金额"})
    _check_officers(case, certificates, decided_on)
    case.stage = Stage.DELIVERY
    case.decision_kind = DecisionKind.PENALTY
    case.penalty_kind = penalty_kind
    case.fine = fine if penalty_kind == PenaltyKind.FINE else None
    case.decided_on = decided_on
    case.delivery_due = decided_on
    case.delivered_on = decided_on
    if case.fine:
        case.payment_due = deadlines.payment_due(decided_on, conf.payment_days)
    attribute(case, actor, "简易程序当场处罚")
    case.save()
    _step(case, Stage.FILED, decided_on, actor, "简易程序")
    _step(case, Stage.DECISION, decided_on, actor, note or "当场作出行政处罚决定", certificates)
    _step(case, Stage.DELIVERY, decided_on, actor, "当场交付决定书")
    return case


@transaction.atomic
def case_investigate(
    *, actor: Any, case: Case, on: dt.date, certificates: Sequence[Certificate], note: str
) -> CaseStep:
    """Record one more investigative act (调查取证: 检查、询问、勘验、抽样…) of a case."""
    case = Case.objects.select_for_update().select_related("town").get(pk=case.pk)
    _edit(actor, case.town, "登记调查取证")
    if case.stage != Stage.INVESTIGATION:
        raise ValidationError({"stage": "案件不在调查取证环节"})
    if on < case.opened_on:
        raise ValidationError({"on": "调查日期不能早于立案日期"})
    if not note.strip():
        raise ValidationError({"note": "请写明调查取证的内容"})
    _check_officers(case, certificates, on)
    return _step(case, Stage.INVESTIGATION, on, actor, note, certificates)


def legal_review_required(case: Case) -> bool:
    """行政处罚法 第58条: major or complex cases, heard cases, and fines of a major amount."""
    major_fine = limits().major_fine
    return case.is_major or case.hearing_on is not None or (case.fine or 0) >= major_fine


@transaction.atomic
def case_advance(
    *,
    actor: Any,
    case: Case,
    stage: str,
    on: dt.date,
    certificates: Sequence[Certificate] = (),
    note: str = "",
    hearing_requested_on: dt.date | None = None,
    hearing_notified_on: dt.date | None = None,
    hearing_host: Person | None = None,
    decision_kind: str = "",
    penalty_kind: str = "",
    fine: Decimal | None = None,
    paid_amount: Decimal | None = None,
) -> Case:
    """Move a case to its next stage, checking the statute's rule for that stage."""
    case = Case.objects.select_for_update().select_related("town", "power").get(pk=case.pk)
    _edit(actor, case.town, "办理行政处罚案件")
    conf = limits()
    if stage not in TRANSITIONS.get(case.stage, set()):
        allowed = "、".join(str(Stage(s).label) for s in sorted(TRANSITIONS.get(case.stage, [])))
        raise ValidationError(
            {
                "stage": f"案件处于{case.get_stage_display()}环节, 不能进入"
                f"{Stage(stage).label if stage in Stage.values else stage}"
                + (f"(可进入: {allowed})" if allowed else "")
            }
        )
    last = case.steps.order_by("-happened_on").values_list("happened_on", flat=True).first()
    if last is not None and on < last:
        raise ValidationError({"on": f"日期不能早于上一环节({last:%Y-%m-%d})"})
    if on > dt.date.today():
        raise ValidationError({"on": "日期不能晚于今天"})
    fields = ["stage", "updated_at"]
    if stage == Stage.INVESTIGATION:
        _check_officers(case, certificates, on)
    elif stage == Stage.NOTICE:
        case.noticed_on = on
        fields.append("noticed_on")
    elif stage == Stage.HEARING:
        assert case.noticed_on is not None
        if hearing_requested_on is None or hearing_notified_on is None or hearing_host is None:
            raise ValidationError({"hearing_requested_on": "请填写申请听证日期、通知日期和主持人"})
        request_due = deadlines.hearing_request_due(case.noticed_on, conf.hearing_request_days)
        if not case.noticed_on <= hearing_requested_on <= request_due:
            raise ValidationError(
                {
                    "hearing_requested_on": (
                        f"行政处罚法第64条: 当事人应在告知后{conf.hearing_request_days}日内"
                        f"(截至{request_due:%Y-%m-%d})提出听证要求"
                    )
                }
            )
        latest = deadlines.hearing_notice_latest(on, conf.hearing_notice_days)
        if not hearing_requested_on <= hearing_notified_on <= latest:
            raise ValidationError(
                {
                    "hearing_notified_on": (
                        f"行政处罚法第64条: 应在举行听证的{conf.hearing_notice_days}日前"
                        f"(不晚于{latest:%Y-%m-%d})通知当事人"
                    )
                }
            )
        investigators = set(
            CaseStep.objects.filter(case=case, stage=Stage.INVESTIGATION).values_list(
                "certificates__holder_id", flat=True
            )
        )
        if hearing_host.pk in investigators:
            raise ValidationError({"hearing_host": "行政处罚法第64条: 听证由非本案调查人员主持"})
        case.hearing_requested_on = hearing_requested_on
        case.hearing_notified_on = hearing_notified_on
        case.hearing_on = on
        case.hearing_host = hearing_host
        fields += ["hearing_requested_on", "hearing_notified_on", "hearing_on", "hearing_host"]
    elif stage == Stage.LEGAL_REVIEW:
        case.legal_reviewed_on = on
        fields.append("legal_reviewed_on")
    elif stage == Stage.DECISION:
        _decide(case, on, decision_kind, penalty_kind, fine, certificates)
        fields += ["decision_kind", "penalty_kind", "fine", "decided_on", "delivery_due"]
    elif stage == Stage.DELIVERY:
        assert case.decided_on is not None and case.delivery_due is not None
        # 行政处罚法 第61条: 当事人不在场的, 七日内送达.
        if on > case.delivery_due:
            raise ValidationError(
                {
                    "on": (
                        f"行政处罚法第61条: 决定书应在决定后{conf.delivery_days}日内"
                        f"(截至{case.delivery_due:%Y-%m-%d})送达"
                    )
                }
            )
        case.delivered_on = on
        if case.fine:
            case.payment_due = deadlines.payment_due(on, conf.payment_days)
        fields += ["delivered_on", "payment_due"]
    elif stage == Stage.EXECUTION:
        if case.fine:
            assert case.payment_due is not None
            owed = case.fine + deadlines.surcharge(
                case.fine, case.payment_due, on, conf.surcharge_daily_rate
            )
            if paid_amount is None or paid_amount != owed:
                extra = owed - case.fine
                raise ValidationError(
                    {
                        "paid_amount": (
                            f"应缴{owed}元(罚款{case.fine}元"
                            + (f", 行政处罚法第72条加处罚款{extra}元" if extra else "")
                            + ")"
                        )
                    }
                )
            case.paid_on = on
            case.paid_amount = paid_amount
            case.surcharge = owed - case.fine
            fields += ["paid_on", "paid_amount", "surcharge"]
    elif stage == Stage.CLOSED:
        if case.fine and case.paid_on is None:
            raise ValidationError({"stage": "罚款尚未缴纳, 不能结案"})
        case.closed_on = on
        fields.append("closed_on")
    case.stage = stage
    attribute(case, actor, str(Stage(stage).label))
    case.save(update_fields=fields)
    _step(
        case,
        stage,
        on,
        actor,
        note,
        certificates if stage in (Stage.INVESTIGATION, Stage.DECISION) else (),
    )
    if stage == Stage.CLOSED:
        # A closed case is one use of the power (行权次数) in the delegated-powers figures.
        usage_record(
            actor=actor,
            unit=case.town,
            item=case.power,
            period_start=on,
            period_end=on,
            count=1,
            source=USAGE_SOURCE.format(pk=case.pk),
        )
    return case


def _decide(
    case: Case,
    on: dt.date,
    decision_kind: str,
    penalty_kind: str,
    fine: Decimal | None,
    certificates: Sequence[Certificate],
) -> None:
    conf = limits()
    # 行政处罚法 第60条: decision within 90 days of 立案 unless an extension was recorded.
    if on > case.decision_due:
        raise ValidationError(
            {
                "on": (
                    f"行政处罚法第60条: 应自立案之日起{conf.decision_days}日内作出决定"
                    f"(截至{case.decision_due:%Y-%m-%d}), 逾期须先登记延期审批"
                )
            }
        )
    if decision_kind not in DecisionKind.values:
        raise ValidationError({"decision_kind": "请选择处理决定"})
    if decision_kind == DecisionKind.PENALTY:
        if penalty_kind not in PenaltyKind.values or penalty_kind == PenaltyKind.NONE:
            raise ValidationError({"penalty_kind": "请选择处罚种类"})
        if penalty_kind == PenaltyKind.FINE and (fine is None or fine <= 0):
            raise ValidationError({"fine": "罚款决定须填写罚款金额"})
    elif penalty_kind or fine:
        raise ValidationError({"penalty_kind": "不予处罚或移送的决定不填处罚种类和罚款"})
    if fine is not None and fine < 0:
        raise ValidationError({"fine": "罚款金额不能为负数"})
    case.decision_kind = decision_kind
    case.penalty_kind = penalty_kind if decision_kind == DecisionKind.PENALTY else ""
    case.fine = fine if penalty_kind == PenaltyKind.FINE else None
    # 行政处罚法 第58条: 法制审核 before the decision where required.
    if legal_review_required(case) and case.legal_reviewed_on is None:
        raise ValidationError(
            {"stage": "行政处罚法第58条: 本案(重大、疑难复杂、经听证或较大数额罚款)须先经法制审核"}
        )
    _check_officers(case, certificates, on)
    case.decided_on = on
    case.delivery_due = deadlines.delivery_due(on, conf.delivery_days)


@transaction.atomic
def case_extend(
    *,
    actor: Any,
    case: Case,
    days: int,
    approved_on: dt.date,
    approved_by: str,
    reason: str,
) -> CaseExtension:
    """Record an approved extension of the decision deadline (延长办案期限)."""
    case = Case.objects.select_for_update().select_related("town").get(pk=case.pk)
    _edit(actor, case.town, "延长办案期限")
    conf = limits()
    if case.stage not in BEFORE_DECISION:
        raise ValidationError({"days": "已作出决定的案件不能延长办案期限"})
    if not 1 <= days <= conf.extension_max_days:
        raise ValidationError({"days": f"每次延长1至{conf.extension_max_days}日"})
    if not case.opened_on <= approved_on <= case.decision_due:
        raise ValidationError(
            {"approved_on": f"延期须在办案期限届满({case.decision_due:%Y-%m-%d})前批准"}
        )
    if not approved_by.strip() or not reason.strip():
        raise ValidationError({"reason": "请填写批准人和延期理由"})
    extension = CaseExtension.objects.create(
        case=case,
        days=days,
        approved_on=approved_on,
        approved_by=approved_by.strip(),
        reason=reason.strip()[:300],
        recorded_by=actor,
    )
    total = sum(case.extensions.values_list("days", flat=True))
    case.decision_due = deadlines.decision_due(case.opened_on, conf.decision_days, total)
    attribute(case, actor, "延长办案期限")
    case.save(update_fields=["decision_due", "updated_at"])
    return extension
