"""Viewsets of the API (/api/v1/): every register, read through its selector, written by services.

Each viewset reads through a selector taking the user, so it sees exactly what the pages show;
an object outside that scope is a 404. A write parses one input serializer, calls one service
and renders the result read back through the same selector. Services raise ValidationError (400,
messages by field) and PermissionDenied (403); nothing here decides a business rule. The
registers of delegated powers and of the lists are in ``views_powers`` and ``views_duties``.
"""

from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from zhenjie.jobs.models import Job
from zhenjie.jobs.services import job_list
from zhenjie.organizations import services as organization_services
from zhenjie.organizations.models import Division, DockingLink, Unit
from zhenjie.organizations.selectors import unit_list
from zhenjie.personnel import services as personnel_services
from zhenjie.personnel.models import Enrolment, Person, PostAssignment
from zhenjie.personnel.selectors import person_list
from zhenjie.staffing import services as staffing_services
from zhenjie.staffing.models import (
    LeadershipQuota,
    QuotaMovement,
    QuotaTransfer,
    QuotaType,
    Redistribution,
)
from zhenjie.staffing.selectors import movement_list

from . import filtersets, selectors
from . import serializers as s
from .exceptions import ServiceErrorsMixin
from .filtersets import StableOrderingFilter
from .schema import ApiAutoSchema


class RegisterViewSet(
    ServiceErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Base of every register's viewset: list and retrieve; writes are added as service calls.

    Subclasses set ``queryset`` to ``Model.objects.none()`` (the schema generator's stand-in for
    the scoped queryset), implement ``select(user)`` with the register's selector, and name their
    input serializers by action in ``input_serializers``.
    """

    schema = ApiAutoSchema()
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    parser_classes = [JSONParser]
    input_serializers: dict[str, type[BaseSerializer]] = {}

    def select(self, user: Any) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        # The schema generator calls this with an anonymous mock request; it only needs the model.
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.select(self.request.user)

    def get_serializer_class(self) -> type[BaseSerializer]:
        serializer_class = self.input_serializers.get(self.action) or self.serializer_class
        assert serializer_class is not None
        return serializer_class

    def get_object(self) -> Any:
        """The object named in the path, if the user may see it; otherwise 404, never 403."""
        try:
            return super().get_object()
        except Http404:
            model = self.get_queryset().model
            raise NotFound(f"{model._meta.verbose_name}不存在或不在您的权限范围内") from None

    def parse(self, *, partial: bool = False) -> dict[str, Any]:
        """The validated input of this action: the keyword arguments of its service."""
        serializer = self.get_serializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def parse_query(self, serializer_class: type[BaseSerializer]) -> dict[str, Any]:
        """The validated query parameters of a read that takes some (a report's ``?batch=``)."""
        serializer = serializer_class(
            data=self.request.query_params, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def respond(
        self,
        obj: Model,
        *,
        code: int = status.HTTP_200_OK,
        serializer_class: type[BaseSerializer] | None = None,
        **context: Any,
    ) -> Response:
        """Render ``obj`` as read back through the selector, with its joins and prefetches."""
        fresh = self.get_queryset().filter(pk=obj.pk).first() or obj
        serializer_class = serializer_class or self.serializer_class
        assert serializer_class is not None
        serializer = serializer_class(fresh, context={**self.get_serializer_context(), **context})
        return Response(serializer.data, status=code)

    def respond_created(self, obj: Model, serializer_class: type[BaseSerializer]) -> Response:
        """201 with a new record posted to this register's object (a reply to its round).

        It is not read back through this register's selector: it is not one of its rows. Its
        related objects are those the service was given, already loaded.
        """
        serializer = serializer_class(obj, context=self.get_serializer_context())
        return Response(serializer.data, status=status.HTTP_201_CREATED)


# ------------------------------------------------------------------ organizations


class DivisionViewSet(RegisterViewSet):
    """行政区划 of the user's region (read-only; divisions are registered in the admin)."""

    queryset = Division.objects.none()
    serializer_class = s.DivisionSerializer
    filterset_class = filtersets.DivisionFilterSet
    ordering_fields = ["code", "name", "id"]
    ordering = ["code", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.division_list(user=user)


class UnitViewSet(RegisterViewSet):
    """机构: set up, changed and abolished by the staffing office (organizations.services)."""

    queryset = Unit.objects.none()
    serializer_class = s.UnitSerializer
    input_serializers = {
        "create": s.UnitCreateSerializer,
        "partial_update": s.UnitUpdateSerializer,
        "abolish": s.UnitAbolishSerializer,
    }
    filterset_class = filtersets.UnitApiFilterSet
    ordering_fields = ["path", "name", "sort_order", "established_on", "id"]
    ordering = ["path", "id"]

    def select(self, user: Any) -> QuerySet:
        return unit_list(user=user)

    @extend_schema(
        summary="设立机构", request=s.UnitCreateSerializer, responses={201: s.UnitSerializer}
    )
    def create(self, request: Request) -> Response:
        unit = organization_services.unit_create(actor=request.user, **self.parse())
        return self.respond(unit, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改机构信息", request=s.UnitUpdateSerializer, responses=s.UnitSerializer
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        unit = self.get_object()
        changes = self.parse(partial=True)
        reason = changes.pop("reason", "")
        unit = organization_services.unit_update(
            actor=request.user, unit=unit, reason=reason, **changes
        )
        return self.respond(unit)

    @extend_schema(summary="撤销机构", request=s.UnitAbolishSerializer, responses=s.UnitSerializer)
    @action(detail=True, methods=["post"])
    def abolish(self, request: Request, pk: str) -> Response:
        unit = self.get_object()
        unit = organization_services.unit_abolish(actor=request.user, unit=unit, **self.parse())
        return self.respond(unit)


class DockingLinkViewSet(RegisterViewSet):
    """对接关系: an office (办) docking with a county department."""

    queryset = DockingLink.objects.none()
    serializer_class = s.DockingLinkSerializer
    input_serializers = {"create": s.DockingLinkCreateSerializer}
    filterset_class = filtersets.DockingLinkFilterSet
    ordering_fields = ["created_at", "id"]
    ordering = ["office__path", "department__path", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.docking_link_list(user=user)

    @extend_schema(
        summary="新增对接关系",
        request=s.DockingLinkCreateSerializer,
        responses={201: s.DockingLinkSerializer},
    )
    def create(self, request: Request) -> Response:
        link = organization_services.docking_link_add(actor=request.user, **self.parse())
        return self.respond(link, code=status.HTTP_201_CREATED)

    @extend_schema(summary="删除对接关系", responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        organization_services.docking_link_remove(actor=request.user, link=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# ------------------------------------------------------------------ staffing


class QuotaTypeViewSet(RegisterViewSet):
    """编制类型 (read-only; configured in the admin)."""

    queryset = QuotaType.objects.none()
    serializer_class = s.QuotaTypeSerializer
    filterset_class = filtersets.QuotaTypeFilterSet
    ordering_fields = ["sort_order", "code", "id"]
    ordering = ["sort_order", "code", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.quota_type_list()


class QuotaMovementViewSet(RegisterViewSet):
    """编制台账: 核定, 核增 and 核减 are recorded here; 划转 and 二次分配 have their own registers."""

    queryset = QuotaMovement.objects.none()
    serializer_class = s.QuotaMovementSerializer
    input_serializers = {"create": s.QuotaMovementCreateSerializer}
    filterset_class = filtersets.QuotaMovementApiFilterSet
    ordering_fields = ["effective_on", "created_at", "delta", "id"]
    ordering = ["effective_on", "id"]

    def select(self, user: Any) -> QuerySet:
        return movement_list(user=user)

    @extend_schema(
        summary="登记编制变动",
        request=s.QuotaMovementCreateSerializer,
        responses={201: s.QuotaMovementSerializer},
    )
    def create(self, request: Request) -> Response:
        movement = staffing_services.quota_movement_record(actor=request.user, **self.parse())
        return self.respond(movement, code=status.HTTP_201_CREATED)


class RedistributionViewSet(RegisterViewSet):
    """编制二次分配: lines show only the units the user may see."""

    queryset = Redistribution.objects.none()
    serializer_class = s.RedistributionSerializer
    input_serializers = {"create": s.RedistributionCreateSerializer}
    filterset_class = filtersets.RedistributionFilterSet
    ordering_fields = ["effective_on", "created_at", "id"]
    ordering = ["-effective_on", "-id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.redistribution_list(user=user)

    @extend_schema(
        summary="编制二次分配",
        request=s.RedistributionCreateSerializer,
        responses={201: s.RedistributionSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.parse()
        lines = [(line["unit"], line["delta"]) for line in data.pop("lines")]
        batch = staffing_services.quota_redistribute(actor=request.user, lines=lines, **data)
        return self.respond(batch, code=status.HTTP_201_CREATED)


class LeadershipQuotaViewSet(RegisterViewSet):
    """领导职数: each record sets a unit's posts at one level from its effective date."""

    queryset = LeadershipQuota.objects.none()
    serializer_class = s.LeadershipQuotaSerializer
    input_serializers = {"create": s.LeadershipQuotaCreateSerializer}
    filterset_class = filtersets.LeadershipQuotaFilterSet
    ordering_fields = ["effective_on", "count", "id"]
    ordering = ["unit__path", "level", "-effective_on", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.leadership_quota_list(user=user)

    @extend_schema(
        summary="核定领导职数",
        request=s.LeadershipQuotaCreateSerializer,
        responses={201: s.LeadershipQuotaSerializer},
    )
    def create(self, request: Request) -> Response:
        record = staffing_services.leadership_quota_set(actor=request.user, **self.parse())
        return self.respond(record, code=status.HTTP_201_CREATED)


class QuotaTransferViewSet(RegisterViewSet):
    """编制划转: quota and the people on it move together (personnel.services.quota_transfer)."""

    queryset = QuotaTransfer.objects.none()
    serializer_class = s.QuotaTransferSerializer
    input_serializers = {"create": s.QuotaTransferCreateSerializer}
    filterset_class = filtersets.QuotaTransferFilterSet
    ordering_fields = ["effective_on", "created_at", "id"]
    ordering = ["-effective_on", "-id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.transfer_list(user=user)

    @extend_schema(
        summary="编制划转",
        request=s.QuotaTransferCreateSerializer,
        responses={201: s.QuotaTransferSerializer},
    )
    def create(self, request: Request) -> Response:
        transfer = personnel_services.quota_transfer(actor=request.user, **self.parse())
        return self.respond(transfer, code=status.HTTP_201_CREATED)


# ------------------------------------------------------------------ personnel


class PersonViewSet(RegisterViewSet):
    """实名制人员: the ID number is written, never read back (only ``id_number_masked``)."""

    queryset = Person.objects.none()
    serializer_class = s.PersonSerializer
    input_serializers = {
        "create": s.PersonCreateSerializer,
        "partial_update": s.PersonUpdateSerializer,
    }
    filterset_class = filtersets.PersonApiFilterSet
    ordering_fields = ["name", "birth_date", "created_at", "id"]
    ordering = ["name", "id"]

    def select(self, user: Any) -> QuerySet:
        return person_list(user=user)

    @extend_schema(
        summary="实名登记", request=s.PersonCreateSerializer, responses={201: s.PersonSerializer}
    )
    def create(self, request: Request) -> Response:
        person = personnel_services.person_register(actor=request.user, **self.parse())
        return self.respond(person, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改人员信息", request=s.PersonUpdateSerializer, responses=s.PersonSerializer
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        person = self.get_object()
        person = personnel_services.person_update(
            actor=request.user, person=person, **self.parse(partial=True)
        )
        return self.respond(person)


class EnrolmentViewSet(RegisterViewSet):
    """入编记录: 入编 creates one, 出编 (``exit``) ends it."""

    queryset = Enrolment.objects.none()
    serializer_class = s.EnrolmentSerializer
    input_serializers = {"create": s.EnrolmentCreateSerializer, "exit": s.EnrolmentExitSerializer}
    filterset_class = filtersets.EnrolmentFilterSet
    ordering_fields = ["start_date", "end_date", "id"]
    ordering = ["-start_date", "-id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.enrolment_list(user=user)

    @extend_schema(
        summary="入编",
        request=s.EnrolmentCreateSerializer,
        responses={201: s.EnrolmentOutcomeSerializer},
    )
    def create(self, request: Request) -> Response:
        outcome = personnel_services.person_enrol(actor=request.user, **self.parse())
        return self.respond(
            outcome.obj,
            code=status.HTTP_201_CREATED,
            serializer_class=s.EnrolmentOutcomeSerializer,
            warnings=outcome.warnings,
        )

    @extend_schema(
        summary="出编", request=s.EnrolmentExitSerializer, responses=s.EnrolmentSerializer
    )
    @action(detail=True, methods=["post"])
    def exit(self, request: Request, pk: str) -> Response:
        enrolment = self.get_object()
        enrolment = personnel_services.person_exit(
            actor=request.user, enrolment=enrolment, **self.parse()
        )
        return self.respond(enrolment)


class PostAssignmentViewSet(RegisterViewSet):
    """工作岗位: a main post (实际工作岗位) replaces the current one; 兼任 adds one."""

    queryset = PostAssignment.objects.none()
    serializer_class = s.PostAssignmentSerializer
    input_serializers = {"create": s.PostAssignmentCreateSerializer, "end": s.PostEndSerializer}
    filterset_class = filtersets.PostAssignmentFilterSet
    ordering_fields = ["start_date", "end_date", "id"]
    ordering = ["-start_date", "-id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.post_list(user=user)

    @extend_schema(
        summary="安排岗位 / 兼任",
        request=s.PostAssignmentCreateSerializer,
        responses={201: s.PostAssignmentSerializer},
    )
    def create(self, request: Request) -> Response:
        post = personnel_services.post_assign(actor=request.user, **self.parse())
        return self.respond(post, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="离任", request=s.PostEndSerializer, responses=s.PostAssignmentSerializer
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        post = self.get_object()
        post = personnel_services.post_end(actor=request.user, post=post, **self.parse())
        return self.respond(post)


# ------------------------------------------------------------------ jobs


class JobViewSet(RegisterViewSet):
    """后台任务: the user's own jobs and their progress (read-only)."""

    queryset = Job.objects.none()
    serializer_class = s.JobSerializer
    filterset_class = filtersets.JobFilterSet
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def select(self, user: Any) -> QuerySet:
        return job_list(user=user)


# ------------------------------------------------------------------ authentication


@extend_schema_view(post=extend_schema(summary="获取令牌", auth=[]))
class TokenObtainView(ServiceErrorsMixin, ObtainAuthToken):
    """POST username and password, get the user's API token (rest_framework.authtoken)."""

    schema = ApiAutoSchema()
