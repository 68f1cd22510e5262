"""Fixed choice sets of the personnel app."""

from django.db import models


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Education(models.TextChoices):
    DOCTORATE = "doctorate", "博士研究生"
    MASTER = "master", "硕士研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY = "secondary", "中专及以下"


class PoliticalStatus(models.TextChoices):
    CPC = "cpc", "中共党员"
    PROBATIONARY = "probationary", "中共预备党员"
    LEAGUE = "league", "共青团员"
    OTHER_PARTY = "other_party", "民主党派"
    MASSES = "masses", "群众"


class EntryChannel(models.TextChoices):
    """How a person entered their quota (进入形式)."""

    CIVIL_SERVICE_EXAM = "civil_service_exam", "公务员考录"
    TARGETED_RECRUITMENT = "targeted_recruitment", "定向招录"
    SELECTED_GRADUATE = "selected_graduate", "选调生"
    PUBLIC_INSTITUTION_HIRING = "public_institution_hiring", "事业单位公开招聘"
    THREE_SUPPORTS = "three_supports", "三支一扶转聘"
    TARGETED_TRAINING = "targeted_training", "定向培养"
    MILITARY_TRANSFER = "military_transfer", "军转安置"
    TRANSFER_IN = "transfer_in", "调任调入"
    QUOTA_TRANSFER = "quota_transfer", "编制划转"


class ExitReason(models.TextChoices):
    """Why an enrolment ended (出编原因)."""

    RETIREMENT = "retirement", "退休"
    TRANSFER_OUT = "transfer_out", "调出"
    RESIGNATION = "resignation", "辞职"
    DISMISSAL = "dismissal", "辞退"
    EXPULSION = "expulsion", "开除"
    DEATH = "death", "死亡"
    QUOTA_TRANSFER = "quota_transfer", "编制划转"


class PostKind(models.TextChoices):
    MAIN = "main", "实际工作岗位"
    CONCURRENT = "concurrent", "兼任"
