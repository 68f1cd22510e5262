"""Job pages: my jobs, one job with an HTMX-polled progress bar, and its result file."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Job
from .services import job_get, job_list, job_sweep_interrupted


def _job_or_404(request: HttpRequest, pk: int) -> Job:
    job_sweep_interrupted(user=request.user)
    try:
        return job_get(user=request.user, pk=pk)
    except Job.DoesNotExist:
        raise Http404("任务不存在") from None


def job_list_view(request: HttpRequest) -> HttpResponse:
    job_sweep_interrupted(user=request.user)
    return render(request, "jobs/job_list.html", {"jobs": job_list(user=request.user)[:100]})


def job_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/job_detail.html", {"job": _job_or_404(request, pk)})


def job_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment; it keeps polling itself until the job is finished."""
    return render(request, "jobs/_job_progress.html", {"job": _job_or_404(request, pk)})


def job_download_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = (
        Job.objects.filter(pk=_job_or_404(request, pk).pk).only("output_name", "output_data").get()
    )
    if not job.output_data:
        raise Http404("该任务没有结果文件")
    response = HttpResponse(bytes(job.output_data), content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(job.output_name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
