"""The real-name register via the API: people, enrolments (入编/出编) and posts."""

import datetime as dt

import pytest

from zhenjie.conftest import ENROL_DAY, resident_id
from zhenjie.personnel.models import Enrolment, Person, PostAssignment

from .helpers import changed, column, results


def person_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "那日苏",
        "id_number": resident_id(dt.date(1995, 3, 1), 11),
        "ethnicity": "蒙古族",
        "education": "bachelor",
        "political_status": "cpc",
        "phone": "13904821234",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ people


def test_person_list_shows_masked_numbers(api, registers, staffing_officer):
    # when the staffing office lists people
    response = api(staffing_officer).get("/api/v1/persons/")

    # then both towns' people are there, ID and phone numbers masked
    assert [
        (row["name"], row["id_number_masked"], row["phone_masked"]) for row in results(response)
    ] == [
        ("其其格", f"152202********{registers.tianchi_person.id_number[-4:]}", "139****1234"),
        ("巴特尔", f"152202********{registers.bailang_person.id_number[-4:]}", "139****1234"),
    ]


def test_person_is_found_by_exact_id_number(api, registers, staffing_officer):
    # when the list is searched by 巴特尔's full ID number
    response = api(staffing_officer).get(
        "/api/v1/persons/", {"q": registers.bailang_person.id_number}
    )

    # then he is found (the number is asked for, never shown)
    assert column(response, "name") == ["巴特尔"]
    assert registers.bailang_person.id_number not in response.content.decode()


def test_person_is_retrieved_without_the_full_id_number(api, registers, staffing_officer):
    # when 其其格 is fetched
    person = registers.tianchi_person
    response = api(staffing_officer).get(f"/api/v1/persons/{person.pk}/")

    # then her details are shown with the numbers masked
    body = response.json()
    assert {k: v for k, v in body.items() if k not in ("created_at", "updated_at")} == {
        "id": person.pk,
        "name": "其其格",
        "id_number_masked": person.masked_id_number,
        "gender": "F",
        "birth_date": "1998-05-20",
        "ethnicity": "",
        "education": "bachelor",
        "major": "",
        "political_status": "cpc",
        "phone_masked": "139****1234",
        "notes": "",
    }
    assert person.id_number not in response.content.decode()


def test_operator_registers_a_person(api, org, tianchi_operator):
    # when the 天池镇 operator registers 那日苏
    data = person_data()
    response = api(tianchi_operator).post("/api/v1/persons/", data, format="json")

    # then the person is saved with gender and birth date from the ID number, shown masked
    assert response.status_code == 201
    person = Person.objects.get(name="那日苏")
    assert (person.id_number, person.gender, person.birth_date) == (
        data["id_number"],
        "M",
        dt.date(1995, 3, 1),
    )
    assert response.json()["id_number_masked"] == person.masked_id_number
    assert data["id_number"] not in response.content.decode()
    assert person.history.get().history_user == tianchi_operator


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("15220219950301011", "身份证号码应为18位"),
        (resident_id(dt.date(1995, 3, 1), 11)[:17] + "0", "身份证号码校验位错误"),
        (resident_id("19950230", 11), "身份证号码中的出生日期无效"),
        # a superscript digit is a digit to str.isdigit(), and crashed the validator
        ("1522021995030101²", "身份证号码格式错误"),
    ],
    ids=["length", "check-digit", "birth-date", "superscript-digit"],
)
def test_invalid_id_number_is_refused_and_nothing_is_saved(
    api, org, tianchi_operator, row_counts, id_number, message
):
    # given the tables as they are
    before = row_counts()

    # when a person is registered with an invalid ID number
    response = api(tianchi_operator).post(
        "/api/v1/persons/", person_data(id_number=id_number), format="json"
    )

    # then the exact reason comes back on the field, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"id_number": [message]}
    assert changed(before, row_counts()) == {}


def test_second_registration_names_the_number_only_masked(
    api, registers, staffing_officer, row_counts
):
    # given 巴特尔 is registered
    person = registers.bailang_person
    before = row_counts()

    # when his ID number is registered again
    response = api(staffing_officer).post(
        "/api/v1/persons/", person_data(id_number=person.id_number), format="json"
    )

    # then the refusal shows the number masked, and nothing was written
    assert response.status_code == 400
    assert response.json() == {
        "id_number": [f"身份证号码{person.masked_id_number}已登记(巴特尔), 不能重复登记"]
    }
    assert person.id_number not in response.content.decode()
    assert changed(before, row_counts()) == {}


def test_operator_corrects_a_persons_id_number(api, registers, tianchi_operator):
    # when 其其格's ID number is corrected to one of a woman born in 1997
    person = registers.tianchi_person
    corrected = resident_id(dt.date(1997, 7, 7), 3, female=True)
    response = api(tianchi_operator).patch(
        f"/api/v1/persons/{person.pk}/", {"id_number": corrected}, format="json"
    )

    # then the number is saved and the birth date follows it; only the masked form is shown
    assert response.status_code == 200
    assert (response.json()["birth_date"], response.json()["name"]) == ("1997-07-07", "其其格")
    person.refresh_from_db()
    assert person.id_number == corrected
    assert corrected not in response.content.decode()


def test_invalid_phone_is_refused_and_nothing_is_saved(
    api, registers, tianchi_operator, row_counts
):
    # given the tables as they are
    before = row_counts()

    # when 其其格's phone is set to letters
    response = api(tianchi_operator).patch(
        f"/api/v1/persons/{registers.tianchi_person.pk}/", {"phone": "call-me"}, format="json"
    )

    # then the service's message comes back on the field, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"phone": ["联系电话应为7-12位数字"]}
    assert changed(before, row_counts()) == {}


def test_leader_may_not_register_a_person(api, org, leader, row_counts):
    # given the tables as they are
    before = row_counts()

    # when the read-only leader registers someone
    response = api(leader).post("/api/v1/persons/", person_data(), format="json")

    # then it is forbidden with the service's reason, and nothing was written
    assert response.status_code == 403
    assert response.json() == {"detail": "您的角色不能登记人员"}
    assert changed(before, row_counts()) == {}


# ------------------------------------------------------------------ enrolments


def test_enrolments_filter_by_person_and_state(api, registers, staffing_officer):
    # when the open enrolments of 巴特尔 are asked for
    person = registers.bailang_person
    response = api(staffing_officer).get(
        "/api/v1/enrolments/", {"person": person.pk, "is_open": "true"}
    )

    # then his one enrolment on 白狼镇's administrative quota comes back
    assert [
        (row["person"]["name"], row["unit"]["name"], row["quota_type"]["code"], row["end_date"])
        for row in results(response)
    ] == [("巴特尔", "白狼镇", "administrative", None)]


def test_operator_enrols_a_person(api, org, qt, tianchi_operator, grant_quota):
    # given 天池镇 holds 10 administrative places and 那日苏 is registered
    grant_quota(org.tianchi, qt.administrative, 10)
    person = api(tianchi_operator).post("/api/v1/persons/", person_data(), format="json").json()

    # when she is enrolled there
    response = api(tianchi_operator).post(
        "/api/v1/enrolments/",
        {
            "person": person["id"],
            "unit": org.tianchi.pk,
            "quota_type": qt.administrative.pk,
            "channel": "civil_service_exam",
            "start_date": "2025-09-01",
            "doc_no": "阿人社发〔2025〕12号",
        },
        format="json",
    )

    # then the enrolment is saved, with no warning
    assert response.status_code == 201
    assert (response.json()["unit"]["name"], response.json()["warnings"]) == ("天池镇", [])
    enrolment = Enrolment.objects.get(person_id=person["id"])
    assert (enrolment.start_date, enrolment.end_date) == (dt.date(2025, 9, 1), None)


def test_enrolment_over_quota_is_refused_and_nothing_is_saved(
    api, org, qt, tianchi_operator, grant_quota, register_person, enrol, row_counts
):
    # given 天池镇's only administrative place is taken, and the operator registered 那日苏
    grant_quota(org.tianchi, qt.administrative, 1)
    enrol(register_person("其其格", female=True), org.tianchi, qt.administrative)
    client = api(tianchi_operator)
    person = client.post("/api/v1/persons/", person_data(), format="json").json()
    before = row_counts()

    # when she is enrolled there too
    response = client.post(
        "/api/v1/enrolments/",
        {
            "person": person["id"],
            "unit": org.tianchi.pk,
            "quota_type": qt.administrative.pk,
            "channel": "civil_service_exam",
            "start_date": "2025-09-01",
        },
        format="json",
    )

    # then the service refuses on the quota type, and nothing was written
    assert response.status_code == 400
    assert response.json() == {
        "quota_type": [
            "天池镇的行政编制核定1名, 已有1人在编, 无空编可用"
            "(国务院令第486号第6条: 实有人员不得突破规定的编制)"
        ]
    }
    assert changed(before, row_counts()) == {}


def test_operator_records_an_exit(api, registers, tianchi_operator):
    # when 其其格 retires
    enrolment = Enrolment.objects.get(person=registers.tianchi_person)
    response = api(tianchi_operator).post(
        f"/api/v1/enrolments/{enrolment.pk}/exit/",
        {"end_date": "2025-12-31", "reason": "retirement", "doc_no": "阿人社发〔2025〕30号"},
        format="json",
    )

    # then the enrolment ends that day, and so does her post
    assert response.status_code == 200
    assert (response.json()["end_date"], response.json()["exit_reason"]) == (
        "2025-12-31",
        "retirement",
    )
    post = PostAssignment.objects.get(person=registers.tianchi_person)
    assert post.end_date == dt.date(2025, 12, 31)


def test_exit_before_entry_is_refused_and_nothing_is_saved(
    api, registers, tianchi_operator, row_counts
):
    # given the tables as they are
    enrolment = Enrolment.objects.get(person=registers.tianchi_person)
    before = row_counts()

    # when an exit is dated before the enrolment began
    response = api(tianchi_operator).post(
        f"/api/v1/enrolments/{enrolment.pk}/exit/",
        {"end_date": "2020-01-01", "reason": "resignation"},
        format="json",
    )

    # then the service refuses on the date, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"end_date": [f"出编日期不能早于入编日期{ENROL_DAY}"]}
    assert changed(before, row_counts()) == {}


def test_exit_by_transfer_is_not_chosen_by_hand(api, registers, tianchi_operator, row_counts):
    # given the tables as they are
    enrolment = Enrolment.objects.get(person=registers.tianchi_person)
    before = row_counts()

    # when 编制划转 is given as the reason of a plain exit
    response = api(tianchi_operator).post(
        f"/api/v1/enrolments/{enrolment.pk}/exit/",
        {"end_date": "2025-12-31", "reason": "quota_transfer"},
        format="json",
    )

    # then it is not offered (transfers record it themselves), and nothing was written
    assert response.status_code == 400
    assert response.json() == {"reason": ["“quota_transfer” 不是合法选项。"]}
    assert changed(before, row_counts()) == {}


# ------------------------------------------------------------------ posts


def test_operator_adds_and_ends_a_concurrent_post(api, org, registers, tianchi_operator):
    # when 其其格 also serves in 天池镇's center, and later that post ends
    client = api(tianchi_operator)
    created = client.post(
        "/api/v1/posts/",
        {
            "person": registers.tianchi_person.pk,
            "unit": org.tianchi_center.pk,
            "title": "兼职统计员",
            "kind": "concurrent",
            "start_date": "2025-01-01",
        },
        format="json",
    )
    ended = client.post(
        f"/api/v1/posts/{created.json()['id']}/end/", {"end_date": "2025-06-30"}, format="json"
    )

    # then the concurrent post was added beside her main post, then ended
    assert created.status_code == 201
    assert (created.json()["kind"], created.json()["leadership_level"]) == ("concurrent", "")
    assert ended.status_code == 200
    assert ended.json()["end_date"] == "2025-06-30"
    assert (
        PostAssignment.objects.filter(person=registers.tianchi_person, end_date=None).count() == 1
    )


def test_leadership_post_needs_a_level(api, org, registers, tianchi_operator, row_counts):
    # given the tables as they are
    before = row_counts()

    # when 其其格 is made a leadership member without a level
    response = api(tianchi_operator).post(
        "/api/v1/posts/",
        {
            "person": registers.tianchi_person.pk,
            "unit": org.tianchi.pk,
            "title": "副镇长",
            "kind": "concurrent",
            "is_leadership": True,
            "start_date": "2025-01-01",
        },
        format="json",
    )

    # then the service refuses on the level, and nothing was written
    assert response.status_code == 400
    assert response.json() == {"leadership_level": ["班子成员须选择领导职级"]}
    assert changed(before, row_counts()) == {}


def test_posts_filter_by_unit(api, org, registers, staffing_officer):
    # when the posts in 白狼镇's office are asked for
    response = api(staffing_officer).get("/api/v1/posts/", {"unit": registers.bailang_office.pk})

    # then 巴特尔's main post is the one
    assert [(row["person"]["name"], row["title"], row["kind"]) for row in results(response)] == [
        ("巴特尔", "科员", "main")
    ]


# ------------------------------------------------------------------ jobs


def test_jobs_are_the_users_own(api, registers, tianchi_operator, bailang_operator):
    # when the 天池镇 operator lists jobs, and opens the 白狼镇 operator's job
    client = api(tianchi_operator)
    own = client.get("/api/v1/jobs/")
    other = bailang_operator.jobs.get()

    # then only their own job is listed; the other is not found
    assert [(row["title"], row["status"], row["percent"]) for row in results(own)] == [
        ("导出花名册", "succeeded", 100)
    ]
    assert client.get(f"/api/v1/jobs/{other.pk}/").status_code == 404
