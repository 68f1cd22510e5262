"""Who sees which request, whose inbox holds it, and the inbox's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhenjie.workflows.selectors import inbox, request_actions, request_list
from zhenjie.workflows.services import request_approve

from .factories import quota_payload, stage

pytestmark = pytest.mark.django_db


def titles(queryset):
    return [r.title for r in queryset]


def test_the_inbox_follows_the_request_from_stage_to_stage(
    submitted, staffing_officer, second_officer, leader, tianchi_operator, other_officer
):
    # given a request at stage 1: it waits for the county's staffing officers only
    assert titles(inbox(user=staffing_officer)) == ["天池镇核增行政编制2名"]
    assert titles(inbox(user=second_officer)) == ["天池镇核增行政编制2名"]
    assert titles(inbox(user=leader)) == []
    assert titles(inbox(user=tianchi_operator)) == []
    assert titles(inbox(user=other_officer)) == []

    # when one officer agrees
    request_approve(actor=staffing_officer, request=submitted, stage_id=stage(submitted, 1).pk)

    # then it leaves the officers' inboxes and waits for the leader
    assert titles(inbox(user=staffing_officer)) == []
    assert titles(inbox(user=second_officer)) == []
    assert titles(inbox(user=leader)) == ["天池镇核增行政编制2名"]

    # when the leader agrees, no inbox holds it any more
    request_approve(actor=leader, request=submitted, stage_id=stage(submitted, 2).pk)
    assert titles(inbox(user=leader)) == []


def test_the_inbox_leaves_out_drafts_and_ones_own_requests(
    org, qt, make_request, staffing_officer, second_officer
):
    # given a draft of the town and a submitted request of one officer
    make_request(submit=False)
    make_request(actor=staffing_officer, payload=quota_payload(org.tianchi, qt.administrative, 1))

    # then that officer's inbox is empty and a colleague's holds the officer's request
    assert titles(inbox(user=staffing_officer)) == []
    assert titles(inbox(user=second_officer)) == ["天池镇核增行政编制1名"]


def test_requests_are_visible_to_their_requester_and_within_scope(
    make_request, tianchi_operator, bailang_operator, staffing_officer, leader, other_officer
):
    # given a draft and a submitted request of 天池镇
    draft = make_request(submit=False)
    sent = make_request()

    # then the requester sees both, the county sees the submitted one, others see none
    assert set(request_list(user=tianchi_operator)) == {draft, sent}
    assert list(request_list(user=staffing_officer)) == [sent]
    assert list(request_list(user=leader)) == [sent]
    assert list(request_list(user=bailang_operator)) == []
    assert list(request_list(user=other_officer)) == []


def test_request_actions_offer_each_user_only_what_they_may_do(
    make_request, tianchi_operator, staffing_officer, leader
):
    draft = make_request(submit=False)
    sent = make_request()

    assert request_actions(user=tianchi_operator, request=draft) == {"submit", "withdraw"}
    assert request_actions(user=tianchi_operator, request=sent) == {"withdraw"}
    assert request_actions(user=staffing_officer, request=sent) == {"approve", "reject"}
    assert request_actions(user=leader, request=sent) == set()


def test_the_inbox_query_count_does_not_grow_with_its_length(
    org, qt, make_request, staffing_officer
):
    # given one request in the inbox
    make_request()
    with CaptureQueriesContext(connection) as one:
        rows = [
            (r.title, r.unit.name, r.requester.username, r.current_stage.name)
            for r in inbox(user=staffing_officer)
        ]
    assert len(rows) == 1

    # when five more arrive
    for amount in range(1, 6):
        make_request(payload=quota_payload(org.tianchi, qt.administrative, amount))
    with CaptureQueriesContext(connection) as six:
        rows = [
            (r.title, r.unit.name, r.requester.username, r.current_stage.name)
            for r in inbox(user=staffing_officer)
        ]

    # then reading them with their units, requesters and stages costs the same single query
    assert len(rows) == 6
    assert (len(one), len(six)) == (1, 1)
