"""Viewsets of dispatched agencies (派出机构), written through ``zhenjie.agencies.services``.

Scope is that of the pages (``zhenjie.agencies.selectors``): a town sees the agencies in its
town, a department those it manages. Which side a user may act for is checked by the services.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from zhenjie.agencies import selectors as agency_selectors
from zhenjie.agencies import services as agency_services
from zhenjie.agencies.choices import AssessmentParty, MoveKind, MoveStatus, TaskOutcome
from zhenjie.agencies.models import Agency, Assessment, CommandTask, PersonnelMove

from . import serializers_agencies as s
from .filtersets import IdFilter
from .views import RegisterViewSet


class AssessmentFilterSet(django_filters.FilterSet):
    agency = IdFilter(field_name="agency_id", label="派出机构")
    year = django_filters.NumberFilter(label="考核年度")
    party = django_filters.ChoiceFilter(label="评分方", choices=AssessmentParty.choices)

    class Meta:
        model = Assessment
        fields: list[str] = []


class PersonnelMoveFilterSet(django_filters.FilterSet):
    agency = IdFilter(field_name="agency_id", label="派出机构")
    kind = django_filters.ChoiceFilter(label="调整类型", choices=MoveKind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=MoveStatus.choices)

    class Meta:
        model = PersonnelMove
        fields: list[str] = []


class CommandTaskFilterSet(django_filters.FilterSet):
    agency = IdFilter(field_name="agency_id", label="派出机构")
    outcome = django_filters.ChoiceFilter(label="办理结果", choices=TaskOutcome.choices)

    class Meta:
        model = CommandTask
        fields: list[str] = []


class AgencyViewSet(RegisterViewSet):
    """派出机构双重管理: registered by the staffing office; yearly results of both sides."""

    queryset = Agency.objects.none()
    serializer_class = s.AgencySerializer
    input_serializers = {"create": s.AgencyCreateSerializer}
    ordering_fields = ["since", "id"]
    ordering = ["unit__path", "id"]

    def select(self, user: Any) -> QuerySet:
        return agency_selectors.agency_list(user=user)

    @extend_schema(
        summary="登记双重管理",
        request=s.AgencyCreateSerializer,
        responses={201: s.AgencySerializer},
    )
    def create(self, request: Request) -> Response:
        agency = agency_services.agency_register(actor=request.user, **self.parse())
        return self.respond(agency, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="年度考核结果(双方评分、综合得分、任务完成率)",
        parameters=[s.AnnualResultQuerySerializer],
        responses=s.AnnualResultSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def results(self, request: Request) -> Response:
        year = self.parse_query(s.AnnualResultQuerySerializer)["year"]
        rows = agency_selectors.annual_results(user=request.user, year=year)
        return Response(s.AnnualResultSerializer(rows, many=True).data)


class AssessmentViewSet(RegisterViewSet):
    """年度考核评分: one per party, agency and year."""

    queryset = Assessment.objects.none()
    serializer_class = s.AssessmentSerializer
    input_serializers = {"create": s.AssessmentCreateSerializer}
    filterset_class = AssessmentFilterSet
    ordering_fields = ["year", "scored_on", "id"]
    ordering = ["-year", "agency", "party", "id"]

    def select(self, user: Any) -> QuerySet:
        return agency_selectors.assessment_list(user=user)

    @extend_schema(
        summary="登记考核评分",
        request=s.AssessmentCreateSerializer,
        responses={201: s.AssessmentSerializer},
    )
    def create(self, request: Request) -> Response:
        assessment = agency_services.assessment_record(actor=request.user, **self.parse())
        return self.respond(assessment, code=status.HTTP_201_CREATED)


class PersonnelMoveViewSet(RegisterViewSet):
    """人员调整: proposed by the department, heard by the town, then decided."""

    queryset = PersonnelMove.objects.none()
    serializer_class = s.PersonnelMoveSerializer
    input_serializers = {
        "create": s.PersonnelMoveProposeSerializer,
        "opinion": s.PersonnelMoveOpinionSerializer,
        "decide": s.PersonnelMoveDecisionSerializer,
    }
    filterset_class = PersonnelMoveFilterSet
    ordering_fields = ["proposed_on", "id"]
    ordering = ["-proposed_on", "-id"]

    def select(self, user: Any) -> QuerySet:
        return agency_selectors.move_list(user=user)

    @extend_schema(
        summary="提出人员调整",
        request=s.PersonnelMoveProposeSerializer,
        responses={201: s.PersonnelMoveSerializer},
    )
    def create(self, request: Request) -> Response:
        move = agency_services.move_propose(actor=request.user, **self.parse())
        return self.respond(move, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="镇(街道)党(工)委意见",
        request=s.PersonnelMoveOpinionSerializer,
        responses=s.PersonnelMoveSerializer,
    )
    @action(detail=True, methods=["post"])
    def opinion(self, request: Request, pk: str) -> Response:
        move = agency_services.move_opinion_record(
            actor=request.user, move=self.get_object(), **self.parse()
        )
        return self.respond(move)

    @extend_schema(
        summary="主管部门决定",
        request=s.PersonnelMoveDecisionSerializer,
        responses=s.PersonnelMoveSerializer,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        move = agency_services.move_decide(
            actor=request.user, move=self.get_object(), **self.parse()
        )
        return self.respond(move)

    @extend_schema(summary="撤回人员调整", request=None, responses=s.PersonnelMoveSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        move = agency_services.move_withdraw(actor=request.user, move=self.get_object())
        return self.respond(move)


class CommandTaskViewSet(RegisterViewSet):
    """统一指挥协调任务: assigned and closed by the host town."""

    queryset = CommandTask.objects.none()
    serializer_class = s.CommandTaskSerializer
    input_serializers = {
        "create": s.CommandTaskAssignSerializer,
        "close": s.CommandTaskCloseSerializer,
    }
    filterset_class = CommandTaskFilterSet
    ordering_fields = ["assigned_on", "due_on", "id"]
    ordering = ["-assigned_on", "-id"]

    def select(self, user: Any) -> QuerySet:
        return agency_selectors.task_list(user=user)

    @extend_schema(
        summary="交办任务",
        request=s.CommandTaskAssignSerializer,
        responses={201: s.CommandTaskSerializer},
    )
    def create(self, request: Request) -> Response:
        task = agency_services.task_assign(actor=request.user, **self.parse())
        return self.respond(task, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记办理结果",
        request=s.CommandTaskCloseSerializer,
        responses=s.CommandTaskSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        task = agency_services.task_close(
            actor=request.user, task=self.get_object(), **self.parse()
        )
        return self.respond(task)
