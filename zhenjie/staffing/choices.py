"""Fixed choice sets of the staffing app."""

from django.db import models


class MovementKind(models.TextChoices):
    """Kind of quota movement (编制变动类型)."""

    APPROVE = "approve", "核定"
    INCREASE = "increase", "核增"
    DECREASE = "decrease", "核减"
    TRANSFER_IN = "transfer_in", "划入"
    TRANSFER_OUT = "transfer_out", "划出"
    REDISTRIBUTE = "redistribute", "二次分配"


POSITIVE_KINDS = {MovementKind.APPROVE, MovementKind.INCREASE, MovementKind.TRANSFER_IN}
NEGATIVE_KINDS = {MovementKind.DECREASE, MovementKind.TRANSFER_OUT}
# Kinds an officer records directly; transfers and redistributions have their own services.
DIRECT_KINDS = [MovementKind.APPROVE, MovementKind.INCREASE, MovementKind.DECREASE]


class LeadershipLevel(models.TextChoices):
    """Level of a leadership post (领导职数)."""

    PRINCIPAL = "principal", "正职(正科级)"
    DEPUTY = "deputy", "副职(副科级)"
