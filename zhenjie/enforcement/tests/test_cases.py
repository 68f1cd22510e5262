"""Penalty cases: the statute's rules (行政处罚法 2021), each where it holds and where it is broken."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhenjie.accounts.models import User
from zhenjie.enforcement import selectors, services
from zhenjie.enforcement.choices import PartyKind, PenaltyKind, Procedure, Stage
from zhenjie.enforcement.models import Case
from zhenjie.personnel.models import PostAssignment
from zhenjie.personnel.services import post_end
from zhenjie.powers.models import PowerUsage

from .conftest import OPENED

D = dt.date
Counts = Callable[[], dict[str, int]]


def days(n: int) -> dt.date:
    return OPENED + dt.timedelta(days=n)


def refused(counts: Counts, run: Callable[[], Any]) -> dict[str, list[str]]:
    """Run a write that must be refused; return its errors and check nothing changed."""
    before = counts()
    with pytest.raises(ValidationError) as exc:
        run()
    assert counts() == before
    return exc.value.message_dict


# -- 立案: only under an accepted penalty power ------------------------------------------------
def test_case_opened_under_accepted_power(open_case: Callable[..., Case]) -> None:
    case = open_case()
    assert (case.stage, case.procedure, case.decision_due) == (
        Stage.FILED,
        Procedure.ORDINARY,
        D(2025, 6, 1),
    )
    assert case.bureau.name == "综合行政执法局"
    assert list(case.steps.values_list("stage", flat=True)) == [Stage.FILED]


def test_case_refused_under_power_not_accepted(
    tianchi_operator: User,
    org: SimpleNamespace,
    powers: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    errors = refused(
        enforcement_counts,
        lambda: services.case_open(
            actor=tianchi_operator,
            town=org.tianchi,
            power=powers.declined,
            number="天池执法立字〔2025〕99号",
            party_name="王某",
            party_kind=PartyKind.PERSON,
            summary="占用耕地建坟",
            opened_on=OPENED,
        ),
    )
    assert errors == {"power": ["天池镇未承接“对占用耕地建窑、建坟的行政处罚”, 不能以此事项立案"]}


def test_case_refused_under_power_of_another_town(
    bailang_operator: User,
    org: SimpleNamespace,
    powers: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    errors = refused(
        enforcement_counts,
        lambda: services.case_open(
            actor=bailang_operator,
            town=org.bailang,
            power=powers.accepted,
            number="白狼执法立字〔2025〕1号",
            party_name="李某",
            party_kind=PartyKind.PERSON,
            summary="未批先建",
            opened_on=OPENED,
        ),
    )
    assert errors == {
        "power": ["白狼镇未承接“对农村村民未经批准非法占用土地建住宅的行政处罚”, 不能以此事项立案"]
    }


def test_case_refused_under_a_licence(
    tianchi_operator: User,
    org: SimpleNamespace,
    powers: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    errors = refused(
        enforcement_counts,
        lambda: services.case_open(
            actor=tianchi_operator,
            town=org.tianchi,
            power=powers.licence,
            number="天池执法立字〔2025〕98号",
            party_name="王某",
            party_kind=PartyKind.PERSON,
            summary="x",
            opened_on=OPENED,
        ),
    )
    assert errors == {"power": ["“乡村建设规划许可”不是行政处罚事项"]}


def test_other_town_operator_cannot_open_or_advance(
    bailang_operator: User,
    org: SimpleNamespace,
    powers: SimpleNamespace,
    open_case: Callable[..., Case],
    certs: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = open_case()
    before = enforcement_counts()
    with pytest.raises(PermissionDenied):
        services.case_open(
            actor=bailang_operator,
            town=org.tianchi,
            power=powers.accepted,
            number="天池执法立字〔2025〕97号",
            party_name="王某",
            party_kind=PartyKind.PERSON,
            summary="x",
            opened_on=OPENED,
        )
    with pytest.raises(PermissionDenied):
        services.case_advance(
            actor=bailang_operator,
            case=case,
            stage=Stage.INVESTIGATION,
            on=days(1),
            certificates=[certs.zhang, certs.wang],
        )
    assert enforcement_counts() == before
    case.refresh_from_db()
    assert case.stage == Stage.FILED


# -- 第42条: two officers with valid certificates ------------------------------------------------
def test_investigation_by_two_certified_officers(
    open_case: Callable[..., Case], advance: Callable[..., Case], certs: SimpleNamespace
) -> None:
    case = advance(
        open_case(), Stage.INVESTIGATION, days(1), certificates=[certs.zhang, certs.wang]
    )
    step = case.steps.get(stage=Stage.INVESTIGATION)
    assert {c.holder.name for c in step.certificates.all()} == {"张伟", "王芳"}


def test_investigation_by_one_officer_refused(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = open_case()
    errors = refused(
        enforcement_counts,
        lambda: advance(case, Stage.INVESTIGATION, days(1), certificates=[certs.zhang]),
    )
    assert errors == {
        "certificates": [
            "行政处罚法第42条: 须由2名以上具有行政执法资格的执法人员实施, 本次仅登记1人"
        ]
    }


def test_same_officer_twice_counts_once(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    officers: SimpleNamespace,
    issue: Callable[..., Any],
    enforcement_counts: Counts,
) -> None:
    # given: 张伟 holds a second certificate (e.g. of another field)
    second = issue(officers.zhang)
    case = open_case()
    errors = refused(
        enforcement_counts,
        lambda: advance(case, Stage.INVESTIGATION, days(1), certificates=[certs.zhang, second]),
    )
    assert errors == {
        "certificates": [
            "行政处罚法第42条: 须由2名以上具有行政执法资格的执法人员实施, 本次仅登记1人"
        ]
    }


def test_revoked_certificate_refused(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    tianchi_operator: User,
    enforcement_counts: Counts,
) -> None:
    services.certificate_revoke(
        actor=tianchi_operator, certificate=certs.wang, revoked_on=D(2025, 1, 1), reason="调离"
    )
    case = open_case()
    errors = refused(
        enforcement_counts,
        lambda: advance(case, Stage.INVESTIGATION, days(1), certificates=[certs.zhang, certs.wang]),
    )
    assert errors == {"certificates": [f"王芳的执法证{certs.wang.number}已注销"]}


def test_expired_certificate_refused(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    officers: SimpleNamespace,
    issue: Callable[..., Any],
    enforcement_counts: Counts,
) -> None:
    expired = issue(officers.zhao, on=D(2024, 3, 1), expires_on=D(2025, 3, 1))
    case = open_case()
    errors = refused(
        enforcement_counts,
        lambda: advance(case, Stage.INVESTIGATION, days(1), certificates=[certs.zhang, expired]),
    )
    assert errors == {"certificates": [f"赵敏的执法证{expired.number}不在有效期内"]}


def test_uncertified_officer_cannot_be_named(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    # An officer without a certificate has nothing to name: one certificate is one officer.
    case = open_case()
    errors = refused(
        enforcement_counts,
        lambda: advance(case, Stage.INVESTIGATION, days(1), certificates=[certs.li]),
    )
    assert "本次仅登记1人" in errors["certificates"][0]


def test_certificate_of_holder_who_left_refused(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    officers: SimpleNamespace,
    staffing_officer: User,
    enforcement_counts: Counts,
) -> None:
    post = PostAssignment.objects.get(person=officers.wang, end_date__isnull=True)
    post_end(actor=staffing_officer, post=post, end_date=D(2025, 1, 1))
    case = open_case()
    errors = refused(
        enforcement_counts,
        lambda: advance(case, Stage.INVESTIGATION, days(1), certificates=[certs.zhang, certs.wang]),
    )
    assert errors == {"certificates": [f"王芳的执法证{certs.wang.number}持证人已不在执法岗位"]}


def test_officer_of_another_town_refused(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = open_case()
    errors = refused(
        enforcement_counts,
        lambda: advance(case, Stage.INVESTIGATION, days(1), certificates=[certs.zhang, certs.bai]),
    )
    assert errors == {"certificates": ["白云不是天池镇的执法人员"]}


def test_decision_by_one_officer_refused(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = open_case()
    advance(case, Stage.INVESTIGATION, days(1), certificates=[certs.zhang, certs.wang])
    advance(case, Stage.NOTICE, days(10))
    errors = refused(
        enforcement_counts,
        lambda: advance(
            case,
            Stage.DECISION,
            days(20),
            certificates=[certs.zhang],
            decision_kind="penalty",
            penalty_kind=PenaltyKind.WARNING,
        ),
    )
    assert "第42条" in errors["certificates"][0]


def test_further_investigative_act_needs_two_officers(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    tianchi_operator: User,
    enforcement_counts: Counts,
) -> None:
    case = advance(
        open_case(), Stage.INVESTIGATION, days(1), certificates=[certs.zhang, certs.wang]
    )
    services.case_investigate(
        actor=tianchi_operator,
        case=case,
        on=days(3),
        certificates=[certs.zhang, certs.li],
        note="现场勘验并制作笔录",
    )
    errors = refused(
        enforcement_counts,
        lambda: services.case_investigate(
            actor=tianchi_operator, case=case, on=days(4), certificates=[certs.li], note="询问"
        ),
    )
    assert "本次仅登记1人" in errors["certificates"][0]
    assert case.steps.filter(stage=Stage.INVESTIGATION).count() == 2


# -- transitions ---------------------------------------------------------------------------------
def test_stage_cannot_be_skipped(
    open_case: Callable[..., Case], advance: Callable[..., Case], enforcement_counts: Counts
) -> None:
    case = open_case()
    errors = refused(enforcement_counts, lambda: advance(case, Stage.DECISION, days(1)))
    assert errors == {"stage": ["案件处于立案环节, 不能进入决定(可进入: 调查取证)"]}


# -- 第60条: 90 days from 立案 --------------------------------------------------------------------
def _to_notice(case: Case, advance: Callable[..., Case], certs: SimpleNamespace) -> Case:
    advance(case, Stage.INVESTIGATION, days(1), certificates=[certs.zhang, certs.wang])
    return advance(case, Stage.NOTICE, days(30))


def test_decision_on_day_ninety(
    open_case: Callable[..., Case], advance: Callable[..., Case], certs: SimpleNamespace
) -> None:
    case = _to_notice(open_case(), advance, certs)
    case = advance(
        case,
        Stage.DECISION,
        days(90),
        certificates=[certs.zhang, certs.wang],
        decision_kind="penalty",
        penalty_kind=PenaltyKind.WARNING,
    )
    assert (case.decided_on, case.delivery_due) == (days(90), days(97))


def test_decision_after_ninety_days_without_extension_refused(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = _to_notice(open_case(), advance, certs)
    errors = refused(
        enforcement_counts,
        lambda: advance(
            case,
            Stage.DECISION,
            days(91),
            certificates=[certs.zhang, certs.wang],
            decision_kind="penalty",
            penalty_kind=PenaltyKind.WARNING,
        ),
    )
    assert errors == {
        "on": [
            "行政处罚法第60条: 应自立案之日起90日内作出决定(截至2025-06-01), 逾期须先登记延期审批"
        ]
    }


def test_decision_after_ninety_days_with_extension(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    tianchi_operator: User,
) -> None:
    case = _to_notice(open_case(), advance, certs)
    services.case_extend(
        actor=tianchi_operator,
        case=case,
        days=30,
        approved_on=days(85),
        approved_by="局长张某",
        reason="需委托测绘机构测量占地面积",
    )
    case.refresh_from_db()
    assert case.decision_due == days(120)
    case = advance(
        case,
        Stage.DECISION,
        days(110),
        certificates=[certs.zhang, certs.wang],
        decision_kind="penalty",
        penalty_kind=PenaltyKind.WARNING,
    )
    assert case.stage == Stage.DECISION


def test_extension_after_deadline_or_too_long_refused(
    open_case: Callable[..., Case],
    certs: SimpleNamespace,
    tianchi_operator: User,
    enforcement_counts: Counts,
) -> None:
    case = open_case()

    def extend(n: int, on: dt.date) -> Any:
        return services.case_extend(
            actor=tianchi_operator,
            case=case,
            days=n,
            approved_on=on,
            approved_by="局长",
            reason="x",
        )

    assert refused(enforcement_counts, lambda: extend(30, days(91))) == {
        "approved_on": ["延期须在办案期限届满(2025-06-01)前批准"]
    }
    assert refused(enforcement_counts, lambda: extend(31, days(80))) == {
        "days": ["每次延长1至30日"]
    }


def test_overdue_case_is_listed_and_filtered(
    open_case: Callable[..., Case], tianchi_operator: User
) -> None:
    late = open_case(on=D(2024, 1, 2))
    open_case(on=dt.date.today() - dt.timedelta(days=3))
    overdue = selectors.case_list(user=tianchi_operator).filter(
        selectors.overdue_q(dt.date.today())
    )
    assert list(overdue) == [late]


# -- 第58条: legal review --------------------------------------------------------------------------
def test_major_case_needs_legal_review(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = _to_notice(open_case(is_major=True), advance, certs)

    def decide() -> Case:
        return advance(
            case,
            Stage.DECISION,
            days(50),
            certificates=[certs.zhang, certs.wang],
            decision_kind="penalty",
            penalty_kind=PenaltyKind.WARNING,
        )

    errors = refused(enforcement_counts, decide)
    assert errors == {
        "stage": ["行政处罚法第58条: 本案(重大、疑难复杂、经听证或较大数额罚款)须先经法制审核"]
    }
    advance(case, Stage.LEGAL_REVIEW, days(45))
    assert decide().legal_reviewed_on == days(45)


def test_large_fine_needs_legal_review(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = _to_notice(open_case(), advance, certs)
    errors = refused(
        enforcement_counts,
        lambda: advance(
            case,
            Stage.DECISION,
            days(50),
            certificates=[certs.zhang, certs.wang],
            decision_kind="penalty",
            penalty_kind=PenaltyKind.FINE,
            fine=Decimal("10000"),
        ),
    )
    assert "第58条" in errors["stage"][0]


# -- 第64条: hearing -------------------------------------------------------------------------------
def _hear(
    case: Case,
    advance: Callable[..., Case],
    on: dt.date,
    requested: dt.date,
    notified: dt.date,
    host: Any,
) -> Case:
    return advance(
        case,
        Stage.HEARING,
        on,
        hearing_requested_on=requested,
        hearing_notified_on=notified,
        hearing_host=host,
    )


def test_hearing_in_time(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    officers: SimpleNamespace,
) -> None:
    case = _to_notice(open_case(), advance, certs)  # noticed on day 30
    case = _hear(case, advance, days(45), days(35), days(38), officers.li)
    assert (case.hearing_on, case.hearing_host) == (days(45), officers.li)


def test_hearing_requested_after_five_days_refused(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    officers: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = _to_notice(open_case(), advance, certs)
    errors = refused(
        enforcement_counts, lambda: _hear(case, advance, days(45), days(36), days(38), officers.li)
    )
    assert errors == {
        "hearing_requested_on": [
            "行政处罚法第64条: 当事人应在告知后5日内(截至2025-04-07)提出听证要求"
        ]
    }


def test_hearing_noticed_less_than_seven_days_ahead_refused(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    officers: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = _to_notice(open_case(), advance, certs)
    errors = refused(
        enforcement_counts, lambda: _hear(case, advance, days(45), days(35), days(39), officers.li)
    )
    assert errors == {
        "hearing_notified_on": ["行政处罚法第64条: 应在举行听证的7日前(不晚于2025-04-10)通知当事人"]
    }


def test_investigator_cannot_host_the_hearing(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    officers: SimpleNamespace,
    enforcement_counts: Counts,
) -> None:
    case = _to_notice(open_case(), advance, certs)
    errors = refused(
        enforcement_counts,
        lambda: _hear(case, advance, days(45), days(35), days(38), officers.zhang),
    )
    assert errors == {"hearing_host": ["行政处罚法第64条: 听证由非本案调查人员主持"]}


def test_heard_case_needs_legal_review(
    open_case: Callable[..., Case],
    advance: Callable[..., Case],
    certs: SimpleNamespace,
    officers: SimpleNamespace,
) -> None:
    case = _hear(
        _to_notice(open_case(), advance, certs), advance, days(45), days(35), days(38), officers.li
    )
    assert services.legal_review_required(case) is True


# -- 第61条: delivery within 7 days ----------------------------------------------------------------
def test_delivery_on_day_seven(decided_case: Case, advance: Callable[..., Case]) -> None:
    case = advance(decided_case, Stage.DELIVERY, days(38 + 7))
    assert case.payment_due == days(38 + 7 + 15)


def test_delivery_after_seven_days_refused(
    decided_case: Case, advance: Callable[..., Case], enforcement_counts: Counts
) -> None:
    errors = refused(
        enforcement_counts,
        lambda: advance(decided_case, Stage.DELIVERY, days(38 + 8)),
    )
    assert errors == {"on": ["行政处罚法第61条: 决定书应在决定后7日内(截至2025-04-17)送达"]}


# -- 第67/72条: payment and surcharge --------------------------------------------------------------
def test_payment_on_time_then_closed_counts_as_power_usage(
    decided_case: Case, advance: Callable[..., Case], org: SimpleNamespace, powers: SimpleNamespace
) -> None:
    case = advance(decided_case, Stage.DELIVERY, D(2025, 4, 12))  # payment due 2025-04-27
    case = advance(case, Stage.EXECUTION, D(2025, 4, 27), paid_amount=Decimal("2000"))
    assert case.surcharge == Decimal("0.00")
    case = advance(case, Stage.CLOSED, D(2025, 4, 28))
    usage = PowerUsage.objects.get(source=f"enforcement:{case.pk}")
    assert (usage.unit, usage.item, usage.count, usage.period_start) == (
        org.tianchi,
        powers.accepted,
        1,
        D(2025, 4, 28),
    )
    assert selectors.closed_case_counts(
        user=case.created_by, start=D(2025, 1, 1), end=D(2025, 12, 31)
    ) == {(org.tianchi.pk, powers.accepted.pk): 1}


def test_late_payment_needs_the_surcharge(
    decided_case: Case, advance: Callable[..., Case], enforcement_counts: Counts
) -> None:
    case = advance(decided_case, Stage.DELIVERY, D(2025, 4, 12))
    errors = refused(
        enforcement_counts,
        lambda: advance(case, Stage.EXECUTION, D(2025, 4, 29), paid_amount=Decimal("2000")),
    )
    assert errors == {
        "paid_amount": ["应缴2120.00元(罚款2000.00元, 行政处罚法第72条加处罚款120.00元)"]
    }
    case = advance(case, Stage.EXECUTION, D(2025, 4, 29), paid_amount=Decimal("2120"))
    assert (case.surcharge, case.paid_amount) == (Decimal("120.00"), Decimal("2120"))


def test_surcharge_capped_at_the_fine(decided_case: Case, advance: Callable[..., Case]) -> None:
    case = advance(decided_case, Stage.DELIVERY, D(2025, 4, 12))
    case = advance(case, Stage.EXECUTION, D(2025, 8, 1), paid_amount=Decimal("4000"))
    assert case.surcharge == Decimal("2000")


def test_fine_unpaid_cannot_close(
    decided_case: Case, advance: Callable[..., Case], enforcement_counts: Counts
) -> None:
    case = advance(decided_case, Stage.DELIVERY, D(2025, 4, 12))
    errors = refused(enforcement_counts, lambda: advance(case, Stage.CLOSED, D(2025, 4, 20)))
    assert errors == {"stage": ["罚款尚未缴纳, 不能结案"]}


# -- 第51条: simple procedure ------------------------------------------------------------------------
def _on_spot(
    actor: User,
    org: SimpleNamespace,
    powers: SimpleNamespace,
    certs: SimpleNamespace,
    fine: str,
    kind: str,
) -> Case:
    return services.case_decide_on_spot(
        actor=actor,
        town=org.tianchi,
        power=powers.accepted,
        number="天池执法简字〔2025〕1号",
        party_name="某合作社" if kind == PartyKind.ORGANISATION else "刘某",
        party_kind=kind,
        summary="当场查获",
        decided_on=OPENED,
        penalty_kind=PenaltyKind.FINE,
        fine=Decimal(fine),
        certificates=[certs.zhang, certs.wang],
    )


@pytest.mark.parametrize(
    ("fine", "kind"), [("200", PartyKind.PERSON), ("3000", PartyKind.ORGANISATION)]
)
def test_simple_procedure_within_limits(
    tianchi_operator: User,
    org: SimpleNamespace,
    powers: SimpleNamespace,
    certs: SimpleNamespace,
    fine: str,
    kind: str,
) -> None:
    case = _on_spot(tianchi_operator, org, powers, certs, fine, kind)
    assert (case.procedure, case.stage, case.delivered_on, case.payment_due) == (
        Procedure.SIMPLE,
        Stage.DELIVERY,
        OPENED,
        D(2025, 3, 18),
    )
    assert list(case.steps.values_list("stage", flat=True)) == [
        Stage.FILED,
        Stage.DECISION,
        Stage.DELIVERY,
    ]


@pytest.mark.parametrize(
    ("fine", "kind", "message"),
    [
        (
            "201",
            PartyKind.PERSON,
            "行政处罚法第51条: 简易程序对公民罚款不得超过200元, 应适用普通程序",
        ),
        (
            "3001",
            PartyKind.ORGANISATION,
            "行政处罚法第51条: 简易程序对法人或其他组织罚款不得超过3000元, 应适用普通程序",
        ),
    ],
)
def test_simple_procedure_above_limits_refused(
    tianchi_operator: User,
    org: SimpleNamespace,
    powers: SimpleNamespace,
    certs: SimpleNamespace,
    enforcement_counts: Counts,
    fine: str,
    kind: str,
    message: str,
) -> None:
    errors = refused(
        enforcement_counts, lambda: _on_spot(tianchi_operator, org, powers, certs, fine, kind)
    )
    assert errors == {"fine": [message]}


def test_leader_cannot_advance(
    decided_case: Case, leader: User, enforcement_counts: Counts
) -> None:
    before = enforcement_counts()
    with pytest.raises(PermissionDenied):
        services.case_advance(
            actor=leader, case=decided_case, stage=Stage.DELIVERY, on=D(2025, 4, 12)
        )
    assert enforcement_counts() == before
