"""The annual assessment register (派出机构年度考核评分) in Excel/CSV: round trip, new scores
imported through the service, duplicates and other towns' agencies refused with nothing written."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from zhenjie.agencies.choices import AssessmentParty
from zhenjie.agencies.models import Assessment
from zhenjie.agencies.services import assessment_record
from zhenjie.exchange.handlers import COMMIT, DRY_RUN, EXPORT
from zhenjie.jobs.models import JobStatus
from zhenjie.jobs.services import job_submit

HEADER = "派出机构,考核年度,评分方,评分,评分日期,评价意见\n"


def export(user, fmt="csv"):
    job = job_submit(
        actor=user,
        kind=EXPORT,
        title="导出",
        params={"register": "agency_assessments", "format": fmt, "filters": {}},
    )
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    return job


def run_import(user, data, *, commit=False, name="x.csv"):
    job = job_submit(
        actor=user,
        kind=COMMIT if commit else DRY_RUN,
        title="导入",
        params={"register": "agency_assessments", "mapping": {}},
        input_name=name,
        input_data=data,
    )
    job.refresh_from_db()
    return job


def rows(job):
    return list(csv.reader(io.StringIO(bytes(job.output_data).decode("utf-8-sig"))))[1:]


def errors(job):
    return [(e["row"], e["column"], e["message"]) for e in job.result["errors"]]


@pytest.fixture
def scored(agencies, tianchi_operator, department_operator):
    for actor, party, value in (
        (tianchi_operator, AssessmentParty.TOWN, "90.5"),
        (department_operator, AssessmentParty.DEPARTMENT, "82"),
    ):
        assessment_record(
            actor=actor,
            agency=agencies.tianchi,
            year=2024,
            party=party,
            score=Decimal(value),
            scored_on=dt.date(2025, 1, 15),
            comment="良好",
        )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_export_then_import_changes_nothing(
    scored, staffing_officer, agency_counts, fmt
):
    # given the staffing office's export of both scores
    job = export(staffing_officer, fmt)
    assert job.result["count"] == 2
    before = agency_counts()

    # when it is imported again unchanged
    committed = run_import(staffing_officer, bytes(job.output_data), commit=True, name=f"x.{fmt}")

    # then both rows are recognised and nothing is written
    assert committed.result["errors"] == []
    assert committed.result["counts"]["unchanged"] == 2
    assert agency_counts() == before


def test_exported_values_are_those_of_the_database(scored, staffing_officer):
    assert rows(export(staffing_officer)) == [
        ["天池镇市场监督管理所", "2024", "主管部门", "82.0", "2025-01-15", "良好"],
        ["天池镇市场监督管理所", "2024", "镇(街道)", "90.5", "2025-01-15", "良好"],
    ]


def test_a_town_imports_a_new_score_for_its_agency(agencies, tianchi_operator):
    data = (HEADER + "天池镇市场监督管理所,2024,镇(街道),88.5,2025-01-20,\n").encode()
    job = run_import(tianchi_operator, data, commit=True)
    assert job.result["errors"] == []
    saved = Assessment.objects.get()
    assert (saved.party, saved.score, saved.scored_by) == (
        "town",
        Decimal("88.5"),
        tianchi_operator,
    )


def test_a_changed_score_is_refused_and_nothing_written(scored, tianchi_operator, agency_counts):
    before = agency_counts()
    data = (HEADER + "天池镇市场监督管理所,2024,镇(街道),95,2025-01-15,\n").encode()
    job = run_import(tianchi_operator, data, commit=True)
    assert errors(job) == [
        (
            2,
            "评分方",
            "天池镇市场监督管理所2024年度已有镇(街道)评分(90.5分), 每方每年只评一次, 导入不修改已有评分",
        )
    ]
    assert agency_counts() == before


def test_another_towns_agency_is_refused_and_nothing_written(
    agencies, bailang_operator, agency_counts
):
    before = agency_counts()
    data = (
        HEADER
        + "白狼镇市场监督管理所,2024,镇(街道),80,2025-01-15,\n"
        + "天池镇市场监督管理所,2024,镇(街道),60,2025-01-15,\n"
    ).encode()
    job = run_import(bailang_operator, data, commit=True)
    assert len(errors(job)) == 1
    assert errors(job)[0][0] == 3
    assert agency_counts() == before


def test_a_score_that_is_not_a_number_is_refused(agencies, tianchi_operator, agency_counts):
    before = agency_counts()
    data = (HEADER + "天池镇市场监督管理所,2024,镇(街道),优秀,2025-01-15,\n").encode()
    job = run_import(tianchi_operator, data, commit=True)
    assert errors(job) == [(2, "评分", "评分“优秀”不是数字")]
    assert agency_counts() == before
