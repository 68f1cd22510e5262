"""Plain-row bulk inserts (zhenjie.core.bulk) against the ORM, on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from zhenjie.core.bulk import insert, insert_with_history
from zhenjie.personnel.choices import PostKind
from zhenjie.personnel.models import Person, PostAssignment

NOW = dt.datetime(2026, 3, 5, 9, 30, 15, 123456, tzinfo=dt.UTC)


def person_values(name, id_number, **extra):
    return {
        "name": name,
        "id_number": id_number,
        "gender": "男",
        "birth_date": dt.date(1990, 2, 28),
        "ethnicity": "蒙古族",
        "phone": "13800138000",
        **extra,
    }


def test_rows_get_keys_in_order_after_the_existing_ones(register_person, make_id_number):
    # given a person registered the ordinary way
    first = register_person("先到")

    # when two more are inserted as plain rows
    numbers = [make_id_number(), make_id_number()]
    keys = insert(
        Person, [person_values("甲", numbers[0]), person_values("乙", numbers[1])], now=NOW
    )

    # then they follow the existing key, in the given order, with the given values
    assert keys[0] > first.pk and keys[1] == keys[0] + 1
    people = Person.objects.in_bulk(keys)
    assert [people[k].name for k in keys] == ["甲", "乙"]
    assert [people[k].id_number for k in keys] == numbers
    assert people[keys[0]].birth_date == dt.date(1990, 2, 28)
    assert people[keys[0]].ethnicity == "蒙古族"


def test_missing_columns_take_defaults_and_timestamps_take_now(register_person, org):
    # given a person and a main post row that names neither the leadership flag nor the dates
    person = register_person("张三")

    # when the post is inserted
    (key,) = insert(
        PostAssignment,
        [
            {
                "person_id": person.pk,
                "unit_id": org.tianchi_office.pk,
                "title": "科员",
                "kind": PostKind.MAIN,
                "start_date": dt.date(2024, 1, 1),
            }
        ],
        now=NOW,
    )

    # then the model's defaults and the insert time are stored, as a save() would
    post = PostAssignment.objects.get(pk=key)
    assert post.is_leadership is False
    assert post.doc_no == ""
    assert post.end_date is None
    assert post.created_at == NOW
    assert post.updated_at == NOW


def test_the_database_sequence_moves_past_inserted_rows(make_id_number, register_person):
    # given rows inserted as plain rows
    keys = insert(Person, [person_values("甲", make_id_number())], now=NOW)

    # when a person is then registered the ordinary way
    later = register_person("后到")

    # then it gets a new key, not one of the inserted rows'
    assert later.pk > keys[-1]


def test_history_records_match_bulk_create_with_history(staffing_officer, make_id_number):
    # given the same person written by django-simple-history's bulk helper and by ours
    ours_id, theirs_id = make_id_number(), make_id_number()
    bulk_create_with_history(
        [Person(**person_values("同一人", theirs_id, created_by=staffing_officer))],
        Person,
        default_user=staffing_officer,
        default_change_reason="批量导入: 实名登记",
        default_date=NOW,
    )

    # when ours writes it
    (key,) = insert_with_history(
        Person,
        [person_values("同一人", ours_id, created_by_id=staffing_officer.pk)],
        actor=staffing_officer,
        reason="批量导入: 实名登记",
        now=NOW,
    )

    # then both history records say the same, apart from the keys and the ID number
    def record(id_number):
        values = Person.history.filter(id_number=id_number).values().get()
        return {k: v for k, v in values.items() if k not in {"id", "history_id", "id_number"}}

    assert record(ours_id) == record(theirs_id)
    assert Person.history.get(id_number=ours_id).id == key
    assert record(ours_id)["history_type"] == "+"
    assert record(ours_id)["history_user_id"] == staffing_officer.pk


def test_a_long_reason_is_cut_to_the_history_column(staffing_officer, make_id_number):
    insert_with_history(
        Person,
        [person_values("甲", make_id_number())],
        actor=staffing_officer,
        reason="很长的原因" * 30,
        now=NOW,
    )

    assert len(Person.history.get().history_change_reason) == 100


def test_a_failing_insert_leaves_nothing(register_person, staffing_officer):
    # given an existing person
    existing = register_person("已登记")
    before = (Person.objects.count(), Person.history.count())

    # when a batch repeats that person's ID number after a good row, inside a transaction
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_with_history(
            Person,
            [
                person_values("新人", "152202199001010015"),
                person_values("重复", existing.id_number),
            ],
            actor=staffing_officer,
            reason="批量导入",
            now=timezone.now(),
        )

    # then neither the good row nor any history record remains
    assert (Person.objects.count(), Person.history.count()) == before


def test_nothing_to_insert_sends_no_query(db):
    with CaptureQueriesContext(connection) as queries:
        assert insert(Person, [], now=NOW) == []
        assert insert_with_history(Person, [], actor=None, reason="", now=NOW) == []

    assert len(queries) == 0
