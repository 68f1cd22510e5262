"""Background job kinds of the exchange: import check (dry run), import (commit) and export.

Registered with the jobs registry when the app is ready (ExchangeConfig.ready).
"""

import datetime as dt
from typing import Any

from django.urls import reverse

from zhenjie.jobs import registry
from zhenjie.jobs.models import Job
from zhenjie.jobs.registry import JobError, Progress

from .registers import ImportRefused, Register, get_register
from .services import export_run, import_run
from .tabular import TableError

DRY_RUN = "exchange_dry_run"
COMMIT = "exchange_commit"
EXPORT = "exchange_export"


def _register(job: Job) -> Register:
    try:
        return get_register(str(job.params.get("register", "")))
    except KeyError:
        raise JobError("未知的登记簿") from None


def _import(job: Job, progress: Progress, *, commit: bool) -> dict[str, Any]:
    register = _register(job)
    try:
        result = import_run(
            register=register,
            actor=job.created_by,
            data=bytes(job.input_data or b""),
            mapping=job.params.get("mapping") or None,
            commit=commit,
            progress=progress,
        )
    except (TableError, ImportRefused) as exc:
        raise JobError(str(exc)) from None
    if not commit:
        result["next_url"] = reverse("exchange:import_review", args=[job.pk])
    elif result.get("written"):
        result["next_url"] = reverse(register.list_url_name)
    else:
        result["next_url"] = reverse("exchange:register_import", args=[register.name])
    return result


@registry.register(DRY_RUN, "导入检查")
def import_check_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Dry run: list every problem of the file; nothing is written."""
    return _import(job, progress, commit=False)


@registry.register(COMMIT, "导入")
def import_commit_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Commit: check again and write all rows in one transaction, or nothing."""
    return _import(job, progress, commit=True)


@registry.register(EXPORT, "导出")
def export_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Export a register (scope and filters of its page) to .xlsx or CSV."""
    register = _register(job)
    try:
        on = dt.date.fromisoformat(str(job.params.get("on") or dt.date.today().isoformat()))
    except ValueError:
        raise JobError("截至日期无效") from None
    name, data, total = export_run(
        register=register,
        actor=job.created_by,
        filters=job.params.get("filters") or {},
        on=on,
        fmt=str(job.params.get("format", "xlsx")),
        progress=progress,
    )
    job.output_name, job.output_data = name, data
    return {"summary": f"已导出{register.label}{total}条", "count": total}
