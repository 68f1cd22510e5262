"""Certificates (行政执法证): issue, review, revocation, validity, team coverage."""

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhenjie.accounts.models import User
from zhenjie.conftest import ENROL_DAY
from zhenjie.enforcement import selectors, services
from zhenjie.enforcement.models import Certificate
from zhenjie.personnel.models import PostAssignment
from zhenjie.personnel.services import post_end

D = dt.date


def _validity(certificate: Certificate, on: dt.date) -> Any:
    return Certificate.objects.with_validity(on).get(pk=certificate.pk)


def test_issue_sets_six_year_validity_and_three_year_review(certs: SimpleNamespace) -> None:
    assert certs.zhang.issued_on == ENROL_DAY
    assert certs.zhang.expires_on == D(2030, 3, 1)
    assert certs.zhang.first_review_due == D(2027, 3, 1)
    assert _validity(certs.zhang, D(2025, 1, 1)).is_valid is True


def test_validity_period_follows_settings(
    settings: Any, officers: SimpleNamespace, issue: Callable[..., Certificate]
) -> None:
    settings.ZHENJIE = {"ENFORCEMENT": {"CERTIFICATE_VALID_YEARS": 5}}
    certificate = issue(officers.zhang)
    assert certificate.expires_on == D(2029, 3, 1)


def test_issue_refused_for_someone_outside_enforcement(
    staffing_officer: User,
    register_person: Callable[..., Any],
    enforcement_counts: Callable[[], dict[str, int]],
) -> None:
    person = register_person("钱多")
    before = enforcement_counts()
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(
            actor=staffing_officer,
            holder=person,
            number="152202009999",
            issuer="阿尔山市人民政府",
            issued_on=ENROL_DAY,
        )
    assert exc.value.message_dict == {
        "holder": ["钱多在发证日期不在综合行政执法岗位上, 不能登记执法证"]
    }
    assert enforcement_counts() == before


def test_duplicate_number_refused(
    certs: SimpleNamespace,
    officers: SimpleNamespace,
    staffing_officer: User,
    enforcement_counts: Callable[[], dict[str, int]],
) -> None:
    before = enforcement_counts()
    with pytest.raises(ValidationError) as exc:
        services.certificate_issue(
            actor=staffing_officer,
            holder=officers.zhao,
            number=certs.zhang.number,
            issuer="阿尔山市人民政府",
            issued_on=ENROL_DAY,
        )
    assert exc.value.message_dict == {"number": [f"证件编号{certs.zhang.number}已登记"]}
    assert enforcement_counts() == before


def test_other_town_operator_cannot_issue(
    officers: SimpleNamespace,
    bailang_operator: User,
    enforcement_counts: Callable[[], dict[str, int]],
) -> None:
    before = enforcement_counts()
    with pytest.raises(PermissionDenied):
        services.certificate_issue(
            actor=bailang_operator,
            holder=officers.zhang,
            number="152202008888",
            issuer="阿尔山市人民政府",
            issued_on=ENROL_DAY,
        )
    assert enforcement_counts() == before


def test_expired_certificate_is_invalid(certs: SimpleNamespace) -> None:
    assert _validity(certs.zhang, D(2030, 2, 28)).is_in_force is True
    row = _validity(certs.zhang, D(2030, 3, 1))
    assert (row.is_in_force, row.is_valid) == (False, False)
    assert services.certificate_problems(row) == ["不在有效期内", "逾期未审验"]


def test_review_overdue_then_reviewed(certs: SimpleNamespace, tianchi_operator: User) -> None:
    # given: no review three years after issue
    late = _validity(certs.zhang, D(2027, 3, 2))
    assert (late.is_review_on_time, late.is_valid) == (False, False)
    assert services.certificate_problems(late) == ["逾期未审验"]
    # when: reviewed (before the due day; a review cannot be dated in the future)
    review = services.certificate_review_record(
        actor=tianchi_operator, certificate=certs.zhang, reviewed_on=D(2026, 3, 1)
    )
    # then: valid until three years after that review
    assert review.next_due == D(2029, 3, 1)
    assert _validity(certs.zhang, D(2027, 3, 2)).is_valid is True
    assert services.certificate_problems(_validity(certs.zhang, D(2029, 3, 2))) == ["逾期未审验"]


def test_review_in_the_future_refused(
    certs: SimpleNamespace,
    tianchi_operator: User,
    enforcement_counts: Callable[[], dict[str, int]],
) -> None:
    before = enforcement_counts()
    with pytest.raises(ValidationError) as exc:
        services.certificate_review_record(
            actor=tianchi_operator,
            certificate=certs.zhang,
            reviewed_on=dt.date.today() + dt.timedelta(days=1),
        )
    assert exc.value.message_dict == {"reviewed_on": ["审验日期不能晚于今天"]}
    assert enforcement_counts() == before


def test_review_period_follows_settings(
    settings: Any, officers: SimpleNamespace, issue: Callable[..., Certificate]
) -> None:
    settings.ZHENJIE = {"ENFORCEMENT": {"CERTIFICATE_REVIEW_YEARS": 1}}
    certificate = issue(officers.zhang)
    assert certificate.first_review_due == D(2025, 3, 1)
    assert _validity(certificate, D(2025, 3, 2)).is_valid is False


def test_failed_review_does_not_extend(
    settings: Any,
    officers: SimpleNamespace,
    issue: Callable[..., Certificate],
    tianchi_operator: User,
) -> None:
    # given: a one-year review cycle, so the first review falls due on 2025-03-01
    settings.ZHENJIE = {"ENFORCEMENT": {"CERTIFICATE_REVIEW_YEARS": 1}}
    certificate = issue(officers.zhang)
    services.certificate_review_record(
        actor=tianchi_operator,
        certificate=certificate,
        reviewed_on=D(2025, 2, 1),
        passed=False,
        notes="受到处分",
    )
    assert _validity(certificate, D(2025, 3, 2)).is_valid is False


def test_failed_review_needs_a_reason(
    certs: SimpleNamespace,
    tianchi_operator: User,
    enforcement_counts: Callable[[], dict[str, int]],
) -> None:
    before = enforcement_counts()
    with pytest.raises(ValidationError) as exc:
        services.certificate_review_record(
            actor=tianchi_operator, certificate=certs.zhang, reviewed_on=D(2025, 2, 1), passed=False
        )
    assert exc.value.message_dict == {"notes": ["审验不通过须写明原因"]}
    assert enforcement_counts() == before


def test_revoked_certificate_is_invalid_from_the_day(
    certs: SimpleNamespace, tianchi_operator: User
) -> None:
    services.certificate_revoke(
        actor=tianchi_operator, certificate=certs.zhang, revoked_on=D(2025, 6, 1), reason="调离"
    )
    assert _validity(certs.zhang, D(2025, 5, 31)).is_valid is True
    row = _validity(certs.zhang, D(2025, 6, 1))
    assert services.certificate_problems(row) == ["已注销"]


def test_revoke_twice_refused(certs: SimpleNamespace, tianchi_operator: User) -> None:
    services.certificate_revoke(
        actor=tianchi_operator, certificate=certs.zhang, revoked_on=D(2025, 6, 1), reason="调离"
    )
    with pytest.raises(ValidationError) as exc:
        services.certificate_revoke(
            actor=tianchi_operator, certificate=certs.zhang, revoked_on=D(2025, 7, 1), reason="x"
        )
    assert exc.value.message_dict == {"revoked_on": ["该证件已于2025-06-01注销"]}


def test_holder_who_left_enforcement_is_invalid_and_revoked(
    certs: SimpleNamespace,
    officers: SimpleNamespace,
    staffing_officer: User,
    tianchi_operator: User,
    bureaus: SimpleNamespace,
) -> None:
    # given: 张伟 leaves the bureau on 2025-05-01
    post = PostAssignment.objects.get(person=officers.zhang, end_date__isnull=True)
    post_end(actor=staffing_officer, post=post, end_date=D(2025, 5, 1))
    row = _validity(certs.zhang, D(2025, 5, 2))
    assert services.certificate_problems(row) == ["持证人已不在执法岗位"]
    # when: the bureau revokes the certificates of those who left
    revoked = services.certificates_revoke_departed(
        actor=tianchi_operator, bureau=bureaus.tianchi, on=D(2025, 5, 2)
    )
    # then: only 张伟's certificate is revoked
    assert [c.pk for c in revoked] == [certs.zhang.pk]
    certs.zhang.refresh_from_db()
    assert (certs.zhang.revoked_on, certs.zhang.revoke_reason) == (
        D(2025, 5, 2),
        "持证人离开执法岗位",
    )


def test_leader_cannot_revoke(
    certs: SimpleNamespace, leader: User, enforcement_counts: Callable[[], dict[str, int]]
) -> None:
    before = enforcement_counts()
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(
            actor=leader, certificate=certs.zhang, revoked_on=D(2025, 6, 1), reason="调离"
        )
    assert enforcement_counts() == before
    certs.zhang.refresh_from_db()
    assert certs.zhang.revoked_on is None


def test_team_under_two_valid_holders_is_short(
    certs: SimpleNamespace,
    officers: SimpleNamespace,
    tianchi_operator: User,
    bureaus: SimpleNamespace,
    staffing_officer: User,
) -> None:
    # given: team 一中队 with 张伟 and 王芳 (certified) and 赵敏 (no certificate)
    team = services.team_create(
        actor=tianchi_operator, bureau=bureaus.tianchi, name="一中队", established_on=ENROL_DAY
    )
    for person in (officers.zhang, officers.wang, officers.zhao):
        services.team_member_add(
            actor=tianchi_operator, team=team, person=person, joined_on=ENROL_DAY
        )
    on = D(2025, 6, 1)
    summary = next(
        s
        for s in selectors.bureau_summaries(user=staffing_officer, on=on)
        if s.bureau == bureaus.tianchi
    )
    assert (summary.teams[0].member_count, summary.teams[0].valid_count) == (3, 2)
    assert summary.short_teams == []
    assert (summary.officer_count, summary.certified_count, summary.coverage) == (4, 3, 75.0)
    # when: 王芳's certificate is revoked
    services.certificate_revoke(
        actor=tianchi_operator, certificate=certs.wang, revoked_on=D(2025, 5, 1), reason="调离"
    )
    summary = next(
        s
        for s in selectors.bureau_summaries(user=staffing_officer, on=on)
        if s.bureau == bureaus.tianchi
    )
    # then: the team has one valid holder and is shown as short
    assert [t.name for t in summary.short_teams] == ["一中队"]


def test_member_must_work_in_the_bureau(
    officers: SimpleNamespace,
    tianchi_operator: User,
    bureaus: SimpleNamespace,
    enforcement_counts: Callable[[], dict[str, int]],
) -> None:
    team = services.team_create(
        actor=tianchi_operator, bureau=bureaus.tianchi, name="一中队", established_on=ENROL_DAY
    )
    before = enforcement_counts()
    with pytest.raises(ValidationError) as exc:
        services.team_member_add(
            actor=tianchi_operator, team=team, person=officers.bai, joined_on=ENROL_DAY
        )
    assert exc.value.message_dict == {
        "person": ["白云在2024-03-01不在天池镇综合行政执法局工作岗位上"]
    }
    assert enforcement_counts() == before


def test_certificate_list_is_scoped(
    certs: SimpleNamespace, tianchi_operator: User, bailang_operator: User
) -> None:
    on = D(2025, 1, 1)
    assert {c.holder.name for c in selectors.certificate_list(user=tianchi_operator, on=on)} == {
        "张伟",
        "王芳",
        "李强",
    }
    assert [c.holder.name for c in selectors.certificate_list(user=bailang_operator, on=on)] == [
        "白云"
    ]
