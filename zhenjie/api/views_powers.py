"""Viewsets of delegated powers (赋权事项), written through ``zhenjie.powers.services``.

The catalog (categories, batches, items) is public to every role, as on the pages; acceptances
and usages are those of the towns and streets in the user's scope; pledges and guidance those of
visible departments (guidance also where a visible town attended). The acceptance matrix and the
follow-through are read-only reports of ``zhenjie.powers.selectors``.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhenjie.powers import selectors as power_selectors
from zhenjie.powers import services as power_services
from zhenjie.powers.models import (
    Acceptance,
    DelegationBatch,
    Guidance,
    PowerCategory,
    PowerItem,
    PowerUsage,
    ResourcePledge,
)

from . import filtersets, selectors
from . import serializers_powers as s
from .views import RegisterViewSet


class PowerCategoryViewSet(RegisterViewSet):
    """权力类别 (read-only; configured in the admin)."""

    queryset = PowerCategory.objects.none()
    serializer_class = s.PowerCategorySerializer
    ordering_fields = ["sort_order", "code", "id"]
    ordering = ["sort_order", "code", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.power_category_list()


class DelegationBatchViewSet(RegisterViewSet):
    """赋权批次: the decisions delegating powers, registered by the staffing office."""

    queryset = DelegationBatch.objects.none()
    serializer_class = s.DelegationBatchSerializer
    input_serializers = {"create": s.DelegationBatchCreateSerializer}
    filterset_class = filtersets.DelegationBatchFilterSet
    ordering_fields = ["issued_on", "created_at", "id"]
    ordering = ["-issued_on", "-id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.delegation_batch_list()

    @extend_schema(
        summary="登记赋权批次",
        request=s.DelegationBatchCreateSerializer,
        responses={201: s.DelegationBatchSerializer},
    )
    def create(self, request: Request) -> Response:
        batch = power_services.batch_create(actor=request.user, **self.parse())
        return self.respond(batch, code=status.HTTP_201_CREATED)


class PowerItemViewSet(RegisterViewSet):
    """赋权事项 of every batch, with the batch's acceptance matrix and follow-through."""

    queryset = PowerItem.objects.none()
    serializer_class = s.PowerItemSerializer
    input_serializers = {"create": s.PowerItemCreateSerializer}
    filterset_class = filtersets.PowerItemFilterSet
    ordering_fields = ["code", "name", "created_at", "id"]
    ordering = ["batch", "code", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.power_item_list()

    @extend_schema(
        summary="登记赋权事项",
        request=s.PowerItemCreateSerializer,
        responses={201: s.PowerItemSerializer},
    )
    def create(self, request: Request) -> Response:
        item = power_services.power_item_create(actor=request.user, **self.parse())
        return self.respond(item, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="承接矩阵",
        parameters=[s.MatrixQuerySerializer],
        responses=s.AcceptanceMatrixSerializer,
    )
    @action(detail=False, filter_backends=[], pagination_class=None)
    def matrix(self, request: Request) -> Response:
        params = self.parse_query(s.MatrixQuerySerializer)
        matrix = power_selectors.acceptance_matrix(user=request.user, **params)
        report = {"batch": params["batch"], "items": matrix.items, "matrix": matrix}
        return Response(s.AcceptanceMatrixSerializer(report).data)

    @extend_schema(
        summary="编随事走、人随编走、费随事转",
        parameters=[s.BatchQuerySerializer],
        responses=s.FollowThroughSerializer,
    )
    @action(detail=False, url_path="follow-through", filter_backends=[], pagination_class=None)
    def follow_through(self, request: Request) -> Response:
        params = self.parse_query(s.BatchQuerySerializer)
        rows = power_selectors.follow_through(user=request.user, **params)
        return Response(s.FollowThroughSerializer({"batch": params["batch"], "rows": rows}).data)


class AcceptanceViewSet(RegisterViewSet):
    """承接记录 of the towns and streets in the user's scope."""

    queryset = Acceptance.objects.none()
    serializer_class = s.AcceptanceSerializer
    input_serializers = {"create": s.AcceptanceCreateSerializer}
    filterset_class = filtersets.AcceptanceFilterSet
    ordering_fields = ["effective_on", "created_at", "id"]
    ordering = ["unit__path", "item__code", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.acceptance_list(user=user)

    @extend_schema(
        summary="登记承接情况",
        request=s.AcceptanceCreateSerializer,
        responses={201: s.AcceptanceSerializer},
    )
    def create(self, request: Request) -> Response:
        acceptance = power_services.acceptance_record(actor=request.user, **self.parse())
        return self.respond(acceptance, code=status.HTTP_201_CREATED)


class ResourcePledgeViewSet(RegisterViewSet):
    """资源下沉安排: one per department and batch; posting again replaces it."""

    queryset = ResourcePledge.objects.none()
    serializer_class = s.ResourcePledgeSerializer
    input_serializers = {"create": s.ResourcePledgeSetSerializer}
    filterset_class = filtersets.ResourcePledgeFilterSet
    ordering_fields = ["expected_funds", "funds_transferred", "created_at", "id"]
    ordering = ["batch", "department__path", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.pledge_list(user=user)

    @extend_schema(
        summary="登记资源下沉安排",
        description="该部门在此批次已有安排时替换之(200), 否则新建(201)。",
        request=s.ResourcePledgeSetSerializer,
        responses={200: s.ResourcePledgeSerializer, 201: s.ResourcePledgeSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parse()
        # The department is one the user sees, so its pledge is in this register's scope.
        existed = (
            self.get_queryset().filter(department=data["department"], batch=data["batch"]).exists()
        )
        pledge = power_services.pledge_set(actor=request.user, **data)
        return self.respond(pledge, code=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class GuidanceViewSet(RegisterViewSet):
    """赋权后指导, 培训 and 评估 by the delegating departments."""

    queryset = Guidance.objects.none()
    serializer_class = s.GuidanceSerializer
    input_serializers = {"create": s.GuidanceCreateSerializer}
    filterset_class = filtersets.GuidanceFilterSet
    ordering_fields = ["held_on", "created_at", "id"]
    ordering = ["-held_on", "-id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.guidance_list(user=user)

    @extend_schema(
        summary="登记赋权后指导",
        request=s.GuidanceCreateSerializer,
        responses={201: s.GuidanceSerializer},
    )
    def create(self, request: Request) -> Response:
        guidance = power_services.guidance_record(actor=request.user, **self.parse())
        return self.respond(guidance, code=status.HTTP_201_CREATED)


class PowerUsageViewSet(RegisterViewSet):
    """行权次数 of the towns and streets in the user's scope."""

    queryset = PowerUsage.objects.none()
    serializer_class = s.PowerUsageSerializer
    input_serializers = {"create": s.PowerUsageCreateSerializer}
    filterset_class = filtersets.PowerUsageFilterSet
    ordering_fields = ["period_start", "period_end", "count", "created_at", "id"]
    ordering = ["-period_start", "unit__path", "item__code", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.usage_list(user=user)

    @extend_schema(
        summary="登记行权次数",
        request=s.PowerUsageCreateSerializer,
        responses={201: s.PowerUsageSerializer},
    )
    def create(self, request: Request) -> Response:
        usage = power_services.usage_record(actor=request.user, **self.parse())
        return self.respond(usage, code=status.HTTP_201_CREATED)
