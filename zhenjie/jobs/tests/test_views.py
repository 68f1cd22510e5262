"""Job pages: progress fragment, download, and other users' jobs hidden."""

from zhenjie.jobs.models import Job, JobStatus


def test_job_page_polls_while_running_and_stops_when_done(client, staffing_officer):
    # given a running and a finished job
    running = Job.objects.create(
        kind="x",
        title="导入人员",
        status=JobStatus.RUNNING,
        done=40,
        total=100,
        created_by=staffing_officer,
    )
    done = Job.objects.create(
        kind="x",
        title="导出",
        status=JobStatus.SUCCEEDED,
        created_by=staffing_officer,
        output_name="人员.xlsx",
        output_data=b"PK",
    )
    client.force_login(staffing_officer)

    # when their progress fragments are fetched
    running_html = client.get(f"/jobs/{running.pk}/progress/").content.decode()
    done_html = client.get(f"/jobs/{done.pk}/progress/").content.decode()

    # then the running one polls and shows 40%, the finished one offers its file and stops polling
    assert 'hx-trigger="every 1s"' in running_html
    assert "40 / 100" in running_html
    assert 'aria-valuenow="40"' in running_html
    assert "hx-trigger" not in done_html
    assert f"/jobs/{done.pk}/download/" in done_html


def test_download_returns_the_result_file(client, staffing_officer):
    job = Job.objects.create(
        kind="x",
        title="导出",
        status=JobStatus.SUCCEEDED,
        created_by=staffing_officer,
        output_name="人员.xlsx",
        output_data=b"PK-data",
    )
    client.force_login(staffing_officer)

    response = client.get(f"/jobs/{job.pk}/download/")

    assert response.status_code == 200
    assert response.content == b"PK-data"
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''%E4%BA%BA%E5%91%98.xlsx"


def test_another_users_job_is_not_found(client, staffing_officer, tianchi_operator):
    # given a job of the staffing office
    job = Job.objects.create(
        kind="x",
        title="导出天池镇人员名单",
        created_by=staffing_officer,
        output_name="a.xlsx",
        output_data=b"x",
    )
    client.force_login(tianchi_operator)

    # then a town operator can neither see it nor download it
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/progress/", f"/jobs/{job.pk}/download/"):
        assert client.get(url).status_code == 404
    assert "导出天池镇人员名单" not in client.get("/jobs/").content.decode()
