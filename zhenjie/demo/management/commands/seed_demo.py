"""Build the Arxan demo county (deterministic)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhenjie.demo.arxan import DEMO_ACCOUNTS, DEMO_PASSWORD, build_demo, demo_exists, describe


class Command(BaseCommand):
    help = "生成阿尔山市演示数据(4镇4街道、编制、实名制人员、演示账户)。已存在时跳过。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2019, help="随机种子(默认2019)")

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            self.stdout.write("演示数据已存在, 跳过。")
        else:
            try:
                demo = build_demo(options["seed"])
            except Exception as exc:  # report and leave nothing half built (build is atomic)
                raise CommandError(f"生成演示数据失败: {exc}") from exc
            self.stdout.write(self.style.SUCCESS(f"已生成演示数据: {describe(demo)}"))
        self.stdout.write(f"演示账户(密码均为 {DEMO_PASSWORD}):")
        for username, label in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {label}")
