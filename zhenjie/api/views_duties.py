"""Viewsets of the three lists (两目录一制度) and duty admission (职责准入).

Lists, editions, items and consultation rounds are those of the counties the user sees
(``duties.selectors.list_index``); applications are ``duties.selectors.admission_list``. Writes
go through ``zhenjie.duties.services`` and ``zhenjie.duties.admission``; a reply, a meeting, an
opinion or an assignment is posted to the round or application it belongs to.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from zhenjie.duties import admission as admission_services
from zhenjie.duties import services as duty_services
from zhenjie.duties.models import ConsultationRound, DutyAdmission, DutyItem, DutyList, Edition
from zhenjie.duties.selectors import list_index

from . import filtersets, selectors
from . import serializers_duties as s
from .views import RegisterViewSet


class DutyListViewSet(RegisterViewSet):
    """清单: 职责事项清单, 共同承担事项责任清单 and 职责准入管理办法 of the visible counties."""

    queryset = DutyList.objects.none()
    serializer_class = s.DutyListSerializer
    input_serializers = {"create": s.DutyListCreateSerializer}
    filterset_class = filtersets.DutyListFilterSet
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["county__path", "kind", "name", "id"]

    def select(self, user: Any) -> QuerySet:
        return list_index(user=user)

    @extend_schema(
        summary="新建清单",
        request=s.DutyListCreateSerializer,
        responses={201: s.DutyListSerializer},
    )
    def create(self, request: Request) -> Response:
        duty_list = duty_services.duty_list_create(actor=request.user, **self.parse())
        return self.respond(duty_list, code=status.HTTP_201_CREATED)


class EditionViewSet(RegisterViewSet):
    """清单版本: 征求意见稿 → 审定稿 → 已公布 (→ 已被新版替代), compared item by item."""

    queryset = Edition.objects.none()
    serializer_class = s.EditionSerializer
    input_serializers = {
        "create": s.EditionCreateSerializer,
        "transition": s.EditionTransitionSerializer,
    }
    filterset_class = filtersets.EditionFilterSet
    ordering_fields = ["published_on", "created_at", "id"]
    ordering = ["duty_list", "-created_at", "-id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.edition_list(user=user)

    @extend_schema(
        summary="新建版本 / 动态调整",
        request=s.EditionCreateSerializer,
        responses={201: s.EditionSerializer},
    )
    def create(self, request: Request) -> Response:
        edition = duty_services.edition_create(actor=request.user, **self.parse())
        return self.respond(edition, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="改变版本状态(审定、公布、退回)",
        request=s.EditionTransitionSerializer,
        responses=s.EditionSerializer,
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        edition = duty_services.edition_transition(
            actor=request.user, edition=self.get_object(), **self.parse()
        )
        return self.respond(edition)

    @extend_schema(
        summary="版本比对",
        parameters=[s.EditionCompareQuerySerializer],
        responses=s.EditionDiffSerializer,
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def compare(self, request: Request, pk: str) -> Response:
        new = self.get_object()
        old = self.parse_query(s.EditionCompareQuerySerializer)["old"]
        if old.duty_list_id != new.duty_list_id:
            raise ValidationError({"old": ["只能比较同一清单的版本"]})
        # edition_compare reads both editions' items; each item shows its lead department.
        items = DutyItem.objects.select_related("lead_department")
        prefetch_related_objects([old, new], Prefetch("items", queryset=items))
        diff = duty_services.edition_compare(old=old, new=new)
        report = {
            "old": old,
            "new": new,
            "text_changed": diff.text_changed,
            "added": diff.added,
            "removed": diff.removed,
            "diff": diff,
        }
        return Response(s.EditionDiffSerializer(report).data)


class DutyItemViewSet(RegisterViewSet):
    """清单事项: added and changed only in a draft edition (征求意见稿)."""

    queryset = DutyItem.objects.none()
    serializer_class = s.DutyItemSerializer
    input_serializers = {
        "create": s.DutyItemCreateSerializer,
        "partial_update": s.DutyItemUpdateSerializer,
    }
    filterset_class = filtersets.DutyItemFilterSet
    ordering_fields = ["code", "name", "id"]
    ordering = ["edition", "code", "id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.duty_item_list(user=user)

    @extend_schema(
        summary="新增清单事项",
        request=s.DutyItemCreateSerializer,
        responses={201: s.DutyItemSerializer},
    )
    def create(self, request: Request) -> Response:
        item = duty_services.duty_item_save(actor=request.user, **self.parse())
        return self.respond(item, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改清单事项", request=s.DutyItemUpdateSerializer, responses=s.DutyItemSerializer
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        changes = self.parse(partial=True)
        code = changes.pop("code", item.code)
        item = duty_services.duty_item_save(
            actor=request.user, edition=item.edition, item=item, code=code, **changes
        )
        return self.respond(item)


class ConsultationRoundViewSet(RegisterViewSet):
    """征求意见 on a draft edition; the parties' replies and the meetings are posted to it."""

    queryset = ConsultationRound.objects.none()
    serializer_class = s.ConsultationRoundSerializer
    input_serializers = {
        "create": s.ConsultationRoundCreateSerializer,
        "replies": s.ReplyCreateSerializer,
        "meetings": s.ReviewMeetingCreateSerializer,
    }
    filterset_class = filtersets.ConsultationRoundFilterSet
    ordering_fields = ["sent_on", "due_on", "created_at", "id"]
    ordering = ["-sent_on", "-id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.round_list(user=user)

    @extend_schema(responses=s.ConsultationRoundDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        consultation = self.get_object()
        round_status = duty_services.round_status(consultation=consultation)
        serializer = s.ConsultationRoundDetailSerializer(
            consultation, context={**self.get_serializer_context(), "status": round_status}
        )
        return Response(serializer.data)

    @extend_schema(
        summary="征求意见",
        request=s.ConsultationRoundCreateSerializer,
        responses={201: s.ConsultationRoundSerializer},
    )
    def create(self, request: Request) -> Response:
        consultation = duty_services.round_start(actor=request.user, **self.parse())
        return self.respond(consultation, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="反馈意见", request=s.ReplyCreateSerializer, responses={201: s.ReplySerializer}
    )
    @action(detail=True, methods=["post"])
    def replies(self, request: Request, pk: str) -> Response:
        reply = duty_services.reply_record(
            actor=request.user, consultation=self.get_object(), **self.parse()
        )
        return self.respond_created(reply, s.ReplySerializer)

    @extend_schema(
        summary="登记研究会议",
        request=s.ReviewMeetingCreateSerializer,
        responses={201: s.ReviewMeetingSerializer},
    )
    @action(detail=True, methods=["post"])
    def meetings(self, request: Request, pk: str) -> Response:
        meeting = duty_services.meeting_record(
            actor=request.user, consultation=self.get_object(), **self.parse()
        )
        return self.respond_created(meeting, s.ReviewMeetingSerializer)


class DutyAdmissionViewSet(RegisterViewSet):
    """职责准入申请: drafted, heard by the towns, submitted for approval, then assigned."""

    queryset = DutyAdmission.objects.none()
    serializer_class = s.DutyAdmissionSerializer
    input_serializers = {
        "create": s.DutyAdmissionCreateSerializer,
        "opinions": s.TownOpinionCreateSerializer,
        "assign": s.TaskAssignSerializer,
    }
    filterset_class = filtersets.DutyAdmissionFilterSet
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def select(self, user: Any) -> QuerySet:
        return selectors.admission_detail_list(user=user)

    @extend_schema(
        summary="提出职责准入申请",
        request=s.DutyAdmissionCreateSerializer,
        responses={201: s.DutyAdmissionSerializer},
    )
    def create(self, request: Request) -> Response:
        admission = admission_services.admission_create(actor=request.user, **self.parse())
        return self.respond(admission, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="镇街意见",
        request=s.TownOpinionCreateSerializer,
        responses={201: s.TownOpinionSerializer},
    )
    @action(detail=True, methods=["post"])
    def opinions(self, request: Request, pk: str) -> Response:
        opinion = admission_services.opinion_record(
            actor=request.user, admission=self.get_object(), **self.parse()
        )
        return self.respond_created(opinion, s.TownOpinionSerializer)

    @extend_schema(summary="提交审批", request=None, responses=s.DutyAdmissionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        admission = self.get_object()
        admission_services.admission_submit(actor=request.user, admission=admission)
        return self.respond(admission)

    @extend_schema(
        summary="交办任务",
        request=s.TaskAssignSerializer,
        responses={201: s.TaskAssignmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        assignment = admission_services.task_assign(
            actor=request.user, admission=self.get_object(), **self.parse()
        )
        return self.respond_created(assignment, s.TaskAssignmentSerializer)
