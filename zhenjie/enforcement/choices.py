"""Fixed choice sets of comprehensive administrative law enforcement (综合行政执法)."""

from django.db import models


class Stage(models.TextChoices):
    """Stage of a penalty case (案件环节), in the order of 行政处罚法 第五章."""

    FILED = "filed", "立案"
    INVESTIGATION = "investigation", "调查取证"
    NOTICE = "notice", "告知"
    STATEMENT = "statement", "陈述申辩"
    HEARING = "hearing", "听证"
    LEGAL_REVIEW = "legal_review", "法制审核"
    DECISION = "decision", "决定"
    DELIVERY = "delivery", "送达"
    EXECUTION = "execution", "执行"
    CLOSED = "closed", "结案"


# Allowed moves of a case; the service refuses every other one (行政处罚法 第54-69条).
TRANSITIONS: dict[str, set[str]] = {
    Stage.FILED: {Stage.INVESTIGATION},
    Stage.INVESTIGATION: {Stage.NOTICE},
    # 第44-45条: after notice the party may state its case, ask for a hearing or waive both.
    Stage.NOTICE: {Stage.STATEMENT, Stage.HEARING, Stage.LEGAL_REVIEW, Stage.DECISION},
    Stage.STATEMENT: {Stage.HEARING, Stage.LEGAL_REVIEW, Stage.DECISION},
    Stage.HEARING: {Stage.LEGAL_REVIEW, Stage.DECISION},
    Stage.LEGAL_REVIEW: {Stage.DECISION},
    Stage.DECISION: {Stage.DELIVERY},
    # A decision without a fine (warning, no penalty, transfer) closes once delivered.
    Stage.DELIVERY: {Stage.EXECUTION, Stage.CLOSED},
    Stage.EXECUTION: {Stage.CLOSED},
    Stage.CLOSED: set(),
}

# Stages before the decision: the 90-day clock of 第60条 runs while a case is in one of them.
BEFORE_DECISION = {
    Stage.FILED,
    Stage.INVESTIGATION,
    Stage.NOTICE,
    Stage.STATEMENT,
    Stage.HEARING,
    Stage.LEGAL_REVIEW,
}

# 行政处罚法 第42条: investigative acts and decisions are carried out by two certified officers.
OFFICER_STAGES = {Stage.INVESTIGATION, Stage.DECISION}


class Procedure(models.TextChoices):
    """Procedure of a case (程序)."""

    SIMPLE = "simple", "简易程序"
    ORDINARY = "ordinary", "普通程序"


class PartyKind(models.TextChoices):
    """Kind of party (当事人类型); decides the simple-procedure limit (第51条)."""

    PERSON = "person", "公民"
    ORGANISATION = "organisation", "法人或其他组织"


class DecisionKind(models.TextChoices):
    """Outcome of a case (处理决定, 行政处罚法 第57条)."""

    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY_MINOR = "no_penalty_minor", "不予行政处罚(违法行为轻微)"
    NO_PENALTY_UNFOUNDED = "no_penalty_unfounded", "不予行政处罚(违法事实不能成立)"
    TRANSFER = "transfer", "移送司法机关"


class PenaltyKind(models.TextChoices):
    """Kind of penalty (处罚种类, 行政处罚法 第9条), the main one of a decision."""

    NONE = "", "无"
    WARNING = "warning", "警告、通报批评"
    FINE = "fine", "罚款"
    CONFISCATION = "confiscation", "没收违法所得、没收非法财物"
    LICENCE = "licence", "暂扣许可证件、降低资质等级、吊销许可证件"
    RESTRICTION = "restriction", "限制开展生产经营活动、责令停产停业、责令关闭、限制从业"
    OTHER = "other", "其他行政处罚"
