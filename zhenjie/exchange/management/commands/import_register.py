"""manage.py import_register <register> <file> [--commit] [--user USERNAME]

Runs the same job as the import page (a dry run, or with --commit the import itself) and shows
its progress as a text bar on the terminal.
"""

import shutil
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenjie.exchange.handlers import COMMIT, DRY_RUN
from zhenjie.exchange.registers import REGISTERS
from zhenjie.exchange.services import max_upload_bytes, size_label
from zhenjie.jobs.models import Job, JobStatus
from zhenjie.jobs.services import job_execute

# Problems printed on the terminal; the job keeps the full list.
SHOWN = 50


def progress_bar(job: Job, width: int = 30) -> str:
    """[#########.....]  45%  45000/100000  校验"""
    if job.total:
        share = min(job.done / job.total, 1.0)
        filled = int(width * share)
        return (
            f"[{'#' * filled}{'.' * (width - filled)}] {share:4.0%}  "
            f"{job.done}/{job.total}  {job.stage}"
        )
    return f"[{'.' * width}]   …   {job.done}  {job.stage}"


class Command(BaseCommand):
    help = "导入登记簿文件(.xlsx/.xls/.ods/.csv): 默认只检查, 加 --commit 才写入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("register", choices=sorted(REGISTERS), help="登记簿")
        parser.add_argument("file", help="要导入的文件")
        parser.add_argument("--commit", action="store_true", help="检查通过后写入(默认只检查)")
        parser.add_argument(
            "--user", help="以此用户的身份和权限导入(默认: 第一个系统管理员)", default=""
        )

    def handle(self, *args: Any, **options: Any) -> None:
        register = REGISTERS[options["register"]]
        user = self._user(options["user"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}")
        if path.stat().st_size > max_upload_bytes():
            raise CommandError(
                f"文件大小{size_label(path.stat().st_size)}超过上限{size_label(max_upload_bytes())}"
            )
        commit = options["commit"]
        job = Job.objects.create(
            kind=COMMIT if commit else DRY_RUN,
            title=f"导入{register.label}{'' if commit else '(检查)'}: {path.name}",
            params={"register": register.name},
            input_name=path.name,
            input_data=path.read_bytes(),
            created_by=user,
        )
        interactive = sys.stderr.isatty()
        width = min(30, max(10, shutil.get_terminal_size().columns - 50))
        last = [""]

        def echo(current: Job) -> None:
            line = progress_bar(current, width)
            if line != last[0]:
                last[0] = line
                self.stderr.write(
                    ("\r" if interactive else "") + line, ending="" if interactive else "\n"
                )

        job = job_execute(job_id=job.pk, echo=echo)
        if interactive:
            self.stderr.write("")
        if job.status == JobStatus.FAILED:
            raise CommandError(job.error)
        result = job.result
        for problem in result.get("errors", [])[:SHOWN]:
            row = problem.get("row") or ""
            self.stdout.write(f"第{row}行\t{problem['column']}\t{problem['message']}")
        if result.get("error_count", 0) > SHOWN:
            self.stdout.write(f"……共{result['error_count']}处问题, 完整列表见任务 {job.pk}")
        for warning in result.get("warnings", []):
            self.stdout.write(f"提醒: {warning}")
        self.stdout.write(result.get("summary", ""))
        if result.get("error_count"):
            raise CommandError("文件有问题, 未写入任何数据")

    def _user(self, username: str) -> Any:
        users = get_user_model().objects
        if username:
            try:
                return users.get(username=username, is_active=True)
            except users.model.DoesNotExist:
                raise CommandError(f"没有用户 {username}") from None
        found = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if found is None:
            raise CommandError("请用 --user 指定导入人")
        return found
