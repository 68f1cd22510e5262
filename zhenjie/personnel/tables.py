"""Tables of the real-name register."""

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html_join

from .models import Person


class PersonTable(tables.Table):
    name = tables.Column(verbose_name="姓名", linkify=True, order_by=("name", "pk"))
    masked_id_number = tables.Column(verbose_name="身份证号码", orderable=False)
    gender = tables.Column(verbose_name="性别")
    birth_date = tables.DateColumn(
        verbose_name="出生日期", format="Y-m-d", order_by=("birth_date", "pk")
    )
    enrolment = tables.Column(
        verbose_name="编制所在机构 / 编制类型", empty_values=(), orderable=False
    )
    post = tables.Column(verbose_name="实际工作岗位", empty_values=(), orderable=False)

    class Meta:
        model = Person
        fields = ["name", "masked_id_number", "gender", "birth_date", "enrolment", "post"]
        order_by = ("name",)
        empty_text = "没有符合条件的人员"

    def render_enrolment(self, record: Any) -> str:
        rows = getattr(record, "current_enrolments", [])
        if not rows:
            return "不在编"
        return format_html_join("<br>", "{} / {}", ((e.unit.name, e.quota_type.name) for e in rows))

    def render_post(self, record: Any) -> str:
        rows = getattr(record, "current_posts", [])
        if not rows:
            return "—"
        return format_html_join(
            "<br>",
            "{} {}{}",
            ((p.unit.name, p.title, "(兼)" if p.kind == "concurrent" else "") for p in rows),
        )
