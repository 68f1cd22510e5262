"""Tables of the quota ledger."""

import django_tables2 as tables

from .models import QuotaMovement


class QuotaMovementTable(tables.Table):
    effective_on = tables.DateColumn(
        verbose_name="生效日期", format="Y-m-d", order_by=("effective_on", "pk")
    )
    unit = tables.Column(verbose_name="机构", linkify=True, order_by=("unit__name",))
    quota_type = tables.Column(verbose_name="编制类型", order_by=("quota_type__sort_order",))
    kind = tables.Column(verbose_name="变动类型")
    delta = tables.TemplateColumn("{{ value|stringformat:'+d' }}", verbose_name="变动数")
    doc_no = tables.Column(verbose_name="批准文号")
    summary = tables.Column(verbose_name="变动摘要")
    created_by = tables.Column(verbose_name="经办人", order_by=("created_by__username",))

    class Meta:
        model = QuotaMovement
        fields = [
            "effective_on",
            "unit",
            "quota_type",
            "kind",
            "delta",
            "doc_no",
            "summary",
            "created_by",
        ]
        order_by = ("-effective_on",)
        empty_text = "没有编制变动记录"
