"""Fixed choice sets of the powers app."""

from django.db import models


class DelegationMode(models.TextChoices):
    """How a power reaches the town (行政处罚法 第20条 委托 / 第24条 交由乡镇行使)."""

    ENTRUST = "entrust", "委托(以委托部门名义实施)"
    DEVOLVE = "devolve", "交由行使(以镇街名义实施)"


class Grantee(models.TextChoices):
    """Which base-level units may receive a power."""

    TOWN = "town", "镇"
    STREET = "street", "街道"
    BOTH = "both", "镇和街道"


class AcceptanceStatus(models.TextChoices):
    """A town's or street's answer to a delegated power (承接情况)."""

    ACCEPTED = "accepted", "已承接"
    DEFERRED = "deferred", "暂缓承接"
    DECLINED = "declined", "不承接"


# Statuses that need a written reason (不认领须书面说明原因).
REASON_REQUIRED = {AcceptanceStatus.DEFERRED, AcceptanceStatus.DECLINED}


class GuidanceKind(models.TextChoices):
    """What a delegating department arranged after delegation."""

    GUIDANCE = "guidance", "业务指导"
    TRAINING = "training", "培训"
    EVALUATION = "evaluation", "承接评估"
