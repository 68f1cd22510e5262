"""Viewsets of comprehensive administrative law enforcement, written through
``zhenjie.enforcement.services``; querysets come from ``zhenjie.enforcement.selectors``."""

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhenjie.enforcement import selectors
from zhenjie.enforcement import services as enforcement_services
from zhenjie.enforcement.choices import Procedure, Stage
from zhenjie.enforcement.models import (
    Case,
    CaseStep,
    Certificate,
    EnforcementTeam,
    Equipment,
    Funding,
)

from . import serializers_enforcement as s
from .views import RegisterViewSet


class CaseApiFilterSet(django_filters.FilterSet):
    town = django_filters.NumberFilter(field_name="town_id", label="镇(街道)id")
    power = django_filters.NumberFilter(field_name="power_id", label="处罚事项id")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    procedure = django_filters.ChoiceFilter(choices=Procedure.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="逾期")

    class Meta:
        model = Case
        fields = ["town", "power", "stage", "procedure", "overdue"]

    def filter_overdue(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None:
            return queryset
        condition = selectors.overdue_q(dt.date.today())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class CertificateApiFilterSet(django_filters.FilterSet):
    holder = django_filters.NumberFilter(field_name="holder_id", label="持证人id")
    number = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Certificate
        fields = ["holder", "number"]


class BureauFilterSet(django_filters.FilterSet):
    bureau = django_filters.NumberFilter(field_name="bureau_id", label="执法局id")


class EquipmentApiFilterSet(BureauFilterSet):
    class Meta:
        model = Equipment
        fields = ["bureau"]


class FundingApiFilterSet(BureauFilterSet):
    year = django_filters.NumberFilter()

    class Meta:
        model = Funding
        fields = ["bureau", "year"]


class TeamApiFilterSet(BureauFilterSet):
    class Meta:
        model = EnforcementTeam
        fields = ["bureau"]


class EnforcementTeamViewSet(RegisterViewSet):
    """执法中队 with their members and valid certificate holders today."""

    queryset = EnforcementTeam.objects.none()
    serializer_class = s.TeamSerializer
    filterset_class = TeamApiFilterSet
    ordering_fields = ["name", "id"]
    ordering = ["bureau__path", "name", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.team_list(user=user, on=dt.date.today())


class CertificateViewSet(RegisterViewSet):
    """行政执法证 of the officers in the user's scope, with today's validity."""

    queryset = Certificate.objects.none()
    serializer_class = s.CertificateSerializer
    input_serializers = {
        "create": s.CertificateIssueSerializer,
        "review": s.CertificateReviewSerializer,
        "revoke": s.CertificateRevokeSerializer,
    }
    filterset_class = CertificateApiFilterSet
    ordering_fields = ["number", "issued_on", "expires_on", "id"]
    ordering = ["holder__name", "number", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.certificate_list(user=user, on=dt.date.today())

    @extend_schema(
        summary="登记执法证",
        request=s.CertificateIssueSerializer,
        responses={201: s.CertificateSerializer},
    )
    def create(self, request: Request) -> Response:
        certificate = enforcement_services.certificate_issue(actor=request.user, **self.parse())
        return self.respond(certificate, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记审验",
        request=s.CertificateReviewSerializer,
        responses=s.CertificateSerializer,
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        certificate = self.get_object()
        enforcement_services.certificate_review_record(
            actor=request.user, certificate=certificate, **self.parse()
        )
        return self.respond(certificate)

    @extend_schema(
        summary="注销执法证",
        request=s.CertificateRevokeSerializer,
        responses=s.CertificateSerializer,
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        certificate = enforcement_services.certificate_revoke(
            actor=request.user, certificate=self.get_object(), **self.parse()
        )
        return self.respond(certificate)


class EquipmentViewSet(RegisterViewSet):
    """装备台账 of the bureaus in the user's scope."""

    queryset = Equipment.objects.none()
    serializer_class = s.EquipmentSerializer
    input_serializers = {"create": s.EquipmentCreateSerializer}
    filterset_class = EquipmentApiFilterSet
    ordering_fields = ["acquired_on", "id"]
    ordering = ["bureau__path", "kind__sort_order", "acquired_on", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.equipment_list(user=user)

    @extend_schema(
        summary="登记执法装备",
        request=s.EquipmentCreateSerializer,
        responses={201: s.EquipmentSerializer},
    )
    def create(self, request: Request) -> Response:
        equipment = enforcement_services.equipment_add(actor=request.user, **self.parse())
        return self.respond(equipment, code=status.HTTP_201_CREATED)


class FundingViewSet(RegisterViewSet):
    """执法经费 per bureau and year."""

    queryset = Funding.objects.none()
    serializer_class = s.FundingSerializer
    input_serializers = {"create": s.FundingSetSerializer}
    filterset_class = FundingApiFilterSet
    ordering_fields = ["year", "id"]
    ordering = ["bureau__path", "-year", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.funding_list(user=user)

    @extend_schema(
        summary="登记执法经费",
        request=s.FundingSetSerializer,
        responses={201: s.FundingSerializer},
    )
    def create(self, request: Request) -> Response:
        funding = enforcement_services.funding_set(actor=request.user, **self.parse())
        return self.respond(funding, code=status.HTTP_201_CREATED)


class CaseViewSet(RegisterViewSet):
    """行政处罚案件 of the towns and streets in the user's scope, with their steps."""

    queryset = Case.objects.none()
    serializer_class = s.CaseSerializer
    input_serializers = {
        "create": s.CaseOpenSerializer,
        "on_spot": s.CaseOnSpotSerializer,
        "advance": s.CaseAdvanceSerializer,
        "extend": s.CaseExtendSerializer,
    }
    filterset_class = CaseApiFilterSet
    ordering_fields = ["opened_on", "decision_due", "id"]
    ordering = ["-opened_on", "-id"]

    def select(self, user: Any) -> QuerySet:
        steps = CaseStep.objects.prefetch_related("certificates").order_by("happened_on", "id")
        return (
            selectors.case_list(user=user)
            .select_related("hearing_host")
            .prefetch_related(Prefetch("steps", queryset=steps))
        )

    @extend_schema(
        summary="立案(普通程序)", request=s.CaseOpenSerializer, responses={201: s.CaseSerializer}
    )
    def create(self, request: Request) -> Response:
        case = enforcement_services.case_open(actor=request.user, **self.parse())
        return self.respond(case, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="简易程序当场处罚",
        request=s.CaseOnSpotSerializer,
        responses={201: s.CaseSerializer},
    )
    @action(detail=False, methods=["post"], url_path="on-spot")
    def on_spot(self, request: Request) -> Response:
        case = enforcement_services.case_decide_on_spot(actor=request.user, **self.parse())
        return self.respond(case, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="办理下一环节", request=s.CaseAdvanceSerializer, responses=s.CaseSerializer
    )
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str) -> Response:
        case = enforcement_services.case_advance(
            actor=request.user, case=self.get_object(), **self.parse()
        )
        return self.respond(case)

    @extend_schema(
        summary="延长办案期限", request=s.CaseExtendSerializer, responses=s.CaseSerializer
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        case = self.get_object()
        enforcement_services.case_extend(actor=request.user, case=case, **self.parse())
        return self.respond(case)
