"""The exchange pages: registers, export with filters, template, upload, review, mapping."""

import datetime as dt

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenjie.conftest import resident_id
from zhenjie.jobs.models import Job, JobStatus
from zhenjie.personnel.models import Enrolment, Person

from .sheets import PERSON_HEADER, person_row, read_xlsx, xlsx

pytestmark = pytest.mark.django_db

NUMBER = resident_id(dt.date(1998, 5, 20), 7)


def upload(client, register, data, name="人员.xlsx"):
    return client.post(f"/exchange/{register}/import/", {"file": SimpleUploadedFile(name, data)})


def latest_job() -> Job:
    return Job.objects.order_by("-pk").first()


def test_the_registers_page_offers_import_by_role(
    client, staffing_officer, tianchi_operator, leader
):
    # given users of three roles; when each opens the registers page
    def imports(user):
        client.force_login(user)
        html = client.get("/exchange/").content.decode()
        return [
            name
            for name in ("units", "persons", "movements", "docking", "leadership")
            if f"/exchange/{name}/import/" in html
        ]

    # then import is offered by role; export and the template to everyone
    assert imports(staffing_officer) == ["units", "persons", "movements", "docking", "leadership"]
    assert imports(tianchi_operator) == ["persons"]
    assert imports(leader) == []
    html = client.get("/exchange/").content.decode()
    assert "/exchange/persons/export/" in html and "/exchange/persons/template/" in html


def test_export_page_keeps_the_filter_and_queues_a_job(
    client, staffing_officer, org, qt, quota, register_person, enrol
):
    # given two people in two towns
    enrol(register_person("张三"), org.tianchi, qt.administrative)
    enrol(register_person("李四"), org.bailang, qt.administrative)
    client.force_login(staffing_officer)

    # when the export page is filtered by unit and the export is requested with that filter
    page = client.get("/exchange/persons/export/?unit=白狼")
    response = client.post(
        "/exchange/persons/export/", {"unit": "白狼", "format": "xlsx", "on": "2026-01-01"}
    )

    # then the page counted one person, and the job's file holds only that person
    assert page.context["count"] == 1
    assert 'name="unit" value="白狼"' in page.content.decode()
    job = latest_job()
    assert response.url == f"/jobs/{job.pk}/"
    assert (job.status, job.params["filters"], job.params["on"]) == (
        JobStatus.SUCCEEDED,
        {"unit": "白狼"},
        "2026-01-01",
    )
    assert job.output_name == "实名制人员_20260101.xlsx"
    assert [r[0] for r in read_xlsx(bytes(job.output_data or b""))[2:]] == ["李四"]
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200


def test_template_download(client, tianchi_operator, quota):
    # given a town operator
    client.force_login(tianchi_operator)

    # when the persons template is downloaded
    response = client.get("/exchange/persons/template/")

    # then it is an .xlsx with commented headers and the operator's units as the drop-down
    assert response.status_code == 200
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E5%AE%9E%E5%90%8D%E5%88%B6%E4%BA%BA%E5%91%98%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    import io

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, lists = workbook.worksheets
    assert sheet["B1"].value == "*身份证号码"
    assert sheet["B1"].comment.text.startswith("身份证号码(必填)\n格式: 文本")
    # the unit list offers the operator's own units only
    units = [r[2].value for r in lists.iter_rows(min_row=2) if r[2].value]
    assert units == ["天池镇", "天池镇党政综合办公室", "天池镇综合保障和技术推广中心"]


def test_upload_check_confirm_and_import(client, staffing_officer, quota, row_counts):
    # given the 编办 on the upload page
    client.force_login(staffing_officer)
    before = row_counts()

    # when a file is uploaded, then it is checked as a job and nothing is written yet
    response = upload(client, "persons", xlsx([PERSON_HEADER, person_row("张三", NUMBER)]))
    check = latest_job()
    assert response.url == f"/jobs/{check.pk}/"
    job_page = client.get(response.url).content.decode()
    assert "检查通过, 尚未写入任何数据" in job_page
    assert f'href="/exchange/imports/{check.pk}/"' in job_page
    assert row_counts() == before

    # and the review page offers to confirm
    review = client.get(f"/exchange/imports/{check.pk}/").content.decode()
    assert 'data-testid="confirm-import"' in review

    # when the user confirms, then the commit job writes the person
    response = client.post(f"/exchange/imports/{check.pk}/confirm/")
    commit = latest_job()
    assert response.url == f"/jobs/{commit.pk}/"
    assert commit.kind == "exchange_commit" and commit.status == JobStatus.SUCCEEDED
    assert bytes(commit.input_data or b"") == bytes(check.input_data or b"")
    assert Person.objects.get().name == "张三"
    assert Enrolment.objects.count() == 1
    assert "导入完成" in client.get(f"/jobs/{commit.pk}/").content.decode()


def test_a_file_with_problems_cannot_be_confirmed(client, staffing_officer, quota, row_counts):
    # given a checked file with a bad ID number
    client.force_login(staffing_officer)
    upload(client, "persons", xlsx([PERSON_HEADER, person_row("张三", NUMBER[:-1])]))
    check = latest_job()

    # then the review lists the problem and offers no confirmation
    review = client.get(f"/exchange/imports/{check.pk}/").content.decode()
    assert "身份证号码应为18位" in review
    assert "confirm-import" not in review

    # and a forged confirmation is refused without writing anything
    before = row_counts()
    assert client.post(f"/exchange/imports/{check.pk}/confirm/").status_code == 403
    assert row_counts() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("人员.pdf", b"%PDF-1.4", "只能导入 .xlsx、.xls、.ods 或 .csv 文件"),
        ("人员.xlsx", b"", "文件是空的, 没有任何内容"),
        ("人员.csv", b"x" * 2048, "文件大小2 KB超过上限1 KB, 请分成几个文件导入"),
    ],
)
def test_upload_refuses_bad_files_before_any_job(
    client, settings, staffing_officer, name, data, message
):
    # given an upload limit of 1 KB
    settings.ZHENJIE = {**settings.ZHENJIE, "IMPORT_MAX_BYTES": 1024}
    client.force_login(staffing_officer)

    # when a wrong, empty or too large file is uploaded
    response = upload(client, "persons", data, name)

    # then the form says why and no job is queued
    assert response.status_code == 400
    assert response.context["form"].errors == {"file": [message]}
    assert Job.objects.count() == 0


def test_junk_with_a_spreadsheet_name_fails_the_check_with_a_reason(
    client, staffing_officer, row_counts
):
    # given junk bytes named like a spreadsheet
    client.force_login(staffing_officer)
    before = row_counts()

    # when they are uploaded
    upload(client, "persons", b"PK\x03\x04" + bytes(range(1, 200)))

    # then the check fails with the reason, shown on the review page too; nothing changed
    job = latest_job()
    assert job.status == JobStatus.FAILED
    assert job.error == "文件已损坏, 无法打开; 请上传 .xlsx、.xls、.ods 或 .csv 文件"
    review = client.get(f"/exchange/imports/{job.pk}/").content.decode()
    assert "文件已损坏, 无法打开" in review
    assert row_counts() == before


def test_mapping_step_names_a_column_the_header_did_not(client, staffing_officer, quota):
    # given a sheet whose ID column is headed “证件” (not a known name)
    header = [*PERSON_HEADER]
    header[1] = "证件"
    client.force_login(staffing_officer)
    upload(client, "persons", xlsx([header, person_row("张三", NUMBER)]))
    check = latest_job()

    # then the check asks for the mapping instead of guessing
    assert check.result["needs_mapping"] is True
    assert check.result["errors"] == [
        {
            "row": 1,
            "column": "身份证号码",
            "message": "表头中找不到必填列“身份证号码”, 请指定它对应的列",
        }
    ]
    assert (
        'data-testid="mapping-link"'
        in client.get(f"/exchange/imports/{check.pk}/").content.decode()
    )
    page = client.get(f"/exchange/imports/{check.pk}/mapping/")
    assert page.context["form"]["id_number"].initial == "-1"
    assert page.context["form"]["name"].initial == "0"

    # when the user maps 身份证号码 to column B and checks again
    choices = {name: str(pos) for name, pos in check.result["mapping"].items()}
    response = client.post(
        f"/exchange/imports/{check.pk}/mapping/", {**_unmapped(), **choices, "id_number": "1"}
    )
    again = latest_job()

    # then the new check passes with that mapping
    assert response.url == f"/jobs/{again.pk}/"
    assert again.params["mapping"]["id_number"] == 1
    assert again.result["errors"] == [] and again.result["counts"]["created"] == 1


def _unmapped() -> dict[str, str]:
    from zhenjie.exchange.registers import get_register

    return {c.name: "-1" for c in get_register("persons").layout.columns}


def test_mapping_requires_the_required_columns(client, staffing_officer, quota):
    # given a checked file
    client.force_login(staffing_officer)
    upload(client, "persons", xlsx([PERSON_HEADER, person_row("张三", NUMBER)]))
    check = latest_job()

    # when one column is mapped twice, or a required one not at all, then the form refuses
    response = client.post(
        f"/exchange/imports/{check.pk}/mapping/", {**_unmapped(), "name": "0", "id_number": "0"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"id_number": ["该列已对应“姓名”, 一列只能对应一项"]}
    response = client.post(f"/exchange/imports/{check.pk}/mapping/", _unmapped())
    assert response.context["form"].errors["name"] == ["请选择“姓名”对应的列"]


def test_a_read_only_user_cannot_upload(client, leader, row_counts):
    # given a leader (read only)
    client.force_login(leader)
    before = row_counts()

    # when the leader opens the upload page or posts a file, then both are denied; nothing changed
    assert client.get("/exchange/persons/import/").status_code == 403
    response = upload(client, "persons", xlsx([PERSON_HEADER, person_row("张三", NUMBER)]))
    assert response.status_code == 403
    assert "您的角色不能登记人员" in response.content.decode()
    assert Job.objects.count() == 0
    assert row_counts() == before


def test_another_users_check_is_not_found(client, staffing_officer, tianchi_operator, quota):
    # given a check uploaded by the 编办
    client.force_login(staffing_officer)
    upload(client, "persons", xlsx([PERSON_HEADER, person_row("张三", NUMBER)]))
    check = latest_job()

    # when a town operator tries its review, mapping and confirmation, then none is found
    client.force_login(tianchi_operator)
    for url in (f"/exchange/imports/{check.pk}/", f"/exchange/imports/{check.pk}/mapping/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/exchange/imports/{check.pk}/confirm/").status_code == 404
    assert Person.objects.count() == 0


def test_unknown_register_is_not_found(client, staffing_officer):
    # when a register that does not exist is asked for, then the page is not found
    client.force_login(staffing_officer)
    assert client.get("/exchange/salaries/export/").status_code == 404
