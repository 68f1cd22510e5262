"""Tables of units."""

import django_tables2 as tables

from .models import Unit


class UnitTable(tables.Table):
    # Names repeat across towns; the id keeps pages stable.
    name = tables.Column(verbose_name="名称", linkify=True, order_by=("name", "pk"))
    kind = tables.Column(verbose_name="类别")
    parent = tables.Column(verbose_name="上级机构", linkify=True, order_by=("parent__name", "pk"))
    department = tables.Column(
        verbose_name="主管部门", linkify=True, order_by=("department__name", "pk")
    )
    established_on = tables.DateColumn(
        verbose_name="设立日期", format="Y-m-d", order_by=("established_on", "pk")
    )
    abolished_on = tables.DateColumn(verbose_name="撤销日期", format="Y-m-d")

    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "department", "established_on", "abolished_on"]
        order_by = ("name",)
        empty_text = "没有符合条件的机构"
