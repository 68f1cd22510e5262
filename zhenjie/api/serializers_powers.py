"""Serializers of delegated powers (赋权事项): the catalog, acceptance, resources, guidance, usage.

As in ``serializers``: ``<Model>Serializer`` renders, the input serializers' validated data are
the keyword arguments of one ``zhenjie.powers.services`` function, and the read-only reports
render the rows of ``acceptance_matrix`` and ``follow_through`` as the selectors built them.
"""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhenjie.powers.choices import AcceptanceStatus, DelegationMode, Grantee, GuidanceKind
from zhenjie.powers.models import (
    Acceptance,
    DelegationBatch,
    Guidance,
    PowerCategory,
    PowerItem,
    PowerUsage,
    ResourcePledge,
)
from zhenjie.staffing.models import QuotaTransfer

from .filtersets import MAX_ID
from .serializers import (
    MAX_INT,
    CountyBaseUnitField,
    IdRelatedField,
    UnitBriefSerializer,
    VisibleUnitField,
    text,
)

# ResourcePledge's money columns: DecimalField(max_digits=14, decimal_places=2).
MONEY = {"max_digits": 14, "decimal_places": 2}


def batch_field(**kwargs: Any) -> IdRelatedField:
    return IdRelatedField(queryset=DelegationBatch.objects.all(), **kwargs)


def power_item_field(**kwargs: Any) -> IdRelatedField:
    """A power item of any batch: the catalog is public to every role."""
    return IdRelatedField(queryset=PowerItem.objects.all(), **kwargs)


# ------------------------------------------------------------------ brief (nested) forms


class PowerCategoryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PowerCategory
        fields = ["id", "code", "name"]
        read_only_fields = fields


class DelegationBatchBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DelegationBatch
        fields = ["id", "name", "doc_no"]
        read_only_fields = fields


class PowerItemBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PowerItem
        fields = ["id", "code", "name"]
        read_only_fields = fields


# ------------------------------------------------------------------ the catalog


class PowerCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = PowerCategory
        fields = ["id", "code", "name", "sort_order"]
        read_only_fields = fields


class DelegationBatchSerializer(serializers.ModelSerializer):
    item_count = serializers.IntegerField(read_only=True, help_text="事项数")

    class Meta:
        model = DelegationBatch
        fields = [
            "id",
            "name",
            "issuer",
            "doc_no",
            "issued_on",
            "notes",
            "item_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class DelegationBatchCreateSerializer(serializers.Serializer):
    """登记赋权批次: the arguments of ``batch_create``."""

    name = serializers.CharField(max_length=200)
    issuer = serializers.CharField(max_length=100)
    # Blank reaches the service, which names what is missing.
    doc_no = serializers.CharField(max_length=100, allow_blank=True)
    issued_on = serializers.DateField()
    notes = text()


class PowerItemSerializer(serializers.ModelSerializer):
    batch = DelegationBatchBriefSerializer(read_only=True)
    category = PowerCategoryBriefSerializer(read_only=True)
    department = UnitBriefSerializer(read_only=True)

    class Meta:
        model = PowerItem
        fields = [
            "id",
            "batch",
            "code",
            "name",
            "category",
            "legal_basis",
            "department",
            "mode",
            "grantee",
            "responsibility_items",
            "accountability_cases",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PowerItemCreateSerializer(serializers.Serializer):
    """登记赋权事项: the arguments of ``power_item_create``."""

    batch = batch_field()
    code = serializers.CharField(max_length=50)
    name = serializers.CharField(max_length=200)
    category = IdRelatedField(queryset=PowerCategory.objects.all())
    legal_basis = serializers.CharField(allow_blank=True, help_text="设定依据")
    department = VisibleUnitField(help_text="原实施主体(县直部门)")
    mode = serializers.ChoiceField(choices=DelegationMode.choices)
    grantee = serializers.ChoiceField(choices=Grantee.choices)
    responsibility_items = text()
    accountability_cases = text()


# ------------------------------------------------------------------ acceptance


class AcceptanceSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    item = PowerItemBriefSerializer(read_only=True)
    responsible_unit = UnitBriefSerializer(read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="登记人的用户名"
    )

    class Meta:
        model = Acceptance
        fields = [
            "id",
            "unit",
            "item",
            "status",
            "reason",
            "responsible_unit",
            "effective_on",
            "decided_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AcceptanceCreateSerializer(serializers.Serializer):
    """登记承接情况: the arguments of ``acceptance_record``."""

    unit = VisibleUnitField(help_text="镇(街道)")
    item = power_item_field()
    status = serializers.ChoiceField(choices=AcceptanceStatus.choices)
    effective_on = serializers.DateField()
    reason = text(help_text="不承接或暂缓承接须书面说明理由")
    responsible_unit = VisibleUnitField(
        allow_null=True, default=None, help_text="承办机构(承接时必填)"
    )


# ------------------------------------------------------------------ resources and guidance


class ResourcePledgeSerializer(serializers.ModelSerializer):
    department = UnitBriefSerializer(read_only=True)
    batch = DelegationBatchBriefSerializer(read_only=True)

    class Meta:
        model = ResourcePledge
        fields = [
            "id",
            "department",
            "batch",
            "expected_quota",
            "expected_people",
            "expected_funds",
            "funds_transferred",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ResourcePledgeSetSerializer(serializers.Serializer):
    """登记资源下沉安排: the arguments of ``pledge_set`` (one per department and batch)."""

    department = VisibleUnitField(help_text="县直部门")
    batch = batch_field()
    expected_quota = serializers.IntegerField(min_value=0, max_value=MAX_INT)
    expected_people = serializers.IntegerField(min_value=0, max_value=MAX_INT)
    expected_funds = serializers.DecimalField(min_value=Decimal("0"), **MONEY)
    funds_transferred = serializers.DecimalField(
        min_value=Decimal("0"), default=Decimal("0"), **MONEY
    )
    notes = text()


class GuidanceSerializer(serializers.ModelSerializer):
    department = UnitBriefSerializer(read_only=True)
    item = PowerItemBriefSerializer(read_only=True, allow_null=True)
    units = UnitBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Guidance
        fields = [
            "id",
            "department",
            "item",
            "kind",
            "held_on",
            "units",
            "description",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class GuidanceCreateSerializer(serializers.Serializer):
    """登记赋权后指导: the arguments of ``guidance_record``."""

    department = VisibleUnitField(help_text="县直部门")
    kind = serializers.ChoiceField(choices=GuidanceKind.choices)
    held_on = serializers.DateField()
    description = serializers.CharField(allow_blank=True, help_text="内容")
    units = CountyBaseUnitField(many=True, default=list, help_text="参加的镇(街道)")
    item = power_item_field(allow_null=True, default=None, help_text="不填表示该部门全部事项")


# ------------------------------------------------------------------ usage


class PowerUsageSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    item = PowerItemBriefSerializer(read_only=True)

    class Meta:
        model = PowerUsage
        fields = [
            "id",
            "unit",
            "item",
            "period_start",
            "period_end",
            "count",
            "source",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PowerUsageCreateSerializer(serializers.Serializer):
    """登记行权次数: the arguments of ``usage_record``."""

    unit = VisibleUnitField(help_text="镇(街道)")
    item = power_item_field()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    count = serializers.IntegerField(min_value=0, max_value=MAX_INT)
    source = serializers.CharField(max_length=50, default="manual", help_text="manual=录入或导入")


# ------------------------------------------------------------------ reports


class BatchQuerySerializer(serializers.Serializer):
    """The batch a report is about (``?batch=``)."""

    batch = batch_field(help_text="赋权批次")


class MatrixQuerySerializer(BatchQuerySerializer):
    """``?batch=`` and the optional narrowing of the matrix's columns."""

    department = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="只列此原实施部门的事项"
    )
    category = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="只列此权力类别的事项"
    )


class MatrixCellSerializer(serializers.Serializer):
    item = serializers.IntegerField(read_only=True, help_text="事项 id")
    status = serializers.ChoiceField(choices=AcceptanceStatus.choices, read_only=True)


class MatrixRowSerializer(serializers.Serializer):
    """One visible town's or street's answers to the batch (``UnitAcceptance``)."""

    unit = UnitBriefSerializer(read_only=True)
    accepted = serializers.IntegerField(read_only=True)
    deferred = serializers.IntegerField(read_only=True)
    declined = serializers.IntegerField(read_only=True)
    batch_total = serializers.IntegerField(read_only=True, help_text="批次事项总数")
    rate = serializers.FloatField(read_only=True, help_text="承接率(%)")
    cells = serializers.SerializerMethodField(help_text="已登记的列(事项)及其承接情况")

    @extend_schema_field(MatrixCellSerializer(many=True))
    def get_cells(self, row: Any) -> list[dict[str, Any]]:
        cells = self.context["cells"]
        return [
            {"item": item.pk, "status": cells[(row.unit.pk, item.pk)]}
            for item in self.context["items"]
            if (row.unit.pk, item.pk) in cells
        ]


class AcceptanceMatrixSerializer(serializers.Serializer):
    """承接矩阵: rows of towns and streets, columns of items (``acceptance_matrix``)."""

    batch = DelegationBatchBriefSerializer(read_only=True)
    items = PowerItemBriefSerializer(many=True, read_only=True, help_text="列: 事项")
    rows = serializers.SerializerMethodField(help_text="行: 您权限范围内的镇(街道)")

    @extend_schema_field(MatrixRowSerializer(many=True))
    def get_rows(self, report: Any) -> Any:
        matrix = report["matrix"]
        context = {**self.context, "cells": matrix.cells, "items": matrix.items}
        return MatrixRowSerializer(matrix.summaries, many=True, context=context).data


class TransferBriefSerializer(serializers.ModelSerializer):
    from_unit = UnitBriefSerializer(read_only=True)
    to_unit = UnitBriefSerializer(read_only=True)

    class Meta:
        model = QuotaTransfer
        fields = ["id", "from_unit", "to_unit", "amount", "doc_no", "effective_on"]
        read_only_fields = fields


class FollowThroughRowSerializer(serializers.Serializer):
    """One delegating department (``FollowThrough``): what should have followed, what did."""

    department = UnitBriefSerializer(read_only=True)
    item_count = serializers.IntegerField(read_only=True)
    accepted_count = serializers.IntegerField(read_only=True)
    expected_quota = serializers.IntegerField(read_only=True)
    expected_people = serializers.IntegerField(read_only=True)
    expected_funds = serializers.DecimalField(read_only=True, **MONEY)
    quota_moved = serializers.IntegerField(read_only=True)
    people_moved = serializers.IntegerField(read_only=True)
    funds_transferred = serializers.DecimalField(read_only=True, **MONEY)
    guidance_count = serializers.IntegerField(read_only=True)
    followed = serializers.BooleanField(read_only=True, help_text="编制或人员已随事项下沉")
    transfers = TransferBriefSerializer(many=True, read_only=True)


class FollowThroughSerializer(serializers.Serializer):
    """编随事走、人随编走、费随事转 by delegating department (``follow_through``)."""

    batch = DelegationBatchBriefSerializer(read_only=True)
    rows = FollowThroughRowSerializer(many=True, read_only=True)
