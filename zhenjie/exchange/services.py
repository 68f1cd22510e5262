"""Import, export and template runs: the same code behind the job handlers, pages and command."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from .registers import ImportOutcome, ImportRefused, Register
from .registers.base import ProgressFn
from .tabular import Problem, Table, TableError, write_csv, write_template, write_xlsx

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
FORMATS = {"xlsx": "Excel(.xlsx)", "csv": "CSV(UTF-8)"}


def max_upload_bytes() -> int:
    """The largest file an import accepts (settings.ZHENJIE["IMPORT_MAX_BYTES"], 50 MB)."""
    limit: Any = settings.ZHENJIE.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
    return int(limit)


def size_label(size: int) -> str:
    """50 MB, 1.5 MB, 300 KB, 12 字节."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def check_upload(data: bytes) -> None:
    """Refuse an empty file or one over the size limit before reading it."""
    if not data:
        raise TableError("文件是空的, 没有任何内容")
    limit = max_upload_bytes()
    if len(data) > limit:
        raise TableError(
            f"文件大小{size_label(len(data))}超过上限{size_label(limit)}, 请分成几个文件导入"
        )


def _summary(register: Register, outcome: ImportOutcome, commit: bool) -> str:
    counts = (
        f"共{outcome.rows}行: 新增{outcome.created}条, 更新{outcome.updated}条, "
        f"无变化{outcome.unchanged}条"
    )
    if "enrolments" in outcome.details:
        counts += (
            f"; 其中入编{outcome.details['enrolments']}人, 安排岗位{outcome.details['posts']}人"
        )
    if outcome.problem_count:
        shown = (
            ""
            if outcome.problem_count == len(outcome.problems)
            else f"(列出前{len(outcome.problems)}处)"
        )
        return (
            f"{counts}。发现{outcome.problem_count}处问题{shown}, 未写入任何数据; "
            "请修改文件后重新上传。"
        )
    if commit:
        return f"导入完成。{counts}。"
    return f"检查通过, 尚未写入任何数据。{counts}。请确认导入。"


def import_run(
    *,
    register: Register,
    actor: Any,
    data: bytes,
    mapping: Mapping[str, int] | None,
    commit: bool,
    progress: ProgressFn,
) -> dict[str, Any]:
    """Check a file against a register (a dry run) or check and write it (commit).

    The result is what the job page shows: a summary, every problem as (row, column, message),
    and for the mapping step the file's headers and how they were matched. A commit writes all
    rows in one transaction, or nothing when any row has a problem.
    """
    if not register.may_import(actor):
        raise ImportRefused(register.import_refusal)
    check_upload(data)
    table = Table(data, register.layout, mapping)
    header = table.header
    result: dict[str, Any] = {
        "register": register.name,
        "mode": "commit" if commit else "dry_run",
        "sheet": table.sheet_name,
        "header_row": header.row,
        "headers": header.headers,
        "mapping": header.mapping,
        "ignored_columns": header.ignored,
        "needs_mapping": bool(header.missing),
    }
    if header.missing:
        names = "、".join(f"“{c.header}”" for c in header.missing)
        problems = [
            Problem(header.row, c.header, f"表头中找不到必填列“{c.header}”, 请指定它对应的列")
            for c in header.missing
        ]
        return {
            **result,
            "summary": f"表头中缺少必填列{names}, 请指定各列的对应关系后重新检查。未写入任何数据。",
            "errors": [p.as_dict() for p in problems],
            "error_count": len(problems),
            "counts": {},
        }
    outcome = register.run_import(actor=actor, table=table, commit=commit, progress=progress)
    if outcome.rows == 0:
        outcome.add(Problem(header.row + 1, "", "表头下面没有数据行"))
    return {
        **result,
        "summary": _summary(register, outcome, commit),
        "errors": [p.as_dict() for p in outcome.problems],
        "error_count": outcome.problem_count,
        "warnings": outcome.warnings[:200],
        "counts": {
            "rows": outcome.rows,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            **outcome.details,
        },
        "written": commit and outcome.problem_count == 0,
    }


def export_run(
    *,
    register: Register,
    actor: Any,
    filters: Mapping[str, Any],
    on: dt.date,
    fmt: str,
    progress: ProgressFn,
) -> tuple[str, bytes, int]:
    """The register as the user sees it (scope and page filters) in .xlsx or CSV."""
    total, rows = register.export_rows(actor, filters, on, progress)
    progress(0, total, "导出")
    columns = register.layout.columns
    if fmt == "csv":
        data = write_csv(columns, rows)
    else:
        when = (
            f"截至{on.year}年{on.month}月{on.day}日"
            if register.has_as_of
            else f"导出于{dt.date.today():%Y-%m-%d}"
        )
        data = write_xlsx(
            columns,
            rows,
            sheet_title=register.label,
            title=f"{register.label}({when}, 共{total}条)",
        )
        fmt = "xlsx"
    return f"{register.label}_{on:%Y%m%d}.{fmt}", data, total


def template_build(*, register: Register, user: Any) -> tuple[str, bytes]:
    """An empty .xlsx template with a comment per column and drop-down lists."""
    data = write_template(register.layout, options=register.template_options(user))
    return f"{register.label}导入模板.xlsx", data
