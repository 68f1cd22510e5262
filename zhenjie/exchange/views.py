"""Pages: the registers, export with the page filters, template download, upload, the review of a
dry run (confirm) and the column mapping step. Long work runs as jobs; their page shows progress
and results."""

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhenjie.jobs.models import Job, JobStatus
from zhenjie.jobs.services import job_get, job_submit

from .forms import ExportForm, ImportUploadForm, MappingForm
from .handlers import COMMIT, DRY_RUN, EXPORT
from .registers import REGISTERS, Register, get_register
from .services import max_upload_bytes, size_label, template_build

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _register_or_404(name: str) -> Register:
    try:
        return get_register(name)
    except KeyError:
        raise Http404("没有这个登记簿") from None


def _ensure_may_import(request: HttpRequest, register: Register) -> None:
    if not register.may_import(request.user):
        raise PermissionDenied(register.import_refusal)


def _dry_run_or_404(request: HttpRequest, pk: int) -> Job:
    try:
        job = job_get(user=request.user, pk=pk)
    except Job.DoesNotExist:
        raise Http404("任务不存在") from None
    if job.kind != DRY_RUN:
        raise Http404("这不是导入检查任务")
    return job


def register_list_view(request: HttpRequest) -> HttpResponse:
    """The registers, each with export, template and import."""
    rows = [(r, r.may_import(request.user)) for r in REGISTERS.values()]
    return render(
        request,
        "exchange/register_list.html",
        {"rows": rows, "max_size": size_label(max_upload_bytes())},
    )


def register_export_view(request: HttpRequest, name: str) -> HttpResponse:
    """Export with the same filters as the register's page (GET), queued as a job (POST)."""
    register = _register_or_404(name)
    today = dt.date.today()
    filterset = None
    filter_names: list[str] = []
    if register.filterset_class is not None:
        filterset = register.filterset_class(
            request.GET or None, queryset=register.base_queryset(request.user, today)
        )
        filter_names = list(filterset.form.fields)
    form = ExportForm(request.POST or None, has_as_of=register.has_as_of, initial={"on": today})
    if request.method == "POST" and form.is_valid():
        filters: dict[str, Any] = {
            k: request.POST.get(k) for k in filter_names if request.POST.get(k)
        }
        on = form.as_of()
        job = job_submit(
            actor=request.user,
            kind=EXPORT,
            title=f"导出{register.label}",
            params={
                "register": register.name,
                "filters": filters,
                "format": form.cleaned_data["format"],
                "on": on.isoformat(),
            },
        )
        return redirect(job.get_absolute_url())
    current = {k: v for k, v in request.GET.items() if k in filter_names and v}
    count = register.export_queryset(request.user, current, today).count()
    return render(
        request,
        "exchange/register_export.html",
        {
            "register": register,
            "filter": filterset,
            "form": form,
            "filters": current,
            "count": count,
        },
    )


def register_template_view(request: HttpRequest, name: str) -> HttpResponse:
    """The empty import template (.xlsx) with column comments and drop-down lists."""
    register = _register_or_404(name)
    filename, data = template_build(register=register, user=request.user)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def register_import_view(request: HttpRequest, name: str) -> HttpResponse:
    """Upload a file; a dry run (job) lists every problem before anything is written."""
    register = _register_or_404(name)
    _ensure_may_import(request, register)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = job_submit(
            actor=request.user,
            kind=DRY_RUN,
            title=f"导入{register.label}(检查): {upload.name}",
            params={"register": register.name},
            input_name=upload.name,
            input_data=upload.read(),
        )
        return redirect(job.get_absolute_url())
    return render(
        request,
        "exchange/register_import.html",
        {"register": register, "form": form, "max_size": size_label(max_upload_bytes())},
        status=400 if form.errors else 200,
    )


def import_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcome of a dry run; when it found no problem the user confirms the import."""
    job = _dry_run_or_404(request, pk)
    register = _register_or_404(str(job.params.get("register", "")))
    if not job.is_finished:
        return redirect(job.get_absolute_url())
    result: dict[str, Any] = job.result or {}
    ready = (
        job.status == JobStatus.SUCCEEDED
        and not result.get("error_count")
        and not result.get("needs_mapping")
    )
    return render(
        request,
        "exchange/import_review.html",
        {"job": job, "register": register, "result": result, "ready": ready},
    )


@require_POST
def import_commit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm: the commit job checks the same file again and writes it all, or nothing."""
    job = _dry_run_or_404(request, pk)
    register = _register_or_404(str(job.params.get("register", "")))
    _ensure_may_import(request, register)
    result = job.result or {}
    if (
        job.status != JobStatus.SUCCEEDED
        or result.get("error_count")
        or result.get("needs_mapping")
    ):
        raise PermissionDenied("该文件检查未通过, 不能导入; 请修改后重新上传")
    data = Job.objects.filter(pk=job.pk).values_list("input_data", flat=True).get()
    commit = job_submit(
        actor=request.user,
        kind=COMMIT,
        title=f"导入{register.label}: {job.input_name}",
        params={"register": register.name, "mapping": job.params.get("mapping") or {}},
        input_name=job.input_name,
        input_data=bytes(data or b""),
    )
    return redirect(commit.get_absolute_url())


def import_mapping_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The mapping step: say which column of the file is which, then check again."""
    job = _dry_run_or_404(request, pk)
    register = _register_or_404(str(job.params.get("register", "")))
    _ensure_may_import(request, register)
    result = job.result or {}
    if job.status != JobStatus.SUCCEEDED or "headers" not in result:
        return redirect(job.get_absolute_url())
    form = MappingForm(
        request.POST or None,
        layout=register.layout,
        headers=result["headers"],
        mapping=result.get("mapping") or {},
    )
    if request.method == "POST" and form.is_valid():
        data = Job.objects.filter(pk=job.pk).values_list("input_data", flat=True).get()
        again = job_submit(
            actor=request.user,
            kind=DRY_RUN,
            title=f"导入{register.label}(检查): {job.input_name}",
            params={"register": register.name, "mapping": form.mapping()},
            input_name=job.input_name,
            input_data=bytes(data or b""),
        )
        return redirect(again.get_absolute_url())
    return render(
        request,
        "exchange/import_mapping.html",
        {"job": job, "register": register, "form": form, "result": result},
        status=400 if form.errors else 200,
    )
