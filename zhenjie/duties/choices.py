"""Fixed choice sets of the duties app."""

from django.db import models


class ListKind(models.TextChoices):
    """The report's documents: two lists and the admission rules (两目录一制度)."""

    DUTY = "duty", "职责事项清单"
    SHARED = "shared", "共同承担事项责任清单"
    RULES = "rules", "职责准入管理办法"


class EditionStatus(models.TextChoices):
    """Life of an edition: 征求意见稿 -> 审定 -> 公布 -> (动态调整: replaced by a newer edition)."""

    DRAFT = "draft", "征求意见稿"
    APPROVED = "approved", "审定稿"
    PUBLISHED = "published", "已公布"
    SUPERSEDED = "superseded", "已被新版替代"


# Allowed status transitions; anything else is refused by the service.
EDITION_TRANSITIONS: dict[str, set[str]] = {
    EditionStatus.DRAFT: {EditionStatus.APPROVED},
    EditionStatus.APPROVED: {EditionStatus.PUBLISHED, EditionStatus.DRAFT},
    EditionStatus.PUBLISHED: {EditionStatus.SUPERSEDED},
    EditionStatus.SUPERSEDED: set(),
}


class DutyClass(models.TextChoices):
    """三张清单 (DOMAIN.md 4.1)."""

    BASIC = "basic", "基本履职事项"
    COOPERATING = "cooperating", "配合履职事项"
    RETURNED = "returned", "上级部门收回事项"


class MeetingKind(models.TextChoices):
    LEADERSHIP = "leadership", "领导班子会议"
    DIRECTORS = "directors", "编办主任办公会"


class MatterType(models.TextChoices):
    """What a department wants towns to take on. Powers go through delegation, not admission."""

    ADMINISTRATIVE_AFFAIR = "administrative_affair", "行政事务"
    PUBLIC_SERVICE = "public_service", "公共服务"
    PENALTY = "penalty", "行政处罚"
    LICENSING = "licensing", "行政许可"
    COERCION = "coercion", "行政强制"


# 职责准入办法 第一条: 行政处罚、行政许可、行政强制等行政权力事项除外.
POWER_MATTERS = {MatterType.PENALTY, MatterType.LICENSING, MatterType.COERCION}


class AdmissionStatus(models.TextChoices):
    DRAFT = "draft", "征求镇街意见"
    SUBMITTED = "submitted", "审批中"
    APPROVED = "approved", "准入"
    REJECTED = "rejected", "不予准入"
    WITHDRAWN = "withdrawn", "已撤回"
