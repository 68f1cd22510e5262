"""manage.py send_reminders [--date YYYY-MM-DD]: mail each active user their daily digest."""

import datetime as dt
from argparse import ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from zhenjie.reminders.digest import digest_send_all


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"日期格式应为YYYY-MM-DD: {value}") from None


class Command(BaseCommand):
    help = "发送每日待办提醒邮件: 每位有邮箱且有待办事项的启用用户一封"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=_date, help="提醒所依据的日期(YYYY-MM-DD), 默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"] or timezone.localdate()
        sent = digest_send_all(today=today)
        self.stdout.write(f"{today.isoformat()}: 已发送{sent}封待办提醒邮件")
